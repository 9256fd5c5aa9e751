"""The SLA scorecard of a vendor, under /c/<client_slug>/vendors/ ("vendors" namespace)."""

from django.urls import path

from ciodesk.vendors import views_scorecard as views

urlpatterns = [
    path("<int:pk>/scorecard/", views.scorecard, name="scorecard"),
    path("<int:pk>/scorecard/export/", views.scorecard_export, name="scorecard-export"),
]
