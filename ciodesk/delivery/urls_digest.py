"""The signed-in user's weekly digest setting (not under /c/<client>/: it is per user).

Mounted by the project's URLconf next to the account pages:
``path("accounts/", include("ciodesk.delivery.urls_digest"))`` → /accounts/digest/.
"""

from django.urls import path

from ciodesk.delivery import views_digest

urlpatterns = [
    path("digest/", views_digest.digest_settings, name="digest-settings"),
]
