"""Login throttling: repeated failures lock the account, or the address, for a while."""

from __future__ import annotations

import datetime
import math

from django.conf import settings
from django.utils import timezone

from ciodesk.accounts.models import LoginFailure


def client_ip(request) -> str | None:
    if settings.USE_X_FORWARDED_FOR:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            return forwarded.split(",")[-1].strip() or None
    return request.META.get("REMOTE_ADDR") or None


def _window_start() -> datetime.datetime:
    return timezone.now() - datetime.timedelta(minutes=settings.LOGIN_LOCKOUT_MINUTES)


def _locked_until(failures, limit: int) -> datetime.datetime | None:
    recent = list(failures.filter(at__gte=_window_start()).order_by("-at")[:limit])
    if len(recent) < limit:
        return None
    return recent[-1].at + datetime.timedelta(minutes=settings.LOGIN_LOCKOUT_MINUTES)


def lockout_message(email: str, ip: str | None) -> str | None:
    """A sentence for the person at the keyboard, or None when they may try."""
    now = timezone.now()
    email = (email or "").strip().lower()
    until = _locked_until(LoginFailure.objects.filter(email=email), settings.LOGIN_FAILURE_LIMIT)
    what = "this account"
    if until is None and ip:
        until = _locked_until(
            LoginFailure.objects.filter(ip_address=ip), settings.LOGIN_FAILURE_IP_LIMIT
        )
        what = "your network address"
    if until is None or until <= now:
        return None
    minutes = max(1, math.ceil((until - now).total_seconds() / 60))
    return (
        f"Too many failed sign-in attempts. Sign-in for {what} is locked for "
        f"{minutes} more minute{'s' if minutes != 1 else ''}. "
        "If you forgot your password, reset it below."
    )


def record_failure(email: str, ip: str | None) -> None:
    LoginFailure.objects.create(email=(email or "").strip().lower()[:254], ip_address=ip)


def clear(email: str) -> None:
    LoginFailure.objects.filter(email=(email or "").strip().lower()).delete()
