"""ciodesk import-spend --client SLUG FILE"""

import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from ciodesk.budget.models import LedgerLine, SpendColumnMapping, SpendImport, header_signature
from ciodesk.budget.tests.spend_fixtures import fresh, ledger_total  # noqa: F401
from ciodesk.core.scope import scope

FILES = Path(__file__).parent / "files"
pytestmark = pytest.mark.usefixtures("fresh")


def run(*args) -> str:
    out, err = io.StringIO(), io.StringIO()
    call_command("import_spend", *args, stdout=out, stderr=err)
    return out.getvalue()


def test_it_imports_a_quickbooks_export(world):
    output = run("--client", "alpha", str(FILES / "qbo_transaction_detail.csv"))
    assert "(QuickBooks Online): 11 lines — 11 added, 0 already there" in output
    assert str(ledger_total(world.a)) == "14483.81"
    with scope(world.a):
        record = SpendImport.objects.get()
    assert record.imported_by is None and record.status == "done"


def test_the_same_file_again_adds_nothing(world):
    run("--client", "alpha", str(FILES / "qbo_transaction_detail.csv"))
    output = run("--client", "alpha", str(FILES / "qbo_transaction_detail.csv"))
    assert "was already imported" in output and "nothing was added" in output
    with scope(world.a):
        assert LedgerLine.objects.count() == 11


@pytest.mark.parametrize(
    ("args", "reason"),
    [
        (["--client", "nobody", "x.csv"], "unknown client “nobody”"),
        (["--client", "alpha", "/nonexistent.csv"], "cannot read /nonexistent.csv"),
        (["--client", "alpha", str(FILES / "generic_card_export.csv")], "nothing imported"),
        (
            ["--client", "alpha", "--format", "generic", str(FILES / "generic_card_export.csv")],
            "no column mapping is saved for these headers",
        ),
    ],
)
def test_bad_input_exits_2_with_one_line_and_writes_nothing(world, args, reason):
    with pytest.raises(CommandError) as caught:
        run(*args)
    assert caught.value.returncode == 2
    assert reason in str(caught.value)
    assert "\n" not in str(caught.value)
    with scope(world.a):
        assert not LedgerLine.objects.exists()
        assert not SpendImport.objects.exists()


def test_a_bad_row_is_named(world, tmp_path):
    path = tmp_path / "ledger.csv"
    text = (FILES / "qbo_transaction_detail.csv").read_text()
    path.write_text(text.replace("02/19/2026", "19/02/2026x"))
    with pytest.raises(CommandError) as caught:
        run("--client", "alpha", str(path))
    assert "row 9, column Date" in str(caught.value)


def test_a_generic_file_uses_the_mapping_saved_on_the_web(world):
    headers = ["txn_date", "supplier", "details", "gl_account", "amount", "ref"]
    with scope(world.a):
        SpendColumnMapping.objects.create(
            headers_signature=header_signature(headers),
            headers=headers,
            mapping={"date": "txn_date", "amount": "amount", "payee": "supplier"},
        )
    output = run("--client", "alpha", "--format", "generic", str(FILES / "generic_card_export.csv"))
    assert "4 added" in output
    assert str(ledger_total(world.a)) == "3689.00"
