"""Ticket imports, the tickets of a vendor and the import history."""

from django.urls import path

from ciodesk.vendors import views_tickets as views

urlpatterns = [
    path("<int:pk>/tickets/", views.ticket_list, name="ticket-list"),
    path("<int:pk>/tickets/export/", views.ticket_export, name="ticket-export"),
    path("<int:pk>/tickets/import/", views.ticket_import, name="ticket-import"),
    path("<int:pk>/tickets/imports/", views.import_history, name="import-history"),
    path(
        "<int:pk>/tickets/imports/export/",
        views.import_history_export,
        name="import-history-export",
    ),
    path("imports/<int:pk>/", views.import_status, name="ticket-import-status"),
    path("imports/<int:pk>/file/", views.import_file, name="ticket-import-file"),
]
