"""The roadmap (issue 5): goals, items, the board by quarter, history and costs."""

from django.urls import path

from ciodesk.roadmap import views
from ciodesk.roadmap import views_history as history

app_name = "roadmap"

urlpatterns = [
    path("", views.board, name="board"),
    path("by-goal/", views.by_goal, name="by-goal"),
    path("by-disposition/", views.by_disposition, name="by-disposition"),
    path("items/", views.item_list, name="item-list"),
    path("items/export/", views.item_export, name="item-export"),
    path("items/new/", views.item_create, name="item-create"),
    path("items/<int:pk>/", views.item_detail, name="item-detail"),
    path("items/<int:pk>/edit/", views.item_edit, name="item-edit"),
    path("items/<int:pk>/delete/", views.item_delete, name="item-delete"),
    path("items/<int:pk>/move/", views.item_move, name="item-move"),
    path("from-finding/<int:pk>/", views.item_from_finding, name="item-from-finding"),
    path("as-of/", history.as_of, name="as-of"),
    path("changes/", history.changes, name="changes"),
    path("changes/export/", history.changes_export, name="changes-export"),
    path("costs/", history.rollup, name="rollup"),
    path("costs/export/", history.rollup_export, name="rollup-export"),
    path("weights/", history.weights_edit, name="weights"),
    *history.GOALS.urls("goals"),
    *history.REVIEWS.urls("reviews"),
]
