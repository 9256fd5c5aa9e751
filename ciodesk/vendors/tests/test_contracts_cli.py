"""ciodesk import-contracts and ciodesk renewals."""

import datetime
import io
import json
import os
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from ciodesk.core.scope import acting_as, scope
from ciodesk.vendors.models import Contract
from ciodesk.vendors.tests.test_contracts_import import ROWS, csv_bytes

FIELDS = [
    "client",
    "vendor",
    "contract",
    "renewal_date",
    "notice_deadline",
    "days_to_notice_deadline",
    "auto_renew",
    "annual_value",
    "currency",
    "status",
]


def run(*args) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def renewals(*args) -> list[dict]:
    return json.loads(run("renewals", "--json", *args))


def add(client, title, end, auto_renew=True, notice=30):
    with scope(client), acting_as("test"):
        vendor = client_vendor()
        return Contract.objects.create(
            vendor=vendor,
            title=title,
            end_date=end,
            auto_renew=auto_renew,
            notice_days=notice,
            annual_value=Decimal("999.50"),
            currency="EUR",
            owner=vendor.owner,
        )


def client_vendor():
    from ciodesk.vendors.models import Vendor

    return Vendor.objects.first()


# --- import-contracts ---------------------------------------------------------------------------


def test_import_contracts_reports_what_it_did(world, tmp_path):
    file = tmp_path / "contracts.csv"
    file.write_bytes(csv_bytes())
    out = run("import_contracts", "--client", "alpha", str(file))
    assert "6 contract(s) read — 5 added, 1 updated, 0 unchanged; 5 vendor(s) added." in out
    out = run("import_contracts", "--client", "alpha", str(file))
    assert "0 added, 0 updated, 6 unchanged" in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--client", "nobody", "x.csv"], "unknown client “nobody”"),
        (["--client", "alpha", "/nonexistent/contracts.csv"], "cannot read"),
    ],
)
def test_bad_input_exits_2(world, args, message):
    with pytest.raises(CommandError) as error:
        run("import_contracts", *args)
    assert error.value.returncode == 2
    assert message in str(error.value)


def test_a_bad_file_exits_2_with_the_row_and_column_and_writes_nothing(world, tmp_path):
    file = tmp_path / "contracts.csv"
    file.write_bytes(csv_bytes([*ROWS[:5], ROWS[5].replace("2027-03-31", "never")]))
    with pytest.raises(CommandError) as error:
        run("import_contracts", "--client", "alpha", str(file))
    assert error.value.returncode == 2
    assert "row 7, column end_date" in str(error.value)
    assert "\n" not in str(error.value)
    with scope(world.a):
        assert Contract.objects.count() == 1


def test_a_missing_column_exits_2(world, tmp_path):
    file = tmp_path / "contracts.csv"
    file.write_text("vendor,contract\nAcme,Thing\n")
    with pytest.raises(CommandError) as error:
        run("import_contracts", "--client", "alpha", str(file))
    assert error.value.returncode == 2 and "missing column(s): start_date" in str(error.value)


# --- renewals -----------------------------------------------------------------------------------


def test_renewals_lists_every_contract_by_notice_deadline(world):
    today = world.a.today()
    add(world.a, "Expired", today - datetime.timedelta(days=400), auto_renew=False)
    add(world.a, "Soon", today + datetime.timedelta(days=40))
    records = renewals("--client", "alpha")
    assert [r["contract"] for r in records] == ["Expired", "Soon", "Managed services"]
    assert list(records[1]) == FIELDS
    soon = records[1]
    assert soon == {
        "client": "alpha",
        "vendor": "Coastline Managed IT",
        "contract": "Soon",
        "renewal_date": (today + datetime.timedelta(days=40)).isoformat(),
        "notice_deadline": (today + datetime.timedelta(days=10)).isoformat(),
        "days_to_notice_deadline": 10,
        "auto_renew": True,
        "annual_value": "999.50",
        "currency": "EUR",
        "status": "act_now",
    }
    assert records[0]["status"] == "expired"


def test_renewals_within_includes_passed_deadlines(world):
    today = world.a.today()
    add(world.a, "Passed", today + datetime.timedelta(days=20))  # deadline 10 days ago
    add(world.a, "In 30", today + datetime.timedelta(days=60))
    add(world.a, "In 31", today + datetime.timedelta(days=61))
    records = renewals("--client", "alpha", "--within", "30")
    assert [(r["contract"], r["days_to_notice_deadline"]) for r in records] == [
        ("Passed", -10),
        ("In 30", 30),
    ]
    assert records[0]["status"] == "locked_in"


def test_renewals_without_a_client_covers_every_client(world):
    records = renewals()
    assert sorted(r["client"] for r in records) == ["alpha", "bravo"]


def test_renewals_refuses_an_unknown_client_and_a_negative_window(world):
    for args in (["--client", "nobody"], ["--within", "-1"]):
        with pytest.raises(CommandError) as error:
            run("renewals", "--json", *args)
        assert error.value.returncode == 2


@pytest.mark.skipif(not (Path(sys.prefix) / "bin" / "ciodesk").exists(), reason="no console script")
def test_the_ciodesk_command_takes_hyphenated_names(tmp_path):
    """The real console script (no database needed for these two): `import-contracts` and a
    bad --within, which exits 2 with the reason."""
    env = {**os.environ, "CIODESK_DATA_DIR": str(tmp_path), "CIODESK_TESTING": "1"}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    ciodesk = str(Path(sys.prefix) / "bin" / "ciodesk")
    done = subprocess.run(
        [ciodesk, "import-contracts", "--help"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0 and "--client" in done.stdout
    bad = subprocess.run(
        [ciodesk, "renewals", "--json", "--within", "soon"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert bad.returncode == 2
    assert "invalid int value: 'soon'" in bad.stderr
