"""Spend vs value, mounted in the "budget" namespace under /c/<client_slug>/budget/."""

from django.urls import path

from ciodesk.budget import views_value as views

urlpatterns = [
    path("value/", views.value, name="value"),
    path("value/export/", views.value_export, name="value-export"),
    *views.RATINGS.urls("value/ratings"),
]
