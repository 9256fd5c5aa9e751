"""Cyber-insurance readiness under /c/<client_slug>/security/insurance/ (included by
security/urls.py)."""

from django.urls import path

from ciodesk.security import views_insurance as views

urlpatterns = [
    path("insurance/", views.insurance, name="insurance"),
    path("insurance/readiness.xlsx", views.insurance_xlsx, name="insurance-xlsx"),
    path("insurance/evidence-pack.pdf", views.insurance_pdf, name="insurance-pdf"),
    path("insurance/note/", views.insurance_note, name="insurance-note"),
    *views.POLICIES.urls("insurance/policies"),
]
