"""ciodesk forecast --client SLUG --years 3 --json: one JSON object; bad input → exit 2 with a
one-line reason, nothing written."""

from __future__ import annotations

import io
import json
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command

from ciodesk.budget.fiscal import fiscal_year
from ciodesk.budget.models import ForecastSettings
from ciodesk.budget.tests.test_forecast_sums import contract, january  # noqa: F401
from ciodesk.core.scope import scope

KEYS = ["client", "currency", "years", "escalator_pct", "as_of", "per_year", "total", "benchmarks"]
ROW_KEYS = [
    "fiscal_year",
    "label",
    "start",
    "end",
    "contracts",
    "roadmap",
    "lifecycle",
    "licences",
    "total",
    "per_employee",
    "revenue_share_pct",
]


def run(*args) -> str:
    out = io.StringIO()
    call_command("forecast", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def renewing(january):  # noqa: F811
    """A contract of 54,000.00 a year renewing at the start of each fiscal year."""
    fy = fiscal_year(january)
    contract("Coastline", "54000.00", fy.start, fy.end)
    return january


def test_one_json_object_with_a_row_per_year(renewing):
    data = json.loads(run("--client", "january", "--years", "3", "--json"))
    assert list(data) == KEYS
    assert (data["client"], data["currency"], data["years"]) == ("january", "USD", 3)
    assert data["escalator_pct"] == "3.00"  # the default settings: none are saved
    rows = data["per_year"]
    assert [list(row) for row in rows] == [ROW_KEYS] * 3
    assert [row["contracts"] for row in rows] == ["54000.00", "55620.00", "57288.60"]
    assert [row["total"] for row in rows] == ["54000.00", "55620.00", "57288.60"]
    assert rows[0]["roadmap"] == rows[0]["lifecycle"] == rows[0]["licences"] == "0.00"
    assert rows[0]["per_employee"] == "1350.00"  # 40 employees
    assert rows[0]["revenue_share_pct"] is None  # no revenue recorded
    assert data["total"] == "166908.60"
    benchmarks = data["benchmarks"]
    assert benchmarks["employee_count"] == 40 and benchmarks["annual_revenue"] is None
    assert all(b["source"] and b["year"] for b in benchmarks["revenue_pct"])


def test_the_years_and_escalator_options_and_the_saved_settings(renewing):
    with scope(renewing):
        ForecastSettings.objects.create(years=2, escalator_pct=Decimal("5.00"))
    data = json.loads(run("--client", "january", "--json"))
    assert data["years"] == 2 and data["escalator_pct"] == "5.00"
    assert [row["contracts"] for row in data["per_year"]] == ["54000.00", "56700.00"]
    data = json.loads(run("--client", "january", "--years", "1", "--escalator", "0", "--json"))
    assert [row["total"] for row in data["per_year"]] == ["54000.00"]


def test_a_table_without_json(renewing):
    text = run("--client", "january", "--years", "2")
    assert "Contracts" in text.splitlines()[1]
    assert "55620.00" in text and text.splitlines()[-1].endswith("109620.00")


@pytest.mark.parametrize(
    ("args", "reason"),
    [
        (["--client", "nobody"], "unknown client “nobody”"),
        (["--client", "january", "--years", "0"], "--years 0: give a whole number from 1 to 10"),
        (["--client", "january", "--years", "11"], "--years 11"),
        (["--client", "january", "--years", "three"], "--years three"),
        (["--client", "january", "--escalator", "lots"], "--escalator lots: give a percentage"),
        (["--client", "january", "--escalator", "101"], "--escalator 101"),
    ],
)
def test_bad_input_exits_2_with_a_one_line_reason(renewing, args, reason):
    with pytest.raises(CommandError) as error:
        run(*args, "--json")
    assert error.value.returncode == 2
    assert reason in str(error.value) and "\n" not in str(error.value)
    with scope(renewing):
        assert not ForecastSettings.objects.exists()  # nothing written
