"""A bad accounting export names its row and column, and writes nothing."""

from pathlib import Path

import pytest

from ciodesk.budget.importers import ImportFailed, import_spend
from ciodesk.budget.models import LedgerLine, SpendImport
from ciodesk.budget.tests.spend_fixtures import fresh  # noqa: F401
from ciodesk.core.scope import scope

FILES = Path(__file__).parent / "files"
pytestmark = pytest.mark.usefixtures("fresh")


def broken(replace: str, by: str) -> bytes:
    text = (FILES / "qbo_transaction_detail.csv").read_text()
    assert replace in text
    return text.replace(replace, by, 1).encode()


def nothing_written(client) -> bool:
    with scope(client):
        return not LedgerLine.objects.exists() and not SpendImport.objects.exists()


@pytest.mark.parametrize(
    ("replace", "by", "message"),
    [
        ('"1,237.50"', "twelve", "row 9, column Amount: “twelve” is not an amount"),
        ("02/19/2026", "02/30/2026", "row 9, column Date: “02/30/2026” is not a real date"),
        (",01/12/2026,Bill", ",,Bill", "row 19, column Date: is empty"),
        ("149.90", "149.905", "row 13, column Amount: “149.905” has more than two decimal places"),
    ],
)
def test_a_bad_cell_is_named_and_nothing_is_written(world, replace, by, message):
    with pytest.raises(ImportFailed) as caught:
        import_spend(world.a, broken(replace, by), filename="ledger.csv")
    assert [e for e in caught.value.errors if e.startswith(message)], caught.value.errors
    assert nothing_written(world.a)


def test_every_bad_row_is_reported_at_once(world):
    data = broken("525.00", "x").replace(b"289.00", b"y", 1)
    with pytest.raises(ImportFailed) as caught:
        import_spend(world.a, data, filename="ledger.csv")
    assert [e.split(":")[0] for e in caught.value.errors] == [
        "row 12, column Amount",
        "row 19, column Amount",
    ]


def test_an_unknown_layout_asks_for_a_mapping(world):
    with pytest.raises(ImportFailed) as caught:
        import_spend(world.a, FILES / "generic_card_export.csv", filename="card.csv")
    assert "not those of a QuickBooks Online or Xero export" in str(caught.value)
    assert nothing_written(world.a)


def test_a_mapping_without_an_amount_is_refused(world):
    with pytest.raises(ImportFailed) as caught:
        import_spend(
            world.a,
            FILES / "generic_card_export.csv",
            filename="card.csv",
            fmt="generic",
            mapping={"date": "txn_date", "payee": "supplier"},
        )
    assert "choose the column that holds the amount" in caught.value.errors[0]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "the file is empty"),
        (b"\xd0\xcf\x11\xe0" + b"\x00" * 100, "old .xls workbooks are not read"),
        (b"Date,Transaction Type,Num,Name,Memo/Description,Split,Amount\n", "no ledger lines"),
    ],
)
def test_files_that_are_not_ledgers(world, data, message):
    with pytest.raises(ImportFailed) as caught:
        import_spend(world.a, data, filename="ledger.csv")
    assert message in str(caught.value)
    assert nothing_written(world.a)


def test_a_queued_web_import_keeps_its_failure(world):
    with scope(world.a):
        record = SpendImport.objects.create(filename="ledger.csv", sha256="", source_format="")
    with pytest.raises(ImportFailed):
        import_spend(world.a, broken('"1,237.50"', "?"), filename="ledger.csv", record=record)
    record.refresh_from_db()
    assert record.status == "failed"
    assert "row 9, column Amount" in record.error
    with scope(world.a):
        assert not LedgerLine.objects.exists()
