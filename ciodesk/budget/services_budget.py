"""Budget vs actual for one fiscal year: by month, by category, by vendor, with a run-rate
forecast to the year end and the written explanations of variances.

Everything is computed in a fixed number of queries (the ledger is aggregated in SQL by
category and day, in whole cents, then placed into fiscal months here), so the page costs
the same with ten lines or a million. Money stays Decimal throughout; only lines in the
client's currency count (lines in another currency are counted and shown apart).

Definitions, shown on the page too:
* Budget: a budget line without a month is spread evenly over the twelve months (the
  cents left over go to the last month); a line with a month counts in that month.
* To date: the months of the fiscal year that have ended (all twelve once it is over).
* Variance: actual minus budget; positive means over budget.
* Run-rate forecast: the actual of the ended months, divided by their number, times
  twelve. None before the first month has ended.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_EVEN, Decimal

from django.db.models import Count

from ciodesk.budget.fiscal import FiscalYear, fiscal_year, fiscal_year_of, month_label
from ciodesk.budget.models import Budget, BudgetLine, LedgerLine, VarianceNote
from ciodesk.budget.money import CENT, ZERO, cents_sum, from_cents
from ciodesk.budget.services_matching import ensure_categories
from ciodesk.vendors.models import Vendor


@dataclass
class Row:
    """Budget and actual per fiscal month (index 0–11) of one category, vendor or total."""

    key: object
    label: str
    budget: list[Decimal] = field(default_factory=lambda: [ZERO] * 12)
    actual: list[Decimal] = field(default_factory=lambda: [ZERO] * 12)
    notes: list[VarianceNote] = field(default_factory=list)

    def add(self, other: Row) -> None:
        for i in range(12):
            self.budget[i] += other.budget[i]
            self.actual[i] += other.actual[i]

    @property
    def budget_year(self) -> Decimal:
        return sum(self.budget, ZERO)

    @property
    def actual_year(self) -> Decimal:
        return sum(self.actual, ZERO)


@dataclass
class BudgetView:
    fy: FiscalYear
    today: datetime.date
    currency: str
    budget: Budget | None
    categories: list[Row]
    vendors: list[Row]
    total: Row
    notes: list[VarianceNote]
    unmatched_count: int = 0
    unmatched_total: Decimal = ZERO
    other_currency_count: int = 0
    has_lines: bool = False

    @property
    def months(self) -> list[datetime.date]:
        return self.fy.months()

    @property
    def completed(self) -> int:
        return self.fy.completed_months(self.today)

    def to_date(self, values: list[Decimal]) -> Decimal:
        return sum(values[: self.completed], ZERO)

    def forecast(self, row: Row) -> Decimal | None:
        """Run-rate to the year end: the ended months' actual ÷ their number × 12."""
        done = self.completed
        if done == 0:
            return None
        if done == 12:
            return row.actual_year
        rate = sum(row.actual[:done], ZERO) * 12 / done
        return rate.quantize(CENT, rounding=ROUND_HALF_EVEN)

    def year_notes(self, category_id: int | None) -> list[VarianceNote]:
        return [n for n in self.notes if n.category_id == category_id and n.month is None]

    def month_notes(self, month: int) -> list[VarianceNote]:
        return [n for n in self.notes if n.month == month and n.category_id is None]


def spread(amount: Decimal) -> list[Decimal]:
    """An annual amount over twelve months, to the cent: the remainder in the last month."""
    cents = int((amount * 100).to_integral_value())
    base = abs(cents) // 12 * (1 if cents >= 0 else -1)  # toward zero, refunds as spend
    months = [Decimal(base) / 100] * 11
    months.append(Decimal(cents - 11 * base) / 100)
    return [m.quantize(CENT) for m in months]


def budget_view(client, year: int | None = None, today: datetime.date | None = None) -> BudgetView:
    """Budget vs actual of the active client's fiscal year `year` (default: the one
    `today` is in; `today` defaults to the client's today)."""
    today = today or client.today()
    if year is None:
        year = fiscal_year_of(today, client.fiscal_year_start_month or 1)
    fy = fiscal_year(client, year)
    currency = client.currency
    categories = ensure_categories()
    spend_categories = {c.pk: c for c in categories if c.is_spend}
    rows = {pk: Row(pk, c.name) for pk, c in spend_categories.items()}
    vendor_rows: dict[int, Row] = {}

    budget = Budget.objects.filter(fiscal_year=fy.year).select_related("owner").first()
    for line in BudgetLine.objects.filter(budget__fiscal_year=fy.year).values(
        "category_id", "vendor_id", "vendor__name", "month", "amount", "currency"
    ):
        if line["category_id"] not in rows or line["currency"] != currency:
            continue
        amounts = _budget_months(fy, line["month"], line["amount"])
        targets = [rows[line["category_id"]]]
        if line["vendor_id"] is not None:
            targets.append(_vendor_row(vendor_rows, line["vendor_id"], line["vendor__name"]))
        for row in targets:
            for i, value in enumerate(amounts):
                row.budget[i] += value

    # One scan of the year's lines, grouped in the order of the covering index (client,
    # date, category, vendor, currency, amount), so the database streams the groups
    # without sorting; everything else (months, vendors, the queue, other currencies) is
    # sorted out from these groups, at most a few per day.
    facts = {"all": 0, "other_currency": 0, "unmatched": 0, "unmatched_total": ZERO}
    groups = (
        LedgerLine.objects.filter(date__gte=fy.start, date__lte=fy.end)
        .values("date", "category_id", "vendor_id", "currency")
        .annotate(lines=Count("pk"), cents=cents_sum())
        .order_by()
    )
    start = fy.start.year * 12 + fy.start.month
    vendor_ids: set[int] = set()
    for group in groups:
        facts["all"] += group["lines"]
        category = group["category_id"]
        if group["currency"] != currency:
            facts["other_currency"] += group["lines"]
        elif category is None:
            facts["unmatched"] += group["lines"]
            facts["unmatched_total"] += from_cents(group["cents"])
        elif category in rows:
            amount = from_cents(group["cents"])
            day = group["date"]
            month = day.year * 12 + day.month - start
            rows[category].actual[month] += amount
            if group["vendor_id"] is not None:
                vendor_ids.add(group["vendor_id"])
                _vendor_row(vendor_rows, group["vendor_id"], "").actual[month] += amount
    named = set(vendor_ids) - {pk for pk, row in vendor_rows.items() if row.label}
    for pk, name in Vendor.objects.filter(pk__in=list(named)).values_list("pk", "name"):
        vendor_rows[pk].label = name
    notes = list(
        VarianceNote.objects.filter(fiscal_year=fy.year).select_related("category", "author")
    )
    total = Row("total", "Total")
    ordered = [rows[c.pk] for c in categories if c.pk in rows]
    for row in ordered:
        total.add(row)
    view = BudgetView(
        fy=fy,
        today=today,
        currency=currency,
        budget=budget,
        categories=ordered,
        vendors=sorted(vendor_rows.values(), key=lambda r: (-r.actual_year, r.label.lower())),
        total=total,
        notes=notes,
        unmatched_count=facts["unmatched"],
        unmatched_total=facts["unmatched_total"],
        other_currency_count=facts["other_currency"],
        has_lines=bool(facts["all"]),
    )
    for row in ordered:
        row.notes = view.year_notes(row.key)
    return view


def _budget_months(fy: FiscalYear, month: int | None, amount: Decimal) -> list[Decimal]:
    if month is None:
        return spread(amount)
    amounts = [ZERO] * 12
    amounts[(month - fy.start_month) % 12] = amount
    return amounts


def _vendor_row(rows: dict[int, Row], pk: int, name: str) -> Row:
    row = rows.get(pk)
    if row is None:
        row = rows[pk] = Row(pk, name)
    return row


# --- the tables (the page and its CSV/XLSX exports read the same rows) ----------------------


@dataclass
class Table:
    key: str
    title: str
    headers: list[str]
    rows: list[list[object]]

    def cells(self) -> list[list[tuple[object, str]]]:
        """Each row's cells with their kind, for the page: "money", "empty" or "text"."""
        return [
            [
                (
                    value,
                    "money" if isinstance(value, Decimal) else "empty" if value is None else "text",
                )
                for value in row
            ]
            for row in self.rows
        ]


def _notes_text(notes: list[VarianceNote]) -> str:
    return " · ".join(n.explanation for n in notes)


def _variance(actual: Decimal, budget: Decimal) -> Decimal:
    return actual - budget


def month_table(view: BudgetView) -> Table:
    rows = []
    cumulative_budget = cumulative_actual = ZERO
    for i, month in enumerate(view.months):
        budget, actual = view.total.budget[i], view.total.actual[i]
        cumulative_budget += budget
        cumulative_actual += actual
        ended = i < view.completed
        rows.append(
            [
                month_label(month),
                budget,
                actual,
                _variance(actual, budget),
                cumulative_budget,
                cumulative_actual,
                "ended" if ended else ("current" if i == view.completed else "ahead"),
                _notes_text(view.month_notes(month.month)),
            ]
        )
    rows.append(
        [
            "Total",
            view.total.budget_year,
            view.total.actual_year,
            _variance(view.total.actual_year, view.total.budget_year),
            view.total.budget_year,
            view.total.actual_year,
            "",
            "",
        ]
    )
    headers = [
        "Month",
        "Budget",
        "Actual",
        "Variance",
        "Budget, cumulative",
        "Actual, cumulative",
        "Month is",
        "Explanation",
    ]
    return Table("months", "By month", headers, rows)


def category_table(view: BudgetView) -> Table:
    def line(row: Row, notes: str) -> list[object]:
        budget_to_date = view.to_date(row.budget)
        actual_to_date = view.to_date(row.actual)
        forecast = view.forecast(row)
        return [
            row.label,
            row.budget_year,
            budget_to_date,
            actual_to_date,
            _variance(actual_to_date, budget_to_date),
            forecast,
            None if forecast is None else _variance(forecast, row.budget_year),
            notes,
        ]

    rows = [line(row, _notes_text(row.notes)) for row in view.categories]
    rows.append(line(view.total, _notes_text(view.year_notes(None))))
    headers = [
        "Category",
        "Budget, year",
        "Budget to date",
        "Actual to date",
        "Variance to date",
        "Run-rate forecast",
        "Forecast vs budget",
        "Explanation",
    ]
    return Table("categories", "By category", headers, rows)


def matrix_table(view: BudgetView) -> Table:
    headers = ["Category", *[month_label(m) for m in view.months], "Total"]
    rows = [[row.label, *row.actual, row.actual_year] for row in view.categories]
    rows.append(["Total", *view.total.actual, view.total.actual_year])
    return Table("matrix", "Actual by category and month", headers, rows)


def vendor_table(view: BudgetView) -> Table:
    rows = []
    for row in view.vendors:
        budget_to_date = view.to_date(row.budget)
        actual_to_date = view.to_date(row.actual)
        rows.append(
            [
                row.label,
                row.budget_year,
                actual_to_date,
                _variance(actual_to_date, budget_to_date),
                row.actual_year,
                view.forecast(row),
            ]
        )
    headers = [
        "Vendor",
        "Budget, year",
        "Actual to date",
        "Variance to date",
        "Actual, year so far",
        "Run-rate forecast",
    ]
    return Table("vendors", "By vendor", headers, rows)


TABLES = {
    "months": month_table,
    "categories": category_table,
    "matrix": matrix_table,
    "vendors": vendor_table,
}


def tables(view: BudgetView) -> dict[str, Table]:
    return {key: build(view) for key, build in TABLES.items()}


# --- writing the budget ------------------------------------------------------------------------


def set_annual_amounts(
    client, year: int, owner, amounts: dict[int, Decimal | None]
) -> tuple[Budget, int]:
    """Set each category's annual amount (a budget line without vendor or month) for the
    fiscal year, creating the year's budget when needed; an empty amount removes the line.
    Saved one by one, so each change is audited. Returns (budget, lines changed)."""
    budget, _ = Budget.objects.get_or_create(fiscal_year=year, defaults={"owner": owner})
    existing = {
        line.category_id: line
        for line in BudgetLine.objects.filter(budget=budget, vendor__isnull=True, month=None)
    }
    changed = 0
    for category_id, amount in amounts.items():
        line = existing.get(category_id)
        if amount is None:
            if line is not None:
                line.delete()
                changed += 1
            continue
        if line is None:
            BudgetLine(
                budget=budget, category_id=category_id, amount=amount, currency=client.currency
            ).save()
            changed += 1
        elif line.amount != amount:
            line.amount = amount
            line.save()
            changed += 1
    return budget, changed


def annual_amounts(year: int) -> dict[int, Decimal]:
    """The annual (no vendor, no month) budget line of each category for the year."""
    return {
        line["category_id"]: line["amount"]
        for line in BudgetLine.objects.filter(
            budget__fiscal_year=year, vendor__isnull=True, month=None
        ).values("category_id", "amount")
    }


def actual_by_category(client, year: int) -> dict[int, Decimal]:
    """A fiscal year's actual spend per category (to suggest next year's budget)."""
    fy = fiscal_year(client, year)
    found: dict[int, Decimal] = defaultdict(lambda: ZERO)
    rows = (
        LedgerLine.objects.filter(
            date__gte=fy.start,
            date__lte=fy.end,
            currency=client.currency,
            category__isnull=False,
        )
        .values("category_id")
        .annotate(cents=cents_sum())
        .order_by()
    )
    for item in rows:
        found[item["category_id"]] = from_cents(item["cents"])
    return dict(found)
