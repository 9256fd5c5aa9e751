"""Reference frameworks, practice-wide: mounted at /frameworks/ (outside /c/<client_slug>/)."""

from django.urls import path

from ciodesk.security import views_frameworks as views

app_name = "frameworks"

urlpatterns = [
    path("", views.framework_list, name="list"),
    path("export/", views.framework_export, name="export"),
    path("import/", views.framework_import, name="import"),
    path("<slug:slug>/", views.framework_detail, name="detail"),
    path("<slug:slug>/export/", views.framework_items_export, name="items-export"),
]
