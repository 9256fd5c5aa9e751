"""Incident response, under /c/<client_slug>/security/incident-response/."""

from django.urls import path

from ciodesk.security import views_ir as views
from ciodesk.security.views_ir import ACTIONS, CONTACTS, INCIDENTS, TABLETOPS

IR = "incident-response/"

urlpatterns = [
    path(IR, views.ir_plan, name="ir-plan"),
    path(IR + "edit/", views.ir_plan_edit, name="ir-plan-edit"),
    path(IR + "print/", views.ir_plan_print, name="ir-plan-print"),
    *CONTACTS.urls(IR + "contacts", ("export", "create", "edit", "delete", "history")),
    *TABLETOPS.urls(IR + "exercises"),
    path(IR + "exercises/<int:pk>/", views.tabletop_detail, name="tabletop-detail"),
    *ACTIONS.urls(IR + "actions"),
    path(
        IR + "actions/<int:pk>/toggle/",
        views.tabletop_action_toggle,
        name="tabletop-action-toggle",
    ),
    *INCIDENTS.urls(IR + "incidents"),
    path(IR + "incidents/<int:pk>/", views.incident_detail, name="incident-detail"),
    path(IR + "incidents/<int:pk>/timeline/", views.incident_event_add, name="incident-event-add"),
    path(
        IR + "incidents/<int:pk>/timeline/export/",
        views.incident_timeline_export,
        name="incident-timeline-export",
    ),
]
