"""The spend-vs-value page: what it shows, its filter and exports, rating a vendor through
the web, and a constant number of queries."""

from __future__ import annotations

import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from ciodesk.budget.models import VendorValue
from ciodesk.budget.testing import make_budget_records
from ciodesk.budget.tests.test_budget_pages import page_table
from ciodesk.conftest import make_vendor_records
from ciodesk.core.scope import acting_as, scope

URL = "/c/alpha/budget/value/"


def test_the_page_lists_each_vendor_with_its_figures(world, as_user):
    body = as_user(world.exec_a).get(URL).content.decode()
    rows = page_table(body, "value-table")
    assert rows[0][:3] == ["Vendor", "Spend, 12 months", "Contract value a year"]
    coastline = next(r for r in rows if r[0].startswith("Coastline Managed IT"))
    assert coastline[2] == "$54,000.00"  # the contract in force
    assert "3/5 Fair value" in coastline[6]  # the latest rating, with its comment
    assert "Rate" not in coastline[6]  # an executive reads; rating is the practice's work
    assert "CANARY" not in body


def test_the_export_has_every_column(world, as_user):
    client = as_user(world.exec_a)
    text = client.get(URL + "export/?format=csv").content.decode("utf-8-sig").splitlines()
    assert text[0].startswith('Vendor,Kind,Owner,"Spend, last 12 months"')
    assert text[1].startswith("Coastline Managed IT,MSP,Pat Owner,")
    sheet = load_workbook(io.BytesIO(client.get(URL + "export/?format=xlsx").content)).active
    values = list(sheet.iter_rows(values_only=True))
    assert values[0][5] == "Contract value (annual)" and values[1][5] == 54000


def test_rating_a_vendor_through_the_web(world, as_user):
    client = as_user(world.consultant)
    vendor = world.records["a"]["vendors"]
    person = world.records["a"]["people"]
    form = client.get(f"{URL}ratings/new/?vendor={vendor.pk}&owner={person.pk}")
    assert form.status_code == 200
    assert 'value="4"' in form.content.decode()  # the 1–5 choices, as labelled radios
    response = client.post(
        f"{URL}ratings/new/",
        {
            "vendor": vendor.pk,
            "rating": "5",
            "comment": "Fixed the backups for good",
            "owner": person.pk,
            "rated_on": "2026-11-21",
        },
    )
    assert response.status_code == 302 and response["Location"] == URL
    body = client.get(URL).content.decode()
    coastline = next(r for r in page_table(body, "value-table") if r[0].startswith("Coastline"))
    assert "5/5 Fixed the backups for good" in coastline[6]
    with scope(world.a):
        assert VendorValue.objects.filter(vendor=vendor).count() == 2  # the earlier one kept


def test_a_rating_outside_one_to_five_is_refused(world, as_user):
    client = as_user(world.consultant)
    vendor = world.records["a"]["vendors"]
    response = client.post(
        f"{URL}ratings/new/",
        {"vendor": vendor.pk, "rating": "6", "owner": world.records["a"]["people"].pk},
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()


def test_the_filter_shows_the_flagged_vendors(world, as_user):
    client = as_user(world.exec_a)
    body = client.get(URL + "?show=no-contract").content.decode()
    assert 'id="flag-no-contract">0<' in body
    assert "No vendor matches" in body


@pytest.mark.parametrize("url", [URL, URL + "export/?format=csv", URL + "ratings/"])
def test_the_page_runs_a_constant_number_of_queries(world, as_user, url):
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
    body = client.get(URL).content.decode()
    assert body.count("Coastline Managed IT") >= 5
    assert count() == before
