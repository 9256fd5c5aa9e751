"""The licence pages: import, prices, the overview with its filters and exports."""

import csv
import datetime
import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from ciodesk.budget.models import LicenceImport, LicenceUser, SaaSUser, SkuPrice
from ciodesk.budget.services_licences import save_prices
from ciodesk.budget.tests.test_licences_import import REPORT
from ciodesk.budget.tests.test_licences_waste import PRICES
from ciodesk.core.scope import acting_as, scope

BASE = "/c/alpha/budget/licences/"


def upload(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="text/csv")


@pytest.fixture
def imported(world, as_user):
    client = as_user(world.lead)
    response = client.post(
        BASE + "import/", {"kind": "m365", "file": upload(REPORT.name, REPORT.read_bytes())}
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    with scope(world.a), acting_as("test"):
        save_prices(PRICES)
    return client


def test_importing_the_report_shows_the_waste(imported):
    page = imported.get(BASE).content.decode()
    assert 'id="monthly-waste">$113.20<' in page
    assert "per year $1,358.40" in page
    assert 'Inactive 30+ days: <span class="value">6</span>' in page
    assert 'Deleted users with a licence: <span class="value">1</span>' in page
    assert "MICROSOFT 365 BUSINESS PREMIUM is included in MICROSOFT 365 E3" in page
    assert "no price set" in page  # Teams Exploratory
    assert "of earlier reports" in page  # the sweep record's older report is not counted


def test_the_filters_change_the_users_and_the_waste(imported):
    page = imported.get(BASE + "?days=90&show=inactive").content.decode()
    assert 'id="monthly-waste">$81.00<' in page
    assert "heidi@contoso.com" in page and "bob@contoso.com" not in page
    deleted = imported.get(BASE + "?show=deleted").content.decode()
    assert "frank@contoso.com" in deleted and "alice@contoso.com" not in deleted


def test_the_users_export_equals_the_page_filter_in_csv_and_xlsx(imported):
    response = imported.get(BASE + "export/?format=csv&days=30&show=waste")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["Source", "Name", "Login"]
    logins = {r[2] for r in rows[1:]}
    assert logins == {
        f"{n}@contoso.com"
        for n in (
            "bob",
            "carol",
            "dave",
            "erin",
            "frank",
            "grace",
            "heidi",
            "mallory",
            "ken",
            "leo",
        )
    }
    total = sum(Decimal(r[rows[0].index("Monthly waste")]) for r in rows[1:])
    assert total == Decimal("113.20")
    book = load_workbook(
        io.BytesIO(imported.get(BASE + "export/?format=xlsx&days=30&show=waste").content)
    )
    sheet = [list(r) for r in book.active.iter_rows(values_only=True)]
    assert [r[2] for r in sheet[1:]] == [r[2] for r in rows[1:]]


def test_the_products_export_has_the_money_per_product(imported):
    response = imported.get(BASE + "products/export/?format=csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    standard = next(r for r in rows if r["Product"].lower() == "microsoft 365 business standard")
    assert standard["Monthly waste"] == "50.00" and standard["Yearly waste"] == "600.00"
    teams = next(r for r in rows if r["Product"] == "MICROSOFT TEAMS EXPLORATORY")
    assert teams["Monthly price"] == "no price set"


def test_a_bad_report_lists_the_problems_and_writes_nothing(world, as_user):
    data = REPORT.read_bytes().replace(b"2026-09-14", b"14.09.2026")
    response = as_user(world.lead).post(
        BASE + "import/", {"kind": "m365", "file": upload("activeusers.csv", data)}
    )
    assert response.status_code == 200
    assert "row 3, column SharePoint Last Activity Date" in response.content.decode()
    with scope(world.a):
        assert LicenceUser.objects.count() == 1  # the sweep record only
        assert LicenceImport.objects.count() == 1


def test_a_saas_list_with_unknown_headers_goes_through_the_mapping(world, as_user):
    client = as_user(world.lead)
    data = b"Member,Seat kind,Most recent visit\nkim@contoso.com,Editor,2026-09-01\n"
    response = client.post(
        BASE + "import/", {"kind": "saas", "app_name": "Figma", "file": upload("figma.csv", data)}
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Map the columns of figma.csv" in page and "kim@contoso.com" in page
    form = response.context["form"]
    response = client.post(
        BASE + "import/",
        {
            "upload": form["upload"].value(),
            "filename": "figma.csv",
            "app_name": "Figma",
            "map_email": "member",
            "map_licence": "seat_kind",
            "map_last_used": "most_recent_visit",
        },
    )
    assert response.status_code == 302
    with scope(world.a):
        seat = SaaSUser.objects.get(app_name="Figma")
    assert (seat.email, seat.licence, seat.last_used) == (
        "kim@contoso.com",
        "Editor",
        datetime.date(2026, 9, 1),
    )


def test_prices_are_entered_in_a_table(world, as_user):
    client = as_user(world.lead)
    page = client.get(BASE + "prices/")
    forms = page.context["formset"].forms
    data = {
        "form-TOTAL_FORMS": str(len(forms)),
        "form-INITIAL_FORMS": "0",
    }
    for i, form in enumerate(forms):
        data[f"form-{i}-sku"] = form.initial.get("sku", "")
        data[f"form-{i}-monthly_price"] = form.initial.get("monthly_price") or ""
        data[f"form-{i}-currency"] = form.initial.get("currency", "USD")
    last = len(forms) - 1
    data[f"form-{last}-sku"] = "Microsoft 365 Business Premium"
    data[f"form-{last}-monthly_price"] = "22.00"
    data["form-0-monthly_price"] = ""  # clears the sweep record's price
    response = client.post(BASE + "prices/", data)
    assert response.status_code == 302
    with scope(world.a):
        prices = {p.sku: p.monthly_price for p in SkuPrice.objects.all()}
    assert prices == {"Microsoft 365 Business Premium": Decimal("22.00")}


def test_prices_import_from_the_page(world, as_user):
    data = b"product,monthly price\nMicrosoft 365 Business Basic,6.00\n"
    response = as_user(world.lead).post(
        BASE + "prices/import/", {"file": upload("prices.csv", data)}
    )
    assert response.status_code == 302
    with scope(world.a):
        assert SkuPrice.objects.filter(sku="Microsoft 365 Business Basic").exists()


@pytest.mark.parametrize(
    "url", [BASE, BASE + "?days=90&show=waste", BASE + "export/?format=csv", BASE + "prices/"]
)
def test_the_licence_pages_run_a_constant_number_of_queries(world, as_user, url):
    client = as_user(world.lead)

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx)

    before = count()
    day = datetime.date(2026, 10, 5)
    with scope(world.a), acting_as("test setup"):
        for i in range(4):
            record = LicenceImport.objects.create(
                filename=f"report{i}.csv", sha256=f"{i + 4}" * 64, status="done", report_date=day
            )
            LicenceUser.objects.create(
                upn=f"user{i}@example.com",
                assigned_products=[f"PRODUCT {i}", "MICROSOFT 365 BUSINESS STANDARD"],
                report_date=day,
                licence_import=record,
            )
            SaaSUser.objects.create(
                app_name="Zoom", email=f"user{i}@example.com", licence="Pro", licence_import=record
            )
            SkuPrice.objects.create(sku=f"PRODUCT {i}", monthly_price=Decimal("1.00"))
    assert count() == before
