"""ciodesk import-tickets: a summary line on success; exit 2, one line, nothing written."""

import io
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError, OutputWrapper

from ciodesk.core.scope import scope
from ciodesk.vendors.management.commands.import_tickets import ProgressBar
from ciodesk.vendors.models import Ticket, TicketImport

DATA = Path(__file__).parent / "data"
VENDOR = "Coastline Managed IT"


def cli(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("import_tickets", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def refused(*args: str) -> str:
    with pytest.raises(CommandError) as failure:
        cli(*args)
    assert failure.value.returncode == 2
    message = str(failure.value)
    assert "\n" not in message
    return message


def count(world) -> int:
    with scope(world.a):
        return Ticket.objects.count()


def test_it_imports_and_says_what_it_did(world):
    path = str(DATA / "connectwise_api.csv")
    out, err = cli("--client", "alpha", "--vendor", VENDOR.lower(), path)
    assert out.strip() == (
        "connectwise_api.csv (ConnectWise PSA): 24 tickets — 24 created, 0 updated, 0 unchanged"
    )
    assert err == ""  # a short import draws no progress bar
    out, _ = cli("--client", "alpha", "--vendor", VENDOR, "--format", "connectwise", path)
    assert out.strip().endswith("0 created, 0 updated, 24 unchanged")
    with scope(world.a):
        record = TicketImport.objects.order_by("-pk").first()
    assert record.get_status_display() == "Done"


def test_the_time_zone_option(world):
    cli(
        "--client",
        "alpha",
        "--vendor",
        VENDOR,
        "--timezone",
        "America/New_York",
        str(DATA / "connectwise_ui.csv"),
    )
    with scope(world.a):
        created = Ticket.objects.get(number="51020").created_at
    assert (created.hour, created.minute) == (14, 34)  # 09:34 in New York, as UTC


@pytest.mark.parametrize(
    "args, message",
    [
        (["--client", "nobody", "--vendor", VENDOR, "x.csv"], "unknown client “nobody”"),
        (
            ["--client", "alpha", "--vendor", "Nope IT", "x.csv"],
            "alpha has no vendor named “Nope IT”",
        ),
        (
            ["--client", "bravo", "--vendor", VENDOR, "x.csv"],  # bravo's is another name
            "bravo has no vendor named “Coastline Managed IT”",
        ),
        (
            ["--client", "alpha", "--vendor", VENDOR, "/nonexistent/x.csv"],
            "cannot read /nonexistent/x.csv: no such file",
        ),
        (
            ["--client", "alpha", "--vendor", VENDOR, "--timezone", "Nowhere/City", "x.csv"],
            "unknown time zone “Nowhere/City”",
        ),
    ],
)
def test_bad_input_exits_2_with_a_reason(world, args, message):
    before = count(world)
    assert refused(*args).startswith(message)
    assert count(world) == before


def test_a_bad_file_names_row_and_column_and_writes_nothing(world, tmp_path):
    text = (DATA / "connectwise_api.csv").read_text().replace("2026-01-06T11:30:11Z", "Jan 6th")
    path = tmp_path / "bad.csv"
    path.write_text(text)
    before = count(world)
    message = refused("--client", "alpha", "--vendor", VENDOR, str(path))
    assert message.startswith('bad.csv: nothing imported: row 4, column "dateEntered": “Jan 6th”')
    assert count(world) == before


def test_a_missing_column_exits_2(world, tmp_path):
    path = tmp_path / "cw.csv"
    path.write_text("id,summary,priority\n1,Printer,Priority 3 - Normal Response\n")
    message = refused("--client", "alpha", "--vendor", VENDOR, "--format", "connectwise", str(path))
    assert message.startswith('cw.csv: nothing imported: missing column "dateEntered"')


class FakeTerminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_the_progress_bar_redraws_in_place(monkeypatch):
    clock = iter([100.0, 101.5, 101.6, 102.2, 103.0])
    monkeypatch.setattr("time.monotonic", lambda: next(clock))
    terminal = FakeTerminal()
    bar = ProgressBar(OutputWrapper(terminal))  # started at 100.0
    bar(250, 1000)  # 101.5: drawn
    bar(300, 1000)  # 101.6: too soon, skipped
    bar(750, 1000)  # 102.2: drawn
    bar.close()
    text = terminal.getvalue()
    assert text.count("\r") == 2 and text.endswith("\n")
    assert "25% checking 250 of ~500 rows" in text
    assert "75% writing 250 of ~500 rows" in text
