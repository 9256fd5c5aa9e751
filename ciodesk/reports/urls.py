from django.urls import path  # noqa: F401

app_name = "reports"

urlpatterns: list = []

# Briefs, QBRs, dossiers and kept reports (issue 6).
from django.urls import include  # noqa: E402

urlpatterns += [path("", include("ciodesk.reports.urls_reports"))]
