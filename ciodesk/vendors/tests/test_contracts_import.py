"""Contract import: whole file validated first, errors named by row and column, idempotent."""

import datetime
import io
from decimal import Decimal

import pytest
from openpyxl import Workbook

from ciodesk.audit.models import ChangeRecord
from ciodesk.core.scope import scope
from ciodesk.vendors.importers.contracts import import_contracts
from ciodesk.vendors.models import Contract, Vendor

HEADER = (
    "vendor,contract,start_date,end_date,auto_renew,renewal_term_months,notice_days,"
    "annual_value,currency"
)
ROWS = [
    'Coastline Managed IT,Managed services,2024-01-01,2026-12-31,yes,12,60,"$54,000.00",USD',
    "Comcast Business,Internet 500,2025-03-01,2027-02-28,true,24,30,2388,USD",
    "Microsoft 365 reseller,Business Premium,,2027-06-30,no,,30,8640.50,",
    "RingCentral,Phones,03/15/2025,03/14/2027,1,12,90,4200,usd",
    "Canon Financial,Copier lease,2023-07-01,2028-06-30,0,12,90,3600.00,USD",
    "Chubb,Cyber insurance,2026-04-01,2027-03-31,No,12,45,6100,USD",
]


def csv_bytes(rows=ROWS, header=HEADER, bom=False) -> bytes:
    text = "\r\n".join([header, *rows]) + "\r\n"
    return (b"\xef\xbb\xbf" if bom else b"") + text.encode("utf-8")


def counts(client):
    with scope(client):
        return Vendor.objects.count(), Contract.objects.count()


def test_a_good_csv_is_imported(world):
    before_vendors, before_contracts = counts(world.a)
    result = import_contracts(world.a, csv_bytes(), "contracts.csv")
    assert result.ok, result.errors
    # Coastline's "Managed services" exists already (conftest): it is updated, not duplicated.
    assert (result.created, result.updated, result.vendors_created) == (5, 1, 5)
    assert counts(world.a) == (before_vendors + 5, before_contracts + 5)
    with scope(world.a):
        msp = Contract.objects.get(vendor__name="Coastline Managed IT", title="Managed services")
        phones = Contract.objects.get(title="Phones")
        m365 = Contract.objects.get(title="Business Premium")
        new_vendor = Vendor.objects.get(name="RingCentral")
    assert msp.end_date == datetime.date(2026, 12, 31)  # was 2027-11-22
    assert msp.annual_value == Decimal("54000.00")
    assert (phones.start_date, phones.end_date) == (
        datetime.date(2025, 3, 15),
        datetime.date(2027, 3, 14),
    )
    assert phones.auto_renew is True and phones.currency == "USD"
    assert m365.start_date is None and m365.renewal_term_months == 12
    assert m365.currency == world.a.currency and m365.annual_value == Decimal("8640.50")
    assert new_vendor.owner == world.records["a"]["people"]  # the client's first person
    assert counts(world.b)[1] == 1  # bravo untouched


def test_the_same_file_twice_adds_nothing(world):
    import_contracts(world.a, csv_bytes(), "contracts.csv")
    totals = counts(world.a)
    with scope(world.a):
        records = ChangeRecord.objects.count()
    again = import_contracts(world.a, csv_bytes(), "contracts.csv")
    assert again.ok
    assert (again.created, again.updated, again.unchanged, again.vendors_created) == (0, 0, 6, 0)
    assert counts(world.a) == totals
    with scope(world.a):
        assert ChangeRecord.objects.count() == records


def test_a_changed_row_updates_its_contract_in_place(world):
    import_contracts(world.a, csv_bytes(), "contracts.csv")
    rows = [ROWS[0].replace(',60,"$54,000.00"', ',90,"$57,500.00"'), *ROWS[1:]]
    result = import_contracts(world.a, csv_bytes(rows), "contracts.csv")
    assert (result.created, result.updated, result.unchanged) == (0, 1, 5)
    with scope(world.a):
        msp = Contract.objects.get(title="Managed services", vendor__name="Coastline Managed IT")
        assert ChangeRecord.objects.filter(object_id=str(msp.pk), action="updated").exists()
    assert (msp.notice_days, msp.annual_value) == (90, Decimal("57500.00"))


def test_a_byte_order_mark_and_header_case_are_fine(world):
    header = HEADER.upper().replace("VENDOR,", "Vendor ,", 1) + ",comments"
    rows = [row + ",ignored" for row in ROWS]
    result = import_contracts(world.a, csv_bytes(rows, header, bom=True), "contracts.csv")
    assert result.ok, result.errors
    assert (result.created, result.updated) == (5, 1)


def test_an_xlsx_is_imported(world):
    book = Workbook()
    sheet = book.active
    sheet.append(HEADER.split(","))
    sheet.append(
        [
            "Coastline Managed IT",
            "Projects",
            datetime.datetime(2025, 1, 1),
            datetime.datetime(2026, 12, 31),
            "yes",
            12,
            60,
            12000.5,
            "USD",
        ]
    )
    sheet.append(["Zoom", "Video", "2025-05-01", "05/01/2026", True, 12.0, 30, "1,200", "USD"])
    out = io.BytesIO()
    book.save(out)
    result = import_contracts(world.a, out.getvalue(), "contracts.xlsx")
    assert result.ok, result.errors
    with scope(world.a):
        projects = Contract.objects.get(title="Projects")
        zoom = Contract.objects.get(title="Video")
    assert projects.end_date == datetime.date(2026, 12, 31)
    assert projects.annual_value == Decimal("12000.50")
    assert zoom.end_date == datetime.date(2026, 5, 1) and zoom.annual_value == Decimal("1200.00")


def test_a_missing_column_is_named_and_nothing_is_written(world):
    header = HEADER.replace(",notice_days", "")
    rows = [row.replace(",60,", ",") for row in ROWS[:1]]
    before = counts(world.a)
    result = import_contracts(world.a, csv_bytes(rows, header), "contracts.csv")
    assert not result.ok
    assert "missing column(s): notice_days" in result.errors[0]
    assert counts(world.a) == before


def test_a_bad_date_in_row_7_names_row_7_and_end_date_and_writes_nothing(world):
    rows = [*ROWS[:5], ROWS[5].replace("2027-03-31", "31/03/2027")]  # the 6th contract: row 7
    before = counts(world.a)
    result = import_contracts(world.a, csv_bytes(rows), "contracts.csv")
    assert not result.ok
    assert result.errors == [
        "row 7, column end_date: “31/03/2027” is not a date (use YYYY-MM-DD or MM/DD/YYYY)"
    ]
    assert counts(world.a) == before


def test_every_bad_cell_is_listed(world):
    rows = [
        "Acme,Thing,2025-01-01,2026-01-01,maybe,0,-5,12.345,XYZ",
        ",No vendor,,2026-01-01,yes,12,30,,",
        "Acme,Thing,2025-01-01,2026-01-01,yes,12,30,100,USD",
        "Acme,Thing,2025-01-01,2026-01-01,yes,12,30,100,USD",
        "Acme,Backwards,2026-02-01,2026-01-01,yes,12,30,100,USD",
    ]
    result = import_contracts(world.a, csv_bytes(rows), "contracts.csv")
    assert result.errors == [
        "row 2, column auto_renew: “maybe” is not yes or no",
        "row 2, column renewal_term_months: 0 is outside 1–120",
        "row 2, column notice_days: “-5” is not a whole number",
        "row 2, column annual_value: 12.345 has more than two decimal places",
        "row 2, column currency: “XYZ” is not one of AUD, CAD, CHF, EUR, GBP, NZD, USD",
        "row 3, column vendor: is empty",
        "row 5, column contract: “Thing” of Acme appears again (first in row 4)",
        "row 6, column start_date: is after end_date",
    ]


@pytest.mark.parametrize(
    ("data", "filename", "message"),
    [
        (b"", "c.csv", "the file is empty"),
        (HEADER.encode(), "c.csv", "the file has a header row but no contracts"),
        ("vendor;contrat\nÉcole".encode("latin-1"), "c.csv", "the file is not UTF-8 text"),
        (b"PK\x03\x04 not really a workbook", "c.xlsx", "not a readable XLSX workbook"),
        (b"\xd0\xcf\x11\xe0 old excel", "c.xls", "old .xls workbooks are not read"),
    ],
)
def test_unreadable_files_say_why(world, data, filename, message):
    result = import_contracts(world.a, data, filename)
    assert not result.ok
    assert message in result.errors[0]


def test_ten_megabytes_of_garbage_is_refused(world):
    garbage = bytes(range(256)) * (10 * 1024 * 1024 // 256 + 1)
    result = import_contracts(world.a, garbage, "garbage.csv")
    assert result.errors == ["the file is larger than 10 MB"]


def test_names_match_existing_vendors_and_contracts_without_regard_to_case(world):
    row = "coastline managed it,MANAGED SERVICES CANARY,2024-11-22,2027-11-22,yes,12,60,54000,USD"
    result = import_contracts(world.a, csv_bytes([row]), "c.csv")
    assert result.ok
    assert (result.vendors_created, result.created) == (0, 1)  # the title differs; vendor same
