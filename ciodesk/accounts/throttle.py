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


def _locked_until(failures, limit: int) -> datetime.datetime | None:
    """When the lock ends, or None.

    `limit` failures within LOGIN_LOCKOUT_MINUTES of each other lock for a full
    LOGIN_LOCKOUT_MINUTES after the last of them (attempts while locked are not counted).
    """
    period = datetime.timedelta(minutes=settings.LOGIN_LOCKOUT_MINUTES)
    recent = list(failures.filter(at__gte=timezone.now() - 2 * period).order_by("-at")[:limit])
    if len(recent) < limit or recent[0].at - recent[-1].at > period:
        return None
    return recent[0].at + period


def lockout_message(email: str, ip: str | None) -> str | None:
    """A sentence for the person at the keyboard, or None when they may try."""
    now = timezone.now()
    email = (email or "").strip().lower()
    checks = [
        (LoginFailure.objects.filter(email=email), settings.LOGIN_FAILURE_LIMIT, "this account")
    ]
    if ip:
        checks.append(
            (
                LoginFailure.objects.filter(ip_address=ip),
                settings.LOGIN_FAILURE_IP_LIMIT,
                "your network address",
            )
        )
    locks = [
        (until, what)
        for failures, limit, what in checks
        if (until := _locked_until(failures, limit)) is not None and until > now
    ]
    if not locks:
        return None
    until, what = max(locks, key=lambda lock: lock[0])
    minutes = max(1, math.ceil((until - now).total_seconds() / 60))
    return (
        f"Too many failed sign-in attempts. Sign-in for {what} is locked for "
        f"{minutes} more minute{'s' if minutes != 1 else ''}. "
        "If you forgot your password, reset it below."
    )


def record_failure(email: str, ip: str | None) -> None:
    LoginFailure.objects.create(
        email=(email or "").strip().lower()[:254], ip_address=ip, at=timezone.now()
    )


def clear(email: str) -> None:
    LoginFailure.objects.filter(email=(email or "").strip().lower()).delete()
