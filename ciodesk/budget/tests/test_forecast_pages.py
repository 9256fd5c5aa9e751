"""The forecast page: its tables, the XLSX export reopened with openpyxl equals the page, the
stacked chart, the settings, and a constant number of queries."""

from __future__ import annotations

import datetime
import io
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from ciodesk.budget.models import ForecastSettings
from ciodesk.budget.services_forecast import TABLES, forecast
from ciodesk.budget.testing import make_budget_records
from ciodesk.budget.tests.test_budget_pages import page_table
from ciodesk.conftest import make_vendor_records
from ciodesk.core.scope import acting_as, scope
from ciodesk.core.templatetags.ciodesk import money

URL = "/c/alpha/budget/forecast/"


def shown(value, kind: str) -> str:
    """An exported cell as the page writes it."""
    if value is None or value == "":
        return "" if kind == "text" else "—"  # an empty text; a missing figure
    if kind == "money":
        return money(Decimal(str(value)), "USD")
    if kind == "pct":
        return f"{Decimal(str(value)).quantize(Decimal('0.01'))} %"
    if kind == "date":
        return value.date().isoformat() if isinstance(value, datetime.datetime) else str(value)
    return str(value)


@pytest.fixture
def revenue(world):
    world.a.annual_revenue = Decimal("7200000.00")
    world.a.save()
    return world


@pytest.mark.parametrize("key", list(TABLES))
def test_the_xlsx_export_equals_the_page(revenue, as_user, key):
    client = as_user(revenue.exec_a)
    on_page = page_table(client.get(URL).content.decode(), f"table-{key}")
    kinds = _kinds(revenue.a, key)
    response = client.get(f"{URL}export/?table={key}&format=xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == on_page[0]  # the headers
    exported = [[shown(v, kind) for v, kind in zip(row, kinds, strict=True)] for row in rows[1:]]
    assert exported == on_page[1:]
    assert len(exported) >= 2  # at least one row and the total


def _kinds(client, key: str) -> list[str]:
    from ciodesk.budget.services_forecast import tables

    table = tables(forecast(client))[key]
    return table.kinds


def test_the_page_shows_the_years_with_the_coastline_contract(revenue, as_user):
    body = as_user(revenue.exec_a).get(URL).content.decode()
    years = page_table(body, "table-years")
    assert [r[0] for r in years][1:] == [*_labels(revenue.a), "Total"]
    contracts = page_table(body, "table-contracts")
    coastline = next(r for r in contracts if r[0] == "Coastline Managed IT")
    assert coastline[4] == "$54,000.00"  # the annual value today
    assert "CANARY" not in body
    assert "Years and escalator" not in body  # the settings are the practice's


def _labels(client) -> list[str]:
    return [b.label for b in forecast(client).by_year]


def test_the_chart_is_a_described_image_with_the_table_beside(world, as_user):
    body = as_user(world.exec_a).get(URL).content.decode()
    assert 'role="img" aria-labelledby="forecast-years-title forecast-years-desc"' in body
    desc = body.split('<desc id="forecast-years-desc">')[1].split("</desc>")[0]
    f = forecast(world.a)
    first = f.by_year[0]
    assert f"{first.label}: contracts {first.amounts['contracts']:,.2f}" in desc
    assert f"total {first.total:,.2f}" in desc
    for name in ("Contracts", "Roadmap", "Lifecycle replacements", "Licences"):
        assert f">{name}</text>" in body
    assert body.count("<svg") == 2  # by year and by quarter


def test_the_settings_change_the_years_and_the_escalator(world, as_user):
    client = as_user(world.consultant)
    response = client.post(URL + "settings/", {"years": "5", "escalator_pct": "2.50"})
    assert response.status_code == 302
    body = client.get(URL).content.decode()
    assert len(page_table(body, "table-years")) == 1 + 5 + 1
    assert "Prices rise 2.50 % a year" in body
    with scope(world.a):
        assert ForecastSettings.objects.get().years == 5
    refused = client.post(URL + "settings/", {"years": "11", "escalator_pct": "2"})
    assert refused.status_code == 200 and "less than or equal to 10" in refused.content.decode()


@pytest.mark.parametrize("url", [URL, URL + "export/?table=contracts&format=csv"])
def test_the_page_runs_a_constant_number_of_queries(world, as_user, url):
    from ciodesk.roadmap.testing import make_roadmap_records

    client = as_user(world.lead)

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx)

    before = count()
    person = world.records["a"]["people"]
    with acting_as("test setup"):
        for i in range(4):
            make_vendor_records(world.a, person, f" {i}")
            make_budget_records(world.a, person, f" {i}")
            make_roadmap_records(world.a, person, f" {i}")
    assert len(forecast(world.a).contracts) == 5 and len(forecast(world.a).roadmap) == 5
    assert count() == before
