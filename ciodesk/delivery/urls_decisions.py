"""Decision requests, the executive's decision and the decision log (issue 6)."""

from django.urls import path

from ciodesk.delivery import views_decisions as views

urlpatterns = [
    path("decisions/", views.decision_list, name="decision-list"),
    path("decisions/export/", views.decision_export, name="decision-export"),
    path("decisions/new/", views.decision_create, name="decision-create"),
    path("decisions/<int:pk>/", views.decision_detail, name="decision-detail"),
    path("decisions/<int:pk>/edit/", views.decision_edit, name="decision-edit"),
    path("decisions/<int:pk>/decide/", views.decision_decide, name="decision-decide"),
    path("decisions/<int:pk>/withdraw/", views.decision_withdraw, name="decision-withdraw"),
    *views.DECISIONS.urls("decisions", ("history",)),
]
