from django.urls import path

from ciodesk.intake import views

app_name = "intake"

urlpatterns = [
    path("", views.review, name="review"),
    path("r/<str:token>/", views.result, name="result"),
    path("r/<str:token>/pdf/", views.result_pdf, name="result-pdf"),
]
