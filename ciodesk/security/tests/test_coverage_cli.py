"""ciodesk import-coverage: a summary line, or exit 2 with a one-line reason and nothing written."""

import datetime
import io

import pytest
from django.core.management import CommandError, call_command

from ciodesk.core.scope import scope
from ciodesk.security.models import CoverageImport
from ciodesk.security.tests.test_coverage_fixtures import FILES, control, counts, new_client


@pytest.fixture
def delta(db):
    return new_client()


def run(*args) -> str:
    out = io.StringIO()
    call_command("import_coverage", *args, stdout=out)
    return out.getvalue()


def refused(*args) -> str:
    with pytest.raises(CommandError) as caught:
        run(*args)
    assert caught.value.returncode == 2
    message = str(caught.value)
    assert "\n" not in message
    return message


def test_it_imports_and_says_the_figure(delta):
    out = run("--client", "delta", "--kind", "mfa", str(FILES / "entra_portal.csv"))
    assert out == (
        "entra_portal.csv: MFA registration (Entra / Microsoft 365) imported: 14 of 16 member "
        "users registered (87.5 %); 1 admin(s) without MFA\n"
    )
    assert control(delta, "mfa-email").status == "partial"


def test_the_same_file_again_adds_nothing(delta):
    run("--client", "delta", "--kind", "backup", str(FILES / "cove_devices.csv"))
    before = counts(delta)
    out = run("--client", "delta", "--kind", "backup", str(FILES / "cove_devices.csv"))
    assert "was already imported on" in out and "nothing was added" in out
    assert counts(delta) == before


def test_a_bad_file_exits_2_and_writes_nothing(delta):
    message = refused("--client", "delta", "--kind", "mfa", str(FILES / "mfa_bad_values.csv"))
    assert message.startswith("mfa_bad_values.csv: nothing imported: row 3, column ismfa")
    assert counts(delta)["CoverageImport"] == 0


def test_unknown_headers_exit_2_with_what_to_do(delta):
    message = refused("--client", "delta", "--kind", "rmm", str(FILES / "inventory_custom.csv"))
    assert "map them once to Device name" in message


def test_the_day_first_option(delta, tmp_path):
    path = tmp_path / "agents.csv"
    path.write_text("Hostname,Last Seen\nPC-1,03/11/2026 08:00\n")
    run("--client", "delta", "--kind", "edr", "--day-first", str(path))
    with scope(delta):
        assert CoverageImport.objects.get().as_of.date() == datetime.date(2026, 11, 3)


@pytest.mark.parametrize(
    ("args", "reason"),
    [
        (["--client", "nobody", "--kind", "mfa", "x.csv"], "unknown client “nobody”"),
        (["--client", "delta", "--kind", "mfa", "/no/such.csv"], "cannot read /no/such.csv"),
        (
            ["--client", "delta", "--kind", "mfa", "--time-zone", "Mars/Base", "F"],
            "is not a time zone",
        ),
        (["--client", "delta", "--kind", "mfa", "E"], "the file is empty"),
    ],
)
def test_bad_input_exits_2(delta, args, reason):
    args = [
        str(FILES / "entra_graph.csv") if a == "F" else str(FILES / "empty.csv") if a == "E" else a
        for a in args
    ]
    assert reason in refused(*args)
    assert counts(delta)["CoverageImport"] == 0
