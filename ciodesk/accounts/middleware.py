"""Practice users, and anyone who turned two-factor on, must pass it before anything else."""

from urllib.parse import urlencode

from django.shortcuts import redirect
from django.urls import reverse

# What a signed-in user may open before the second factor: signing in and out, enrolling,
# resetting a password, accepting an invitation. Not the security page: a session from
# before two-factor was turned on must not make recovery codes or turn it off.
OPEN_PREFIXES = (
    "/accounts/login/",
    "/accounts/logout/",
    "/accounts/two-factor/",
    "/accounts/password/reset/",
    "/static/",
    "/healthz",
    "/review/",  # the public free risk review: no sign-in, so no second factor either
    "/invite/",
)


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
            query = urlencode({"next": request.get_full_path()})
            return redirect(f"{reverse('accounts:two-factor-setup')}?{query}")
        return self.get_response(request)
