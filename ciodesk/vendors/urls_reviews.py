"""Quarterly reviews, the escalation log and evaluations, under /c/<client_slug>/vendors/."""

from django.urls import path

from ciodesk.tenancy.access import Level
from ciodesk.tenancy.permissions import client_view
from ciodesk.vendors import views_reviews as views

urlpatterns = [
    # quarterly reviews
    path("reviews/", views.review_list, name="review-list"),
    path(
        "reviews/export/", client_view(Level.READ)(views.REVIEWS.export_view), name="review-export"
    ),
    path("<int:pk>/reviews/new/", views.review_create, name="review-create"),
    path("reviews/<int:pk>/", views.review_detail, name="review-detail"),
    *views.REVIEWS.urls("reviews", ("edit", "delete", "history")),
    # escalation log
    path("escalations/", views.escalation_list, name="escalation-list"),
    path("escalations/export/", views.escalation_export, name="escalation-export"),
    *views.ESCALATIONS.urls("escalations", ("edit", "delete", "history", "create")),
    # evaluations: the matrix, its parts and the transition checklist
    path("evaluations/", views.evaluation_list, name="evaluation-list"),
    path("evaluations/export/", views.evaluation_export, name="evaluation-export"),
    path("evaluations/<int:pk>/", views.evaluation_detail, name="evaluation-detail"),
    path(
        "evaluations/<int:pk>/export/",
        views.evaluation_matrix_export,
        name="evaluation-matrix-export",
    ),
    path(
        "evaluations/<int:pk>/tasks/export/",
        views.evaluation_tasks_export,
        name="evaluation-tasks-export",
    ),
    path("evaluations/<int:pk>/scores/", views.evaluation_scores, name="evaluation-scores"),
    *views.EVALUATIONS.urls("evaluations", ("edit", "delete", "history", "create")),
    path(
        "evaluations/<int:pk>/criteria/new/",
        views.criterion_create,
        name="evaluation-criterion-create",
    ),
    path(
        "evaluations/criteria/<int:pk>/edit/",
        views.criterion_edit,
        name="evaluation-criterion-edit",
    ),
    path(
        "evaluations/criteria/<int:pk>/delete/",
        views.criterion_delete,
        name="evaluation-criterion-delete",
    ),
    path(
        "evaluations/<int:pk>/candidates/new/",
        views.candidate_create,
        name="evaluation-candidate-create",
    ),
    path(
        "evaluations/candidates/<int:pk>/edit/",
        views.candidate_edit,
        name="evaluation-candidate-edit",
    ),
    path(
        "evaluations/candidates/<int:pk>/delete/",
        views.candidate_delete,
        name="evaluation-candidate-delete",
    ),
    path("evaluations/<int:pk>/tasks/new/", views.task_create, name="transition-task-create"),
    path("evaluations/tasks/<int:pk>/edit/", views.task_edit, name="transition-task-edit"),
    path("evaluations/tasks/<int:pk>/delete/", views.task_delete, name="transition-task-delete"),
    path("evaluations/tasks/<int:pk>/toggle/", views.task_toggle, name="transition-task-toggle"),
]
