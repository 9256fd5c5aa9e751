"""Briefs, QBRs, dossiers and kept reports, under /c/<client_slug>/reports/."""

from django.urls import path

from ciodesk.reports import views, views_reports

urlpatterns = [
    path("", views_reports.report_list, name="report-list"),
    path("export/", views_reports.report_export, name="report-export"),
    path("generate/", views_reports.report_generate, name="report-generate"),
    path("<int:pk>/", views_reports.report_status, name="report-status"),
    path("<int:pk>/download/", views_reports.report_download, name="report-download"),
    path("brief/", views.brief, name="brief"),
    path("brief/pdf/", views.brief_pdf, name="brief-pdf"),
    path("brief/card/", views.brief_card, name="brief-card"),
    path("brief/commentary/", views.brief_commentary, name="brief-commentary"),
    path("dossier/", views.dossier, name="dossier"),
    path("dossier/pdf/", views.dossier_pdf, name="dossier-pdf"),
]
