"""Coverage from exports (under /c/<slug>/security/): figures, lists, upload, column mapping."""

from django.urls import path

from ciodesk.security import views_coverage as views

urlpatterns = [
    path("coverage/", views.coverage_page, name="coverage"),
    path("coverage/imports/export/", views.imports_export, name="coverage-imports-export"),
    path("coverage/import/", views.coverage_upload, name="coverage-upload"),
    path("coverage/import/columns/", views.coverage_mapping, name="coverage-mapping"),
    path("coverage/<int:pk>/", views.coverage_detail, name="coverage-detail"),
    path("coverage/<int:pk>/export/", views.coverage_list_export, name="coverage-list-export"),
]
