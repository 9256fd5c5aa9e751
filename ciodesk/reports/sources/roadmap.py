"""The roadmap in the reports: progress against the fiscal quarters items are planned for,
the next quarter's priorities, and proposals as recommendations.

An item is *due* once the fiscal quarter it is planned for has ended; a due item that is
neither done nor dropped is *overdue*. Items without a quarter are unscheduled and never
overdue. Priority: the manual rank when set (1 first), then the roadmap's formula — risk
reduced × business value ÷ cost, each weighted by the client's priority weights, cost in
the weights' cost unit (one-time plus a year of recurring cost).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from ciodesk.reports.periods import Quarter, quarter_of, start_month_of
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
from ciodesk.roadmap.models import Goal, PriorityWeights, RoadmapItem

DONE, DROPPED = RoadmapItem.Status.DONE, RoadmapItem.Status.DROPPED
PROPOSED = RoadmapItem.Status.PROPOSED

RULE = Rule(
    red="half or more of the items planned for quarters that have ended are not done.",
    amber="an item planned for a quarter that has ended is not done (nor dropped).",
    green="every item planned for an ended quarter is done.",
)


@dataclass(frozen=True)
class ItemLine:
    title: str
    why: str
    status: str
    status_label: str
    owner: str
    fiscal_year: int | None
    quarter: int | None
    cost: Decimal
    one_time_cost: Decimal
    recurring_cost: Decimal
    currency: str
    rank: tuple

    @property
    def when(self) -> str:
        if self.fiscal_year and self.quarter:
            return f"Q{self.quarter} FY{self.fiscal_year}"
        return f"FY{self.fiscal_year}" if self.fiscal_year else "Unscheduled"

    @property
    def slot(self) -> tuple[int, int] | None:
        if self.fiscal_year and self.quarter:
            return (self.fiscal_year, self.quarter)
        return None


def _rank(item: RoadmapItem, weights: PriorityWeights | None) -> tuple:
    risk_w = weights.risk_weight if weights else Decimal(1)
    value_w = weights.value_weight if weights else Decimal(1)
    unit = (weights.cost_unit if weights else Decimal(1000)) or Decimal(1000)
    cost_units = max(Decimal(1), (item.one_time_cost + item.recurring_cost) / unit)
    score = item.risk_reduced * risk_w * item.business_value * value_w / cost_units
    manual = item.manual_rank if item.manual_rank is not None else 10**6
    return (manual, -score, item.title.lower())


def items(ctx: Ctx) -> list[ItemLine]:
    """Every item but the dropped ones, by priority (two queries)."""
    weights = PriorityWeights.objects.first()
    rows = RoadmapItem.objects.exclude(status=DROPPED).select_related("owner")
    lines = [
        ItemLine(
            title=i.title,
            why=i.why,
            status=i.status,
            status_label=i.get_status_display(),
            owner=i.owner.name,
            fiscal_year=i.fiscal_year,
            quarter=i.quarter,
            cost=i.one_time_cost + i.recurring_cost,
            one_time_cost=i.one_time_cost,
            recurring_cost=i.recurring_cost,
            currency=i.currency,
            rank=_rank(i, weights),
        )
        for i in rows
    ]
    return sorted(lines, key=lambda i: i.rank)


@dataclass
class RoadmapNow:
    current: Quarter
    items: list[ItemLine]
    url: str = ""

    @property
    def _now(self) -> tuple[int, int]:
        return (self.current.fiscal_year, self.current.quarter)

    @property
    def due(self) -> list[ItemLine]:
        return [i for i in self.items if i.slot is not None and i.slot < self._now]

    @property
    def overdue(self) -> list[ItemLine]:
        return [i for i in self.due if i.status != DONE]

    @property
    def this_quarter(self) -> list[ItemLine]:
        return [i for i in self.items if i.slot == self._now]

    @property
    def this_year(self) -> list[ItemLine]:
        return [i for i in self.items if i.fiscal_year == self.current.fiscal_year]

    @property
    def done_this_year(self) -> int:
        return sum(1 for i in self.this_year if i.status == DONE)

    @property
    def proposals(self) -> list[ItemLine]:
        return [i for i in self.items if i.status == PROPOSED]

    @property
    def light(self) -> Light:
        overdue, due = self.overdue, self.due
        names = ", ".join(f"{i.title} ({i.when})" for i in overdue[:4])
        more = f" and {len(overdue) - 4} more" if len(overdue) > 4 else ""
        text = f"{plural(len(overdue), 'item')} overdue: {names}{more}" if overdue else ""
        return judge(
            red=[text if due and len(overdue) * 2 >= len(due) else ""],
            amber=[text],
            green="every item due so far is done",
        )

    @property
    def headline(self) -> str:
        parts = [plural(len(self.items), "item") + " on the roadmap"]
        if self.this_year:
            parts.append(
                f"FY{self.current.fiscal_year}: {self.done_this_year} of {len(self.this_year)} done"
            )
        parts.append(f"{len(self.overdue)} overdue")
        parts.append(f"{len(self.this_quarter)} planned for {self.current.label}")
        return "; ".join(parts)

    @property
    def area(self) -> Area:
        return Area("roadmap", "Roadmap", self.light, self.headline, RULE, self.url)


def _roadmap_now(ctx: Ctx) -> RoadmapNow | None:
    lines = items(ctx)
    if not lines:
        return None
    current = quarter_of(ctx.today, start_month_of(ctx.client))
    return RoadmapNow(current, lines, url_for(ctx.client, "roadmap:item-list", "roadmap:board"))


@section("roadmap", kinds=[BRIEF], order=45)
def brief(ctx: Ctx) -> RoadmapNow | None:
    return _roadmap_now(ctx)


@dataclass
class RoadmapQuarter:
    now: RoadmapNow
    period: Quarter
    in_period: list[ItemLine] = field(default_factory=list)
    next_quarter: list[ItemLine] = field(default_factory=list)

    @property
    def area(self) -> Area:
        return self.now.area

    @property
    def done(self) -> int:
        return sum(1 for i in self.in_period if i.status == DONE)

    @property
    def next_period(self) -> Quarter:
        return self.period.next()


@section("roadmap", kinds=[QBR], order=45)
def quarter(ctx: Ctx) -> RoadmapQuarter | None:
    now = _roadmap_now(ctx)
    if now is None or ctx.period is None:
        return None
    slot = (ctx.period.fiscal_year, ctx.period.quarter)
    following = ctx.period.next()
    nxt = (following.fiscal_year, following.quarter)
    return RoadmapQuarter(
        now=now,
        period=ctx.period,
        in_period=[i for i in now.items if i.slot == slot],
        next_quarter=[i for i in now.items if i.slot == nxt and i.status != DONE],
    )


@dataclass
class RoadmapDossier:
    goals: list[tuple[str, str, str]]  # text, owner, target
    open_items: list[ItemLine]


@section("roadmap", kinds=[DOSSIER], order=45)
def dossier(ctx: Ctx) -> RoadmapDossier | None:
    lines = [i for i in items(ctx) if i.status != DONE]
    goals = [(g.text, g.owner.name, g.target) for g in Goal.objects.select_related("owner")]
    if not lines and not goals:
        return None
    lines.sort(key=lambda i: (i.slot or (9999, 9), i.rank))
    return RoadmapDossier(goals, lines)
