"""Vendors in the reports: contracts by notice deadline, the main MSP's SLA attainment,
open escalations; the QBR's scorecards with their charts; the dossier's contract list.

Contract dates come from ``vendors.contracts`` (renewal date, notice deadline, status) and
SLA figures from ``vendors.scorecard`` over the same period the scorecard page shows by
default (the last full month), so the numbers match the vendors pages.

"The main MSP" is the vendor with an SLA policy whose tickets were most numerous in the
period; the brief shows its attainment only, which keeps the brief to a constant number
of queries. The QBR shows a scorecard for each of up to ``MAX_SCORECARDS`` vendors with an
SLA policy, most tickets first.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count

from ciodesk.reports.sections import (
    BRIEF,
    DOSSIER,
    QBR,
    Area,
    Ctx,
    Light,
    Rule,
    judge,
    plural,
    section,
    url_for,
)
from ciodesk.vendors import contracts as dates
from ciodesk.vendors.charts import ATTAINMENT_GOAL, scorecard_charts
from ciodesk.vendors.models import Contract, Escalation, Ticket, Vendor
from ciodesk.vendors.scorecard import (
    Period,
    ScorecardError,
    compute_scorecard,
    scorecard_details,
)

RED_NOTICE_DAYS = 14
RED_SLA_PCT = 80.0
GOAL_PCT = ATTAINMENT_GOAL[0]
MAX_SCORECARDS = 2

RULE = Rule(
    red=f"a contract's notice deadline is {RED_NOTICE_DAYS} days away or less, or the main "
    f"MSP met its SLA targets on fewer than {RED_SLA_PCT:.0f} % of last month's tickets.",
    amber="a notice deadline is within 30 days, a contract is locked in (its notice deadline "
    f"has passed: it renews), the main MSP's SLA attainment last month is under the "
    f"{GOAL_PCT:.0f} % goal, or an escalation is open past its due date.",
    green="no notice deadline within 30 days, SLA attainment at or above the goal, no "
    "escalation past due.",
)


def last_full_month(today: datetime.date) -> tuple[datetime.date, datetime.date]:
    """The scorecard page's default period (vendors.views_scorecard.last_full_month)."""
    until = today.replace(day=1) - datetime.timedelta(days=1)
    return until.replace(day=1), until


@dataclass(frozen=True)
class ContractLine:
    vendor: str
    title: str
    owner: str
    renewal_date: datetime.date
    notice_deadline: datetime.date
    days: int
    days_text: str
    status: str
    status_label: str
    badge: str
    auto_renew: bool
    annual_value: Decimal
    currency: str
    cancellation_method: str

    @classmethod
    def of(cls, row: dates.Row) -> ContractLine:
        c, f = row.contract, row.facts
        return cls(
            vendor=c.vendor.name,
            title=c.title,
            owner=c.owner.name,
            renewal_date=f.renewal_date,
            notice_deadline=f.notice_deadline,
            days=f.days_to_notice_deadline,
            days_text=f.days_text,
            status=f.status,
            status_label=f.status_label,
            badge=f.badge,
            auto_renew=c.auto_renew,
            annual_value=c.annual_value,
            currency=c.currency,
            cancellation_method=c.cancellation_method,
        )


@dataclass(frozen=True)
class SlaLine:
    vendor: str
    since: datetime.date
    until: datetime.date
    tickets: int
    response_pct: float | None
    resolution_pct: float | None
    url: str = ""

    @property
    def lowest(self) -> float | None:
        values = [v for v in (self.response_pct, self.resolution_pct) if v is not None]
        return min(values) if values else None

    @property
    def month(self) -> str:
        return f"{self.since:%B %Y}"


@dataclass(frozen=True)
class EscalationLine:
    vendor: str
    issue: str
    severity: str
    raised_on: datetime.date
    due: datetime.date | None
    overdue: bool
    owner: str
    resolved_on: datetime.date | None = None


@dataclass
class VendorsNow:
    as_of: datetime.date
    currency: str
    contracts: list[ContractLine]
    escalations: list[EscalationLine]
    sla: SlaLine | None
    url: str = ""

    @property
    def live(self) -> list[ContractLine]:
        return [c for c in self.contracts if c.status != dates.EXPIRED]

    @property
    def act_now(self) -> list[ContractLine]:
        return [c for c in self.contracts if c.status == dates.ACT_NOW]

    @property
    def locked_in(self) -> list[ContractLine]:
        return [c for c in self.contracts if c.status == dates.LOCKED_IN]

    @property
    def attention(self) -> list[ContractLine]:
        return [c for c in self.contracts if c.status in (dates.ACT_NOW, dates.LOCKED_IN)]

    @property
    def next_deadline(self) -> ContractLine | None:
        ahead = [c for c in self.live if c.days >= 0]
        return min(ahead, key=lambda c: c.notice_deadline) if ahead else None

    @property
    def annual_value(self) -> Decimal:
        """Live contracts' annual value in the client's currency (others left out)."""
        return sum((c.annual_value for c in self.live if c.currency == self.currency), Decimal(0))

    @property
    def overdue_escalations(self) -> list[EscalationLine]:
        return [e for e in self.escalations if e.overdue]

    @property
    def light(self) -> Light:
        soon = [c for c in self.act_now if c.days <= RED_NOTICE_DAYS]
        later = [c for c in self.act_now if c.days > RED_NOTICE_DAYS]

        def named(items: list[ContractLine]) -> str:
            return ", ".join(f"{c.vendor} ({c.notice_deadline:%Y-%m-%d})" for c in items)

        low = self.sla.lowest if self.sla else None
        sla_text = (
            f"{self.sla.vendor} met {low:g} % of SLA targets in {self.sla.month}"
            if low is not None
            else ""
        )
        return judge(
            red=[
                f"notice deadline within {RED_NOTICE_DAYS} days: {named(soon)}" if soon else "",
                sla_text if low is not None and low < RED_SLA_PCT else "",
            ],
            amber=[
                f"notice deadline within 30 days: {named(later)}" if later else "",
                f"locked in: {named(self.locked_in)}" if self.locked_in else "",
                sla_text if low is not None and RED_SLA_PCT <= low < GOAL_PCT else "",
                f"{plural(len(self.overdue_escalations), 'escalation')} past due"
                if self.overdue_escalations
                else "",
            ],
            green="no notice deadline within 30 days; SLA attainment on goal",
        )

    @property
    def headline(self) -> str:
        parts = [plural(len(self.live), "live contract")]
        nxt = self.next_deadline
        if nxt is not None:
            parts.append(f"next notice deadline {nxt.notice_deadline:%Y-%m-%d} ({nxt.vendor})")
        if self.sla and self.sla.lowest is not None:
            parts.append(
                f"{self.sla.vendor} SLA {self.sla.month}: response "
                f"{_pct(self.sla.response_pct)}, resolution {_pct(self.sla.resolution_pct)}"
            )
        return "; ".join(parts)

    @property
    def area(self) -> Area:
        return Area("vendors", "Vendors", self.light, self.headline, RULE, self.url)


def _pct(value: float | None) -> str:
    return "no data" if value is None else f"{value:g} %"


def contract_lines(today: datetime.date) -> list[ContractLine]:
    """Every contract with its dates, nearest notice deadline first (one query)."""
    contracts = Contract.objects.select_related("vendor", "owner")
    return [ContractLine.of(row) for row in dates.rows(contracts, today)]


def escalation_lines(today: datetime.date, open_only: bool = True) -> list[EscalationLine]:
    escalations = Escalation.objects.select_related("vendor", "owner")
    if open_only:
        escalations = escalations.filter(resolved_on__isnull=True)
    return [
        EscalationLine(
            e.vendor.name,
            e.issue,
            e.get_severity_display(),
            e.raised_on,
            e.due,
            e.resolved_on is None and e.due is not None and e.due < today,
            e.owner.name,
            e.resolved_on,
        )
        for e in escalations
    ]


def busiest_vendors(client, since: datetime.date, until: datetime.date, limit: int) -> list:
    """Vendors with an SLA policy, most tickets created in the period first (two queries)."""
    period = Period.of(client, since, until)
    with_sla = Contract.objects.filter(sla__isnull=False).values("vendor")
    ranked = list(
        Ticket.objects.filter(
            created_at__gte=period.start, created_at__lt=period.end, vendor__in=with_sla
        )
        .values("vendor")
        .annotate(n=Count("pk"))
        .order_by("-n", "vendor")[:limit]
    )
    if not ranked:
        return []
    vendors = Vendor.objects.in_bulk([row["vendor"] for row in ranked])
    return [vendors[row["vendor"]] for row in ranked if row["vendor"] in vendors]


def main_msp_sla(client, today: datetime.date) -> SlaLine | None:
    since, until = last_full_month(today)
    found = busiest_vendors(client, since, until, 1)
    if not found:
        return None
    vendor = found[0]
    try:
        card = compute_scorecard(client, vendor, since, until)
    except ScorecardError:
        return None
    overall = card["overall"]
    return SlaLine(
        vendor.name,
        since,
        until,
        overall["tickets"],
        overall["response_attainment_pct"],
        overall["resolution_attainment_pct"],
        url_for(client, "vendors:scorecard", pk=vendor.pk),
    )


def vendors_now(client, today: datetime.date) -> VendorsNow | None:
    contracts = contract_lines(today)
    escalations = escalation_lines(today)
    sla = main_msp_sla(client, today)
    if not contracts and not escalations and sla is None:
        return None
    return VendorsNow(
        as_of=today,
        currency=client.currency,
        contracts=contracts,
        escalations=escalations,
        sla=sla,
        url=url_for(client, "vendors:contract-list"),
    )


@section("vendors", kinds=[BRIEF], order=20)
def brief(ctx: Ctx) -> VendorsNow | None:
    return vendors_now(ctx.client, ctx.today)


# --- the QBR ----------------------------------------------------------------------------------


@dataclass
class Scorecard:
    vendor: str
    card: dict[str, Any]
    charts: list

    @property
    def overall(self) -> dict[str, Any]:
        return self.card["overall"]


@dataclass
class VendorsQuarter:
    now: VendorsNow
    start: datetime.date
    end: datetime.date
    scorecards: list[Scorecard] = field(default_factory=list)
    raised: list[EscalationLine] = field(default_factory=list)
    goal: float = GOAL_PCT

    @property
    def area(self) -> Area:
        return self.now.area

    @property
    def contracts(self) -> list[ContractLine]:
        return self.now.live


@section("vendors", kinds=[QBR], order=20)
def quarter(ctx: Ctx) -> VendorsQuarter | None:
    now = vendors_now(ctx.client, ctx.today)
    if now is None or ctx.period is None:
        return None
    start, end = ctx.period.start, ctx.period.end
    cards = []
    for vendor in busiest_vendors(ctx.client, start, end, MAX_SCORECARDS):
        try:
            data = scorecard_details(ctx.client, vendor, start, end)
        except ScorecardError:
            continue
        cards.append(Scorecard(vendor.name, data, scorecard_charts(data, data["volume_by_month"])))
    raised = [
        e for e in escalation_lines(ctx.today, open_only=False) if start <= e.raised_on <= end
    ]
    return VendorsQuarter(now, start, end, cards, raised)


# --- the dossier ------------------------------------------------------------------------------


@dataclass(frozen=True)
class VendorLine:
    name: str
    category: str
    account_manager: str
    website: str
    owner: str
    notes: str


@dataclass
class VendorsDossier:
    vendors: list[VendorLine]
    contracts: list[ContractLine]
    escalations: list[EscalationLine]
    currency: str


@section("vendors", kinds=[DOSSIER], order=20)
def dossier(ctx: Ctx) -> VendorsDossier | None:
    vendors = [
        VendorLine(
            v.name, v.get_category_display(), v.account_manager, v.website, v.owner.name, v.notes
        )
        for v in Vendor.objects.select_related("owner")
    ]
    if not vendors:
        return None
    return VendorsDossier(
        vendors=vendors,
        contracts=contract_lines(ctx.today),
        escalations=escalation_lines(ctx.today),
        currency=ctx.client.currency,
    )
