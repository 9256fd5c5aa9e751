"""Vendor register, contracts, SLA policies, priority mappings, import and calendar feed.

Mounted at /c/<client_slug>/vendors/ in the "vendors" namespace.
"""

from django.urls import path

from ciodesk.tenancy.access import Level
from ciodesk.tenancy.permissions import client_view
from ciodesk.vendors import views_contracts as views
from ciodesk.vendors.models import Contract, Vendor
from ciodesk.vendors.views_contracts import CONTRACTS, VENDORS
from ciodesk.vendors.views_feeds import calendar_feed

W = Level.PRACTICE

urlpatterns = [
    path("", views.vendor_list, name="vendor-list"),
    path("export/", views.vendor_export, name="vendor-export"),
    path("new/", client_view(W)(VENDORS.create_view), name="vendor-create"),
    path("<int:pk>/", views.vendor_detail, name="vendor-detail"),
    path("<int:pk>/edit/", client_view(W, Vendor)(VENDORS.edit_view), name="vendor-edit"),
    path("<int:pk>/delete/", client_view(W, Vendor)(VENDORS.delete_view), name="vendor-delete"),
    path(
        "<int:pk>/history/",
        client_view(Level.READ, Vendor)(VENDORS.history_view),
        name="vendor-history",
    ),
    path("<int:pk>/priorities/", views.priority_mappings, name="priority-mappings"),
    path("contracts/", views.contract_list, name="contract-list"),
    path("contracts/export/", views.contract_export, name="contract-export"),
    path("contracts/import/", views.contract_import, name="contract-import"),
    path("contracts/new/", client_view(W)(CONTRACTS.create_view), name="contract-create"),
    path("contracts/<int:pk>/", views.contract_detail, name="contract-detail"),
    path(
        "contracts/<int:pk>/edit/",
        client_view(W, Contract)(CONTRACTS.edit_view),
        name="contract-edit",
    ),
    path("contracts/<int:pk>/delete/", views.contract_delete, name="contract-delete"),
    path(
        "contracts/<int:pk>/history/",
        client_view(Level.READ, Contract)(CONTRACTS.history_view),
        name="contract-history",
    ),
    path("contracts/<int:pk>/document/", views.contract_document, name="contract-document"),
    path("contracts/<int:pk>/sla/", views.sla_edit, name="sla-edit"),
    path("calendar/", calendar_feed, name="calendar-feed"),
]
