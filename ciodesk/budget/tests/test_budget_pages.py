"""The budget pages: what they show, their exports, and their constant query counts."""

import io
from decimal import Decimal
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from ciodesk.budget.importers import import_spend
from ciodesk.budget.models import Budget, Category, MatchRule
from ciodesk.budget.testing import make_budget_records
from ciodesk.budget.tests.spend_fixtures import fresh  # noqa: F401
from ciodesk.conftest import make_vendor_records
from ciodesk.core.scope import acting_as, scope
from ciodesk.core.templatetags.ciodesk import money

FILES = Path(__file__).parent / "files"


class TableReader(HTMLParser):
    """The text of each cell of one table (by id) of a page."""

    def __init__(self, table_id: str):
        super().__init__()
        self.table_id = table_id
        self.inside = False
        self.rows: list[list[str]] = []
        self.cell: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        if tag == "table" and dict(attrs).get("id") == self.table_id:
            self.inside = True
        elif self.inside and tag == "tr":
            self.rows.append([])
        elif self.inside and tag in ("td", "th"):
            self.cell = []

    def handle_endtag(self, tag):
        if tag == "table":
            self.inside = False
        elif self.inside and tag in ("td", "th") and self.cell is not None:
            self.rows[-1].append(" ".join("".join(self.cell).split()))
            self.cell = None

    def handle_data(self, data):
        if self.cell is not None:
            self.cell.append(data)


def page_table(html: str, table_id: str) -> list[list[str]]:
    reader = TableReader(table_id)
    reader.feed(html)
    return reader.rows


def shown(value) -> str:
    """An exported cell as the page writes it."""
    if value is None:
        return "—"
    if isinstance(value, int | float | Decimal):
        return money(Decimal(str(value)), "USD")
    return str(value)


@pytest.fixture
def ledger(world, request):
    """Client A emptied, then the QuickBooks file imported with one rule (software → SaaS)."""
    request.getfixturevalue("fresh")
    with scope(world.a), acting_as("test setup"):
        from ciodesk.budget.services_matching import ensure_categories

        ensure_categories()
        saas = Category.objects.get(slug="saas")
        MatchRule.objects.create(
            field="account",
            match_type="contains",
            pattern="software",
            category=saas,
            owner=world.records["a"]["people"],
        )
    import_spend(world.a, FILES / "qbo_transaction_detail.csv", filename="q.csv")
    return world


@pytest.mark.usefixtures("fresh")
def test_the_overview_without_spend_says_what_to_import(world, as_user):
    body = as_user(world.exec_a).get("/c/alpha/budget/").content.decode()
    assert "No spend imported yet." in body
    assert "Transaction Detail by Account" in body


def test_the_budget_page_shows_budget_vs_actual(ledger, as_user):
    client = as_user(ledger.consultant)
    with scope(ledger.a):
        saas = Category.objects.get(slug="saas")
    response = client.post(
        "/c/alpha/budget/year/plan/?fy=2026",
        {"owner": ledger.records["a"]["people"].pk, f"amount_{saas.pk}": "6000.00"},
    )
    assert response.status_code == 302
    body = client.get("/c/alpha/budget/year/?fy=2026").content.decode()
    rows = {row[0]: row for row in page_table(body, "table-categories")}
    assert rows["SaaS"][1] == "$6,000.00"  # budget for the year
    months = {row[0]: row for row in page_table(body, "table-months")}
    # January: 525.00 + 149.90 of SaaS; the other lines wait in the queue.
    assert months["Jan 2026"][2] == "$674.90"
    assert months["Jan 2026"][1] == "$500.00"


@pytest.mark.parametrize("table", ["categories", "months", "matrix"])
def test_the_xlsx_export_equals_the_page(ledger, as_user, table):
    client = as_user(ledger.exec_a)
    body = client.get("/c/alpha/budget/year/?fy=2026").content.decode()
    on_page = page_table(body, f"table-{table}")
    response = client.get(f"/c/alpha/budget/year/export/?fy=2026&table={table}&format=xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).active
    exported = [[shown(c) for c in row] for row in sheet.iter_rows(values_only=True)]
    assert exported[0] == on_page[0]  # the headers
    blank = [[c.replace("—", "") for c in row] for row in on_page[1:]]
    assert [[c.replace("—", "") for c in row] for row in exported[1:]] == blank


def test_the_spend_list_filters_and_exports(ledger, as_user):
    client = as_user(ledger.exec_a)
    body = client.get("/c/alpha/budget/spend/?q=comcast").content.decode()
    assert "2 lines shown, totalling $578.00" in body
    response = client.get("/c/alpha/budget/spend/export/?q=comcast&format=csv")
    text = response.content.decode("utf-8-sig").splitlines()
    assert len(text) == 3 and text[0].startswith("Date,Type,Number,Payee")


def test_an_import_through_the_web(world, as_user, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"  # uploads are stored per client
    client = as_user(world.consultant)
    with open(FILES / "xero_account_transactions.csv", "rb") as handle:
        response = client.post(
            "/c/alpha/budget/imports/new/", {"file": handle, "format": "auto", "date_order": ""}
        )
    assert response.status_code == 302
    status = client.get(response["Location"]).content.decode()
    assert "Done: 5 lines in the file" in status
    with open(FILES / "xero_account_transactions.csv", "rb") as handle:
        again = client.post("/c/alpha/budget/imports/new/", {"file": handle, "format": "auto"})
    assert again["Location"] == response["Location"]  # imported before: nothing added


def test_a_generic_import_maps_its_columns_on_the_web(world, as_user, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"  # uploads are stored per client
    client = as_user(world.consultant)
    with open(FILES / "generic_card_export.csv", "rb") as handle:
        page = client.post("/c/alpha/budget/imports/new/", {"file": handle, "format": "auto"})
    body = page.content.decode()
    assert "Map the columns of generic_card_export.csv" in body
    upload = body.split('name="upload" value="')[1].split('"')[0]
    response = client.post(
        "/c/alpha/budget/imports/new/",
        {
            "upload": upload,
            "filename": "generic_card_export.csv",
            "map_date": "txn_date",
            "map_amount": "amount",
            "map_payee": "supplier",
            "map_account": "gl_account",
        },
    )
    assert response.status_code == 302
    assert "Done: 4 lines in the file" in client.get(response["Location"]).content.decode()


PAGES = [
    "/c/alpha/budget/",
    "/c/alpha/budget/year/?fy=2026",
    "/c/alpha/budget/year/export/?fy=2026&table=categories&format=csv",
    "/c/alpha/budget/spend/",
    "/c/alpha/budget/queue/",
    "/c/alpha/budget/imports/",
    "/c/alpha/budget/rules/",
    "/c/alpha/budget/budget-lines/",
    "/c/alpha/budget/variance-notes/",
]


@pytest.mark.parametrize("url", PAGES)
def test_the_page_runs_a_constant_number_of_queries(world, as_user, url):
    client = as_user(world.lead)

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx)

    count()  # the first visit may create the default categories
    before = count()
    person = world.records["a"]["people"]
    with acting_as("test setup"):
        for i in range(4):
            make_vendor_records(world.a, person, f" {i}")
            make_budget_records(world.a, person, f" {i}")
    with scope(world.a):
        assert Budget.objects.count() == 1
    assert count() == before
