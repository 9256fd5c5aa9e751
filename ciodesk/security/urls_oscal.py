"""A client's control state as OSCAL assessment results, under /c/<slug>/security/."""

from django.urls import path

from ciodesk.security import views_oscal

urlpatterns = [
    path(
        "oscal/assessment-results.json",
        views_oscal.assessment_results_json,
        name="oscal-export",
    ),
]
