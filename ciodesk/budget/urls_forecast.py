"""The forecast, mounted in the "budget" namespace under /c/<client_slug>/budget/."""

from django.urls import path

from ciodesk.budget import views_forecast as views

urlpatterns = [
    path("forecast/", views.forecast_page, name="forecast"),
    path("forecast/export/", views.forecast_export, name="forecast-export"),
    path("forecast/settings/", views.forecast_settings, name="forecast-settings"),
]
