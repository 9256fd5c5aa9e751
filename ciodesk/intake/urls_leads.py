from django.urls import path

from ciodesk.intake import views_leads as views

app_name = "leads"

urlpatterns = [
    path("", views.lead_list, name="lead-list"),
    path("export/", views.lead_export, name="lead-export"),
    path("<int:pk>/", views.lead_detail, name="lead-detail"),
    path("<int:pk>/status/", views.lead_status, name="lead-status"),
    path("<int:pk>/convert/", views.lead_convert, name="lead-convert"),
]
