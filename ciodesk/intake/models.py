"""The public free technology risk review: a prospect's answers become a lead for the practice.

Leads belong to the practice (a prospect is not a client yet); turning a lead into a client
keeps its answers as the client's first assessment.
"""

from __future__ import annotations

from django.db import models


class Lead(models.Model):
    class Status(models.TextChoices):
        NEW = "new", "New"
        CONTACTED = "contacted", "Contacted"
        CONVERTED = "converted", "Became a client"
        CLOSED = "closed", "Closed"

    company = models.CharField(max_length=200)
    contact_name = models.CharField(max_length=200)
    email = models.EmailField()
    domain = models.CharField(max_length=253)
    employee_count = models.PositiveIntegerField(null=True, blank=True)
    answers = models.JSONField(default=dict)
    score = models.PositiveSmallIntegerField(default=0)
    rating = models.CharField(max_length=10, blank=True)
    top_risks = models.JSONField(default=list, blank=True)
    dns_results = models.JSONField(default=dict, blank=True)
    consent = models.BooleanField(default=False)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.NEW)
    client = models.ForeignKey(
        "tenancy.Client", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    result_token = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.company} ({self.domain})"


class ReviewAttempt(models.Model):
    """One submission of the public form, for rate limiting per address and per domain."""

    ip_hash = models.CharField(max_length=64, db_index=True)
    domain = models.CharField(max_length=253, db_index=True)
    at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.domain} at {self.at:%Y-%m-%d %H:%M}"
