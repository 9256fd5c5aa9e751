"""The meeting cadence and the agenda generated from live data.

An agenda is a list of sections, each from a *source*: a small function registered with
``@source(key, title, order)`` that reads one kind of live data and returns agenda lines
(text, link, note). A section appears only where its source has something to say; a
source whose app is missing returns nothing (imports of other apps are guarded), so no
section is ever invented. The result is stored as Markdown in ``Meeting.agenda``, editable.

The rules (``on`` = the meeting's date in the client's time zone, ``next_on`` = the day the
meeting after it is due by the cadence):

* Carried over: every open action item from an earlier meeting, until done or dropped.
* Actions due: other open action items due before ``next_on``.
* Decisions due: pending decisions with a deadline on or before ``next_on`` (or passed).
* Projects: active projects stalled (the project rule, ``services_projects.is_stalled``)
  or whose latest update says at risk or off track.
* Notice deadlines: contracts whose notice deadline falls from today to 60 days after
  the meeting.
* Controls: effective state stale or not in place (security's ``states``, read without
  creating the baseline).
* New high risks: open, score 10 or more, created on or after the last meeting's day (the
  last cadence period when there is none).
* SLA attainment: each MSP's scorecard of the previous calendar month, where first
  response or resolution attainment is below target: the SLA policy's
  ``target_attainment_pct`` when the model has one, else 90 % (the usual 90–95 %).
* Roadmap items of the meeting's fiscal quarter, not done or dropped.
* Budget variance: spend to date against budget to date, when 5 % or more apart.
"""

from __future__ import annotations

import datetime
import logging
import re
from calendar import monthrange
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import F, OuterRef, Q, Subquery
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from ciodesk.core.scope import scope
from ciodesk.core.templatetags.ciodesk import money
from ciodesk.delivery.models import ActionItem, Decision, Meeting, Project, ProjectUpdate
from ciodesk.delivery.services_projects import is_stalled
from ciodesk.tenancy.models import Client

logger = logging.getLogger(__name__)
NOTICE_WINDOW_DAYS = 60
HIGH_RISK_SCORE = 10
DEFAULT_SLA_TARGET_PCT = 90
BUDGET_VARIANCE_PCT = 5
MAX_CONTROL_LINES = 8
DEFAULT_START = datetime.time(10, 0)


# --- the cadence ------------------------------------------------------------------------------


def add_one_month(day: datetime.date) -> datetime.date:
    """The same day of the next month, clamped to its last day (Jan 31 → Feb 28)."""
    year, month0 = divmod(day.year * 12 + day.month, 12)  # day.month is 1-based: next month
    return datetime.date(year, month0 + 1, min(day.day, monthrange(year, month0 + 1)[1]))


def following(client: Client, day: datetime.date) -> datetime.date:
    """The day the meeting after one held on ``day`` is due: 7 or 14 days later, or the
    same day of the next month for a monthly cadence."""
    if client.meeting_cadence == Client.Cadence.MONTHLY:
        return add_one_month(day)
    return day + datetime.timedelta(days=client.cadence_days)


def local_date(client: Client, moment: datetime.datetime) -> datetime.date:
    return timezone.localtime(moment, client.tz).date()


@dataclass(frozen=True)
class NextMeeting:
    """When the next meeting is due: a meeting already planned, or the cadence's date."""

    due_on: datetime.date
    last: Meeting | None
    planned: Meeting | None
    today: datetime.date

    @property
    def overdue_days(self) -> int:
        return (self.today - self.due_on).days if self.planned is None else 0


def next_meeting(client: Client, now: datetime.datetime | None = None) -> NextMeeting:
    """Two queries: the last meeting held and the next one planned (if any)."""
    now = now or timezone.now()
    today = local_date(client, now)
    with scope(client):
        last = Meeting.objects.filter(starts_at__lt=now).order_by("-starts_at").first()
        planned = Meeting.objects.filter(starts_at__gte=now).order_by("starts_at").first()
    if planned is not None:
        due = local_date(client, planned.starts_at)
    elif last is not None:
        due = following(client, local_date(client, last.starts_at))
    else:
        due = today
    return NextMeeting(due, last, planned, today)


def default_start(client: Client, due_on: datetime.date, last: Meeting | None) -> datetime.datetime:
    """The due day at the last meeting's local time of day (10:00 the first time)."""
    at = DEFAULT_START
    if last is not None:
        at = timezone.localtime(last.starts_at, client.tz).time().replace(second=0, microsecond=0)
    return datetime.datetime.combine(due_on, at, tzinfo=client.tz)


# --- lines, sections and the registry -----------------------------------------------------------

_MD_SPECIAL = re.compile(r"([\\`*_\[\]#|])")


def md_escape(text: str) -> str:
    """Plain text made safe inside a Markdown line (titles may hold * or [ ])."""
    return _MD_SPECIAL.sub(r"\\\1", " ".join(str(text).split()))


@dataclass(frozen=True)
class AgendaLine:
    text: str
    url: str = ""
    note: str = ""

    def markdown(self) -> str:
        label = md_escape(self.text)
        head = f"[{label}]({self.url})" if self.url else label
        return f"- {head}" + (f" — {md_escape(self.note)}" if self.note else "")


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    lines: list[AgendaLine]


@dataclass(frozen=True)
class AgendaContext:
    client: Client
    starts_at: datetime.datetime
    on: datetime.date
    today: datetime.date
    next_on: datetime.date
    previous: Meeting | None
    meeting_id: int | None

    @property
    def since(self) -> datetime.date:
        """The start of the period the meeting looks back on: the last meeting's day."""
        if self.previous is not None:
            return local_date(self.client, self.previous.starts_at)
        return self.on - datetime.timedelta(days=self.client.cadence_days)


Source = Callable[[AgendaContext], Iterable[AgendaLine] | None]


@dataclass(frozen=True)
class Registered:
    key: str
    title: str
    order: int
    produce: Source = field(compare=False)


_sources: dict[str, Registered] = {}


def source(key: str, title: str, order: int = 100) -> Callable[[Source], Source]:
    """Register an agenda source; other apps may add their own the same way."""

    def add(fn: Source) -> Source:
        _sources[key] = Registered(key, title, order, fn)
        return fn

    return add


def sources() -> list[Registered]:
    return sorted(_sources.values(), key=lambda s: (s.order, s.key))


def context_for(
    client: Client,
    starts_at: datetime.datetime,
    meeting: Meeting | None = None,
    today: datetime.date | None = None,
) -> AgendaContext:
    on = local_date(client, starts_at)
    previous = Meeting.objects.filter(starts_at__lt=starts_at)
    if meeting is not None and meeting.pk:
        previous = previous.exclude(pk=meeting.pk)
    return AgendaContext(
        client=client,
        starts_at=starts_at,
        on=on,
        today=today or client.today(),
        next_on=following(client, on),
        previous=previous.order_by("-starts_at").first(),
        meeting_id=meeting.pk if meeting is not None else None,
    )


def build(
    client: Client,
    starts_at: datetime.datetime,
    meeting: Meeting | None = None,
    today: datetime.date | None = None,
) -> list[Section]:
    """Every source's section that has lines, in the registry's order."""
    with scope(client):
        ctx = context_for(client, starts_at, meeting, today)
        sections = []
        for registered in sources():
            try:
                lines = list(registered.produce(ctx) or ())
            except Exception:  # one app's failure must not take the meeting pages down
                logger.exception("Agenda source %s failed for %s", registered.key, client.slug)
                continue
            if lines:
                sections.append(Section(registered.key, registered.title, lines))
    return sections


def render(sections: list[Section]) -> str:
    if not sections:
        return (
            "Nothing is open in the live data: no decisions due, no open actions, no "
            "warnings. A good week to look ahead at the roadmap.\n"
        )
    parts = []
    for section in sections:
        parts.append(f"### {section.title}\n\n" + "\n".join(ln.markdown() for ln in section.lines))
    parts.append("### Any other business")
    return "\n\n".join(parts) + "\n"


def generate(
    client: Client,
    starts_at: datetime.datetime,
    meeting: Meeting | None = None,
    today: datetime.date | None = None,
) -> str:
    """The agenda as Markdown, ready to be stored in ``Meeting.agenda`` and edited."""
    return render(build(client, starts_at, meeting, today))


# --- helpers for sources ------------------------------------------------------------------------


def url_for(client: Client, *candidates: tuple[str, int | None]) -> str:
    """The first of these URL names that exists (other apps' pages may not exist yet)."""
    for name, pk in candidates:
        kwargs: dict[str, Any] = {"client_slug": client.slug}
        if pk is not None:
            kwargs["pk"] = pk
        try:
            return reverse(name, kwargs=kwargs)
        except NoReverseMatch:
            continue
    return ""


def days_phrase(day: datetime.date, today: datetime.date) -> str:
    days = (day - today).days
    if days == 0:
        return "today"
    unit = "day" if abs(days) == 1 else "days"
    return f"in {days} {unit}" if days > 0 else f"{-days} {unit} ago"


def due_note(due: datetime.date | None, on: datetime.date) -> str:
    if due is None:
        return "no due date"
    if due < on:
        return f"overdue since {due:%Y-%m-%d}"
    return f"due {due:%Y-%m-%d}"


def project_is_stalled(project: Project, today: datetime.date) -> bool:
    """The project rule of issue 6, kept in one place: ``services_projects.is_stalled``
    (no status update for longer than the project's update cadence)."""
    return is_stalled(project, today)


# --- the sources of delivery itself -------------------------------------------------------------


@source("carried_over", "Carried over", order=10)
def carried_over(ctx: AgendaContext) -> list[AgendaLine]:
    items = (
        ActionItem.objects.filter(
            status=ActionItem.Status.OPEN, meeting__starts_at__lt=ctx.starts_at
        )
        .exclude(meeting_id=ctx.meeting_id or 0)
        .select_related("owner", "meeting")
        .order_by(F("due_on").asc(nulls_last=True), "pk")
    )
    url = url_for(ctx.client, ("delivery:action-list", None))
    return [
        AgendaLine(
            f"{item.title} ({item.owner.name})",
            url,
            f"{due_note(item.due_on, ctx.on)}; from the meeting of "
            f"{local_date(ctx.client, item.meeting.starts_at):%Y-%m-%d}",
        )
        for item in items
    ]


@source("actions_due", "Actions due", order=20)
def actions_due(ctx: AgendaContext) -> list[AgendaLine]:
    items = (
        ActionItem.objects.filter(status=ActionItem.Status.OPEN, due_on__lt=ctx.next_on)
        .filter(Q(meeting__isnull=True) | Q(meeting__starts_at__gte=ctx.starts_at))
        .exclude(meeting_id=ctx.meeting_id or 0)  # not this meeting's own (pk 0: none)
        .select_related("owner")
        .order_by("due_on", "pk")
    )
    url = url_for(ctx.client, ("delivery:action-list", None))
    return [
        AgendaLine(f"{item.title} ({item.owner.name})", url, due_note(item.due_on, ctx.on))
        for item in items
    ]


@source("decisions_due", "Decisions due", order=30)
def decisions_due(ctx: AgendaContext) -> list[AgendaLine]:
    decisions = Decision.objects.filter(
        status=Decision.Status.PENDING, deadline__isnull=False, deadline__lte=ctx.next_on
    ).select_related("decider")
    lines = []
    for decision in decisions.order_by("deadline", "pk"):
        when = "deadline passed" if decision.deadline < ctx.on else "deadline"
        lines.append(
            AgendaLine(
                decision.question,
                url_for(
                    ctx.client,
                    ("delivery:decision-detail", decision.pk),
                    ("delivery:decision-list", None),
                ),
                f"{when} {decision.deadline:%Y-%m-%d}; {decision.decider} decides",
            )
        )
    return lines


@source("projects", "Stalled or at-risk projects", order=40)
def projects(ctx: AgendaContext) -> list[AgendaLine]:
    latest = ProjectUpdate.objects.filter(project=OuterRef("pk")).order_by("-on", "-pk")
    rows = (
        Project.objects.filter(status=Project.Status.ACTIVE)
        .select_related("owner")
        .annotate(health=Subquery(latest.values("health")[:1]))
        .order_by("name")
    )
    labels = dict(ProjectUpdate.Health.choices)
    lines = []
    for project in rows:
        reasons = []
        if project_is_stalled(project, ctx.today):
            last = project.latest_update_on
            reasons.append(
                f"stalled: last update {last:%Y-%m-%d}" if last else "stalled: no update yet"
            )
        if project.health in (ProjectUpdate.Health.AT_RISK, ProjectUpdate.Health.OFF_TRACK):
            reasons.append(labels[project.health].lower())
        if reasons:
            url = url_for(
                ctx.client,
                ("delivery:project-detail", project.pk),
                ("delivery:project-list", None),
            )
            note = "; ".join(reasons) + f"; owner {project.owner.name}"
            lines.append(AgendaLine(project.name, url, note))
    return lines


# --- the sources of other apps (each absent when its app is) --------------------------------------


@source("notice_deadlines", "Contract notice deadlines (next 60 days)", order=50)
def notice_deadlines(ctx: AgendaContext) -> list[AgendaLine] | None:
    try:
        from ciodesk.vendors import contracts as dates
        from ciodesk.vendors.models import Contract
    except ImportError:
        return None
    horizon = ctx.on + datetime.timedelta(days=NOTICE_WINDOW_DAYS)
    rows = dates.rows(Contract.objects.select_related("vendor"), ctx.today)
    lines = []
    for row in rows:
        facts = row.facts
        if facts.status == dates.EXPIRED or not ctx.today <= facts.notice_deadline <= horizon:
            continue
        contract = row.contract
        renews = "renews" if contract.auto_renew else "ends"
        lines.append(
            AgendaLine(
                f"{contract.vendor.name} — {contract.title}",
                url_for(ctx.client, ("vendors:contract-detail", contract.pk)),
                f"give notice by {facts.notice_deadline:%Y-%m-%d} "
                f"({days_phrase(facts.notice_deadline, ctx.today)}); {renews} "
                f"{facts.renewal_date:%Y-%m-%d}; {money(contract.annual_value, contract.currency)}"
                " a year",
            )
        )
    return lines


@source("controls", "Stale or failing controls", order=60)
def controls(ctx: AgendaContext) -> list[AgendaLine] | None:
    try:
        from ciodesk.security import state as control_state
        from ciodesk.security.services_controls import states
    except ImportError:
        return None
    # ensure=False: the agenda reads what exists and never creates a client's baseline.
    weak = [
        s
        for s in states(ctx.on, ensure=False).values()
        if s.effective in (control_state.STALE, control_state.NOT_IN_PLACE)
    ]
    weak.sort(key=lambda s: (s.effective != control_state.NOT_IN_PLACE, s.control.definition.order))
    lines = []
    for s in weak[:MAX_CONTROL_LINES]:
        if s.effective == control_state.NOT_IN_PLACE:
            note = "not in place"
        elif s.due_on is None:
            note = "stale: no dated evidence"
        else:
            note = f"stale since {s.due_on:%Y-%m-%d}: verify it again"
        url = url_for(ctx.client, ("security:control-detail", s.control.pk))
        note += f"; owner {s.control.owner.name}"
        lines.append(AgendaLine(s.control.definition.title, url, note))
    if len(weak) > MAX_CONTROL_LINES:
        more = len(weak) - MAX_CONTROL_LINES
        url = url_for(ctx.client, ("security:control-list", None))
        lines.append(AgendaLine(f"and {more} more", url))
    return lines


@source("new_risks", "New high risks", order=70)
def new_risks(ctx: AgendaContext) -> list[AgendaLine] | None:
    try:
        from ciodesk.security.models import Risk
        from ciodesk.security.services_risks import band
    except ImportError:
        return None
    risks = (
        Risk.objects.filter(status=Risk.Status.OPEN, created_on__gte=ctx.since)
        .annotate(points=F("likelihood") * F("impact"))
        .filter(points__gte=HIGH_RISK_SCORE)
        .select_related("owner")
        .order_by("-points", "title")
    )
    return [
        AgendaLine(
            risk.title,
            url_for(ctx.client, ("security:risk-detail", risk.pk)),
            f"score {risk.points} ({band(risk.points)}); added {risk.created_on:%Y-%m-%d}; "
            f"owner {risk.owner.name}",
        )
        for risk in risks
    ]


def previous_month(day: datetime.date) -> tuple[datetime.date, datetime.date]:
    last = day.replace(day=1) - datetime.timedelta(days=1)
    return last.replace(day=1), last


def sla_target(policy: Any) -> float:
    """The policy's attainment target when the model carries one, else 90 %."""
    value = getattr(policy, "target_attainment_pct", None)
    return float(value) if value else float(DEFAULT_SLA_TARGET_PCT)


@source("sla", "SLA attainment below target last month", order=80)
def sla(ctx: AgendaContext) -> list[AgendaLine] | None:
    try:
        from ciodesk.vendors.models import Vendor
        from ciodesk.vendors.scorecard import ScorecardError, compute_scorecard, sla_policy_for
    except ImportError:
        return None
    since, until = previous_month(ctx.on)
    lines = []
    for vendor in Vendor.objects.filter(category=Vendor.Category.MSP).order_by("name"):
        try:
            target = sla_target(sla_policy_for(vendor, since, until))
            card = compute_scorecard(ctx.client, vendor, since, until)
        except ScorecardError:
            continue  # no SLA policy: nothing to measure against
        overall = card["overall"]
        if not overall.get("tickets"):
            continue
        url = url_for(ctx.client, ("vendors:scorecard", vendor.pk))
        if url:
            url += f"?since={since:%Y-%m-%d}&until={until:%Y-%m-%d}"
        for key, label in (("response", "first response"), ("resolution", "resolution")):
            pct = overall.get(f"{key}_attainment_pct")
            if pct is not None and pct < target:
                lines.append(
                    AgendaLine(
                        f"{vendor.name}: {label} within SLA {pct:g} %",
                        url,
                        f"target {target:g} %; {overall['tickets']} tickets in {since:%B %Y}",
                    )
                )
    return lines


def fiscal_quarter(day: datetime.date, start_month: int) -> tuple[int, int]:
    """(fiscal year named by the calendar year it ends in, quarter 1–4) of ``day``."""
    start_month = start_month or 1
    year = day.year if start_month == 1 or day.month < start_month else day.year + 1
    return year, (day.month - start_month) % 12 // 3 + 1


@source("roadmap", "Roadmap items due this quarter", order=90)
def roadmap(ctx: AgendaContext) -> list[AgendaLine] | None:
    try:
        from ciodesk.roadmap.models import RoadmapItem
    except ImportError:
        return None
    year, quarter = fiscal_quarter(ctx.on, ctx.client.fiscal_year_start_month)
    items = (
        RoadmapItem.objects.filter(fiscal_year=year, quarter=quarter)
        .exclude(status__in=[RoadmapItem.Status.DONE, RoadmapItem.Status.DROPPED])
        .select_related("owner")
        .order_by("manual_rank", "title")
    )
    return [
        AgendaLine(
            item.title,
            url_for(
                ctx.client,
                ("roadmap:item-detail", item.pk),
                ("roadmap:item-list", None),
                ("roadmap:board", None),
            ),
            f"{item.get_status_display().lower()}; FY{year} Q{quarter}; owner {item.owner.name}",
        )
        for item in items
    ]


@source("budget", "Budget variance", order=100)
def budget(ctx: AgendaContext) -> list[AgendaLine] | None:
    try:
        from ciodesk.budget.fiscal import fiscal_year_of
        from ciodesk.budget.models import BudgetLine
        from ciodesk.budget.services_budget import budget_view
    except ImportError:
        return None
    year = fiscal_year_of(ctx.today, ctx.client.fiscal_year_start_month or 1)
    if not BudgetLine.objects.filter(budget__fiscal_year=year).exists():
        return None  # no budget this year: nothing to compare with (and nothing is created)
    view = budget_view(ctx.client, year, today=ctx.today)
    planned = view.to_date(view.total.budget)
    actual = view.to_date(view.total.actual)
    if view.completed == 0 or planned <= 0:
        return None
    variance = actual - planned
    pct = variance * 100 / planned
    if abs(pct) < BUDGET_VARIANCE_PCT:
        return None
    side = "over" if variance > 0 else "under"
    return [
        AgendaLine(
            f"IT spend {view.fy.label} to date: {money(actual, view.currency)} against "
            f"{money(planned, view.currency)} budgeted",
            url_for(ctx.client, ("budget:budget-year", None), ("budget:overview", None)),
            f"{side} by {money(abs(variance), view.currency)} ({abs(pct):.0f} %) after "
            f"{view.completed} month{'s' if view.completed != 1 else ''}",
        )
    ]
