"""Projects: the stall rule, health, percent complete, status updates and scope changes.

The stall rule (issue 6), exact at its boundary:

* A project's *reference day* is the date of its latest status update, or its start date
  when it has had no update since it started (no update at all, or only updates written
  before the start).
* With an update cadence of N days (default 14), a project whose reference day is D is
  fine through day D+N and **stalled from day D+N+1**: an update written exactly N days
  after the last one is on time, one day later is late.
* Only active projects stall (on hold, done and cancelled ones do not). A project not yet
  started (start date in the future, no update) is not stalled. An active project with
  neither a start date nor any update has never been reported on: it counts as stalled.
* "Today" is the client's today (``client.today()``), passed in explicitly.

Percent complete is done milestones ÷ all milestones, rounded down to a whole percent (so
100 % means every milestone is done); a project with no milestones has no percentage.

Everything here runs inside ``scope(client)``.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Count, Max, OuterRef, Q, QuerySet, Subquery

from ciodesk.delivery.models import Milestone, Project, ProjectUpdate, ScopeChange

ACTIVE = Project.Status.ACTIVE
HEALTH_LABELS = dict(ProjectUpdate.Health.choices)
# The badge class each health wears (app.css: .badge.ok, .badge.attention, .badge.critical).
HEALTH_BADGES = {"on_track": "ok", "at_risk": "attention", "off_track": "critical"}


def reference_day(
    latest_update_on: datetime.date | None, start_on: datetime.date | None
) -> datetime.date | None:
    """The day the update cadence counts from: the latest update, or the start when later."""
    days = [d for d in (latest_update_on, start_on) if d is not None]
    return max(days) if days else None


def stalled(
    status: str,
    latest_update_on: datetime.date | None,
    start_on: datetime.date | None,
    cadence_days: int,
    today: datetime.date,
) -> bool:
    """The stall rule on plain values (see the module's docstring), for lists and portfolios."""
    if status != ACTIVE:
        return False
    reference = reference_day(latest_update_on, start_on)
    if reference is None:
        return True
    return (today - reference).days > cadence_days


def is_stalled(project: Any, today: datetime.date) -> bool:
    """Whether `project` is stalled on `today` (the client's today)."""
    return stalled(
        project.status,
        project.latest_update_on,
        project.start_on,
        project.update_cadence_days,
        today,
    )


def update_due_on(project: Any) -> datetime.date | None:
    """The last day on which the next status update is still on time."""
    reference = reference_day(project.latest_update_on, project.start_on)
    if reference is None:
        return None
    return reference + datetime.timedelta(days=project.update_cadence_days)


def percent(done: int, total: int) -> int | None:
    """Done ÷ all as a whole percent, rounded down; None without milestones."""
    if not total:
        return None
    return done * 100 // total


def percent_complete(project: Project) -> int | None:
    """Percent complete from the project's milestones (one query unless annotated)."""
    if hasattr(project, "milestones_total"):
        return percent(project.milestones_done, project.milestones_total)
    counts = Milestone.objects.filter(project=project).aggregate(
        total=Count("pk"), done=Count("pk", filter=Q(done_on__isnull=False))
    )
    return percent(counts["done"], counts["total"])


def with_facts(projects: QuerySet[Project]) -> QuerySet[Project]:
    """Projects annotated with milestone counts and the newest update's health: one query."""
    newest = ProjectUpdate.objects.filter(project=OuterRef("pk")).order_by("-on", "-pk")
    return projects.select_related("owner", "roadmap_item").annotate(
        milestones_total=Count("milestones", distinct=True),
        milestones_done=Count(
            "milestones", filter=Q(milestones__done_on__isnull=False), distinct=True
        ),
        latest_health=Subquery(newest.values("health")[:1]),
    )


@dataclass(frozen=True)
class ProjectRow:
    """A project as the list, the export and the portfolio show it."""

    project: Project
    today: datetime.date

    @property
    def stalled(self) -> bool:
        return is_stalled(self.project, self.today)

    @property
    def health(self) -> str:
        return getattr(self.project, "latest_health", None) or ""

    @property
    def health_label(self) -> str:
        return HEALTH_LABELS.get(self.health, "No update yet")

    @property
    def health_badge(self) -> str:
        return HEALTH_BADGES.get(self.health, "")

    @property
    def percent(self) -> int | None:
        return percent_complete(self.project)

    @property
    def update_due_on(self) -> datetime.date | None:
        return update_due_on(self.project)

    @property
    def needs_attention(self) -> bool:
        if self.project.status != ACTIVE:
            return False
        return self.stalled or self.health in ("at_risk", "off_track")

    @property
    def attention_text(self) -> str:
        parts = []
        if self.stalled:
            parts.append("stalled")
        if self.project.status == ACTIVE and self.health in ("at_risk", "off_track"):
            parts.append(self.health_label.lower())
        return ", ".join(parts)


def rows(projects: QuerySet[Project], today: datetime.date) -> list[ProjectRow]:
    """Projects with their facts, those needing attention first, then by target date."""
    out = [ProjectRow(p, today) for p in with_facts(projects)]
    status_order = {s: i for i, s in enumerate(Project.Status.values)}
    out.sort(
        key=lambda r: (
            not r.needs_attention,
            status_order.get(r.project.status, 9),
            r.project.target_on or datetime.date.max,
            r.project.name.lower(),
        )
    )
    return out


# --- writes -----------------------------------------------------------------------------------


def refresh_latest_update(project: Project) -> None:
    """Keep ``latest_update_on`` equal to the newest update's date (None without updates)."""
    newest = ProjectUpdate.objects.filter(project=project).aggregate(on=Max("on"))["on"]
    if project.latest_update_on != newest:
        project.latest_update_on = newest
        project.save(update_fields=["latest_update_on"])


def add_update(project: Project, update: ProjectUpdate, author: Any = None) -> ProjectUpdate:
    """Save a dated status update for `project` and move ``latest_update_on`` with it."""
    with transaction.atomic():
        update.project = project
        update.author = author if getattr(author, "is_authenticated", False) else None
        update.save()
        refresh_latest_update(project)
    return update


def delete_update(update: ProjectUpdate) -> None:
    with transaction.atomic():
        project = update.project
        update.delete()
        refresh_latest_update(project)


SCOPE_FIELDS = {"scope_in": "In scope", "scope_out": "Out of scope"}


def describe_scope_change(before: dict[str, str], after: dict[str, str]) -> str:
    """“In scope: old → new” for each scope field that changed, one per line."""
    lines = []
    for name, label in SCOPE_FIELDS.items():
        old, new = (before.get(name) or "").strip(), (after.get(name) or "").strip()
        if old != new:
            lines.append(f"{label}: “{old or '—'}” → “{new or '—'}”")
    return "\n".join(lines)


def log_scope_change(
    project: Project, change: str, reason: str, on: datetime.date, author: Any = None
) -> ScopeChange:
    return ScopeChange.objects.create(
        project=project,
        on=on,
        change=change,
        reason=reason,
        author=author if getattr(author, "is_authenticated", False) else None,
    )


def toggle_milestone(milestone: Milestone, today: datetime.date) -> Milestone:
    """Done today when open; open again when done."""
    milestone.done_on = None if milestone.done_on else today
    milestone.save(update_fields=["done_on"])
    return milestone
