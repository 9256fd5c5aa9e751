from django.urls import path

from ciodesk.audit import views as audit_views
from ciodesk.tenancy import views
from ciodesk.tenancy.cruds import ALL

app_name = "tenancy"

urlpatterns = [
    path("", views.client_home, name="client-home"),
    path("edit/", views.client_edit, name="client-edit"),
    path("history/", views.client_history, name="client-history"),
    path("activity/", audit_views.activity, name="activity"),
    path("activity/export/", audit_views.activity_export, name="activity-export"),
    path("members/", views.members, name="members"),
    path("members/invite/", views.invite, name="invite"),
    path("members/invitations/<int:pk>/revoke/", views.invitation_revoke, name="invitation-revoke"),
    path("members/<int:pk>/remove/", views.membership_remove, name="membership-remove"),
]
for crud in ALL:
    urlpatterns += crud.urls()
