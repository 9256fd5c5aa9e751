"""Practice users must have passed a second factor before anything else."""

from django.shortcuts import redirect
from django.urls import reverse

OPEN_PREFIXES = ("/accounts/", "/static/", "/healthz", "/invite/")


class TwoFactorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if (
            user.is_authenticated
            and user.requires_two_factor
            and not request.session.get("otp_verified")
            and not request.path.startswith(OPEN_PREFIXES)
        ):
            return redirect(reverse("accounts:two-factor-setup") + f"?next={request.path}")
        return self.get_response(request)
