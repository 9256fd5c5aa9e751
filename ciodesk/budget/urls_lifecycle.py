"""Hardware lifecycle pages, mounted in the "budget" namespace under /c/<client_slug>/budget/."""

from django.urls import path

from ciodesk.budget import views_lifecycle as views
from ciodesk.budget.views_lifecycle import POLICIES

urlpatterns = [
    path("lifecycle/", views.lifecycle, name="lifecycle"),
    path("lifecycle/devices/", views.lifecycle_devices, name="lifecycle-devices"),
    path(
        "lifecycle/devices/export/",
        views.lifecycle_devices_export,
        name="lifecycle-devices-export",
    ),
    path(
        "lifecycle/replacements/export/",
        views.lifecycle_forecast_export,
        name="lifecycle-forecast-export",
    ),
    path(
        "lifecycle/devices/remove-missing/",
        views.lifecycle_devices_remove_missing,
        name="lifecycle-devices-remove-missing",
    ),
    path("lifecycle/import/", views.lifecycle_import, name="lifecycle-import"),
    path(
        "lifecycle/policies/defaults/",
        views.lifecycle_policy_defaults,
        name="lifecycle-policy-defaults",
    ),
    *POLICIES.urls("lifecycle/policies"),
]
