"""A client's assessments, under /c/<client_slug>/assessments/ ("assessments" namespace)."""

from django.urls import path

from ciodesk.assessments import views, views_findings, views_sections

app_name = "assessments"

urlpatterns = [
    path("", views.assessment_list, name="assessment-list"),
    path("export/", views.assessment_export, name="assessment-export"),
    path("new/", views.assessment_create, name="assessment-create"),
    path("compare/", views_findings.compare_view, name="compare"),
    path("<int:pk>/", views.assessment_detail, name="assessment-detail"),
    path("<int:pk>/complete/", views.assessment_complete, name="assessment-complete"),
    path("<int:pk>/reopen/", views.assessment_reopen, name="assessment-reopen"),
    path("<int:pk>/answers/export/", views_findings.answer_export, name="answer-export"),
    *views.assessment_crud.urls("", ("edit", "delete", "history")),
    path("sections/<int:pk>/", views_sections.section_detail, name="section-detail"),
    path("sections/<int:pk>/answer/", views_sections.answer_save, name="answer-save"),
    path("sections/<int:pk>/submit/", views_sections.section_submit, name="section-submit"),
    path("sections/<int:pk>/review/", views_sections.section_review, name="section-review"),
    path("sections/<int:pk>/return/", views_sections.section_return, name="section-return"),
    path("sections/<int:pk>/assign/", views_sections.section_assign, name="section-assign"),
    path("answers/<int:pk>/evidence/", views_sections.answer_evidence, name="answer-evidence"),
    path("findings/", views_findings.finding_list, name="finding-list"),
    path("findings/export/", views_findings.finding_export, name="finding-export"),
    *views_findings.finding_crud.urls("findings", ("edit", "delete", "history")),
]
