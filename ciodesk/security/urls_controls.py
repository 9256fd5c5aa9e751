"""The security dashboard, controls and evidence, and the framework roll-ups.

Included by ciodesk/security/urls.py under /c/<client_slug>/security/ ("security" namespace).
"""

from django.urls import path

from ciodesk.security import views_controls as views

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("controls/", views.control_list, name="control-list"),
    path("controls/export/", views.control_export, name="control-export"),
    path("controls/<int:pk>/", views.control_detail, name="control-detail"),
    path("controls/<int:pk>/status/", views.control_status, name="control-status"),
    path("controls/<int:pk>/evidence/", views.evidence_create, name="evidence-create"),
    path("controls/<int:pk>/history/", views.control_history, name="control-history"),
    path("evidence/<int:pk>/edit/", views.evidence_edit, name="evidence-edit"),
    path("evidence/<int:pk>/delete/", views.evidence_delete, name="evidence-delete"),
    path("evidence/<int:pk>/file/", views.evidence_file, name="evidence-file"),
    path("rollups/", views.rollups, name="rollups"),
    path("rollups/export/", views.rollup_export, name="rollup-export"),
]
