from django.urls import include, path

app_name = "vendors"

urlpatterns = [
    path("", include("ciodesk.vendors.urls_contracts")),
    path("", include("ciodesk.vendors.urls_tickets")),
    path("", include("ciodesk.vendors.urls_reviews")),
    path("", include("ciodesk.vendors.urls_scorecard")),
]
