"""Projects, their status updates, milestones and scope changes (issue 6)."""

from django.urls import path

from ciodesk.delivery import views_projects as views

urlpatterns = [
    path("projects/", views.project_list, name="project-list"),
    path("projects/export/", views.project_export, name="project-export"),
    path("projects/new/", views.project_create, name="project-create"),
    path("projects/<int:pk>/", views.project_detail, name="project-detail"),
    path("projects/<int:pk>/edit/", views.project_edit, name="project-edit"),
    path(
        "projects/<int:pk>/updates/new/", views.project_update_create, name="project-update-create"
    ),
    path(
        "projects/updates/<int:pk>/delete/",
        views.project_update_delete,
        name="project-update-delete",
    ),
    path("projects/<int:pk>/milestones/new/", views.milestone_create, name="milestone-create"),
    path("projects/milestones/<int:pk>/edit/", views.milestone_edit, name="milestone-edit"),
    path("projects/milestones/<int:pk>/toggle/", views.milestone_toggle, name="milestone-toggle"),
    path("projects/milestones/<int:pk>/delete/", views.milestone_delete, name="milestone-delete"),
    *views.PROJECTS.urls("projects", ("delete", "history")),
]
