"""The calendar feed's secret address, outside /c/: calendar apps fetch it without signing in.

Included at the project level: ``path("", include("ciodesk.vendors.urls_feeds"))``.
"""

from django.urls import path

from ciodesk.vendors.views_feeds import calendar_ics

urlpatterns = [
    path("feeds/<str:token>.ics", calendar_ics, name="calendar-ics"),
]
