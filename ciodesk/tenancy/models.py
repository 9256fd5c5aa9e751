"""Practice, clients, people, memberships and the client dossier basics."""

from __future__ import annotations

import datetime
import hashlib
import secrets
import zoneinfo
from decimal import Decimal
from functools import cached_property

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone

from ciodesk.tenancy.scoping import ClientOwned, ScopedManager

CURRENCIES = [
    ("USD", "USD — US dollar"),
    ("CAD", "CAD — Canadian dollar"),
    ("EUR", "EUR — euro"),
    ("GBP", "GBP — pound sterling"),
    ("AUD", "AUD — Australian dollar"),
    ("NZD", "NZD — New Zealand dollar"),
    ("CHF", "CHF — Swiss franc"),
]


def validate_time_zone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError(f"“{value}” is not an IANA time zone such as America/Los_Angeles.")


def time_zone_choices() -> list[tuple[str, str]]:
    return [(tz, tz) for tz in sorted(zoneinfo.available_timezones()) if "/" in tz or tz == "UTC"]


class Practice(models.Model):
    """The one practice that runs this deployment."""

    name = models.CharField(max_length=200)
    logo = models.FileField(upload_to="practice/", blank=True)
    brand_colour = models.CharField(
        max_length=7,
        default="#1f4e79",
        validators=[RegexValidator(r"^#[0-9a-fA-F]{6}$", "Use a hex colour such as #1f4e79.")],
    )

    class Meta:
        verbose_name = "practice"

    def __str__(self) -> str:
        return self.name

    @classmethod
    def current(cls) -> Practice:
        practice = cls.objects.order_by("pk").first()
        if practice is None:
            practice = cls.objects.create(name="My practice")
        return practice


class Client(models.Model):
    class Cadence(models.TextChoices):
        WEEKLY = "weekly", "Weekly"
        BIWEEKLY = "biweekly", "Every two weeks"
        MONTHLY = "monthly", "Monthly"

    class Status(models.TextChoices):
        PROSPECT = "prospect", "Prospect"
        ACTIVE = "active", "Active"
        PAUSED = "paused", "Paused"
        FORMER = "former", "Former"

    name = models.CharField(max_length=200)
    slug = models.SlugField(
        max_length=60, unique=True, help_text="Used in the client's addresses: /c/<slug>/"
    )
    industry = models.CharField(max_length=120, blank=True)
    employee_count = models.PositiveIntegerField(validators=[MinValueValidator(1)])
    annual_revenue = models.DecimalField(
        max_digits=16, decimal_places=2, null=True, blank=True, help_text="Optional."
    )
    time_zone = models.CharField(
        max_length=64, default="America/Los_Angeles", validators=[validate_time_zone]
    )
    currency = models.CharField(max_length=3, choices=CURRENCIES, default="USD")
    fiscal_year_start_month = models.PositiveSmallIntegerField(
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(12)],
        help_text="1 = January, 7 = July.",
    )
    retainer_monthly_fee = models.DecimalField(
        max_digits=12, decimal_places=2, default=Decimal("0.00")
    )
    retainer_included_hours = models.DecimalField(
        max_digits=6, decimal_places=2, default=Decimal("0.00")
    )
    meeting_cadence = models.CharField(
        max_length=10, choices=Cadence.choices, default=Cadence.BIWEEKLY
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ACTIVE)
    created_at = models.DateTimeField(auto_now_add=True)

    audit_exclude = frozenset({"created_at"})

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("tenancy:client-home", kwargs={"client_slug": self.slug})

    @cached_property
    def tz(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.time_zone)

    def today(self) -> datetime.date:
        return timezone.localtime(timezone.now(), self.tz).date()

    @property
    def cadence_days(self) -> int:
        return {"weekly": 7, "biweekly": 14, "monthly": 31}[self.meeting_cadence]


def _client_and_practice_people(client) -> models.Q:
    return models.Q(client=client) | models.Q(client__isnull=True)


class PersonManager(ScopedManager):
    """People of the active client plus the practice's own people; an error outside a scope."""

    scope_q = staticmethod(_client_and_practice_people)

    def create(self, **kwargs):
        return models.Manager.create(self, **kwargs)


class PracticePeopleManager(models.Manager):
    def get_queryset(self) -> models.QuerySet:
        return super().get_queryset().filter(client__isnull=True)


class Person(models.Model):
    """Someone who can own an item: a person of a client, or of the practice (no client)."""

    client = models.ForeignKey(
        Client,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="Empty for the practice's own people.",
    )
    name = models.CharField(max_length=200)
    title = models.CharField(max_length=200, blank=True)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=40, blank=True)
    notes = models.TextField(blank=True)

    objects = PersonManager()
    practice_people = PracticePeopleManager()
    unscoped = models.Manager()

    class Meta:
        ordering = ["name"]
        base_manager_name = "unscoped"
        verbose_name_plural = "people"

    def __str__(self) -> str:
        return self.name if self.client_id else f"{self.name} (practice)"


class PracticeMembership(models.Model):
    class Role(models.TextChoices):
        LEAD = "lead", "Practice lead"
        CONSULTANT = "consultant", "Consultant"

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="practice_membership"
    )
    role = models.CharField(max_length=12, choices=Role.choices)

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()}"


class ClientMembership(ClientOwned):
    """A user's access to one client: its executive, a contributor, or an assigned consultant."""

    class Role(models.TextChoices):
        EXECUTIVE = "executive", "Executive"
        CONTRIBUTOR = "contributor", "Contributor"
        CONSULTANT = "consultant", "Assigned consultant"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="client_memberships"
    )
    role = models.CharField(max_length=12, choices=Role.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    audit_exclude = frozenset({"created_at"})

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["client", "user"], name="one_membership_per_client")
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()}"


class KeySystem(ClientOwned):
    class Criticality(models.TextChoices):
        CRITICAL = "critical", "Critical — the business stops without it"
        HIGH = "high", "High"
        MEDIUM = "medium", "Medium"
        LOW = "low", "Low"

    name = models.CharField(max_length=200)
    purpose = models.CharField(max_length=300)
    vendor_name = models.CharField("vendor", max_length=200, blank=True)
    owner = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    criticality = models.CharField(max_length=10, choices=Criticality.choices)
    data_location = models.CharField(
        "where its data lives", max_length=300, blank=True, help_text="e.g. Microsoft 365 (US)"
    )

    class Meta:
        ordering = ["name"]
        verbose_name = "key system"

    def __str__(self) -> str:
        return self.name


class Site(ClientOwned):
    name = models.CharField(max_length=200)
    address = models.TextField()
    internet_circuit = models.CharField(max_length=300, blank=True)
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Note(ClientOwned):
    """Free-form dossier notes in Markdown, rendered sanitised."""

    title = models.CharField(max_length=200)
    body = models.TextField(help_text="Markdown: **bold**, lists, links, tables.")
    updated_at = models.DateTimeField(auto_now=True)

    audit_exclude = frozenset({"updated_at"})

    class Meta:
        ordering = ["-updated_at"]

    def __str__(self) -> str:
        return self.title


class Invitation(ClientOwned):
    """An e-mailed invitation to join a client as its executive (or a contributor)."""

    email = models.EmailField()
    role = models.CharField(max_length=12, choices=ClientMembership.Role.choices[:2])
    token_hash = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    audit_exclude = frozenset({"token_hash", "created_at"})

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Invitation for {self.email}"

    @staticmethod
    def hash_token(token: str) -> str:
        return hashlib.sha256(token.encode()).hexdigest()

    @staticmethod
    def new_token() -> str:
        return secrets.token_urlsafe(32)

    @property
    def status(self) -> str:
        if self.accepted_at:
            return "accepted"
        if self.revoked_at:
            return "revoked"
        if self.expires_at <= timezone.now():
            return "expired"
        return "pending"
