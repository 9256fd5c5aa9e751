from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth import authenticate, get_user_model, login, logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from ciodesk.accounts import throttle, totp
from ciodesk.accounts.forms import CodeForm, EnrolForm, LoginForm

User = get_user_model()
PENDING = "two_factor_pending_user"


def _next(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return reverse("home")


def _with_next(url_name: str, request) -> str:
    return f"{reverse(url_name)}?{urlencode({'next': _next(request)})}"


def _complete_login(request, user, verified: bool):
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    request.session["otp_verified"] = verified
    throttle.clear(user.email)


@sensitive_post_parameters("password")
def login_view(request):
    form = LoginForm(request.POST or None)
    error = None
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"].lower()
        ip = throttle.client_ip(request)
        error = throttle.lockout_message(email, ip)
        if error is None:
            user = authenticate(request, username=email, password=form.cleaned_data["password"])
            if user is None:
                throttle.record_failure(email, ip)
                error = throttle.lockout_message(email, ip) or (
                    "That e-mail and password do not match an account. Check both and try again."
                )
            elif user.has_two_factor:
                request.session[PENDING] = user.pk
                return redirect(_with_next("accounts:two-factor-verify", request))
            else:
                _complete_login(request, user, verified=False)
                if user.requires_two_factor:
                    return redirect(_with_next("accounts:two-factor-setup", request))
                return redirect(_next(request))
    return render(
        request,
        "accounts/login.html",
        {"form": form, "error": error, "next": _next(request)},
        status=_status(error),
    )


def _status(error: str | None) -> int:
    return 429 if error and "locked" in error else 200


@sensitive_post_parameters("code")
def verify_view(request):
    user = User.objects.filter(pk=request.session.get(PENDING), is_active=True).first()
    if user is None or not user.has_two_factor:
        return redirect("accounts:login")
    form = CodeForm(request.POST or None)
    error = None
    if request.method == "POST" and form.is_valid():
        ip = throttle.client_ip(request)
        error = throttle.lockout_message(user.email, ip)
        if error is None:
            code = form.cleaned_data["code"]
            if totp.verify_code(user.totp_device, code) or totp.use_recovery_code(user, code):
                request.session.pop(PENDING, None)
                _complete_login(request, user, verified=True)
                left = user.recovery_codes.filter(used_at__isnull=True).count()
                if left <= 3:
                    messages.warning(
                        request, f"{left} recovery codes left: make new ones under Security."
                    )
                return redirect(_next(request))
            throttle.record_failure(user.email, ip)
            error = (
                throttle.lockout_message(user.email, ip)
                or "That code is not valid. Try the newest code."
            )
    return render(
        request,
        "accounts/verify.html",
        {"form": form, "error": error, "next": _next(request)},
        status=_status(error),
    )


@login_required
def setup_view(request):
    user = request.user
    if user.has_two_factor and request.session.get("otp_verified"):
        return redirect("accounts:security")
    if user.has_two_factor:
        # Signed in before enrolling elsewhere: verify rather than enrol again.
        logout(request)
        return redirect("accounts:login")
    device = totp.pending_device(user)
    form = EnrolForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if totp.verify_code(device, form.cleaned_data["code"]):
            codes = totp.confirm(device)
            request.session["otp_verified"] = True
            return render(
                request,
                "accounts/recovery_codes.html",
                {"codes": codes, "next": _next(request), "first_time": True},
            )
        form.add_error(
            "code", "That code does not match. Check the phone's clock and try the newest code."
        )
    return render(
        request,
        "accounts/setup.html",
        {
            "form": form,
            "qr_svg": totp.qr_svg(device),
            "secret": totp.grouped_secret(device),
            "required": user.is_practice_user,
            "next": _next(request),
        },
    )


@login_required
def security_view(request):
    user = request.user
    return render(
        request,
        "accounts/security.html",
        {
            "has_two_factor": user.has_two_factor,
            "codes_left": user.recovery_codes.filter(used_at__isnull=True).count(),
            "can_disable": user.has_two_factor and not user.is_practice_user,
        },
    )


@require_POST
@login_required
def recovery_codes_view(request):
    if not request.user.has_two_factor:
        return redirect("accounts:two-factor-setup")
    codes = totp.new_recovery_codes(request.user)
    return render(
        request,
        "accounts/recovery_codes.html",
        {"codes": codes, "next": reverse("accounts:security")},
    )


@require_POST
@login_required
def disable_two_factor_view(request):
    if request.user.is_practice_user:
        messages.error(request, "Two-factor sign-in is required for the practice's users.")
    else:
        totp.remove(request.user)
        messages.success(request, "Two-factor sign-in is off.")
    return redirect("accounts:security")


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """Django's reset, which also lifts a lock on the account: the lock says to reset."""

    def form_valid(self, form):
        response = super().form_valid(form)
        throttle.clear(self.user.email)
        return response
