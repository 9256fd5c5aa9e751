"""The roadmap: business goals and the items that serve them, with every change kept.

Each save of an item writes a RoadmapItemVersion (the item's fields as they then were), so
the roadmap can be shown as of any past date and compared with today.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from ciodesk.assessments.models import Disposition
from ciodesk.tenancy.models import CURRENCIES, Person
from ciodesk.tenancy.scoping import ClientOwned

MONEY = {"max_digits": 14, "decimal_places": 2}
ONE_TO_FIVE = [MinValueValidator(1), MaxValueValidator(5)]


class Goal(ClientOwned):
    text = models.CharField(max_length=300, help_text="In the client's own words")
    detail = models.TextField(blank=True)
    owner = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    target = models.CharField(max_length=50, blank=True, help_text="e.g. FY2027 Q3")
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return self.text


class RoadmapItem(ClientOwned):
    Disposition = Disposition

    class Status(models.TextChoices):
        PROPOSED = "proposed", "Proposed"
        APPROVED = "approved", "Approved"
        IN_PROGRESS = "in_progress", "In progress"
        DONE = "done", "Done"
        DROPPED = "dropped", "Dropped"

    class Effort(models.TextChoices):
        S = "s", "Small (days)"
        M = "m", "Medium (weeks)"
        L = "l", "Large (months)"

    title = models.CharField(max_length=200)
    why = models.TextField("why (the business reason)", blank=True)
    goals = models.ManyToManyField(Goal, blank=True, related_name="items")
    findings = models.ManyToManyField("assessments.Finding", blank=True, related_name="+")
    risks = models.ManyToManyField("security.Risk", blank=True, related_name="+")
    disposition = models.CharField(max_length=10, choices=Disposition.choices, default="fix")
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PROPOSED)
    owner = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    fiscal_year = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Named by the calendar year in which it ends"
    )
    quarter = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(4)]
    )
    one_time_cost = models.DecimalField(**MONEY, default=Decimal("0.00"))
    recurring_cost = models.DecimalField(**MONEY, default=Decimal("0.00"), help_text="Per year")
    currency = models.CharField(max_length=3, choices=CURRENCIES, default="USD")
    effort = models.CharField(max_length=1, choices=Effort.choices, default=Effort.M)
    risk_reduced = models.PositiveSmallIntegerField(default=3, validators=ONE_TO_FIVE)
    business_value = models.PositiveSmallIntegerField(default=3, validators=ONE_TO_FIVE)
    manual_rank = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Overrides the computed priority when set (1 = first)"
    )

    class Meta:
        ordering = ["fiscal_year", "quarter", "manual_rank", "title"]

    def __str__(self) -> str:
        return self.title


class PriorityWeights(ClientOwned):
    """The weights of the priority formula: risk reduced × business value ÷ cost."""

    risk_weight = models.DecimalField(max_digits=4, decimal_places=2, default=Decimal("1.00"))
    value_weight = models.DecimalField(max_digits=4, decimal_places=2, default=Decimal("1.00"))
    cost_unit = models.DecimalField(
        **MONEY, default=Decimal("1000.00"), help_text="Cost is counted in units of this"
    )

    class Meta:
        verbose_name_plural = "priority weights"
        constraints = [models.UniqueConstraint(fields=["client"], name="one_weights_per_client")]

    def __str__(self) -> str:
        return "Priority weights"


class RoadmapItemVersion(ClientOwned):
    """An item as it was from `valid_from` until the next version (or its deletion)."""

    item_id_ref = models.PositiveIntegerField(db_index=True)
    valid_from = models.DateTimeField(db_index=True)
    deleted = models.BooleanField(default=False)
    data = models.JSONField()
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["item_id_ref", "valid_from", "pk"]

    def __str__(self) -> str:
        return f"Item {self.item_id_ref} from {self.valid_from:%Y-%m-%d}"


class RoadmapReview(ClientOwned):
    reviewed_on = models.DateField()
    note = models.TextField(blank=True)
    owner = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-reviewed_on"]

    def __str__(self) -> str:
        return f"Roadmap review {self.reviewed_on}"
