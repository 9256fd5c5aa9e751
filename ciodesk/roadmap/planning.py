"""Priority, quarters and the cost roll-up: what the roadmap pages compute from items.

Priority, in plain words: the risk an item reduces times the business value it brings,
divided by what it costs. Each factor carries the client's weight (PriorityWeights), and
cost is counted in the weights' cost unit (one-time cost plus a year of recurring cost),
never less than one unit, so a free item does not divide by zero. A manual rank, when set,
puts an item ahead of every computed score (rank 1 first).

Fiscal quarters are ``ciodesk.reports.periods.Quarter``: the same months as the budget and
the board report (fiscal years named by the calendar year in which they end).
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from ciodesk.reports.periods import Quarter, parse_period, quarter_of, start_month_of
from ciodesk.roadmap.models import PriorityWeights

BOARD_QUARTERS = 6
COST_FLOOR_UNITS = Decimal(1)
DEFAULT_WEIGHTS = PriorityWeights(
    risk_weight=Decimal("1.00"), value_weight=Decimal("1.00"), cost_unit=Decimal("1000.00")
)
NO_RANK = 10**6


def weights_for(client: Any) -> PriorityWeights:
    """The client's weights (the defaults, unsaved, until someone edits them)."""
    return PriorityWeights.objects.first() or DEFAULT_WEIGHTS


def cost_units(one_time: Decimal, recurring: Decimal, weights: PriorityWeights) -> Decimal:
    unit = weights.cost_unit or DEFAULT_WEIGHTS.cost_unit
    return max(COST_FLOOR_UNITS, (Decimal(one_time) + Decimal(recurring)) / unit)


def score(item: Any, weights: PriorityWeights) -> Decimal:
    """(risk reduced × risk weight) × (business value × value weight) ÷ cost in units."""
    risk = Decimal(item.risk_reduced) * weights.risk_weight
    value = Decimal(item.business_value) * weights.value_weight
    units = cost_units(item.one_time_cost, item.recurring_cost, weights)
    return (risk * value / units).quantize(Decimal("0.01"))


def explain(item: Any, weights: PriorityWeights) -> str:
    """The formula with this item's numbers, in words a client can check."""
    units = cost_units(item.one_time_cost, item.recurring_cost, weights)
    return (
        f"risk reduced {item.risk_reduced} × weight {weights.risk_weight:g} "
        f"× business value {item.business_value} × weight {weights.value_weight:g} "
        f"÷ cost {units:.2f} units of {weights.cost_unit:,.0f} "
        f"= {score(item, weights)}"
    )


def rank_key(item: Any, weights: PriorityWeights) -> tuple:
    manual = item.manual_rank if item.manual_rank is not None else NO_RANK
    return (manual, -score(item, weights), item.title.lower(), item.pk or 0)


def by_priority(items: Iterable[Any], weights: PriorityWeights) -> list[Any]:
    """Manual ranks first (1 first), then the highest score; each item gets `.score`."""
    items = list(items)
    for item in items:
        item.score = score(item, weights)
    return sorted(items, key=lambda i: rank_key(i, weights))


# --- quarters -----------------------------------------------------------------------------


def current_quarter(client: Any, today: datetime.date | None = None) -> Quarter:
    return quarter_of(today or client.today(), start_month_of(client))


def board_quarters(client: Any, count: int = BOARD_QUARTERS, today=None) -> list[Quarter]:
    """The current fiscal quarter and the ones after it: the board's columns."""
    quarters = [current_quarter(client, today)]
    while len(quarters) < count:
        quarters.append(quarters[-1].next())
    return quarters


def plan_choices(client: Any, today=None, short: bool = False) -> list[tuple[str, str]]:
    """Where an item can be moved: unscheduled, the last quarter, the next eight."""
    start = current_quarter(client, today).previous()
    quarters = [start]
    while len(quarters) < 10:
        quarters.append(quarters[-1].next())
    labels = [(q.key, q.label if short else f"{q.label} ({q.span})") for q in quarters]
    return [("", "Unscheduled"), *labels]


def parse_slot(text: str, client: Any) -> tuple[int | None, int | None]:
    """ "2027Q1" → (2027, 1); "" → (None, None). PeriodError when it is neither."""
    if not (text or "").strip():
        return None, None
    q = parse_period(text, client)
    return q.fiscal_year, q.quarter


def slot_label(fiscal_year: int | None, quarter: int | None) -> str:
    if fiscal_year and quarter:
        return f"Q{quarter} FY{fiscal_year}"
    return f"FY{fiscal_year}" if fiscal_year else "Unscheduled"


# --- the board ----------------------------------------------------------------------------


@dataclass
class Column:
    key: str  # "2027Q1", "" for unscheduled, "earlier", "later"
    title: str
    detail: str = ""
    items: list = field(default_factory=list)
    droppable: bool = True

    @property
    def one_time(self) -> Decimal:
        return sum((i.one_time_cost for i in self.items), Decimal("0.00"))

    @property
    def recurring(self) -> Decimal:
        return sum((i.recurring_cost for i in self.items), Decimal("0.00"))


def board(client: Any, items: Sequence[Any], today=None) -> list[Column]:
    """Items by quarter: earlier (not done), the six board quarters, later, unscheduled.

    Column totals add the items' amounts as they are: one currency per client is assumed."""
    quarters = board_quarters(client, today=today)
    first, last = quarters[0], quarters[-1]
    columns = {q.key: Column(q.key, q.label, q.span) for q in quarters}
    earlier = Column("earlier", "Earlier", f"before {first.label}", droppable=False)
    later = Column("later", "Later", f"after {last.label}", droppable=False)
    unscheduled = Column("", "Unscheduled", "no quarter yet")
    for item in items:
        if not (item.fiscal_year and item.quarter):
            unscheduled.items.append(item)
            continue
        slot = (item.fiscal_year, item.quarter)
        key = f"{item.fiscal_year}Q{item.quarter}"
        if key in columns:
            columns[key].items.append(item)
        elif slot < (first.fiscal_year, first.quarter):
            if item.status != "done":  # what is done in a past quarter is history
                earlier.items.append(item)
        else:
            later.items.append(item)
    result = list(columns.values())
    if earlier.items:
        result.insert(0, earlier)
    if later.items:
        result.append(later)
    result.append(unscheduled)
    return result


# --- the cost roll-up ---------------------------------------------------------------------


@dataclass
class RollupRow:
    label: str
    fiscal_year: int | None
    quarter: int | None
    currency: str
    one_time: Decimal = Decimal("0.00")
    recurring: Decimal = Decimal("0.00")
    items: int = 0
    is_year: bool = False

    @property
    def total(self) -> Decimal:
        return self.one_time + self.recurring


def rollup(items: Iterable[Any]) -> list[RollupRow]:
    """One-time and recurring (per year) cost per quarter, then per fiscal year, per currency.

    Quarter rows come in order, each fiscal year's total row after its last quarter;
    unscheduled items last.
    """
    quarters: dict[tuple, RollupRow] = {}
    years: dict[tuple, RollupRow] = {}
    for item in items:
        fy, q, cur = item.fiscal_year, item.quarter, item.currency
        for key, store, label, is_year in (
            ((fy or 0, q or 0, cur), quarters, slot_label(fy, q), False),
            ((fy or 0, cur), years, f"FY{fy} total" if fy else "", True),
        ):
            if is_year and not fy:
                continue
            row = store.get(key)
            if row is None:
                row = store[key] = RollupRow(label, fy, q if not is_year else None, cur)
                row.is_year = is_year
            row.one_time += item.one_time_cost
            row.recurring += item.recurring_cost
            row.items += 1
    ordered: list[RollupRow] = []
    by_year: dict[int, list[RollupRow]] = defaultdict(list)
    for key in sorted(quarters, key=lambda k: (k[0] or 9999, k[1] or 9, k[2])):
        by_year[key[0]].append(quarters[key])
    for fy in sorted(by_year, key=lambda y: y or 9999):
        ordered.extend(by_year[fy])
        if fy:
            ordered.extend(years[k] for k in sorted(years) if k[0] == fy)
    return ordered
