"""ciodesk licence-waste --json and ciodesk import-licences."""

import io
import json

import pytest
from django.core.management import CommandError, call_command

from ciodesk.budget.models import LicenceImport, LicenceUser
from ciodesk.budget.tests.test_licences_import import REPORT, alpha, report_bytes  # noqa: F401
from ciodesk.budget.tests.test_licences_waste import priced  # noqa: F401
from ciodesk.core.scope import scope

KEYS = [
    "client",
    "report_date",
    "days",
    "currency",
    "licensed_users",
    "inactive_30",
    "inactive_60",
    "inactive_90",
    "deleted_with_licence",
    "overlaps",
    "monthly_waste",
    "yearly_waste",
    "unpriced",
    "skus",
]


def run(*args) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_licence_waste_prints_one_json_object(priced):  # noqa: F811
    data = json.loads(run("licence_waste", "--client", "alpha", "--json"))
    assert list(data) == KEYS
    assert data["client"] == "alpha" and data["report_date"] == "2026-11-20"
    assert (data["inactive_30"], data["inactive_60"], data["inactive_90"]) == (6, 4, 3)
    assert (data["deleted_with_licence"], data["overlaps"]) == (1, 3)
    assert (data["monthly_waste"], data["yearly_waste"]) == ("113.20", "1358.40")
    assert data["unpriced"] == ["MICROSOFT TEAMS EXPLORATORY"]
    standard = next(s for s in data["skus"] if s["sku"] == "Microsoft 365 Business Standard")
    assert standard == {
        "sku": "Microsoft 365 Business Standard",
        "assigned": 5,
        "inactive": 2,
        "on_deleted": 1,
        "overlapping": 1,
        "wasted": 4,
        "monthly_price": "12.50",
        "currency": "USD",
        "monthly_waste": "50.00",
        "yearly_waste": "600.00",
    }
    teams = next(s for s in data["skus"] if s["sku"] == "MICROSOFT TEAMS EXPLORATORY")
    assert teams["monthly_price"] is None and teams["monthly_waste"] is None


def test_licence_waste_at_90_days(priced):  # noqa: F811
    data = json.loads(run("licence_waste", "--client", "alpha", "--days", "90", "--json"))
    assert data["days"] == 90 and data["monthly_waste"] == "81.00"


def test_licence_waste_in_words(priced):  # noqa: F811
    out = run("licence_waste", "--client", "alpha")
    assert "Waste (30 days): 113.20 USD a month, 1358.40 a year" in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["licence_waste", "--client", "nobody", "--json"], "unknown client “nobody”"),
        (["licence_waste", "--client", "alpha", "--days", "45"], "--days 45: use 30, 60 or 90"),
        (["import_licences", "--client", "nobody", "x.csv"], "unknown client “nobody”"),
        (["import_licences", "--client", "alpha", "/nonexistent/a.csv"], "cannot read"),
        (
            ["import_licences", "--client", "alpha", "--kind", "saas", "--map", "mail", "x.csv"],
            "--map mail: write FIELD=Header",
        ),
    ],
)
def test_bad_input_exits_2(alpha, args, message):  # noqa: F811
    with pytest.raises(CommandError) as error:
        run(*args)
    assert error.value.returncode == 2
    assert message in str(error.value)


def test_import_licences_then_again_adds_nothing(alpha, tmp_path):  # noqa: F811
    file = tmp_path / REPORT.name
    file.write_bytes(REPORT.read_bytes())
    out = run("import_licences", "--client", "alpha", str(file))
    assert "13 user(s) read — 13 added, 0 updated, 0 unchanged." in out
    assert "already imported" in run("import_licences", "--client", "alpha", str(file))


def test_a_bad_report_exits_2_on_one_line_and_writes_nothing(alpha, tmp_path):  # noqa: F811
    file = tmp_path / "activeusers.csv"
    file.write_bytes(report_bytes(("2026-09-14", "14/09/2026x")))
    with pytest.raises(CommandError) as error:
        run("import_licences", "--client", "alpha", str(file))
    assert error.value.returncode == 2
    assert "row 3, column SharePoint Last Activity Date" in str(error.value)
    assert "\n" not in str(error.value)
    with scope(alpha):
        assert not LicenceUser.objects.exists() and not LicenceImport.objects.exists()


def test_a_saas_list_needs_its_columns_mapped_on_the_command_line(alpha, tmp_path):  # noqa: F811
    file = tmp_path / "figma.csv"
    file.write_bytes(b"Member,Most recent visit\nkim@contoso.com,2026-09-01\n")
    args = ["import_licences", "--client", "alpha", "--kind", "saas", "--app", "Figma"]
    with pytest.raises(CommandError) as error:
        run(*args, str(file))
    assert error.value.returncode == 2 and "--map email=HEADER last_used=HEADER" in str(error.value)
    out = run(*args, "--map", "email=Member", "--map", "last_used=Most recent visit", str(file))
    assert "1 added" in out
