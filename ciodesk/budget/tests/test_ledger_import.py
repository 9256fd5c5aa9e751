"""Importing accounting exports as QuickBooks Online and Xero write them."""

import datetime
import io
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import Workbook

from ciodesk.budget.importers import AlreadyImported, import_spend
from ciodesk.budget.models import LedgerLine, SpendImport
from ciodesk.budget.money import cents_sum, from_cents
from ciodesk.budget.tests.spend_fixtures import fresh  # noqa: F401
from ciodesk.core.scope import scope

FILES = Path(__file__).parent / "files"
pytestmark = pytest.mark.usefixtures("fresh")


def total(client) -> Decimal:
    with scope(client):
        return from_cents(LedgerLine.objects.aggregate(c=cents_sum())["c"])


def lines(client) -> list[LedgerLine]:
    with scope(client):
        return list(LedgerLine.objects.order_by("date", "pk"))


def run(world, name: str, **kwargs) -> SpendImport:
    return import_spend(world.a, FILES / name, filename=name, **kwargs)


def test_quickbooks_transaction_detail_by_account(world):
    record = run(world, "qbo_transaction_detail.csv")
    assert record.status == "done"
    assert record.source_format == "qbo"
    assert record.created_count == record.rows_total == 11
    assert total(world.a) == Decimal("14483.81")  # the report's own TOTAL row
    found = lines(world.a)
    dell = next(line for line in found if line.payee.startswith("Dell"))
    assert dell.payee == "Dell Marketing, L.P."
    assert dell.memo == 'OptiPlex 7020 x2, "front desk"'
    assert dell.account == "6400 Computer Equipment"  # from its section heading
    assert dell.date == datetime.date(2026, 3, 14)
    refund = next(line for line in found if line.amount < 0)
    assert refund.amount == Decimal("-14.99")
    assert refund.transaction_type == "Credit Card Credit"


def test_two_identical_charges_stay_two_lines(world):
    run(world, "qbo_transaction_detail.csv")
    same = [
        line
        for line in lines(world.a)
        if line.date == datetime.date(2026, 2, 3) and line.payee == "Microsoft"
    ]
    assert len(same) == 2


def test_the_same_file_twice_adds_nothing(world):
    run(world, "qbo_transaction_detail.csv")
    with pytest.raises(AlreadyImported):
        run(world, "qbo_transaction_detail.csv")
    assert len(lines(world.a)) == 11
    with scope(world.a):
        assert SpendImport.objects.count() == 1


def test_an_overlapping_export_adds_only_its_new_lines(world):
    """The General Ledger export for February–March repeats four February lines."""
    run(world, "qbo_transaction_detail.csv")
    second = run(world, "qbo_general_ledger.csv")
    assert second.rows_total == 7
    assert second.skipped_count == 4
    assert second.created_count == 3
    assert len(lines(world.a)) == 14
    # 14,483.81 + March: 4,500.00 + 525.00 − 1,100.00 (a credit written in parentheses)
    assert total(world.a) == Decimal("18408.81")


def test_xero_account_transactions(world):
    record = run(world, "xero_account_transactions.csv")
    assert record.source_format == "xero"
    found = lines(world.a)
    assert len(found) == 5  # opening, total and closing balance rows are not lines
    assert total(world.a) == Decimal("8965.95")
    credit = next(line for line in found if line.number == "CN-12")
    assert credit.amount == Decimal("-250.00")
    assert credit.payee == "Coastline Managed IT"
    assert credit.account == "IT Services (6100)"
    assert credit.date == datetime.date(2025, 8, 15)


def test_quickbooks_xlsx_with_real_date_and_number_cells(world):
    book = Workbook()
    sheet = book.active
    sheet.append(["Coastline Dental"])
    sheet.append(["Transaction Detail by Account"])
    sheet.append(["January 1 - December 31, 2026"])
    sheet.append([])
    sheet.append(["", "Date", "Transaction Type", "Num", "Name", "Memo/Description", "Split"])
    sheet["H5"] = "Amount"
    sheet.append(["6200 Software Subscriptions"])
    sheet.append(
        [None, datetime.datetime(2026, 1, 3), "Expense", None, "Microsoft", "M365", "Amex", 525.1]
    )
    sheet.append(
        [None, datetime.datetime(2026, 1, 17), "Expense", 1001, "Zoom", "Pro", "Amex", 149.9]
    )
    sheet.append(["Total for 6200 Software Subscriptions", None, None, None, None, None, None, 675])
    sheet.append([])
    sheet.append(["Accrual Basis Sunday, November 22, 2026 09:14 AM GMT-08:00"])
    data = io.BytesIO()
    book.save(data)
    record = import_spend(world.a, data.getvalue(), filename="ledger.xlsx")
    assert record.created_count == 2
    assert total(world.a) == Decimal("675.00")
    zoom = next(line for line in lines(world.a) if line.payee == "Zoom")
    assert zoom.number == "1001"
    assert zoom.date == datetime.date(2026, 1, 17)


def test_a_generic_file_with_a_column_mapping(world):
    mapping = {
        "date": "txn_date",
        "payee": "supplier",
        "memo": "details",
        "account": "gl_account",
        "amount": "amount",
        "number": "ref",
    }
    record = run(world, "generic_card_export.csv", fmt="generic", mapping=mapping)
    assert record.source_format == "generic"
    assert record.created_count == 4
    assert total(world.a) == Decimal("3689.00")


def test_day_first_dates_are_recognised_from_the_file(world):
    data = (
        b"Date,Transaction Type,Num,Name,Memo/Description,Split,Amount\n"
        b"03/04/2026,Expense,,Telstra,Mobile,Card,80.00\n"
        b"13/04/2026,Expense,,Telstra,Mobile,Card,80.00\n"
    )
    import_spend(world.a, data, filename="au.csv")
    assert [line.date for line in lines(world.a)] == [
        datetime.date(2026, 4, 3),
        datetime.date(2026, 4, 13),
    ]


def test_lines_belong_to_their_client_only(world):
    run(world, "qbo_transaction_detail.csv")
    with scope(world.b):
        assert not LedgerLine.objects.filter(payee="Comcast Business").exists()
