"""Reports kept per client: the one-page brief, the QBR / board report, the dossier.

A report is generated from live data in the background; the PDF (and its HTML) is kept per
period so that a QBR once sent can be read again as it was.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models

from ciodesk.tenancy.scoping import ClientOwned


def report_path(instance, filename: str) -> str:
    return f"clients/{instance.client_id}/reports/{secrets.token_hex(8)}-{filename}"


class Report(ClientOwned):
    class Kind(models.TextChoices):
        BRIEF = "brief", "One-page brief"
        QBR = "qbr", "QBR / board report"
        DOSSIER = "dossier", "Client dossier"

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Generating"
        DONE = "done", "Ready"
        FAILED = "failed", "Failed"

    kind = models.CharField(max_length=10, choices=Kind.choices)
    period = models.CharField(max_length=20, blank=True, help_text="e.g. 2026Q3")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0, help_text="0–100")
    step = models.CharField(max_length=200, blank=True)
    pdf = models.FileField(upload_to=report_path, blank=True, max_length=300)
    pages = models.PositiveSmallIntegerField(null=True, blank=True)
    error = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.period}".strip()


class BriefCommentary(ClientOwned):
    """The CIO's words next to the generated brief, one text per area."""

    class Area(models.TextChoices):
        SUMMARY = "summary", "Summary"
        SECURITY = "security", "Security"
        VENDORS = "vendors", "Vendors"
        PROJECTS = "projects", "Projects"
        BUDGET = "budget", "Budget"
        ROADMAP = "roadmap", "Roadmap"

    area = models.CharField(max_length=10, choices=Area.choices)
    text = models.TextField()
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["client", "area"], name="one_commentary_per_area")
        ]
        verbose_name_plural = "brief commentary"

    def __str__(self) -> str:
        return self.get_area_display()
