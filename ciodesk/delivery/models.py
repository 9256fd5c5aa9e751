"""The engagement rhythm: decisions, projects, meetings, action items, time on the retainer.

Links to other apps' records (contracts, risks, roadmap items) are many-to-many fields on
the decision and the project, so the apps stay independent: a link exists only where the
other app has landed.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from ciodesk.tenancy.models import CURRENCIES, Person
from ciodesk.tenancy.scoping import ClientOwned

MONEY = {"max_digits": 14, "decimal_places": 2}


class Decision(ClientOwned):
    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for a decision"
        APPROVED = "approved", "Approved"
        REJECTED = "rejected", "Rejected"
        DEFERRED = "deferred", "Deferred"
        WITHDRAWN = "withdrawn", "Withdrawn"

    question = models.CharField(max_length=300)
    context = models.TextField(blank=True)
    recommendation = models.TextField(blank=True)
    recommendation_why = models.TextField("why", blank=True)
    deadline = models.DateField(null=True, blank=True)
    decider = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The client executive who decides",
    )
    owner = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="+", help_text="Who prepares it"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_comment = models.TextField(blank=True)
    chosen_option = models.ForeignKey(
        "DecisionOption", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    contracts = models.ManyToManyField("vendors.Contract", blank=True, related_name="+")
    risks = models.ManyToManyField("security.Risk", blank=True, related_name="+")
    roadmap_items = models.ManyToManyField("roadmap.RoadmapItem", blank=True, related_name="+")
    requested_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["status", "deadline", "-pk"]

    def __str__(self) -> str:
        return self.question


class DecisionOption(ClientOwned):
    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="options")
    title = models.CharField(max_length=200)
    cost = models.DecimalField(**MONEY, null=True, blank=True)
    currency = models.CharField(max_length=3, choices=CURRENCIES, default="USD")
    risk = models.TextField(blank=True)
    pros = models.TextField(blank=True)
    cons = models.TextField(blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return self.title


class Project(ClientOwned):
    class Status(models.TextChoices):
        ACTIVE = "active", "Active"
        ON_HOLD = "on_hold", "On hold"
        DONE = "done", "Done"
        CANCELLED = "cancelled", "Cancelled"

    name = models.CharField(max_length=200)
    objective = models.TextField(blank=True)
    scope_in = models.TextField("in scope", blank=True)
    scope_out = models.TextField("out of scope", blank=True)
    owner = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    vendors = models.ManyToManyField("vendors.Vendor", blank=True, related_name="+")
    budget = models.DecimalField(**MONEY, default=Decimal("0.00"))
    currency = models.CharField(max_length=3, choices=CURRENCIES, default="USD")
    start_on = models.DateField(null=True, blank=True)
    target_on = models.DateField(null=True, blank=True)
    update_cadence_days = models.PositiveSmallIntegerField(
        default=14, validators=[MinValueValidator(1), MaxValueValidator(365)]
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ACTIVE)
    latest_update_on = models.DateField(
        null=True, blank=True, help_text="Kept equal to the newest status update's date"
    )
    roadmap_item = models.ForeignKey(
        "roadmap.RoadmapItem",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="The roadmap item this project delivers",
    )

    class Meta:
        ordering = ["status", "target_on", "name"]

    def __str__(self) -> str:
        return self.name


class Milestone(ClientOwned):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="milestones")
    title = models.CharField(max_length=200)
    due_on = models.DateField()
    done_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["due_on", "pk"]

    def __str__(self) -> str:
        return self.title


class ProjectUpdate(ClientOwned):
    class Health(models.TextChoices):
        ON_TRACK = "on_track", "On track"
        AT_RISK = "at_risk", "At risk"
        OFF_TRACK = "off_track", "Off track"

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="updates")
    on = models.DateField()
    health = models.CharField(max_length=10, choices=Health.choices)
    text = models.TextField()
    next_steps = models.TextField(blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-on", "-pk"]

    def __str__(self) -> str:
        return f"{self.on}: {self.get_health_display()}"


class ScopeChange(ClientOwned):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="scope_changes")
    on = models.DateField()
    change = models.TextField()
    reason = models.TextField()
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-on", "-pk"]

    def __str__(self) -> str:
        return self.change[:80]


class Meeting(ClientOwned):
    starts_at = models.DateTimeField()
    duration_minutes = models.PositiveSmallIntegerField(default=60)
    title = models.CharField(max_length=200, default="IT review")
    location = models.CharField(max_length=300, blank=True)
    attendees = models.ManyToManyField(Person, blank=True, related_name="+")
    agenda = models.TextField(blank=True, help_text="Generated from live data, then editable")
    minutes = models.TextField(blank=True)
    decisions = models.ManyToManyField(Decision, blank=True, related_name="meetings")
    owner = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    sent_at = models.DateTimeField(null=True, blank=True)
    ics_uid = models.CharField(max_length=100, blank=True)
    ics_sequence = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-starts_at"]

    def __str__(self) -> str:
        return f"{self.title} {self.starts_at:%Y-%m-%d}"


class ActionItem(ClientOwned):
    class Status(models.TextChoices):
        OPEN = "open", "Open"
        DONE = "done", "Done"
        DROPPED = "dropped", "Dropped"

    title = models.CharField(max_length=300)
    owner = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    due_on = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    done_on = models.DateField(null=True, blank=True)
    meeting = models.ForeignKey(
        Meeting, on_delete=models.SET_NULL, null=True, blank=True, related_name="action_items"
    )
    project = models.ForeignKey(
        Project, on_delete=models.SET_NULL, null=True, blank=True, related_name="action_items"
    )
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["status", "due_on", "pk"]

    def __str__(self) -> str:
        return self.title


class TimeEntry(ClientOwned):
    class Category(models.TextChoices):
        MEETING = "meeting", "Meetings"
        STRATEGY = "strategy", "Strategy and roadmap"
        VENDOR = "vendor", "Vendor management"
        SECURITY = "security", "Security"
        PROJECT = "project", "Projects"
        BUDGET = "budget", "Budget"
        ADMIN = "admin", "Administration"
        OTHER = "other", "Other"

    on = models.DateField()
    minutes = models.PositiveIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(1440)]
    )
    category = models.CharField(max_length=10, choices=Category.choices, default=Category.OTHER)
    note = models.CharField(max_length=300, blank=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-on", "-pk"]
        verbose_name_plural = "time entries"

    def __str__(self) -> str:
        return f"{self.on}: {self.minutes} min"
