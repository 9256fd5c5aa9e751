"""Action items, time against the retainer and “owned by” (issue 6)."""

from django.urls import path

from ciodesk.delivery import views_actions, views_ownership, views_time

urlpatterns = [
    path("actions/", views_actions.action_list, name="action-list"),
    path("actions/export/", views_actions.action_export, name="action-export"),
    path("actions/<int:pk>/done/", views_actions.action_done, name="action-done"),
    *views_actions.ACTIONS.urls("actions", ("create", "edit", "delete", "history")),
    path("time/", views_time.time_list, name="time-list"),
    path("time/export/", views_time.time_export, name="time-export"),
    *views_time.TIME.urls("time", ("create", "edit", "delete", "history")),
    path("owned/", views_ownership.owned_by_view, name="owned-by"),
    path("owned/export/", views_ownership.owned_by_export, name="owned-by-export"),
]
