"""Projects, decisions and open actions in the reports (the delivery app).

Projects come through the delivery app's own services (``services_projects``): its stall
rule, its health of the latest status update and its percent complete (milestones done ÷
milestones, rounded down), so the reports agree with the projects pages.

A project counts as finished in a quarter when it is done and its latest status update is
dated in that quarter (the project keeps no completion date of its own).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import OuterRef, Q, Subquery
from django.utils import timezone

from ciodesk.delivery import services_projects
from ciodesk.delivery.models import ActionItem, Decision, Project, ProjectUpdate
from ciodesk.reports.sections import (
    BRIEF,
    DOSSIER,
    QBR,
    Area,
    Ctx,
    Light,
    Rule,
    days_text,
    judge,
    plural,
    section,
    url_for,
)

RULE = Rule(
    red="an active project's latest status update says off track, or its target date has passed.",
    amber="an active project is at risk, or stalled: no status update within its update "
    "cadence (14 days unless set otherwise).",
    green="every active project is on track and up to date.",
)
TOP_DECISIONS = 5


@dataclass(frozen=True)
class ProjectLine:
    name: str
    owner: str
    status: str
    status_label: str
    health: str  # on_track, at_risk, off_track or "" (no update yet)
    stalled: bool
    percent: int | None
    milestones: int
    milestones_done: int
    start_on: datetime.date | None
    target_on: datetime.date | None
    overdue: bool
    latest_update_on: datetime.date | None
    latest_text: str
    next_steps: str
    objective: str
    scope_in: str
    scope_out: str
    budget: Decimal
    currency: str

    @property
    def health_label(self) -> str:
        return services_projects.HEALTH_LABELS.get(self.health, "No update yet")

    @property
    def health_css(self) -> str:
        return services_projects.HEALTH_BADGES.get(self.health, "")


def _projects(today: datetime.date, statuses: list[str]) -> list[ProjectLine]:
    """Projects with the delivery app's facts and their latest update, in one query."""
    latest = ProjectUpdate.objects.filter(project=OuterRef("pk")).order_by("-on", "-pk")
    rows = services_projects.with_facts(Project.objects.filter(status__in=statuses)).annotate(
        latest_text=Subquery(latest.values("text")[:1]),
        latest_next=Subquery(latest.values("next_steps")[:1]),
    )
    out = []
    for p in rows:
        active = p.status == Project.Status.ACTIVE
        total, done = p.milestones_total, p.milestones_done
        out.append(
            ProjectLine(
                name=p.name,
                owner=p.owner.name,
                status=p.status,
                status_label=p.get_status_display(),
                health=p.latest_health or "",
                stalled=services_projects.is_stalled(p, today),
                percent=services_projects.percent(done, total),
                milestones=total,
                milestones_done=done,
                start_on=p.start_on,
                target_on=p.target_on,
                overdue=active and p.target_on is not None and p.target_on < today,
                latest_update_on=p.latest_update_on,
                latest_text=p.latest_text or "",
                next_steps=p.latest_next or "",
                objective=p.objective,
                scope_in=p.scope_in,
                scope_out=p.scope_out,
                budget=p.budget,
                currency=p.currency,
            )
        )
    return out


@dataclass
class ProjectsNow:
    active: list[ProjectLine]
    on_hold: list[ProjectLine] = field(default_factory=list)
    finished: list[ProjectLine] = field(default_factory=list)  # QBR: done in the quarter
    url: str = ""

    def _count(self, health: str) -> int:
        return sum(1 for p in self.active if p.health == health)

    @property
    def on_track(self) -> int:
        return self._count("on_track")

    @property
    def at_risk(self) -> int:
        return self._count("at_risk")

    @property
    def off_track(self) -> int:
        return self._count("off_track")

    @property
    def stalled(self) -> list[ProjectLine]:
        return [p for p in self.active if p.stalled]

    @property
    def light(self) -> Light:
        def names(items: list[ProjectLine]) -> str:
            return ", ".join(p.name for p in items)

        off = [p for p in self.active if p.health == "off_track"]
        late = [p for p in self.active if p.overdue]
        risky = [p for p in self.active if p.health == "at_risk"]
        return judge(
            red=[
                f"off track: {names(off)}" if off else "",
                f"past target: {names(late)}" if late else "",
            ],
            amber=[
                f"at risk: {names(risky)}" if risky else "",
                f"stalled: {names(self.stalled)}" if self.stalled else "",
            ],
            green="every active project on track and up to date",
        )

    @property
    def headline(self) -> str:
        parts = [plural(len(self.active), "active project")]
        if self.active:
            parts.append(
                f"{self.on_track} on track, {self.at_risk} at risk, {self.off_track} off track"
            )
            parts.append(f"{len(self.stalled)} stalled")
        return "; ".join(parts)

    @property
    def area(self) -> Area | None:
        if not self.active:
            return None
        return Area("projects", "Projects", self.light, self.headline, RULE, self.url)


def _projects_now(ctx: Ctx, finished: bool = False) -> ProjectsNow | None:
    statuses = [Project.Status.ACTIVE, Project.Status.ON_HOLD]
    if finished:
        statuses.append(Project.Status.DONE)
    lines = _projects(ctx.today, statuses)
    period = ctx.period
    done = [
        p
        for p in lines
        if p.status == Project.Status.DONE
        and period is not None
        and p.latest_update_on is not None
        and period.contains(p.latest_update_on)
    ]
    active = [p for p in lines if p.status == Project.Status.ACTIVE]
    on_hold = [p for p in lines if p.status == Project.Status.ON_HOLD]
    if not active and not on_hold and not done:
        return None
    active.sort(key=lambda p: (_urgency(p), p.target_on or datetime.date.max, p.name))
    return ProjectsNow(active, on_hold, done, url_for(ctx.client, "delivery:project-list"))


def _urgency(p: ProjectLine) -> int:
    if p.health == "off_track" or p.overdue:
        return 0
    if p.health == "at_risk" or p.stalled:
        return 1
    return 2


@section("projects", kinds=[BRIEF, DOSSIER], order=30)
def projects(ctx: Ctx) -> ProjectsNow | None:
    return _projects_now(ctx)


@section("projects", kinds=[QBR], order=30)
def projects_quarter(ctx: Ctx) -> ProjectsNow | None:
    return _projects_now(ctx, finished=True)


# --- decisions ------------------------------------------------------------------------------


@dataclass(frozen=True)
class DecisionLine:
    question: str
    context: str
    recommendation: str
    why: str
    deadline: datetime.date | None
    deadline_text: str
    overdue: bool
    decider: str
    owner: str
    status: str
    status_label: str
    decided_on: datetime.date | None
    decided_by: str
    comment: str
    chosen: str


def _decision_line(d: Decision, today: datetime.date, tz) -> DecisionLine:
    decided_on = timezone.localtime(d.decided_at, tz).date() if d.decided_at else None
    pending = d.status == Decision.Status.PENDING
    return DecisionLine(
        question=d.question,
        context=d.context,
        recommendation=d.recommendation,
        why=d.recommendation_why,
        deadline=d.deadline,
        deadline_text=days_text((d.deadline - today).days) if d.deadline else "",
        overdue=pending and d.deadline is not None and d.deadline < today,
        decider=str(d.decider),
        owner=d.owner.name,
        status=d.status,
        status_label=d.get_status_display(),
        decided_on=decided_on,
        decided_by=str(d.decided_by) if d.decided_by else "",
        comment=d.decision_comment,
        chosen=d.chosen_option.title if d.chosen_option else "",
    )


DECIDED = [Decision.Status.APPROVED, Decision.Status.REJECTED, Decision.Status.DEFERRED]


@dataclass
class Decisions:
    pending: list[DecisionLine]
    decided: list[DecisionLine] = field(default_factory=list)
    url: str = ""

    @property
    def needed(self) -> list[DecisionLine]:
        return self.pending[:TOP_DECISIONS]

    @property
    def overdue(self) -> int:
        return sum(1 for d in self.pending if d.overdue)


def _decisions(ctx: Ctx, decided: int = 0) -> Decisions | None:
    """Pending decisions, and up to ``decided`` taken ones (in the QBR's quarter), newest
    first: one query."""
    rows = Decision.objects.select_related("decider", "decided_by", "owner", "chosen_option")
    wanted = Q(status=Decision.Status.PENDING)
    if decided:
        wanted |= Q(status__in=DECIDED)
    lines = [_decision_line(d, ctx.today, ctx.client.tz) for d in rows.filter(wanted)]
    pending = sorted(
        (d for d in lines if d.status == Decision.Status.PENDING),
        key=lambda d: (d.deadline or datetime.date.max, d.question),
    )
    taken = sorted(
        (d for d in lines if d.status in DECIDED and d.decided_on is not None),
        key=lambda d: d.decided_on,
        reverse=True,
    )
    if ctx.period is not None:
        taken = [d for d in taken if ctx.period.contains(d.decided_on)]
    taken = taken[:decided]
    if not pending and not taken:
        return None
    return Decisions(pending, taken, url_for(ctx.client, "delivery:decision-list"))


@section("decisions", kinds=[BRIEF], order=50)
def decisions_needed(ctx: Ctx) -> Decisions | None:
    return _decisions(ctx)


@section("decisions", kinds=[QBR], order=50)
def decisions_quarter(ctx: Ctx) -> Decisions | None:
    return _decisions(ctx, decided=40)


@section("decisions", kinds=[DOSSIER], order=50)
def decision_log(ctx: Ctx) -> Decisions | None:
    return _decisions(ctx, decided=25)


# --- open actions (the dossier) --------------------------------------------------------------


@dataclass(frozen=True)
class ActionLine:
    title: str
    owner: str
    due_on: datetime.date | None
    overdue: bool


@section("actions", kinds=[DOSSIER], order=55)
def open_actions(ctx: Ctx) -> list[ActionLine] | None:
    items = ActionItem.objects.filter(status=ActionItem.Status.OPEN).select_related("owner")
    lines = [
        ActionLine(a.title, a.owner.name, a.due_on, a.due_on is not None and a.due_on < ctx.today)
        for a in items
    ]
    return lines or None


# --- the engagement over the quarter: time on the retainer, meetings (the QBR) ---------------


@dataclass
class Engagement:
    minutes_by_category: list[tuple[str, int]]  # (category label, minutes), most first
    included_hours: Decimal  # the retainer's hours for the quarter's months
    meetings: int

    @property
    def hours(self) -> Decimal:
        minutes = sum(m for _, m in self.minutes_by_category)
        return (Decimal(minutes) / 60).quantize(Decimal("0.1"))

    @property
    def rows(self) -> list[tuple[str, Decimal]]:
        return [
            (label, (Decimal(m) / 60).quantize(Decimal("0.1")))
            for label, m in self.minutes_by_category
        ]

    @property
    def percent_used(self) -> int | None:
        if not self.included_hours:
            return None
        return round(self.hours * 100 / self.included_hours)


@section("engagement", kinds=[QBR], order=70)
def engagement(ctx: Ctx) -> Engagement | None:
    """Two queries: the quarter's time by category, its meetings."""
    from django.db.models import Sum

    from ciodesk.delivery.models import Meeting, TimeEntry

    if ctx.period is None:
        return None
    start, end = ctx.period.start, ctx.period.end
    labels = dict(TimeEntry.Category.choices)
    rows = (
        TimeEntry.objects.filter(on__gte=start, on__lte=end)
        .values("category")
        .annotate(minutes=Sum("minutes"))
        .order_by("-minutes", "category")
    )
    by_category = [(labels.get(r["category"], r["category"]), r["minutes"]) for r in rows]
    tz = ctx.client.tz
    first = timezone.make_aware(datetime.datetime.combine(start, datetime.time(0)), tz)
    last = timezone.make_aware(
        datetime.datetime.combine(end + datetime.timedelta(days=1), datetime.time(0)), tz
    )
    meetings = Meeting.objects.filter(starts_at__gte=first, starts_at__lt=last).count()
    if not by_category and not meetings:
        return None
    included = ctx.client.retainer_included_hours * 3
    return Engagement(by_category, included, meetings)
