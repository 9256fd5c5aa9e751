"""“Owned by”: everything one person owns at a client, across the apps, overdue first.

A registry, like the portfolio's figures: each *source* is one small function that receives
the client, the person and the client's today and returns rows, in ONE query (two at most)
whatever the number of records. A source whose app has not landed returns nothing: its
import is guarded, and a page it links to that does not exist yet gives an empty link.

Overdue, per source: a decision past its deadline; a project past its target date or
stalled; an action item or milestone past its due date; a control gone stale; a risk past
its next review; a contract whose notice deadline has passed (locked in for another term);
an escalation, tabletop action, transition task or questionnaire past its due date; a
roadmap item whose fiscal quarter has ended and which is not done; an insurance policy past
its renewal date.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.urls import NoReverseMatch, reverse

from ciodesk.delivery import services_projects


@dataclass(frozen=True)
class OwnedRow:
    kind: str
    title: str
    url: str
    due: datetime.date | None
    overdue: bool
    detail: str = ""


@dataclass(frozen=True)
class Ask:
    """What a source is asked: whose items, at which client, as of which day."""

    client: Any
    person: Any
    today: datetime.date

    def url(self, *candidates: tuple[str, int | None], anchor: str = "") -> str:
        """The first candidate URL name that exists (apps land at different times)."""
        for name, pk in candidates:
            kwargs = {"client_slug": self.client.slug}
            if pk is not None:
                kwargs["pk"] = pk
            try:
                return reverse(name, kwargs=kwargs) + anchor
            except NoReverseMatch:
                continue
        return ""

    def late(self, due: datetime.date | None) -> bool:
        return due is not None and due < self.today


Source = Callable[[Ask], Iterable[OwnedRow]]
_sources: dict[str, tuple[int, Source]] = {}


def source(key: str, order: int = 100) -> Callable[[Source], Source]:
    def add(fn: Source) -> Source:
        _sources[key] = (order, fn)
        return fn

    return add


def sources() -> list[tuple[str, Source]]:
    return [(k, v[1]) for k, v in sorted(_sources.items(), key=lambda kv: (kv[1][0], kv[0]))]


def sort_key(row: OwnedRow) -> tuple:
    """Overdue first; then by due date, undated last; then kind and title."""
    return (not row.overdue, row.due is None, row.due or datetime.date.max, row.kind, row.title)


def owned_by(client: Any, person: Any, today: datetime.date) -> list[OwnedRow]:
    """Every registered source's rows for `person`, overdue first. Runs in the client's scope."""
    ask = Ask(client, person, today)
    rows = [row for _, fn in sources() for row in fn(ask)]
    return sorted(rows, key=sort_key)


# --- delivery ---------------------------------------------------------------------------------


@source("delivery.decisions", 10)
def decisions(ask: Ask) -> list[OwnedRow]:
    from ciodesk.delivery.models import Decision

    qs = Decision.objects.filter(owner=ask.person, status=Decision.Status.PENDING)
    return [
        OwnedRow(
            "Decision",
            d.question,
            ask.url(("delivery:decision-detail", d.pk)),
            d.deadline,
            ask.late(d.deadline),
            f"waiting for {d.decider}",
        )
        for d in qs.select_related("decider")
    ]


@source("delivery.projects", 20)
def projects(ask: Ask) -> list[OwnedRow]:
    from ciodesk.delivery.models import Project

    live = [Project.Status.ACTIVE, Project.Status.ON_HOLD]
    rows = []
    for p in Project.objects.filter(owner=ask.person, status__in=live):
        stalled = services_projects.is_stalled(p, ask.today)
        past = p.status == Project.Status.ACTIVE and ask.late(p.target_on)
        notes = [p.get_status_display()] + (["stalled"] if stalled else [])
        notes += ["past its target date"] if past else []
        url = ask.url(("delivery:project-detail", p.pk))
        rows.append(
            OwnedRow("Project", p.name, url, p.target_on, stalled or past, ", ".join(notes))
        )
    return rows


@source("delivery.milestones", 30)
def milestones(ask: Ask) -> list[OwnedRow]:
    from ciodesk.delivery.models import Milestone, Project

    live = [Project.Status.ACTIVE, Project.Status.ON_HOLD]
    qs = Milestone.objects.filter(
        project__owner=ask.person, project__status__in=live, done_on__isnull=True
    ).select_related("project")
    return [
        OwnedRow(
            "Milestone",
            m.title,
            ask.url(("delivery:project-detail", m.project_id), anchor=f"#milestone-{m.pk}"),
            m.due_on,
            ask.late(m.due_on),
            f"project {m.project.name}",
        )
        for m in qs
    ]


@source("delivery.actions", 40)
def action_items(ask: Ask) -> list[OwnedRow]:
    from ciodesk.delivery.models import ActionItem

    url = ask.url(("delivery:action-list", None))
    url = f"{url}?owner={ask.person.pk}" if url else ""
    qs = ActionItem.objects.filter(owner=ask.person, status=ActionItem.Status.OPEN)
    return [
        OwnedRow("Action item", a.title, url, a.due_on, ask.late(a.due_on))
        for a in qs.select_related("project")
    ]


@source("delivery.meetings", 50)
def meetings(ask: Ask) -> list[OwnedRow]:
    """Meetings they run that are still ahead (never overdue)."""
    from django.utils import timezone

    from ciodesk.delivery.models import Meeting

    qs = Meeting.objects.filter(owner=ask.person, starts_at__gte=timezone.now())
    return [
        OwnedRow(
            "Meeting",
            m.title,
            ask.url(("delivery:meeting-detail", m.pk)),
            timezone.localtime(m.starts_at, ask.client.tz).date(),
            False,
        )
        for m in qs
    ]


# --- security ---------------------------------------------------------------------------------


@source("security.controls", 110)
def controls(ask: Ask) -> list[OwnedRow]:
    try:
        from ciodesk.security.models import ClientControl
        from ciodesk.security.state import STALE, state_of
    except ImportError:
        return []
    rows = []
    for control in ClientControl.objects.filter(owner=ask.person).select_related("definition"):
        state = state_of(control, ask.today)
        url = ask.url(("security:control-detail", control.pk), ("security:control-list", None))
        stale = state.effective == STALE
        rows.append(OwnedRow("Control", str(control), url, state.due_on, stale, state.label))
    return rows


@source("security.risks", 120)
def risks(ask: Ask) -> list[OwnedRow]:
    try:
        from ciodesk.security.models import Risk
    except ImportError:
        return []
    qs = Risk.objects.filter(owner=ask.person, status=Risk.Status.OPEN)
    return [
        OwnedRow(
            "Risk",
            r.title,
            ask.url(("security:risk-detail", r.pk), ("security:risk-list", None)),
            r.next_review_on,
            ask.late(r.next_review_on),
            f"score {r.score}, review due" if r.next_review_on else f"score {r.score}",
        )
        for r in qs
    ]


@source("security.ir", 130)
def security_work(ask: Ask) -> list[OwnedRow]:
    """Questionnaires still in review, open tabletop actions, incidents not closed."""
    try:
        from ciodesk.security.models import Incident, Questionnaire, TabletopAction
    except ImportError:
        return []
    rows = []
    for q in Questionnaire.objects.filter(owner=ask.person).exclude(status="sent"):
        url = ask.url(("security:questionnaire-detail", q.pk))
        detail = f"for {q.requested_by}" if q.requested_by else ""
        rows.append(OwnedRow("Questionnaire", q.title, url, q.due_on, ask.late(q.due_on), detail))
    for t in TabletopAction.objects.filter(owner=ask.person, done=False):
        url = ask.url(("security:tabletop-detail", t.tabletop_id))
        rows.append(OwnedRow("Tabletop action", t.title, url, t.due_on, ask.late(t.due_on)))
    for i in Incident.objects.filter(owner=ask.person).exclude(status=Incident.Status.CLOSED):
        url = ask.url(("security:incident-detail", i.pk))
        rows.append(OwnedRow("Incident", i.title, url, None, False, i.get_status_display()))
    return rows


@source("security.insurance", 140)
def insurance(ask: Ask) -> list[OwnedRow]:
    try:
        from ciodesk.security.models import InsurancePolicy
    except ImportError:
        return []
    url = ask.url(("security:insurance", None))
    return [
        OwnedRow(
            "Insurance policy", str(p), url, p.renewal_date, ask.late(p.renewal_date), "renewal"
        )
        for p in InsurancePolicy.objects.filter(owner=ask.person)
    ]


# --- vendors ----------------------------------------------------------------------------------


@source("vendors.contracts", 210)
def contracts(ask: Ask) -> list[OwnedRow]:
    try:
        from ciodesk.vendors import contracts as dates
        from ciodesk.vendors.models import Contract
    except ImportError:
        return []
    qs = Contract.objects.filter(owner=ask.person).select_related("vendor")
    rows = []
    for row in dates.rows(qs, ask.today):
        facts, contract = row.facts, row.contract
        if facts.status == dates.EXPIRED:
            continue
        rows.append(
            OwnedRow(
                "Contract",
                f"{contract.vendor.name} — {contract.title}",
                ask.url(("vendors:contract-detail", contract.pk)),
                facts.notice_deadline,
                facts.status == dates.LOCKED_IN,
                f"notice deadline · {facts.status_label.replace(chr(160), ' ')}",
            )
        )
    return rows


@source("vendors.vendors", 220)
def vendors(ask: Ask) -> list[OwnedRow]:
    try:
        from ciodesk.vendors.models import Vendor
    except ImportError:
        return []
    return [
        OwnedRow("Vendor", v.name, ask.url(("vendors:vendor-detail", v.pk)), None, False)
        for v in Vendor.objects.filter(owner=ask.person)
    ]


@source("vendors.escalations", 230)
def escalations(ask: Ask) -> list[OwnedRow]:
    try:
        from ciodesk.vendors.models import Escalation, TransitionTask
    except ImportError:
        return []
    url = ask.url(("vendors:escalation-list", None))
    rows = [
        OwnedRow("Escalation", e.issue, url, e.due, ask.late(e.due), f"to {e.vendor.name}")
        for e in Escalation.objects.filter(
            owner=ask.person, resolved_on__isnull=True
        ).select_related("vendor")
    ]
    for t in TransitionTask.objects.filter(owner=ask.person, done=False):
        task_url = ask.url(("vendors:evaluation-detail", t.evaluation_id))
        rows.append(OwnedRow("Transition task", t.title, task_url, t.due, ask.late(t.due)))
    return rows


# --- roadmap, assessments, budget -------------------------------------------------------------


def quarter_end(fiscal_year: int, quarter: int, start_month: int) -> datetime.date:
    """Last day of a fiscal quarter; FY named by the calendar year in which it ends."""
    first_year = fiscal_year if start_month == 1 else fiscal_year - 1
    index = first_year * 12 + (start_month - 1) + 3 * quarter
    return datetime.date(index // 12, index % 12 + 1, 1) - datetime.timedelta(days=1)


@source("roadmap.items", 310)
def roadmap_items(ask: Ask) -> list[OwnedRow]:
    try:
        from ciodesk.roadmap.models import RoadmapItem
    except ImportError:
        return []
    closed = [RoadmapItem.Status.DONE, RoadmapItem.Status.DROPPED]
    start_month = ask.client.fiscal_year_start_month
    rows = []
    for item in RoadmapItem.objects.filter(owner=ask.person).exclude(status__in=closed):
        due = None
        if item.fiscal_year and item.quarter:
            due = quarter_end(item.fiscal_year, item.quarter, start_month)
        label = f"FY{item.fiscal_year} Q{item.quarter}" if due else "not scheduled"
        url = ask.url(
            ("roadmap:item-detail", item.pk),
            ("roadmap:item-list", None),
            ("roadmap:roadmap", None),
            ("roadmap:overview", None),
        )
        detail = f"{item.get_status_display()}, {label}"
        rows.append(OwnedRow("Roadmap item", item.title, url, due, ask.late(due), detail))
    return rows


@source("assessments.findings", 320)
def findings(ask: Ask) -> list[OwnedRow]:
    try:
        from ciodesk.assessments.models import Finding
    except ImportError:
        return []
    qs = Finding.objects.filter(owner=ask.person, status__in=["open", "planned"])
    return [
        OwnedRow(
            "Finding",
            f.title,
            ask.url(("assessments:finding-detail", f.pk), ("assessments:finding-list", None)),
            None,
            False,
            f"severity {f.severity}, {f.get_status_display().lower()}",
        )
        for f in qs
    ]


@source("assessments.assessments", 325)
def assessments(ask: Ask) -> list[OwnedRow]:
    """Assessments still being answered or reviewed."""
    try:
        from ciodesk.assessments.models import Assessment
    except ImportError:
        return []
    qs = Assessment.objects.filter(owner=ask.person).exclude(status=Assessment.Status.COMPLETE)
    return [
        OwnedRow(
            "Assessment",
            a.title,
            ask.url(("assessments:assessment-detail", a.pk)),
            None,
            False,
            f"{a.get_status_display().lower()} since {a.started_on:%Y-%m-%d}",
        )
        for a in qs
    ]


@source("budget.budgets", 330)
def budgets(ask: Ask) -> list[OwnedRow]:
    try:
        from ciodesk.budget.models import Budget
    except ImportError:
        return []
    url = ask.url(("budget:budget-year", None), ("budget:overview", None))
    return [
        OwnedRow("Budget", str(b), url, None, False)
        for b in Budget.objects.filter(owner=ask.person)
    ]
