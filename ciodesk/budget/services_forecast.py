"""The IT forecast: what IT will cost per fiscal year and quarter, from the contracts, the
roadmap, the hardware lifecycle and the licences, with IT spend per employee and as a share
of revenue next to published benchmarks.

Every amount is computed month by month in whole cents (so quarters add up to years and
years to the total, exactly), over the fiscal years from the current one (its months
already past included: the forecast of this year is the whole year). Definitions
(docs/budget-value-forecast.md says the same for readers):

* Contracts: each contract in the client's currency costs its annual value a year, spread
  over the months of its term (twelve months add up to the annual value to the cent); a
  month is paid at the price of the term in force on its first day. The current term ends
  on the renewal date (vendors.contracts). An auto-renewing contract renews for its renewal
  term again and again; at each renewal its price rises by the yearly escalator once for
  every full year since the price last changed (a 12-month term: once a renewal; a 36-month
  term: three steps at once; month-to-month: once a year), each step rounded to the cent.
  The current price is taken to date from the start of the current term. A contract that
  does not auto-renew stops at its end date; an expired one costs nothing. A contract of a
  vendor whose licences are priced on the licences page is counted there instead (once).
* Roadmap: items not done or dropped, in the client's currency, planned for a fiscal year
  and quarter: the one-time cost in the first month of that quarter, the recurring cost (a
  year's worth) spread over the months from that quarter on, at today's prices. An item
  whose quarter is over before the forecast starts is counted from the current quarter.
  Items without a quarter are listed, not counted.
* Lifecycle replacements: services_lifecycle.lifecycle_forecast, quarter by quarter
  (devices past their replacement age counted in the current quarter), at today's unit
  costs.
* Licences: services_licences.licence_costs: the licences on file × 12 for the first
  fiscal year, raised by the escalator each following year (rounded to the cent), spread
  evenly over the months.
* Per employee: a year's total ÷ Client.employee_count; share of revenue: a year's total ÷
  Client.annual_revenue × 100 (shown only when the revenue is known).
"""

from __future__ import annotations

import datetime
import functools
import json
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from ciodesk.budget.fiscal import FiscalYear, add_months, fiscal_year_of
from ciodesk.budget.models import Category, ForecastSettings, LedgerLine
from ciodesk.budget.money import CENT, ZERO, cents_sum, from_cents
from ciodesk.budget.services_budget import spread
from ciodesk.budget.services_licences import licence_costs, licence_waste
from ciodesk.budget.services_lifecycle import lifecycle_forecast
from ciodesk.budget.services_value import licence_use_by_vendor, licence_vendors, spend_since
from ciodesk.core.scope import scope
from ciodesk.vendors import contracts as dates
from ciodesk.vendors.models import Contract

BENCHMARKS = Path(__file__).parent / "data" / "benchmarks.json"
COMPONENTS = {
    "contracts": "Contracts",
    "roadmap": "Roadmap",
    "lifecycle": "Lifecycle replacements",
    "licences": "Licences",
}
MAX_YEARS = 10
HUNDRED = Decimal(100)


def escalate(amount: Decimal, pct: Decimal, steps: int = 1) -> Decimal:
    """`amount` raised by `pct` per cent `steps` times, each step rounded to the cent."""
    for _ in range(steps):
        amount = (amount * (HUNDRED + pct) / HUNDRED).quantize(CENT, ROUND_HALF_UP)
    return amount


def cents(amount: Decimal) -> int:
    return int((amount * 100).to_integral_value(ROUND_HALF_UP))


def _cents_spread(amount: Decimal) -> list[int]:
    return [cents(m) for m in spread(amount)]


def month_index(day: datetime.date) -> int:
    return day.year * 12 + day.month - 1


# --- settings -----------------------------------------------------------------------------


def settings_for(client) -> ForecastSettings:
    """The client's forecast settings, or the defaults (not saved: reading writes nothing)."""
    with scope(client):
        found = ForecastSettings.objects.first()
    return found or ForecastSettings(client=client)


# --- the horizon --------------------------------------------------------------------------


@dataclass(frozen=True)
class Horizon:
    first: FiscalYear
    years: int

    @property
    def start(self) -> datetime.date:
        return self.first.start

    @property
    def end(self) -> datetime.date:
        return FiscalYear(self.first.year + self.years - 1, self.first.start_month).end

    @property
    def size(self) -> int:
        return 12 * self.years

    def months(self) -> list[datetime.date]:
        return [add_months(self.start, i) for i in range(self.size)]

    def index(self, day: datetime.date) -> int:
        """The month of `day` counted from the horizon's first (may be < 0 or ≥ size)."""
        return month_index(day) - month_index(self.start)

    def fiscal_years(self) -> list[FiscalYear]:
        return [FiscalYear(self.first.year + i, self.first.start_month) for i in range(self.years)]


# --- contracts ----------------------------------------------------------------------------


@dataclass
class ContractLine:
    contract: Contract
    months: list[int]
    note: str = ""
    counted: bool = True
    renewal_date: datetime.date | None = None
    prices: list[tuple[datetime.date, Decimal]] = field(default_factory=list)  # term start


def contract_months(
    contract: Contract, today: datetime.date, horizon: Horizon, escalator: Decimal
) -> ContractLine:
    """A contract's cost per month of the horizon, in cents (see the module)."""
    line = ContractLine(contract, [0] * horizon.size)
    facts = dates.facts(contract, today)
    line.renewal_date = facts.renewal_date
    if facts.status == dates.EXPIRED:
        line.note, line.counted = f"expired {contract.end_date:%Y-%m-%d}", False
        return line
    term = max(int(contract.renewal_term_months or 12), 1)
    end = facts.renewal_date
    term_start = dates.add_months(end, -term) + datetime.timedelta(days=1)
    first_day = contract.start_date or horizon.start
    price, raised = contract.annual_value, term_start
    terms = [(term_start, end, price)]
    k = 0
    while contract.auto_renew and terms[-1][1] < horizon.end:
        k += 1
        start = terms[-1][1] + datetime.timedelta(days=1)
        steps = (month_index(start) - month_index(raised)) // 12
        if steps:
            price, raised = escalate(price, escalator, steps), start
        terms.append((start, dates.add_months(end, k * term), price))
    line.prices = [(start, amount) for start, _end, amount in terms]
    spreads: dict[Decimal, list[int]] = {}
    for i, month in enumerate(horizon.months()):
        if month < first_day:
            continue
        found = next(((s, p) for s, e, p in terms if month <= e), None)
        if found is None:
            break  # after the last term: the contract has ended
        start, amount = found
        if amount not in spreads:
            spreads[amount] = _cents_spread(amount)
        line.months[i] = spreads[amount][(month_index(month) - month_index(start)) % 12]
    if not contract.auto_renew:
        line.note = f"ends {contract.end_date:%Y-%m-%d}, not renewing"
    elif len(terms) > 1:
        line.note = f"renews {facts.renewal_date:%Y-%m-%d}, every {term} months"
    return line


# --- roadmap ------------------------------------------------------------------------------


@dataclass
class RoadmapLine:
    item: object
    months: list[int]
    planned: str = ""
    note: str = ""
    counted: bool = True


def _roadmap_items():
    try:
        from ciodesk.roadmap.models import RoadmapItem
    except ImportError:  # the roadmap app is optional for the forecast
        return []
    return list(
        RoadmapItem.objects.exclude(
            status__in=[RoadmapItem.Status.DONE, RoadmapItem.Status.DROPPED]
        ).order_by("fiscal_year", "quarter", "title")
    )


def roadmap_months(item, currency: str, horizon: Horizon, today: datetime.date) -> RoadmapLine:
    line = RoadmapLine(item, [0] * horizon.size)
    if item.currency != currency:
        line.note, line.counted = f"in {item.currency}, not {currency}: not counted", False
        return line
    if not item.fiscal_year or not item.quarter:
        line.note, line.counted = "no fiscal year and quarter yet: not counted", False
        return line
    line.planned = f"FY{item.fiscal_year} Q{item.quarter}"
    begins = add_months(
        FiscalYear(item.fiscal_year, horizon.first.start_month).start, 3 * (item.quarter - 1)
    )
    index = horizon.index(begins)
    if index < 0:
        current = horizon.index(today)
        index = current - current % 3
        line.note = f"planned for {line.planned}, not done: counted from the current quarter"
    if index >= horizon.size:
        line.note, line.counted = "planned after the forecast's last year", False
        return line
    line.months[index] += cents(item.one_time_cost)
    if item.recurring_cost:
        monthly = _cents_spread(item.recurring_cost)
        for offset, i in enumerate(range(index, horizon.size)):
            line.months[i] += monthly[offset % 12]
    return line


# --- the forecast -------------------------------------------------------------------------


@dataclass
class Bucket:
    label: str
    start: datetime.date
    end: datetime.date
    amounts: dict[str, Decimal]

    @property
    def total(self) -> Decimal:
        return sum(self.amounts.values(), ZERO)


@dataclass
class Benchmark:
    label: str
    low: Decimal
    high: Decimal
    source: str
    url: str
    year: object
    confidence: str
    currency: str = ""

    @property
    def range_text(self) -> str:
        return f"{self.low:,}" if self.low == self.high else f"{self.low:,}–{self.high:,}"

    def compare(self, value: Decimal | None) -> str:
        if value is None:
            return ""
        if value < self.low:
            return "below"
        return "above" if value > self.high else "within"


@dataclass
class Forecast:
    client: object
    currency: str
    today: datetime.date
    years: int
    escalator_pct: Decimal
    horizon: Horizon
    cents: dict[str, list[int]]
    contracts: list[ContractLine]
    roadmap: list[RoadmapLine]
    lifecycle: object
    licences: object
    actual_12_months: Decimal
    per_employee_benchmarks: list[Benchmark]
    revenue_benchmarks: list[Benchmark]
    licence_vendor_names: list[str] = field(default_factory=list)

    def _buckets(self, size: int, label) -> list[Bucket]:
        months = self.horizon.months()
        out = []
        for first in range(0, self.horizon.size, size):
            amounts = {
                key: from_cents(sum(values[first : first + size]))
                for key, values in self.cents.items()
            }
            end = add_months(months[first], size) - datetime.timedelta(days=1)
            out.append(Bucket(label(first), months[first], end, amounts))
        return out

    @functools.cached_property
    def by_year(self) -> list[Bucket]:
        years = self.horizon.fiscal_years()
        return self._buckets(12, lambda first: years[first // 12].label)

    @functools.cached_property
    def by_quarter(self) -> list[Bucket]:
        years = self.horizon.fiscal_years()
        return self._buckets(3, lambda first: f"{years[first // 12].label} Q{first % 12 // 3 + 1}")

    @property
    def total(self) -> Decimal:
        return sum((b.total for b in self.by_year), ZERO)

    def year_amounts(self, months: list[int]) -> list[Decimal]:
        return [from_cents(sum(months[i : i + 12])) for i in range(0, self.horizon.size, 12)]

    def per_employee(self, amount: Decimal) -> Decimal | None:
        employees = self.client.employee_count
        return (amount / employees).quantize(CENT, ROUND_HALF_UP) if employees else None

    def revenue_share(self, amount: Decimal) -> Decimal | None:
        revenue = self.client.annual_revenue
        if not revenue:
            return None
        return (amount * HUNDRED / revenue).quantize(CENT, ROUND_HALF_UP)


@functools.cache
def _benchmark_data() -> dict:
    return json.loads(BENCHMARKS.read_text()).get("it_spend", {})


def benchmarks(industry: str = "") -> tuple[list[Benchmark], list[Benchmark]]:
    """(per employee, share of revenue) benchmarks; industry figures only for a matching
    industry (Client.industry), the general ones always."""
    data = _benchmark_data()
    text = (industry or "").casefold()

    def read(items: list[dict]) -> list[Benchmark]:
        found = []
        for item in items:
            words = item.get("industries")
            if words and not any(word in text for word in words):
                continue
            found.append(
                Benchmark(
                    item["label"],
                    Decimal(item["low"]),
                    Decimal(item["high"]),
                    item["source"],
                    item.get("url", ""),
                    item.get("year") or "not stated",
                    item.get("confidence", ""),
                    item.get("currency", ""),
                )
            )
        return found

    return read(data.get("per_employee", [])), read(data.get("revenue_pct", []))


def _actual(client, today: datetime.date) -> Decimal:
    counted = [c.pk for c in Category.objects.all() if c.is_spend]
    total = LedgerLine.objects.filter(
        date__gte=spend_since(today),
        date__lte=today,
        currency=client.currency,
        category__in=counted,
    ).aggregate(c=cents_sum())["c"]
    return from_cents(total)


def forecast(
    client,
    years: int | None = None,
    escalator_pct: Decimal | None = None,
    today: datetime.date | None = None,
) -> Forecast:
    """The forecast of `client` (see the module), in a constant number of queries."""
    settings = settings_for(client)
    years = max(1, min(int(years or settings.years), MAX_YEARS))
    escalator = settings.escalator_pct if escalator_pct is None else Decimal(escalator_pct)
    today = today or client.today()
    start_month = client.fiscal_year_start_month or 1
    horizon = Horizon(FiscalYear(fiscal_year_of(today, start_month), start_month), years)
    currency = client.currency
    totals = {key: [0] * horizon.size for key in COMPONENTS}

    with scope(client):
        contracts = list(Contract.objects.select_related("vendor").order_by("vendor__name"))
        sellers = licence_vendors(contracts)
        items = _roadmap_items()
        actual = _actual(client, today)
    waste = licence_waste(client)
    priced = {pk for pk, use in licence_use_by_vendor(waste, sellers).items() if use.monthly_cost}

    contract_lines = []
    for contract in contracts:
        if contract.currency != currency:
            line = ContractLine(contract, [0] * horizon.size, f"in {contract.currency}", False)
        elif contract.vendor_id in priced:
            line = contract_months(contract, today, horizon, escalator)
            line.months, line.counted = [0] * horizon.size, False
            line.note = "counted under licences (its licences are priced)"
        else:
            line = contract_months(contract, today, horizon, escalator)
        contract_lines.append(line)
        for i, value in enumerate(line.months):
            totals["contracts"][i] += value

    roadmap_lines = [roadmap_months(item, currency, horizon, today) for item in items]
    for line in roadmap_lines:
        for i, value in enumerate(line.months):
            totals["roadmap"][i] += value

    lifecycle = lifecycle_forecast(client, years, today=today)
    for bucket in lifecycle.quarters:
        index = horizon.index(bucket.start)
        if 0 <= index < horizon.size:
            totals["lifecycle"][index] += cents(bucket.cost)

    licences = licence_costs(client)
    yearly = licences.monthly * 12
    for year in range(years):
        for i, value in enumerate(_cents_spread(yearly)):
            totals["licences"][12 * year + i] += value
        yearly = escalate(yearly, escalator)

    per_employee, revenue = benchmarks(getattr(client, "industry", ""))
    names = sorted({c.vendor.name for c in contracts if c.vendor_id in priced})
    return Forecast(
        client=client,
        currency=currency,
        today=today,
        years=years,
        escalator_pct=escalator,
        horizon=horizon,
        cents=totals,
        contracts=contract_lines,
        roadmap=roadmap_lines,
        lifecycle=lifecycle,
        licences=licences,
        actual_12_months=actual,
        per_employee_benchmarks=per_employee,
        revenue_benchmarks=revenue,
        licence_vendor_names=names,
    )


# --- the tables (the page and its CSV/XLSX exports read the same rows) ---------------------


@dataclass
class Table:
    key: str
    title: str
    headers: list[str]
    kinds: list[str]  # per column: "text", "money" or "pct"
    rows: list[list[object]]
    total: bool = True  # the last row is a total

    @property
    def head(self) -> list[tuple[str, str]]:
        return list(zip(self.headers, self.kinds, strict=True))

    def cells(self) -> list[list[tuple[object, str]]]:
        return [
            [
                (value, "empty" if value is None else kind)
                for value, kind in zip(row, self.kinds, strict=True)
            ]
            for row in self.rows
        ]


def year_table(f: Forecast) -> Table:
    rows = []
    for bucket in f.by_year:
        rows.append(
            [
                bucket.label,
                f"{bucket.start:%b %Y} – {bucket.end:%b %Y}",
                *bucket.amounts.values(),
                bucket.total,
                f.per_employee(bucket.total),
                f.revenue_share(bucket.total),
            ]
        )
    sums = [sum((b.amounts[k] for b in f.by_year), ZERO) for k in COMPONENTS]
    rows.append(["Total", f"{f.years} fiscal year{'s' if f.years != 1 else ''}", *sums, f.total])
    rows[-1] += [None, None]
    headers = [
        "Fiscal year",
        "Months",
        *COMPONENTS.values(),
        "Total",
        "Per employee",
        "Share of revenue (%)",
    ]
    kinds = ["text", "text", *["money"] * 5, "money", "pct"]
    return Table("years", "By fiscal year", headers, kinds, rows)


def quarter_table(f: Forecast) -> Table:
    rows = [
        [
            b.label,
            f"{b.start:%b %Y} – {b.end:%b %Y}",
            *b.amounts.values(),
            b.total,
        ]
        for b in f.by_quarter
    ]
    sums = [sum((b.amounts[k] for b in f.by_quarter), ZERO) for k in COMPONENTS]
    rows.append(["Total", "", *sums, f.total])
    headers = ["Quarter", "Months", *COMPONENTS.values(), "Total"]
    return Table("quarters", "By quarter", headers, ["text", "text", *["money"] * 5], rows)


def contract_table(f: Forecast) -> Table:
    labels = [fy.label for fy in f.horizon.fiscal_years()]
    rows = []
    for line in f.contracts:
        c = line.contract
        rows.append(
            [
                c.vendor.name,
                c.title,
                "yes" if c.auto_renew else "no",
                line.renewal_date,
                c.annual_value if c.currency == f.currency else None,
                *f.year_amounts(line.months),
                line.note,
            ]
        )
    sums = f.year_amounts(f.cents["contracts"])
    rows.append(["Total", "", "", None, None, *sums, ""])
    headers = ["Vendor", "Contract", "Auto-renews", "Renewal date", "Annual value now"]
    kinds = ["text", "text", "text", "date", "money", *["money"] * len(labels), "text"]
    return Table("contracts", "Contracts", [*headers, *labels, "Note"], kinds, rows)


def roadmap_table(f: Forecast) -> Table:
    labels = [fy.label for fy in f.horizon.fiscal_years()]
    rows = []
    for line in f.roadmap:
        item = line.item
        rows.append(
            [
                item.title,
                item.get_status_display(),
                line.planned or "not scheduled",
                item.one_time_cost if line.counted else None,
                item.recurring_cost if line.counted else None,
                *f.year_amounts(line.months),
                line.note,
            ]
        )
    rows.append(["Total", "", "", None, None, *f.year_amounts(f.cents["roadmap"]), ""])
    headers = ["Roadmap item", "Status", "Planned", "One-time cost", "Recurring a year"]
    kinds = ["text", "text", "text", "money", "money", *["money"] * len(labels), "text"]
    return Table("roadmap", "Roadmap items", [*headers, *labels, "Note"], kinds, rows)


TABLES = {
    "years": year_table,
    "quarters": quarter_table,
    "contracts": contract_table,
    "roadmap": roadmap_table,
}


def tables(f: Forecast) -> dict[str, Table]:
    return {key: build(f) for key, build in TABLES.items()}
