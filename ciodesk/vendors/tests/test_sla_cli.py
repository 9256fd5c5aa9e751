"""ciodesk sla --client SLUG --vendor NAME --since YYYY-MM-DD --until YYYY-MM-DD --json"""

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from ciodesk.vendors.tests.test_sla_scorecard import AFTER, msp, week_of_tickets  # noqa: F401

KEYS = [
    "client",
    "vendor",
    "since",
    "until",
    "calendar",
    "priorities",
    "overall",
    "open_at_end",
    "vendor_flag_disagreements",
]
PRIORITY_KEYS = [
    "priority",
    "tickets",
    "response_target_minutes",
    "response_met",
    "response_breached",
    "response_pending",
    "response_attainment_pct",
    "resolution_target_minutes",
    "resolution_met",
    "resolution_breached",
    "resolution_pending",
    "resolution_attainment_pct",
    "median_response_minutes",
    "p90_response_minutes",
    "median_resolution_minutes",
    "p90_resolution_minutes",
]


def sla(*args) -> dict:
    out = io.StringIO()
    call_command("sla", *args, stdout=out)
    lines = out.getvalue().splitlines()
    assert len(lines) == 1  # one JSON object, nothing else
    return json.loads(lines[0])


def test_it_prints_the_scorecard_as_one_json_object(msp):  # noqa: F811
    client, vendor, _ = msp
    week_of_tickets(client, vendor)
    data = sla(
        "--client",
        "alpha",
        "--vendor",
        "harbor msp",
        "--since",
        "2026-11-02",
        "--until",
        "2026-11-06",
        "--json",
    )
    assert list(data) == KEYS
    assert [list(row) for row in data["priorities"]] == [PRIORITY_KEYS, PRIORITY_KEYS]
    assert list(data["overall"]) == [k for k in PRIORITY_KEYS if "target" not in k]
    assert list(data["open_at_end"]) == ["0-7", "8-14", "15-30", ">30"]
    assert data["vendor"] == "Harbor MSP"
    assert data["priorities"][0]["response_attainment_pct"] == 66.7
    assert data["vendor_flag_disagreements"] == 2


@pytest.mark.parametrize(
    ("args", "reason"),
    [
        (["--client", "nobody", "--vendor", "Harbor MSP"], "unknown client “nobody”"),
        (["--client", "alpha", "--vendor", "Nobody IT"], "alpha has no vendor named “Nobody IT”"),
        (
            ["--client", "alpha", "--vendor", "Harbor MSP", "--since", "2026-13-01"],
            "--since “2026-13-01” is not a date",
        ),
        (
            ["--client", "alpha", "--vendor", "Harbor MSP", "--since", "2026-12-01"],
            "--since 2026-12-01 is after --until 2026-11-30",
        ),
    ],
)
def test_bad_input_exits_2_with_a_one_line_reason(msp, args, reason):  # noqa: F811
    defaults = {"--since": "2026-11-01", "--until": "2026-11-30"}
    for option, value in defaults.items():
        if option not in args:
            args = [*args, option, value]
    with pytest.raises(CommandError) as raised:
        sla(*args, "--json")
    assert raised.value.returncode == 2
    assert reason in str(raised.value)
    assert "\n" not in str(raised.value)


def test_a_vendor_without_sla_policy_exits_2(world):
    # bravo's MSP has a policy; alpha's "Copier Co" has no contract at all
    from ciodesk.core.scope import acting_as, scope
    from ciodesk.vendors.models import Vendor

    with scope(world.a), acting_as("test"):
        Vendor.objects.create(name="Copier Co", owner=world.records["a"]["people"])
    with pytest.raises(CommandError) as raised:
        sla(
            "--client",
            "alpha",
            "--vendor",
            "Copier Co",
            "--since",
            "2026-11-01",
            "--until",
            "2026-11-30",
            "--json",
        )
    assert raised.value.returncode == 2
    assert "no contract with an SLA policy" in str(raised.value)


def test_the_installed_command_exits_2_with_one_line_on_stderr(tmp_path):
    env = {**os.environ, "CIODESK_DATA_DIR": str(tmp_path), "CIODESK_TESTING": "1"}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    done = subprocess.run(
        [
            str(Path(sys.prefix) / "bin" / "ciodesk"),
            "sla",
            "--client",
            "alpha",
            "--vendor",
            "X",
            "--since",
            "2026-02-30",
            "--until",
            "2026-03-31",
            "--json",
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr.strip().splitlines() == [
        "CommandError: --since “2026-02-30” is not a date: use YYYY-MM-DD"
    ]
