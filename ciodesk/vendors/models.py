"""Vendors, contracts, SLA policies, tickets, reviews, escalations and evaluations."""

from __future__ import annotations

import datetime
import hashlib
import secrets
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from ciodesk.tenancy.models import CURRENCIES, Person, validate_time_zone
from ciodesk.tenancy.scoping import ClientOwned

PRIORITIES = [
    ("P1", "P1 — critical"),
    ("P2", "P2 — high"),
    ("P3", "P3 — medium"),
    ("P4", "P4 — low"),
]


def client_file_path(instance, filename: str) -> str:
    """Files are stored per client and served only through a membership-checked view."""
    return f"clients/{instance.client_id}/contracts/{secrets.token_hex(8)}-{filename}"


class Vendor(ClientOwned):
    class Category(models.TextChoices):
        MSP = "msp", "MSP"
        SAAS = "saas", "SaaS"
        TELECOM = "telecom", "Telecom"
        ISP = "isp", "Internet (ISP)"
        HARDWARE = "hardware", "Hardware"
        CYBER_INSURANCE = "cyber_insurance", "Cyber insurance"
        LEASE = "lease", "Lease"
        OTHER = "other", "Other"

    name = models.CharField(max_length=200)
    category = models.CharField(max_length=20, choices=Category.choices, default=Category.OTHER)
    website = models.URLField(blank=True)
    account_manager = models.CharField(max_length=200, blank=True)
    owner = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["client", "name"], name="vendor_name_per_client")
        ]

    def __str__(self) -> str:
        return self.name


class Contract(ClientOwned):
    class Billing(models.TextChoices):
        MONTHLY = "monthly", "Monthly"
        QUARTERLY = "quarterly", "Quarterly"
        ANNUAL = "annual", "Annual"
        ONE_TIME = "one_time", "One time"
        OTHER = "other", "Other"

    vendor = models.ForeignKey(Vendor, on_delete=models.PROTECT, related_name="contracts")
    title = models.CharField(max_length=200)
    start_date = models.DateField(null=True, blank=True)
    end_date = models.DateField(help_text="Last day of the current term.")
    auto_renew = models.BooleanField(default=False)
    renewal_term_months = models.PositiveSmallIntegerField(
        default=12, validators=[MinValueValidator(1), MaxValueValidator(120)]
    )
    notice_days = models.PositiveIntegerField(
        default=30, help_text="How many days before the renewal notice must be given."
    )
    cancellation_method = models.CharField(max_length=300, blank=True)
    annual_value = models.DecimalField(max_digits=14, decimal_places=2, default=Decimal("0.00"))
    currency = models.CharField(max_length=3, choices=CURRENCIES, default="USD")
    billing_frequency = models.CharField(
        max_length=10, choices=Billing.choices, default=Billing.MONTHLY
    )
    document = models.FileField(upload_to=client_file_path, blank=True)
    owner = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["end_date", "title"]
        constraints = [
            models.UniqueConstraint(
                fields=["client", "vendor", "title"], name="contract_title_per_vendor"
            )
        ]

    def __str__(self) -> str:
        return f"{self.vendor.name} — {self.title}" if self.vendor_id else self.title


class SLAPolicy(ClientOwned):
    """Targets per priority, in minutes of the policy's calendar."""

    class Calendar(models.TextChoices):
        ALWAYS = "24x7", "24×7"
        BUSINESS = "business", "Business hours"

    contract = models.OneToOneField(Contract, on_delete=models.PROTECT, related_name="sla")
    calendar = models.CharField(max_length=10, choices=Calendar.choices, default=Calendar.BUSINESS)
    weekdays = models.CharField(
        max_length=20, default="0,1,2,3,4", help_text="Working days, 0 = Monday … 6 = Sunday."
    )
    opens_at = models.TimeField(default=datetime.time(8, 0))
    closes_at = models.TimeField(default=datetime.time(17, 0))
    time_zone = models.CharField(
        max_length=64, default="America/Los_Angeles", validators=[validate_time_zone]
    )
    p1_response_minutes = models.PositiveIntegerField(default=30)
    p1_resolution_minutes = models.PositiveIntegerField(default=240)
    p2_response_minutes = models.PositiveIntegerField(default=60)
    p2_resolution_minutes = models.PositiveIntegerField(default=480)
    p3_response_minutes = models.PositiveIntegerField(default=240)
    p3_resolution_minutes = models.PositiveIntegerField(default=960)
    p4_response_minutes = models.PositiveIntegerField(default=480)
    p4_resolution_minutes = models.PositiveIntegerField(default=2400)

    class Meta:
        verbose_name = "SLA policy"
        verbose_name_plural = "SLA policies"

    def __str__(self) -> str:
        return f"SLA of {self.contract}"

    def targets(self) -> dict[str, tuple[int, int]]:
        return {
            p: (
                getattr(self, f"{p.lower()}_response_minutes"),
                getattr(self, f"{p.lower()}_resolution_minutes"),
            )
            for p, _ in PRIORITIES
        }

    def weekday_set(self) -> frozenset[int]:
        return frozenset(int(d) for d in self.weekdays.split(",") if d.strip() != "")


class Holiday(ClientOwned):
    policy = models.ForeignKey(SLAPolicy, on_delete=models.CASCADE, related_name="holidays")
    date = models.DateField()
    name = models.CharField(max_length=120, blank=True)

    class Meta:
        ordering = ["date"]
        constraints = [
            models.UniqueConstraint(fields=["policy", "date"], name="one_holiday_per_date")
        ]

    def __str__(self) -> str:
        return f"{self.date} {self.name}".strip()


class PriorityMapping(ClientOwned):
    """A vendor's own priority label → P1–P4 (labels compared case-insensitively)."""

    vendor = models.ForeignKey(Vendor, on_delete=models.CASCADE, related_name="priority_mappings")
    label = models.CharField(max_length=120)
    priority = models.CharField(max_length=2, choices=PRIORITIES)

    class Meta:
        ordering = ["priority", "label"]
        constraints = [
            models.UniqueConstraint(fields=["vendor", "label"], name="one_mapping_per_label")
        ]

    def __str__(self) -> str:
        return f"{self.label} → {self.priority}"


class TicketImport(ClientOwned):
    """One import of a ticket export: who, when, which file, what it did."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Running"
        DONE = "done", "Done"
        FAILED = "failed", "Failed"

    vendor = models.ForeignKey(Vendor, on_delete=models.PROTECT, related_name="imports")
    filename = models.CharField(max_length=255)
    sha256 = models.CharField(max_length=64)
    source_format = models.CharField(max_length=20)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    rows_total = models.PositiveIntegerField(default=0)
    rows_done = models.PositiveIntegerField(default=0)
    created_count = models.PositiveIntegerField(default=0)
    updated_count = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    audit_exclude = frozenset({"rows_done", "started_at"})

    class Meta:
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return f"{self.filename} ({self.get_status_display().lower()})"


class Ticket(ClientOwned):
    """A ticket from the MSP's own PSA export. Written in bulk by the importer (one
    ChangeRecord per import, not per ticket)."""

    vendor = models.ForeignKey(Vendor, on_delete=models.PROTECT, related_name="tickets")
    number = models.CharField(max_length=64)
    summary = models.CharField(max_length=500, blank=True)
    board = models.CharField(max_length=200, blank=True)
    status = models.CharField(max_length=120, blank=True)
    priority_label = models.CharField(max_length=120, blank=True)
    priority = models.CharField(max_length=2, choices=PRIORITIES, blank=True)
    category = models.CharField(max_length=200, blank=True)
    requester = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField()
    first_response_at = models.DateTimeField(null=True, blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    vendor_in_sla = models.BooleanField(null=True, blank=True)
    reopen_count = models.PositiveIntegerField(null=True, blank=True)
    last_import = models.ForeignKey(
        TicketImport, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["client", "vendor", "number"], name="one_ticket_per_number"
            )
        ]
        indexes = [models.Index(fields=["client", "vendor", "created_at"])]

    def __str__(self) -> str:
        return f"#{self.number} {self.summary}"[:120]


class ColumnMapping(ClientOwned):
    """A saved column mapping for a generic ticket export, reused when the headers match."""

    vendor = models.ForeignKey(Vendor, on_delete=models.CASCADE, related_name="column_mappings")
    headers_signature = models.CharField(max_length=64)
    headers = models.JSONField(default=list)
    mapping = models.JSONField(default=dict, help_text="{ticket field: column header}")
    date_format = models.CharField(max_length=40, blank=True)
    time_zone = models.CharField(max_length=64, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["vendor", "headers_signature"], name="one_mapping_per_header_set"
            )
        ]

    def __str__(self) -> str:
        return f"Column mapping for {self.vendor}"

    @staticmethod
    def signature(headers: list[str]) -> str:
        joined = "\x1f".join(h.strip().lower() for h in headers)
        return hashlib.sha256(joined.encode()).hexdigest()


RATING = [MinValueValidator(1), MaxValueValidator(5)]


class VendorReview(ClientOwned):
    """A quarterly review: the computed scorecard, frozen, plus ratings 1–5 with comments."""

    vendor = models.ForeignKey(Vendor, on_delete=models.PROTECT, related_name="reviews")
    quarter = models.CharField(max_length=7, help_text="e.g. 2026-Q3 (calendar quarter)")
    since = models.DateField()
    until = models.DateField()
    scorecard = models.JSONField(default=dict)
    responsiveness = models.PositiveSmallIntegerField(validators=RATING)
    communication = models.PositiveSmallIntegerField(validators=RATING)
    proactivity = models.PositiveSmallIntegerField(validators=RATING)
    value = models.PositiveSmallIntegerField(validators=RATING)
    comments = models.TextField(blank=True)
    owner = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    reviewed_on = models.DateField()

    class Meta:
        ordering = ["-since"]
        constraints = [
            models.UniqueConstraint(fields=["vendor", "quarter"], name="one_review_per_quarter")
        ]

    def __str__(self) -> str:
        return f"{self.vendor} review {self.quarter}"

    @property
    def average(self) -> Decimal:
        total = self.responsiveness + self.communication + self.proactivity + self.value
        return (Decimal(total) / 4).quantize(Decimal("0.1"))


class Escalation(ClientOwned):
    class Severity(models.TextChoices):
        CRITICAL = "critical", "Critical"
        HIGH = "high", "High"
        MEDIUM = "medium", "Medium"
        LOW = "low", "Low"

    vendor = models.ForeignKey(Vendor, on_delete=models.PROTECT, related_name="escalations")
    issue = models.CharField(max_length=300)
    raised_on = models.DateField()
    vendor_contact = models.CharField(max_length=200, blank=True)
    severity = models.CharField(max_length=10, choices=Severity.choices, default=Severity.HIGH)
    due = models.DateField(null=True, blank=True)
    resolution = models.TextField(blank=True)
    resolved_on = models.DateField(null=True, blank=True)
    ticket_numbers = models.CharField(
        "linked tickets", max_length=500, blank=True, help_text="Ticket numbers, comma-separated."
    )
    owner = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["resolved_on", "-raised_on"]

    def __str__(self) -> str:
        return self.issue

    @property
    def is_open(self) -> bool:
        return self.resolved_on is None


class Evaluation(ClientOwned):
    """Renegotiation or transition: candidates scored against weighted criteria."""

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        DECIDED = "decided", "Decided"
        CANCELLED = "cancelled", "Cancelled"

    title = models.CharField(max_length=200)
    incumbent = models.ForeignKey(
        Vendor, null=True, blank=True, on_delete=models.PROTECT, related_name="evaluations"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    owner = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["status", "title"]

    def __str__(self) -> str:
        return self.title


class EvaluationCriterion(ClientOwned):
    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="criteria")
    name = models.CharField(max_length=200)
    weight = models.PositiveSmallIntegerField(default=1, validators=[MaxValueValidator(100)])

    class Meta:
        ordering = ["-weight", "name"]

    def __str__(self) -> str:
        return f"{self.name} (×{self.weight})"


class Candidate(ClientOwned):
    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="candidates")
    name = models.CharField(max_length=200)
    annual_cost = models.DecimalField(max_digits=14, decimal_places=2, default=Decimal("0.00"))
    currency = models.CharField(max_length=3, choices=CURRENCIES, default="USD")
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class CandidateScore(ClientOwned):
    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(
        EvaluationCriterion, on_delete=models.CASCADE, related_name="scores"
    )
    score = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(0), MaxValueValidator(5)]
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["candidate", "criterion"], name="one_score_each")
        ]

    def __str__(self) -> str:
        return f"{self.candidate}: {self.criterion.name} = {self.score}"


class TransitionTask(ClientOwned):
    evaluation = models.ForeignKey(
        Evaluation, on_delete=models.CASCADE, related_name="transition_tasks"
    )
    title = models.CharField(max_length=300)
    due = models.DateField(null=True, blank=True)
    done = models.BooleanField(default=False)
    owner = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["done", "due", "title"]

    def __str__(self) -> str:
        return self.title


class CalendarFeed(models.Model):
    """A user's secret .ics address (one per client, or the whole practice when client is
    empty). The feed serves only what that user may see; revoking it kills the address."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feeds"
    )
    client = models.ForeignKey(
        "tenancy.Client", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"Calendar feed of {self.user} ({self.client or 'practice'})"

    @staticmethod
    def hash_token(token: str) -> str:
        return hashlib.sha256(token.encode()).hexdigest()
