"""Importing the Microsoft 365 "Active users" report, SaaS user lists and SKU prices."""

import datetime
from decimal import Decimal
from pathlib import Path

import pytest

from ciodesk.budget.importers.licences import NeedsMapping, import_licences, import_prices
from ciodesk.budget.models import LicenceImport, LicenceUser, SaaSUser, SkuPrice
from ciodesk.conftest import make_client
from ciodesk.core.scope import acting_as, scope

FILES = Path(__file__).parent / "files"
REPORT = FILES / "licences_m365_active_users.csv"
LATER = FILES / "licences_m365_later.csv"
D = datetime.date


@pytest.fixture
def alpha(db):
    with acting_as("test setup"):
        return make_client("alpha", "Alpha Dental")


def load(client, path: Path = REPORT, **kwargs):
    with acting_as("test"):
        return import_licences(client, path.read_bytes(), path.name, **kwargs)


def report_bytes(*replacements: tuple[str, str]) -> bytes:
    text = REPORT.read_bytes().decode("utf-8-sig")
    for old, new in replacements:
        assert old in text, old
        text = text.replace(old, new, 1)
    return "\ufeff".encode() + text.encode()


def users(client) -> dict[str, LicenceUser]:
    with scope(client):
        return {u.upn: u for u in LicenceUser.objects.all()}


def nothing_written(client) -> bool:
    with scope(client):
        return not (LicenceUser.objects.exists() or LicenceImport.objects.exists())


# --- Microsoft 365 -------------------------------------------------------------------------------


def test_the_report_imports_as_microsoft_writes_it(alpha):
    result = load(alpha)
    assert result.ok, result.errors
    assert (result.rows, result.created, result.updated) == (13, 13, 0)
    found = users(alpha)
    assert len(found) == 13
    bob = found["bob@contoso.com"]
    assert bob.display_name == "Bob Brown"
    assert bob.last_activity == D(2026, 10, 1)  # the latest of Exchange and SharePoint
    assert bob.report_date == D(2026, 11, 20)
    assert bob.assigned_products == ["MICROSOFT 365 BUSINESS STANDARD"]
    carol = found["carol@contoso.com"]
    assert carol.assigned_products == [
        "MICROSOFT 365 BUSINESS STANDARD",
        "MICROSOFT 365 BUSINESS PREMIUM",
    ]
    grace = found["grace@contoso.com"]
    assert grace.last_activity is None and grace.exchange_last_activity is None
    assert grace.licensed_since == D(2025, 3, 1)
    frank = found["frank@contoso.com"]
    assert frank.is_deleted and frank.deleted_date == D(2026, 11, 2)
    ken = found["ken@contoso.com"]  # US dates
    assert ken.exchange_last_activity == D(2026, 8, 25) and ken.licensed_since == D(2024, 1, 15)
    assert found["judy@contoso.com"].assigned_products == []
    with scope(alpha):
        record = LicenceImport.objects.get()
    assert (record.kind, record.status, record.report_date) == ("m365", "done", D(2026, 11, 20))
    assert record.created_count == 13 and len(record.sha256) == 64


def test_importing_the_same_report_twice_adds_nothing(alpha):
    load(alpha)
    again = load(alpha)
    assert again.ok and again.already is not None
    assert "already imported" in again.summary()
    with scope(alpha):
        assert LicenceImport.objects.count() == 1
        assert LicenceUser.objects.count() == 13


def test_a_later_report_updates_users_by_upn(alpha):
    load(alpha)
    result = load(alpha, LATER)
    assert (result.created, result.updated, result.unchanged) == (1, 2, 0)
    found = users(alpha)
    assert len(found) == 14
    assert found["bob@contoso.com"].last_activity == D(2026, 12, 10)
    assert found["bob@contoso.com"].report_date == D(2026, 12, 18)
    assert found["heidi@contoso.com"].report_date == D(2026, 11, 20)  # not in the later one


def test_an_older_report_never_overwrites_a_newer_one(alpha):
    load(alpha, LATER)
    result = load(alpha)
    assert result.older == 2  # alice and bob are newer on file
    assert users(alpha)["bob@contoso.com"].last_activity == D(2026, 12, 10)


def test_upns_match_without_regard_to_case(alpha):
    load(alpha)
    data = report_bytes(("bob@contoso.com", "BOB@Contoso.com"), ("2026-10-01", "2026-11-01"))
    result = import_licences(alpha, data, "again.csv")
    assert result.ok and result.created == 0 and result.updated == 1
    assert users(alpha)["bob@contoso.com"].last_activity == D(2026, 11, 1)


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (
            report_bytes(("2026-09-14", "2026-13-14")),
            "row 3, column SharePoint Last Activity Date: “2026-13-14” is not a date",
        ),
        (
            report_bytes(("Leo Lang,False", "Leo Lang,Maybe")),
            "row 14, column Is Deleted: “maybe” is not yes or no",
        ),
        (
            report_bytes(("2026-11-20,ivan@", ",ivan@")),
            "row 10, column Report Refresh Date: is empty",
        ),
        (
            report_bytes(("2026-11-20,leo@contoso.com", "2026-11-20,bob@contoso.com")),
            "row 14, column User Principal Name: “bob@contoso.com” appears again (first in row 3)",
        ),
        (
            report_bytes(("Assigned Products,", "Products,")),
            "missing column(s): Assigned Products",
        ),
        (b"", "the file is empty"),
        (b"\x00\x01\x02garbage\xff\xfe", "the file is not UTF-8 text"),
        (b"PK\x03\x04not really a workbook", "the file is not a readable XLSX workbook"),
        ("\ufeffReport Refresh Date,User Principal Name\r\n".encode(), "missing column(s)"),
    ],
)
def test_a_bad_report_names_the_row_and_column_and_writes_nothing(alpha, data, expected):
    result = import_licences(alpha, data, "activeusers.csv")
    assert not result.ok
    assert any(expected in error for error in result.errors), result.errors
    assert nothing_written(alpha)


def test_a_report_with_only_a_header_is_refused(alpha):
    header = REPORT.read_bytes().split(b"\r\n")[0] + b"\r\n"
    result = import_licences(alpha, header, "activeusers.csv")
    assert result.errors == ["the file has a header row but no users"]
    assert nothing_written(alpha)


def test_a_failed_file_can_be_fixed_and_imported(alpha):
    bad = report_bytes(("2026-09-14", "yesterday"))
    assert not import_licences(alpha, bad, "activeusers.csv").ok
    assert load(alpha).ok


# --- SaaS lists ----------------------------------------------------------------------------------


SAAS = (
    "Email,Plan,Last login (UTC)\n"
    "pat@contoso.com,Pro,2026-11-18T09:12:00Z\n"
    "sam@contoso.com,Pro,never\n"
    "lee@contoso.com,Business,10/02/2026 4:15 PM\n"
)


def test_a_saas_list_with_known_headers_imports(alpha):
    result = import_licences(alpha, SAAS.encode(), "zoom.csv", kind="saas", app_name="Zoom")
    assert result.ok, result.errors
    with scope(alpha):
        seats = {s.email: s for s in SaaSUser.objects.all()}
        record = LicenceImport.objects.get()
    assert seats["pat@contoso.com"].last_used == D(2026, 11, 18)
    assert seats["sam@contoso.com"].last_used is None
    assert seats["lee@contoso.com"].last_used == D(2026, 10, 2)
    assert {s.app_name for s in seats.values()} == {"Zoom"}
    assert record.kind == "saas" and record.report_date == alpha.today()


def test_a_saas_list_needs_an_application(alpha):
    result = import_licences(alpha, SAAS.encode(), "zoom.csv", kind="saas")
    assert result.errors == ["the file has no application column: name the application it lists"]


def test_unknown_saas_headers_ask_for_a_mapping_then_import(alpha):
    data = b"Member,Seat kind,Most recent visit\nkim@contoso.com,Editor,2026-09-01\n"
    with pytest.raises(NeedsMapping) as needs:
        import_licences(alpha, data, "figma.csv", kind="saas", app_name="Figma")
    assert needs.value.missing == ["email", "last_used"]
    assert nothing_written(alpha)
    mapping = {"email": "member", "licence": "seat_kind", "last_used": "most_recent_visit"}
    result = import_licences(
        alpha, data, "figma.csv", kind="saas", app_name="Figma", mapping=mapping
    )
    assert result.ok
    with scope(alpha):
        seat = SaaSUser.objects.get()
    assert (seat.email, seat.licence, seat.last_used) == (
        "kim@contoso.com",
        "Editor",
        D(2026, 9, 1),
    )


def test_a_bad_saas_date_names_the_row_and_column(alpha):
    data = SAAS.replace("10/02/2026 4:15 PM", "last Tuesday").encode()
    result = import_licences(alpha, data, "zoom.csv", kind="saas", app_name="Zoom")
    assert result.errors == [
        "row 4, column last_login_(utc): “last Tuesday” is not a date "
        "(such as 01/31/2026, 2026-01-31 or 31 Jan 2026)"
    ]
    with scope(alpha):
        assert not SaaSUser.objects.exists()


# --- prices --------------------------------------------------------------------------------------


def test_prices_import_from_a_csv_and_again_changes_nothing(alpha):
    data = (
        b"product,monthly price,currency\n"
        b"Microsoft 365 Business Standard,12.50,USD\n"
        b"Microsoft 365 Business Premium,$22.00,\n"
    )
    with acting_as("test"):
        first = import_prices(alpha, data, "prices.csv")
        again = import_prices(alpha, data, "prices.csv")
    assert first.ok and first.done == {"added": 2}
    assert again.done == {"unchanged": 2}
    with scope(alpha):
        prices = {p.sku: (p.monthly_price, p.currency) for p in SkuPrice.objects.all()}
    assert prices["Microsoft 365 Business Premium"] == (Decimal("22.00"), "USD")


def test_a_bad_price_names_the_row_and_changes_nothing(alpha):
    data = b"product,monthly price\nBusiness Basic,6.00\nBusiness Standard,twelve\n"
    result = import_prices(alpha, data, "prices.csv")
    assert result.errors == [
        "row 3, column monthly_price: “twelve” is not an amount such as 54000.00 or $54,000.00"
    ]
    with scope(alpha):
        assert not SkuPrice.objects.exists()
