"""TOTP (RFC 6238) enrolment and verification, with replay protection."""

from __future__ import annotations

import hmac
import time

import pyotp
import segno
from django.db import transaction
from django.utils import timezone

from ciodesk.accounts.models import RecoveryCode, TOTPDevice, User

ISSUER = "ciodesk"
RECOVERY_CODE_COUNT = 10


def pending_device(user: User) -> TOTPDevice:
    """The user's device, created unconfirmed with a fresh secret on first use."""
    device, _ = TOTPDevice.objects.get_or_create(
        user=user, defaults={"secret": pyotp.random_base32()}
    )
    return device


def provisioning_uri(device: TOTPDevice) -> str:
    return pyotp.TOTP(device.secret).provisioning_uri(name=device.user.email, issuer_name=ISSUER)


def qr_svg(device: TOTPDevice) -> str:
    return segno.make(provisioning_uri(device), error="m").svg_inline(scale=5, border=2)


def grouped_secret(device: TOTPDevice) -> str:
    return " ".join(device.secret[i : i + 4] for i in range(0, len(device.secret), 4))


def verify_code(device: TOTPDevice, code: str, now: float | None = None) -> bool:
    """Accept the current code or its neighbours, each time step at most once."""
    code = "".join(ch for ch in code or "" if ch.isdigit())
    if len(code) != 6:
        return False
    totp = pyotp.TOTP(device.secret)
    now = time.time() if now is None else now
    current = int(now // totp.interval)
    for step in (current - 1, current, current + 1):
        if not hmac.compare_digest(totp.at(step * totp.interval), code):
            continue
        # One conditional UPDATE: of two requests racing with the same code, one wins.
        won = TOTPDevice.objects.filter(pk=device.pk, last_used_step__lt=step).update(
            last_used_step=step
        )
        if won:
            device.last_used_step = step
            return True
    return False


@transaction.atomic
def confirm(device: TOTPDevice) -> list[str]:
    device.confirmed_at = timezone.now()
    device.save(update_fields=["confirmed_at"])
    return new_recovery_codes(device.user)


@transaction.atomic
def new_recovery_codes(user: User) -> list[str]:
    user.recovery_codes.all().delete()
    codes = [RecoveryCode.generate() for _ in range(RECOVERY_CODE_COUNT)]
    RecoveryCode.objects.bulk_create(
        RecoveryCode(user=user, code_hash=RecoveryCode.hash(code)) for code in codes
    )
    return codes


def use_recovery_code(user: User, code: str) -> bool:
    # One conditional UPDATE: a code spent by a parallel request is not spent twice.
    spent = user.recovery_codes.filter(
        code_hash=RecoveryCode.hash(code), used_at__isnull=True
    ).update(used_at=timezone.now())
    return spent > 0


def remove(user: User) -> None:
    TOTPDevice.objects.filter(user=user).delete()
    user.recovery_codes.all().delete()
