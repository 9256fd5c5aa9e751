"""Licence pages, mounted in the "budget" namespace under /c/<client_slug>/budget/."""

from django.urls import path

from ciodesk.budget import views_licences as views

urlpatterns = [
    path("licences/", views.licences, name="licences"),
    path("licences/export/", views.licences_export, name="licences-export"),
    path("licences/products/export/", views.licences_sku_export, name="licences-sku-export"),
    path("licences/import/", views.licences_import, name="licences-import"),
    path("licences/prices/", views.licence_prices, name="licence-prices"),
    path("licences/prices/import/", views.licence_prices_import, name="licence-prices-import"),
]
