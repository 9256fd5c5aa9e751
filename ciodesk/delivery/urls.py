from django.urls import path  # noqa: F401

app_name = "delivery"

urlpatterns: list = []

# Meetings, agendas, invitations (issue 6).
from django.urls import include  # noqa: E402

urlpatterns += [path("", include("ciodesk.delivery.urls_meetings"))]

# Decisions, projects, action items, time and "owned by" (issue 6).
urlpatterns += [path("", include("ciodesk.delivery.urls_decisions"))]
urlpatterns += [path("", include("ciodesk.delivery.urls_projects"))]
urlpatterns += [path("", include("ciodesk.delivery.urls_work"))]
