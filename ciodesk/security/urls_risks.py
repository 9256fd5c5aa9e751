"""The risk register under /c/<client_slug>/security/risks/ (included by security/urls.py)."""

from django.urls import path

from ciodesk.security import views_risks as views

urlpatterns = [
    path("risks/", views.risk_list, name="risk-list"),
    path("risks/export/", views.risk_export, name="risk-export"),
    path("risks/<int:pk>/", views.risk_detail, name="risk-detail"),
    path("risks/<int:pk>/accept/", views.risk_accept, name="risk-accept"),
    *views.RISKS.urls("risks", ("create", "edit", "delete", "history")),
]
