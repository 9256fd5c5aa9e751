"""The budget in the reports: budget vs actual of the fiscal year, from the budget app's own
``services_budget.budget_view`` — the figures of the budget overview page.

"To date" means the fiscal months that have ended (as on the budget pages). For a QBR the
year is read as of the quarter's end: the months through the quarter's last one count as
ended once the quarter is over.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from ciodesk.budget.fiscal import fiscal_year_of, month_label
from ciodesk.budget.models import Budget, LedgerLine
from ciodesk.budget.services_budget import BudgetView, budget_view, category_table
from ciodesk.reports.sections import (
    BRIEF,
    DOSSIER,
    QBR,
    Area,
    Ctx,
    Light,
    Rule,
    judge,
    section,
    url_for,
)

RED_OVER_PCT = Decimal(10)

RULE = Rule(
    red="the run-rate forecast for the fiscal year, or the spend to date, is more than "
    f"{RED_OVER_PCT} % over budget.",
    amber=f"either is over budget by up to {RED_OVER_PCT} %, or spend is recorded for a year "
    "without a budget.",
    green="spend to date and the forecast are within budget.",
)


def _over_pct(actual: Decimal | None, budget: Decimal) -> Decimal | None:
    """How far over budget, in % of the budget (negative when under); None without one."""
    if actual is None or not budget:
        return None
    return ((actual - budget) * 100 / budget).quantize(Decimal("0.1"), ROUND_HALF_UP)


@dataclass
class BudgetFigures:
    fy_label: str
    currency: str
    completed: int  # fiscal months ended
    budget_year: Decimal
    budget_to_date: Decimal
    actual_to_date: Decimal
    forecast: Decimal | None
    has_budget: bool
    unmatched_count: int
    url: str = ""

    @classmethod
    def of(cls, view: BudgetView, url: str = "") -> BudgetFigures:
        return cls(
            fy_label=str(view.fy),
            currency=view.currency,
            completed=view.completed,
            budget_year=view.total.budget_year,
            budget_to_date=view.to_date(view.total.budget),
            actual_to_date=view.to_date(view.total.actual),
            forecast=view.forecast(view.total),
            has_budget=bool(view.total.budget_year),
            unmatched_count=view.unmatched_count,
            url=url,
        )

    @property
    def variance_to_date(self) -> Decimal:
        return self.actual_to_date - self.budget_to_date

    @property
    def to_date_over_pct(self) -> Decimal | None:
        return _over_pct(self.actual_to_date, self.budget_to_date)

    @property
    def forecast_vs_budget(self) -> Decimal | None:
        return None if self.forecast is None else self.forecast - self.budget_year

    @property
    def forecast_over_pct(self) -> Decimal | None:
        return _over_pct(self.forecast, self.budget_year)

    @property
    def light(self) -> Light:
        checks = [
            ("spend to date", self.to_date_over_pct),
            ("run-rate forecast", self.forecast_over_pct),
        ]
        red = [f"{name} {pct} % over budget" for name, pct in checks if pct and pct > RED_OVER_PCT]
        amber = [
            f"{name} {pct} % over budget"
            for name, pct in checks
            if pct is not None and 0 < pct <= RED_OVER_PCT
        ]
        if not self.has_budget:
            amber.append(f"no budget set for {self.fy_label}")
        return judge(red, amber, green="within budget")

    @property
    def headline(self) -> str:
        from ciodesk.core.templatetags.ciodesk import money

        if not self.has_budget:
            return f"{self.fy_label}: {money(self.actual_to_date, self.currency)} spent, no budget"
        parts = [
            f"{self.fy_label}: {money(self.actual_to_date, self.currency)} spent of "
            f"{money(self.budget_to_date, self.currency)} budgeted to date"
        ]
        if self.forecast is not None:
            parts.append(
                f"forecast {money(self.forecast, self.currency)} vs "
                f"{money(self.budget_year, self.currency)}"
            )
        return "; ".join(parts)

    @property
    def area(self) -> Area:
        return Area("budget", "Budget", self.light, self.headline, RULE, self.url)


def _view(client, today: datetime.date, year: int | None = None) -> BudgetView | None:
    # budget_view creates the default categories the first time: a client with neither a
    # budget nor spend has no budget section (and a report writes nothing).
    if not (Budget.objects.exists() or LedgerLine.objects.exists()):
        return None
    view = budget_view(client, year, today)
    if view.budget is None and not view.total.budget_year and not view.has_lines:
        return None
    return view


@section("budget", kinds=[BRIEF, DOSSIER], order=40)
def brief(ctx: Ctx) -> BudgetFigures | None:
    view = _view(ctx.client, ctx.today)
    return BudgetFigures.of(view, url_for(ctx.client, "budget:overview")) if view else None


@dataclass
class MonthLine:
    label: str
    budget: Decimal
    actual: Decimal | None  # None for months not yet ended

    @property
    def variance(self) -> Decimal | None:
        return None if self.actual is None else self.actual - self.budget


@dataclass
class BudgetQuarter:
    figures: BudgetFigures
    months: list[MonthLine]  # the quarter's months
    year_months: list[MonthLine]  # the fiscal year's, for the chart
    categories: list[list] = field(default_factory=list)  # the budget page's category table

    @property
    def area(self) -> Area:
        return self.figures.area

    @property
    def quarter_budget(self) -> Decimal:
        return sum((m.budget for m in self.months), Decimal(0))

    @property
    def quarter_actual(self) -> Decimal | None:
        if any(m.actual is None for m in self.months):
            return None
        return sum((m.actual or Decimal(0) for m in self.months), Decimal(0))

    @property
    def chart(self):
        from ciodesk.vendors.charts import Series, bar_chart

        budget = [float(m.budget) for m in self.year_months]
        actual = [None if m.actual is None else float(m.actual) for m in self.year_months]
        return bar_chart(
            "budget-months",
            f"Budget and actual by month, {self.figures.fy_label}",
            "IT spend against budget in each fiscal month (months not yet ended show no "
            "actual): "
            + "; ".join(
                f"{m.label} budget {m.budget}, actual {'—' if m.actual is None else m.actual}"
                for m in self.year_months
            )
            + ".",
            [m.label for m in self.year_months],
            [Series("Budget", budget), Series("Actual", actual)],
            height=240,
        )


@section("budget", kinds=[QBR], order=40)
def quarter(ctx: Ctx) -> BudgetQuarter | None:
    if ctx.period is None:
        return None
    client = ctx.client
    # Read the year as of the day after the quarter's end (its months then count as ended).
    as_of = min(ctx.today, ctx.period.end + datetime.timedelta(days=1))
    year = fiscal_year_of(ctx.period.start, client.fiscal_year_start_month or 1)
    view = _view(client, as_of, year)
    if view is None:
        return None
    lines = [
        MonthLine(
            month_label(month),
            view.total.budget[i],
            view.total.actual[i] if i < view.completed else None,
        )
        for i, month in enumerate(view.months)
    ]
    wanted = {month_label(m) for m in ctx.period.months()}
    return BudgetQuarter(
        figures=BudgetFigures.of(view, url_for(client, "budget:overview")),
        months=[m for m in lines if m.label in wanted],
        year_months=lines,
        categories=category_table(view).rows,
    )
