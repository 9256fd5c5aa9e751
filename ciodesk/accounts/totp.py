"""TOTP (RFC 6238) enrolment and verification, with replay protection."""

from __future__ import annotations

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
        if step > device.last_used_step and totp.at(step * totp.interval) == code:
            device.last_used_step = step
            device.save(update_fields=["last_used_step"])
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
    match = user.recovery_codes.filter(
        code_hash=RecoveryCode.hash(code), used_at__isnull=True
    ).first()
    if match is None:
        return False
    match.used_at = timezone.now()
    match.save(update_fields=["used_at"])
    return True


def remove(user: User) -> None:
    TOTPDevice.objects.filter(user=user).delete()
    user.recovery_codes.all().delete()
