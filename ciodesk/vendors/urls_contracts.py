"""Vendor register, contracts, SLA policies, priority mappings, import and calendar feed.

Mounted at /c/<client_slug>/vendors/ in the "vendors" namespace.
"""

from django.urls import path

from ciodesk.vendors import views_contracts as views
from ciodesk.vendors.views_contracts import CONTRACTS, VENDORS
from ciodesk.vendors.views_feeds import calendar_feed

urlpatterns = [
    path("", views.vendor_list, name="vendor-list"),
    path("export/", views.vendor_export, name="vendor-export"),
    path("<int:pk>/", views.vendor_detail, name="vendor-detail"),
    *VENDORS.urls("", ("create", "edit", "delete", "history")),
    path("<int:pk>/priorities/", views.priority_mappings, name="priority-mappings"),
    path("contracts/", views.contract_list, name="contract-list"),
    path("contracts/export/", views.contract_export, name="contract-export"),
    path("contracts/import/", views.contract_import, name="contract-import"),
    path("contracts/<int:pk>/", views.contract_detail, name="contract-detail"),
    path("contracts/<int:pk>/delete/", views.contract_delete, name="contract-delete"),
    *CONTRACTS.urls("contracts", ("create", "edit", "history")),
    path("contracts/<int:pk>/document/", views.contract_document, name="contract-document"),
    path("contracts/<int:pk>/sla/", views.sla_edit, name="sla-edit"),
    path("calendar/", calendar_feed, name="calendar-feed"),
]
