"""Budget vs actual over a fiscal year starting in July, to the cent."""

import datetime
from decimal import Decimal

import pytest

from ciodesk.budget.fiscal import FiscalYear, fiscal_year_of
from ciodesk.budget.models import Budget, BudgetLine, Category, LedgerLine
from ciodesk.budget.services_budget import budget_view, spread, tables
from ciodesk.budget.services_matching import ensure_categories
from ciodesk.budget.tests.spend_fixtures import fresh  # noqa: F401
from ciodesk.core.scope import scope

pytestmark = pytest.mark.usefixtures("fresh")
D = datetime.date
TODAY = D(2026, 11, 15)  # FY2027 (July 2026 – June 2027): July to October have ended


@pytest.fixture
def july(world):
    world.a.fiscal_year_start_month = 7
    world.a.save()
    with scope(world.a):
        ensure_categories()
    return world


def add_line(client, day, amount, slug="saas", n=[0]):  # noqa: B006 — a counter for keys
    n[0] += 1
    with scope(client):
        LedgerLine.objects.create(
            date=day,
            amount=Decimal(amount),
            payee="Vendor",
            category=Category.objects.get(slug=slug),
            natural_key=f"test-{n[0]}",
        )


def test_fiscal_years_are_named_by_the_year_they_end():
    fy = FiscalYear(2027, 7)
    assert (fy.start, fy.end) == (D(2026, 7, 1), D(2027, 6, 30))
    assert fy.months()[0] == D(2026, 7, 1) and fy.months()[-1] == D(2027, 6, 1)
    assert fiscal_year_of(D(2026, 6, 30), 7) == 2026
    assert fiscal_year_of(D(2026, 7, 1), 7) == 2027
    assert fiscal_year_of(D(2026, 12, 31), 1) == 2026
    assert fy.completed_months(TODAY) == 4
    assert FiscalYear(2026, 1).completed_months(TODAY) == 10


def test_an_annual_amount_spreads_to_the_cent():
    months = spread(Decimal("1000.00"))
    assert months[:11] == [Decimal("83.33")] * 11
    assert months[11] == Decimal("83.37")
    assert sum(months) == Decimal("1000.00")


def test_actuals_fall_in_their_fiscal_months(july):
    client = july.a
    add_line(client, D(2026, 6, 30), "999.99")  # FY2026: not counted
    add_line(client, D(2026, 7, 1), "100.10")  # first month of FY2027
    add_line(client, D(2026, 10, 31), "50.05")
    add_line(client, D(2026, 11, 2), "7.00")  # the current month: not "to date"
    add_line(client, D(2027, 6, 30), "1.00")  # last month of FY2027
    add_line(client, D(2027, 7, 1), "999.99")  # FY2028: not counted
    with scope(client):
        view = budget_view(client, 2027, today=TODAY)
    saas = next(r for r in view.categories if r.label == "SaaS")
    assert saas.actual[0] == Decimal("100.10")
    assert saas.actual[3] == Decimal("50.05")
    assert saas.actual[4] == Decimal("7.00")
    assert saas.actual[11] == Decimal("1.00")
    assert saas.actual_year == Decimal("158.15")
    assert view.to_date(saas.actual) == Decimal("150.15")
    # Run-rate: 150.15 over four ended months, times twelve.
    assert view.forecast(saas) == Decimal("450.45")


def test_budget_lines_by_year_and_by_month(july):
    client = july.a
    with scope(client):
        saas = Category.objects.get(slug="saas")
        budget = Budget.objects.create(fiscal_year=2027, owner=july.records["a"]["people"])
        BudgetLine.objects.create(budget=budget, category=saas, amount=Decimal("1200.00"))
        BudgetLine.objects.create(budget=budget, category=saas, month=7, amount=Decimal("30.00"))
        BudgetLine.objects.create(budget=budget, category=saas, month=6, amount=Decimal("0.01"))
        view = budget_view(client, 2027, today=TODAY)
    row = next(r for r in view.categories if r.label == "SaaS")
    assert row.budget[0] == Decimal("130.00")  # July: 100.00 of the year + 30.00
    assert row.budget[11] == Decimal("100.01")  # June
    assert row.budget_year == Decimal("1230.01")
    assert view.to_date(row.budget) == Decimal("430.00")


def test_sums_to_the_cent_over_many_small_amounts(july):
    client = july.a
    with scope(client):
        saas = Category.objects.get(slug="saas")
        LedgerLine.objects.bulk_create(
            [
                LedgerLine(
                    client=client,
                    date=D(2026, 8, 1) + datetime.timedelta(days=i % 28),
                    amount=Decimal(amount),
                    category=saas,
                    natural_key=f"small-{i}",
                )
                for i, amount in enumerate(["0.10", "0.20", "0.07", "-0.03"] * 2500)
            ]
        )
        view = budget_view(client, 2027, today=TODAY)
    # 2,500 × (0.10 + 0.20 + 0.07 − 0.03) = 850.00 exactly; floats would drift.
    assert view.total.actual[1] == Decimal("850.00")
    rows = tables(view)["categories"].rows
    assert rows[-1][3] == Decimal("850.00")


def test_not_it_spend_and_the_queue_do_not_count(july):
    client = july.a
    add_line(client, D(2026, 8, 3), "5000.00", slug="not-it")
    with scope(client):
        LedgerLine.objects.create(date=D(2026, 8, 4), amount=Decimal("12.34"), natural_key="q")
        view = budget_view(client, 2027, today=TODAY)
    assert view.total.actual_year == Decimal("0.00")
    assert (view.unmatched_count, view.unmatched_total) == (1, Decimal("12.34"))
