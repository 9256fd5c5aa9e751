"""The practice's assessment templates, under /assessment-templates/ ("assessment_templates")."""

from django.urls import path

from ciodesk.assessments import views_templates as views

app_name = "assessment_templates"

urlpatterns = [
    path("", views.template_list, name="list"),
    path("export/", views.template_export, name="export"),
    path("import/", views.template_import, name="import"),
    path("<int:pk>/", views.template_detail, name="detail"),
    path("<int:pk>/yaml/", views.template_yaml, name="yaml"),
    path("<int:pk>/questions/export/", views.template_questions_export, name="questions-export"),
    path("<int:pk>/copy/", views.template_copy, name="copy"),
    path("<int:pk>/edit/", views.template_edit, name="edit"),
    path("<int:pk>/delete/", views.template_delete, name="delete"),
    path("<int:template_pk>/domains/new/", views.domain_edit, name="domain-create"),
    path("domains/<int:pk>/edit/", views.domain_edit, name="domain-edit"),
    path("domains/<int:pk>/delete/", views.domain_delete, name="domain-delete"),
    path("<int:template_pk>/questions/new/", views.question_edit, name="question-create"),
    path("questions/<int:pk>/edit/", views.question_edit, name="question-edit"),
    path("questions/<int:pk>/delete/", views.question_delete, name="question-delete"),
]
