from django.http import HttpResponse
from django.urls import include, path

from ciodesk.core.admin import site as admin_site
from ciodesk.tenancy import views as tenancy_views


def healthz(request):
    from django.db import connection

    connection.ensure_connection()
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [
    path("", tenancy_views.home, name="home"),
    path("switch/", tenancy_views.switch_client, name="switch-client"),
    path("clients/new/", tenancy_views.client_create, name="client-create"),
    path("practice/", tenancy_views.practice_settings, name="practice-settings"),
    path("practice/logo/", tenancy_views.practice_logo, name="practice-logo"),
    path("practice/people/", tenancy_views.practice_people, name="practice-people"),
    path("practice/people/new/", tenancy_views.practice_person_edit, name="practice-person-create"),
    path(
        "practice/people/<int:pk>/edit/",
        tenancy_views.practice_person_edit,
        name="practice-person-edit",
    ),
    path("invite/<str:token>/", tenancy_views.accept_invitation, name="accept-invitation"),
    path("accounts/", include("ciodesk.accounts.urls")),
    path("accounts/", include("ciodesk.delivery.urls_digest")),
    path("admin/", admin_site.urls),
    path("healthz", healthz, name="healthz"),
    path("", include("ciodesk.vendors.urls_feeds")),
    path("frameworks/", include("ciodesk.security.urls_frameworks")),
    path("c/<slug:client_slug>/vendors/", include("ciodesk.vendors.urls")),
    path("c/<slug:client_slug>/security/", include("ciodesk.security.urls")),
    path("c/<slug:client_slug>/budget/", include("ciodesk.budget.urls")),
    path("c/<slug:client_slug>/delivery/", include("ciodesk.delivery.urls")),
    path("c/<slug:client_slug>/reports/", include("ciodesk.reports.urls")),
    path("c/<slug:client_slug>/assessments/", include("ciodesk.assessments.urls")),
    path("c/<slug:client_slug>/roadmap/", include("ciodesk.roadmap.urls")),
    path("assessment-templates/", include("ciodesk.assessments.urls_templates")),
    path("review/", include("ciodesk.intake.urls")),
    path("practice/leads/", include("ciodesk.intake.urls_leads")),
    path("c/<slug:client_slug>/", include("ciodesk.tenancy.urls")),
]
