"""Assessments in the reports: the latest completed assessment's score, and the open
findings — each a recommendation with its reason (the risk in plain words)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from ciodesk.assessments.models import Assessment, Finding
from ciodesk.reports.sections import BRIEF, DOSSIER, QBR, Ctx, section, url_for


@dataclass(frozen=True)
class FindingLine:
    title: str
    recommendation: str
    risk: str
    severity: int
    disposition: str
    status_label: str
    owner: str
    cost_low: Decimal | None
    cost_high: Decimal | None
    currency: str


@dataclass(frozen=True)
class AssessmentLine:
    title: str
    status_label: str
    started_on: datetime.date
    completed_on: datetime.date | None
    score: Decimal | None
    rating: str


@dataclass
class Assessments:
    latest: AssessmentLine | None
    assessments: list[AssessmentLine]
    findings: list[FindingLine]  # open, most severe first
    url: str = ""


def _line(a: Assessment) -> AssessmentLine:
    return AssessmentLine(
        a.title, a.get_status_display(), a.started_on, a.completed_on, a.score, a.rating
    )


@section("assessments", kinds=[BRIEF, QBR, DOSSIER], order=60)
def assessments(ctx: Ctx) -> Assessments | None:
    """Two queries: the assessments, the open findings."""
    runs = [_line(a) for a in Assessment.objects.all()]
    findings = [
        FindingLine(
            f.title,
            f.recommendation,
            f.risk,
            f.severity,
            f.get_disposition_display(),
            f.get_status_display(),
            f.owner.name,
            f.cost_low,
            f.cost_high,
            f.currency,
        )
        for f in Finding.objects.filter(status=Finding.Status.OPEN).select_related("owner")
    ]
    if not runs and not findings:
        return None
    completed = [a for a in runs if a.completed_on is not None]
    latest = max(completed, key=lambda a: a.completed_on) if completed else None
    findings.sort(key=lambda f: (-f.severity, f.title.lower()))
    return Assessments(latest, runs, findings, url_for(ctx.client, "assessments:assessment-list"))
