"""Fiscal quarters, the priority formula with its weights, the manual rank, the roll-up."""

from __future__ import annotations

import datetime
from decimal import Decimal
from types import SimpleNamespace

from ciodesk.core.scope import acting_as, scope
from ciodesk.roadmap import planning
from ciodesk.roadmap.models import PriorityWeights
from ciodesk.tenancy.models import Client


def item(title="x", risk=3, value=3, one_time="0", recurring="0", rank=None, **extra):
    return SimpleNamespace(
        pk=1,
        title=title,
        risk_reduced=risk,
        business_value=value,
        one_time_cost=Decimal(one_time),
        recurring_cost=Decimal(recurring),
        manual_rank=rank,
        **extra,
    )


def test_a_fiscal_year_starting_in_july():
    july = SimpleNamespace(fiscal_year_start_month=7)
    columns = planning.board_quarters(july, today=datetime.date(2026, 12, 5))
    assert [q.label for q in columns] == [
        "Q2 FY2027",  # Oct–Dec 2026: FY2027 runs July 2026 – June 2027
        "Q3 FY2027",
        "Q4 FY2027",
        "Q1 FY2028",
        "Q2 FY2028",
        "Q3 FY2028",
    ]
    assert columns[0].start == datetime.date(2026, 10, 1)
    assert columns[2].end == datetime.date(2027, 6, 30)
    assert columns[3].start == datetime.date(2027, 7, 1)
    assert planning.parse_slot("2028Q1", july) == (2028, 1)
    assert planning.parse_slot("", july) == (None, None)


def test_the_board_puts_each_item_in_its_fiscal_quarter():
    july = SimpleNamespace(fiscal_year_start_month=7)
    items = [
        item("Now", fiscal_year=2027, quarter=2, status="proposed"),
        item("Slipped", fiscal_year=2026, quarter=4, status="approved"),
        item("Done long ago", fiscal_year=2026, quarter=3, status="done"),
        item("Far", fiscal_year=2030, quarter=1, status="proposed"),
        item("Someday", fiscal_year=None, quarter=None, status="proposed"),
    ]
    columns = planning.board(july, items, today=datetime.date(2026, 12, 5))
    titles = {c.title: [i.title for i in c.items] for c in columns}
    assert titles["Earlier"] == ["Slipped"]
    assert titles["Q2 FY2027"] == ["Now"]
    assert titles["Later"] == ["Far"]
    assert titles["Unscheduled"] == ["Someday"]
    assert [c.droppable for c in columns].count(False) == 2
    assert "Done long ago" not in str(titles)


def test_the_priority_formula_and_its_weights():
    weights = PriorityWeights(
        risk_weight=Decimal("1"), value_weight=Decimal("1"), cost_unit=Decimal("1000")
    )
    cheap = item(risk=4, value=5, one_time="500")  # cost below one unit counts as one
    dear = item(risk=4, value=5, one_time="8000", recurring="2000")
    assert planning.score(cheap, weights) == Decimal("20.00")
    assert planning.score(dear, weights) == Decimal("2.00")
    weights.risk_weight = Decimal("2")
    assert planning.score(dear, weights) == Decimal("4.00")
    text = planning.explain(dear, weights)
    assert "risk reduced 4 × weight 2" in text and "÷ cost 10.00 units" in text
    assert text.endswith("= 4.00")


def test_a_manual_rank_overrides_the_score():
    weights = planning.DEFAULT_WEIGHTS
    best = item("Best score", risk=5, value=5, one_time="100")
    ranked = item("Ranked first", risk=1, value=1, one_time="90000", rank=1)
    second = item("Ranked second", risk=1, value=1, one_time="90000", rank=2)
    middle = item("Middle", risk=3, value=3, one_time="100")
    order = planning.by_priority([middle, best, second, ranked], weights)
    assert [i.title for i in order] == ["Ranked first", "Ranked second", "Best score", "Middle"]


def test_the_weights_page_changes_the_scores(world, as_user):
    client = as_user(world.lead)
    response = client.post(
        "/c/alpha/roadmap/weights/",
        {"risk_weight": "2.00", "value_weight": "1.00", "cost_unit": "1000.00"},
    )
    assert response.status_code == 302
    with scope(world.a):
        assert PriorityWeights.objects.get().risk_weight == Decimal("2.00")
    page = client.get("/c/alpha/roadmap/").content.decode()
    assert "(risk reduced × 2)" in page


def test_the_cost_roll_up_per_quarter_and_fiscal_year():
    rows = planning.rollup(
        [
            item(one_time="1000", recurring="100", fiscal_year=2027, quarter=1, currency="USD"),
            item(one_time="500", recurring="0", fiscal_year=2027, quarter=1, currency="USD"),
            item(one_time="2000", recurring="300", fiscal_year=2027, quarter=3, currency="USD"),
            item(one_time="700", recurring="0", fiscal_year=2028, quarter=1, currency="USD"),
            item(one_time="50", recurring="0", fiscal_year=None, quarter=None, currency="USD"),
        ]
    )
    table = [(r.label, r.one_time, r.recurring, r.items) for r in rows]
    assert table == [
        ("Q1 FY2027", Decimal("1500"), Decimal("100"), 2),
        ("Q3 FY2027", Decimal("2000"), Decimal("300"), 1),
        ("FY2027 total", Decimal("3500"), Decimal("400"), 3),
        ("Q1 FY2028", Decimal("700"), Decimal("0"), 1),
        ("FY2028 total", Decimal("700"), Decimal("0"), 1),
        ("Unscheduled", Decimal("50"), Decimal("0"), 1),
    ]


def test_the_roll_up_page_and_its_export(world, as_user):
    client = as_user(world.exec_a)
    page = client.get("/c/alpha/roadmap/costs/").content.decode()
    assert "FY2027 total" in page and "$1,200.00" in page
    text = client.get("/c/alpha/roadmap/costs/export/?format=csv").content.decode("utf-8-sig")
    assert "Q1 FY2027,2027,1,1,1200.00,600.00,USD" in text


def test_the_board_of_a_client_whose_year_starts_in_july(world, as_user):
    with acting_as("test"):
        Client.objects.filter(pk=world.a.pk).update(fiscal_year_start_month=7)
    world.a.refresh_from_db()
    first = planning.current_quarter(world.a)
    assert first.start.month in (7, 10, 1, 4)  # July, October, January, April
    assert first.fiscal_year == first.end.year + (1 if first.end.month >= 7 else 0)
    page = as_user(world.exec_a).get("/c/alpha/roadmap/").content.decode()
    assert f"We are in {first.label} ({first.span})" in page
    assert f'data-slot="{first.next().key}"' in page
