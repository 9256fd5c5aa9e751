"""Meetings, their agendas, invitations and action items, under /c/<client_slug>/delivery/."""

from django.urls import path

from ciodesk.delivery import views_meetings as views

urlpatterns = [
    path("meetings/", views.meeting_list, name="meeting-list"),
    path("meetings/export/", views.meeting_export, name="meeting-export"),
    path("meetings/new/", views.meeting_create, name="meeting-create"),
    path("meetings/<int:pk>/", views.meeting_detail, name="meeting-detail"),
    path("meetings/<int:pk>/edit/", views.meeting_edit, name="meeting-edit"),
    path("meetings/<int:pk>/send/", views.meeting_send, name="meeting-send"),
    path("meetings/<int:pk>/invitation.ics", views.meeting_ics, name="meeting-ics"),
    path(
        "meetings/<int:pk>/actions/new/",
        views.meeting_action_create,
        name="meeting-action-create",
    ),
    path("meetings/actions/<int:pk>/done/", views.meeting_action_done, name="meeting-action-done"),
]
