"""Users who log in with e-mail and password, their TOTP device and recovery codes."""

from __future__ import annotations

import hashlib
import secrets

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.db import models
from django.utils import timezone


class UserManager(BaseUserManager):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **extra):
        email = self.normalize_email(email).lower()
        user = self.model(email=email, **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **extra):
        extra.setdefault("is_superuser", True)
        return self.create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    email = models.EmailField(unique=True)
    full_name = models.CharField(max_length=200, blank=True)
    is_active = models.BooleanField(default=True)
    date_joined = models.DateTimeField(default=timezone.now)
    weekly_digest = models.BooleanField(
        default=True, help_text="Receive the weekly e-mail of what needs you"
    )

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        ordering = ["email"]

    def __str__(self) -> str:
        return self.full_name or self.email

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0] if self.full_name else self.email

    @property
    def practice_role(self) -> str | None:
        membership = getattr(self, "practice_membership", None)
        return membership.role if membership else None

    @property
    def is_practice_user(self) -> bool:
        return self.practice_role is not None

    @property
    def is_lead(self) -> bool:
        return self.practice_role == "lead"

    @property
    def is_staff(self) -> bool:
        # The admin is for the practice lead only (see ciodesk.core.admin).
        return self.is_active and self.is_lead

    @property
    def requires_two_factor(self) -> bool:
        return self.is_practice_user or self.has_two_factor

    @property
    def has_two_factor(self) -> bool:
        device = getattr(self, "totp_device", None)
        return bool(device and device.confirmed_at)


class TOTPDevice(models.Model):
    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="totp_device")
    secret = models.CharField(max_length=64)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    last_used_step = models.BigIntegerField(default=0)

    def __str__(self) -> str:
        return f"Authenticator app of {self.user}"


class RecoveryCode(models.Model):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="recovery_codes")
    code_hash = models.CharField(max_length=64)
    used_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"Recovery code of {self.user} ({'used' if self.used_at else 'unused'})"

    @staticmethod
    def hash(code: str) -> str:
        normalized = code.replace("-", "").replace(" ", "").lower()
        return hashlib.sha256(normalized.encode()).hexdigest()

    @staticmethod
    def generate() -> str:
        raw = secrets.token_hex(5)
        return f"{raw[:5]}-{raw[5:]}"


class LoginFailure(models.Model):
    """One failed sign-in (password or code); counted to lock an account or an address."""

    email = models.CharField(max_length=254, db_index=True)
    ip_address = models.GenericIPAddressField(null=True, db_index=True)
    at = models.DateTimeField(default=timezone.now, db_index=True)

    def __str__(self) -> str:
        return f"Failed sign-in for {self.email} at {self.at:%Y-%m-%d %H:%M}"
