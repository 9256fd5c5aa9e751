"""Assessments: versioned templates (practice-wide) and a client's run of one.

A template is a list of domains, each a list of questions. A question knows its weight, the
controls it informs (baseline control keys) and the finding it produces when answered
badly. A client's assessment keeps its answers, who gave and reviewed them, its findings
and, once complete, the scores it had.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from ciodesk.tenancy.models import CURRENCIES, Person
from ciodesk.tenancy.scoping import ClientOwned

MONEY = {"max_digits": 14, "decimal_places": 2}


class Disposition(models.TextChoices):
    FIX = "fix", "Fix"
    FUND = "fund", "Fund"
    DEFER = "defer", "Defer"
    RETIRE = "retire", "Retire"


class AssessmentTemplate(models.Model):
    slug = models.SlugField(max_length=80)
    version = models.PositiveIntegerField(default=1)
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    builtin = models.BooleanField(default=False)
    based_on = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="copies"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["slug", "version"], name="template_version_once")
        ]

    def __str__(self) -> str:
        return f"{self.name} v{self.version}"


class TemplateDomain(models.Model):
    template = models.ForeignKey(
        AssessmentTemplate, on_delete=models.CASCADE, related_name="domains"
    )
    key = models.SlugField(max_length=80)
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["template", "order", "pk"]
        constraints = [models.UniqueConstraint(fields=["template", "key"], name="domain_key_once")]

    def __str__(self) -> str:
        return self.title


class TemplateQuestion(models.Model):
    class Kind(models.TextChoices):
        YES_NO = "yes_no", "Yes / partial / no / unknown"
        CHOICE = "choice", "Single choice"
        NUMBER = "number", "Number"
        TEXT = "text", "Text"

    domain = models.ForeignKey(TemplateDomain, on_delete=models.CASCADE, related_name="questions")
    key = models.SlugField(max_length=80)
    text = models.TextField()
    help = models.TextField(blank=True)
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.YES_NO)
    choices = models.JSONField(
        default=list, blank=True, help_text='[{"value": "…", "label": "…", "score": 0–1}]'
    )
    number_bands = models.JSONField(
        default=list, blank=True, help_text='[{"min": 0, "max": 10, "score": 1}] for numbers'
    )
    weight = models.PositiveSmallIntegerField(default=1, validators=[MaxValueValidator(10)])
    insurance_critical = models.BooleanField(default=False)
    control_keys = models.JSONField(default=list, blank=True)
    finding_title = models.CharField(max_length=200, blank=True)
    finding_risk = models.TextField(blank=True)
    finding_recommendation = models.TextField(blank=True)
    finding_disposition = models.CharField(
        max_length=10, choices=Disposition.choices, default=Disposition.FIX
    )
    cost_low = models.DecimalField(**MONEY, null=True, blank=True)
    cost_high = models.DecimalField(**MONEY, null=True, blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["domain", "order", "pk"]
        constraints = [models.UniqueConstraint(fields=["domain", "key"], name="question_key_once")]

    def __str__(self) -> str:
        return self.text[:80]


class Assessment(ClientOwned):
    class Status(models.TextChoices):
        IN_PROGRESS = "in_progress", "In progress"
        IN_REVIEW = "in_review", "In review"
        COMPLETE = "complete", "Complete"

    template = models.ForeignKey(AssessmentTemplate, on_delete=models.PROTECT, related_name="+")
    title = models.CharField(max_length=200)
    owner = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    started_on = models.DateField()
    completed_on = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.IN_PROGRESS)
    score = models.DecimalField(max_digits=5, decimal_places=1, null=True, blank=True)
    rating = models.CharField(max_length=10, blank=True)
    domain_scores = models.JSONField(
        default=dict, blank=True, help_text="Frozen at completion: {domain key: score}"
    )
    source = models.CharField(
        max_length=100, blank=True, help_text="e.g. the free risk review it started from"
    )

    class Meta:
        ordering = ["-started_on", "-pk"]

    def __str__(self) -> str:
        return self.title


class SectionAssignment(ClientOwned):
    """One domain of an assessment, answered by a person and reviewed by the CIO."""

    class Stage(models.TextChoices):
        ANSWERING = "answering", "Being answered"
        SUBMITTED = "submitted", "Submitted for review"
        REVIEWED = "reviewed", "Reviewed"

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="sections")
    domain = models.ForeignKey(TemplateDomain, on_delete=models.PROTECT, related_name="+")
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    stage = models.CharField(max_length=10, choices=Stage.choices, default=Stage.ANSWERING)
    submitted_at = models.DateTimeField(null=True, blank=True)
    reviewed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["assessment", "domain__order"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "domain"], name="one_section_per_domain")
        ]

    def __str__(self) -> str:
        return str(self.domain)


def answer_evidence_path(instance, filename: str) -> str:
    import secrets

    return f"clients/{instance.client_id}/assessments/{secrets.token_hex(8)}-{filename}"


class Answer(ClientOwned):
    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(TemplateQuestion, on_delete=models.PROTECT, related_name="+")
    value = models.CharField(
        max_length=100, blank=True, help_text="yes/partial/no/unknown or a choice"
    )
    number = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    text = models.TextField(blank=True)
    note = models.TextField(blank=True)
    evidence_file = models.FileField(upload_to=answer_evidence_path, blank=True, max_length=300)
    evidence_url = models.URLField(blank=True, max_length=500)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["assessment", "question__domain__order", "question__order"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "question"], name="one_answer_each")
        ]

    def __str__(self) -> str:
        return f"{self.question}: {self.value or self.number or self.text[:20]}"


class Finding(ClientOwned):
    class Status(models.TextChoices):
        OPEN = "open", "Open"
        PLANNED = "planned", "On the roadmap"
        RESOLVED = "resolved", "Resolved"
        ACCEPTED = "accepted", "Accepted"

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="findings")
    question = models.ForeignKey(
        TemplateQuestion, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    title = models.CharField(max_length=200)
    risk = models.TextField("risk in plain words", blank=True)
    recommendation = models.TextField(blank=True)
    disposition = models.CharField(max_length=10, choices=Disposition.choices, default="fix")
    severity = models.PositiveSmallIntegerField(
        default=3, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    cost_low = models.DecimalField(**MONEY, null=True, blank=True)
    cost_high = models.DecimalField(**MONEY, null=True, blank=True)
    currency = models.CharField(max_length=3, choices=CURRENCIES, default="USD")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    owner = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-severity", "title"]

    def __str__(self) -> str:
        return self.title


ZERO = Decimal("0.00")
