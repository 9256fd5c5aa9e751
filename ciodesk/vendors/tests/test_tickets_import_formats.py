"""Each PSA's export imports: recognised by its headers, priorities mapped, times in UTC.

The sample exports in data/ are small, realistic files: ConnectWise PSA with its REST API
field names and with its list-export titles (UTF-8 with a byte-order mark, US local times,
and the same as XLSX with real date cells), Autotask (Windows-1252), HaloPSA, Syncro
(offsets), Freshservice (Within SLA / SLA Violated) and an in-house tracker nobody knows.
"""

import datetime
import io
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from ciodesk.core.scope import scope
from ciodesk.vendors.importers.tickets import checking, detect, guess, import_tickets, peek
from ciodesk.vendors.importers.tickets.parsing import TimeReader, read_column
from ciodesk.vendors.models import PriorityMapping, Ticket, TicketImport

DATA = Path(__file__).parent / "data"
UTC = datetime.UTC


def at(*args) -> datetime.datetime:
    return datetime.datetime(*args, tzinfo=UTC)


def run(world, source, **options):
    options.setdefault("filename", getattr(source, "name", "upload.csv"))
    return import_tickets(world.a, world.records["a"]["vendors"], source, **options)


def ticket(world, number) -> Ticket:
    with scope(world.a):
        return Ticket.objects.get(vendor=world.records["a"]["vendors"], number=number)


@pytest.mark.parametrize(
    "name, fmt, rows",
    [
        ("connectwise_api.csv", "connectwise", 24),
        ("connectwise_ui.csv", "connectwise", 20),
        ("connectwise_ui.xlsx", "connectwise", 20),
        ("autotask.csv", "autotask", 18),
        ("halopsa.csv", "halopsa", 16),
        ("syncro.csv", "syncro", 14),
        ("freshservice.csv", "freshservice", 15),
    ],
)
def test_each_export_is_recognised_and_imported(world, name, fmt, rows):
    assert detect(peek(DATA / name).headers).key == fmt
    record = run(world, DATA / name)
    assert (record.status, record.source_format) == ("done", fmt)
    assert (record.rows_total, record.created_count, record.updated_count) == (rows, rows, 0)
    with scope(world.a):
        imported = Ticket.objects.filter(last_import=record)
        assert imported.count() == rows
        assert not imported.filter(priority="").exists()  # every default label mapped
        assert TicketImport.objects.get(pk=record.pk).sha256 == record.sha256 != ""


def test_connectwise_api_timestamps_are_utc_and_exact(world):
    run(world, DATA / "connectwise_api.csv")
    first = ticket(world, "48213")
    assert first.created_at == at(2026, 1, 5, 18, 54, 11)
    assert first.first_response_at == at(2026, 1, 5, 21, 8, 11)
    assert first.resolved_at is None and first.closed_at is None
    assert (first.priority_label, first.priority) == ("Priority 4 - Scheduled Maintenance", "P4")
    assert (first.board, first.status, first.category) == ("Help Desk", "In Progress", "Software")
    assert (first.requester, first.vendor_in_sla) == ("Front Desk", None)
    closed = ticket(world, "48215")
    assert closed.first_response_at is None  # blank in the export
    assert closed.resolved_at == at(2026, 1, 8, 13, 5, 11)
    assert closed.closed_at == at(2026, 1, 8, 20, 58, 11)
    assert closed.vendor_in_sla is True


def test_connectwise_list_export_local_times_read_in_the_clients_zone(world):
    # 01/05/2026 09:34 AM in Los Angeles (PST, UTC−8); the file starts with a BOM
    run(world, DATA / "connectwise_ui.csv")
    first = ticket(world, "51020")
    assert first.created_at == at(2026, 1, 5, 17, 34)
    assert (first.priority, first.vendor_in_sla, first.summary) == (
        "P2",
        True,
        "Printer on 2nd floor offline",
    )


def test_another_time_zone_can_be_confirmed(world):
    run(world, DATA / "connectwise_ui.csv", time_zone="America/New_York")
    assert ticket(world, "51020").created_at == at(2026, 1, 5, 14, 34)


def test_the_xlsx_export_gives_the_same_tickets_as_the_csv(world):
    csv_record = run(world, DATA / "connectwise_ui.csv")
    xlsx_record = run(world, DATA / "connectwise_ui.xlsx")
    assert xlsx_record.source_format == "connectwise"
    assert (xlsx_record.created_count, xlsx_record.updated_count) == (0, 0)
    assert csv_record.rows_total == xlsx_record.rows_total == 20


def test_autotask_windows_1252_and_us_times(world):
    run(world, DATA / "autotask.csv")
    first = ticket(world, "T20260105.0001")
    assert first.created_at == at(2026, 1, 5, 20, 40)  # 12:40 PM PST
    assert first.closed_at == at(2026, 1, 7, 2, 19)  # Complete Date 01/06 6:19 PM
    assert (first.priority, first.board, first.vendor_in_sla) == ("P3", "Level I Support", True)
    with scope(world.a):
        assert Ticket.objects.filter(summary__contains="café").count() == 1
        assert Ticket.objects.filter(requester="Elena García").exists()


def test_halopsa_closed_date_is_also_the_resolution(world):
    run(world, DATA / "halopsa.csv")
    open_one, closed = ticket(world, "2200"), ticket(world, "2201")
    assert open_one.created_at == at(2026, 1, 5, 20, 38, 11)  # 12:38:11 local
    assert (open_one.priority, open_one.board, open_one.vendor_in_sla) == (
        "P2",
        "1st Line Support",
        None,
    )
    assert closed.resolved_at == closed.closed_at == at(2026, 1, 7, 18, 58, 11)
    assert closed.vendor_in_sla is True


def test_syncro_numbers_offsets_and_numbered_priorities(world):
    run(world, DATA / "syncro.csv")
    first = ticket(world, "1400")  # the ticket number, not Syncro's internal id
    assert first.created_at == at(2026, 1, 5, 20, 58, 11)  # -08:00 in the file
    assert (first.priority_label, first.priority) == ("2 Normal", "P3")
    assert ticket(world, "1401").priority == "P2"  # "1 High"


def test_freshservice_resolution_status_is_the_sla_flag(world):
    run(world, DATA / "freshservice.csv")
    violated, within = ticket(world, "INC-310"), ticket(world, "INC-311")
    assert violated.created_at == at(2026, 1, 5, 17, 59, 11)
    assert (violated.priority, violated.vendor_in_sla, violated.first_response_at) == (
        "P4",
        False,
        None,
    )
    assert (within.priority, within.vendor_in_sla) == ("P3", True)


def test_unknown_headers_are_not_guessed():
    assert guess(peek(DATA / "unknown_headers.csv").headers) is None


def test_the_generic_import_follows_the_mapping(world):
    mapping = {
        "number": "Ref",
        "summary": "Problem",
        "requester": "Raised By",
        "priority_label": "Urgency Level",
        "created_at": "Opened On",
        "first_response_at": "First Reply",
        "resolved_at": "Fixed On",
        "reopen_count": "Times Reopened",
    }
    record = run(world, DATA / "unknown_headers.csv", fmt="generic", mapping=mapping)
    assert (record.source_format, record.created_count) == ("generic", 12)
    first = ticket(world, "HD-700")
    assert first.created_at == at(2026, 1, 5, 20, 29, 11)
    assert (first.priority, first.requester, first.reopen_count) == ("P4", "Elena García", 0)
    assert first.first_response_at is None


def test_day_first_dates_for_a_generic_export(world):
    data = b"Ref,Opened,Urgency\nX-1,03/02/2026 14:05,High\n"
    mapping = {"number": "Ref", "created_at": "Opened", "priority_label": "Urgency"}
    run(
        world,
        io.BytesIO(data),
        fmt="generic",
        mapping=mapping,
        date_format="dmy",
        time_zone="UTC",
        filename="x.csv",
    )
    assert ticket(world, "X-1").created_at == at(2026, 2, 3, 14, 5)


def test_autotask_numeric_priorities_become_editable_mappings(world):
    data = (
        b"ticketNumber,title,status,priority,queueID,createDate,firstResponseDateTime,"
        b"resolvedDateTime,completedDate,serviceLevelAgreementHasBeenMet\n"
        b"T1,Server down,5,4,29682833,2026-02-02T16:00:00Z,2026-02-02T16:10:00Z,,,True\n"
        b"T2,Password,5,1,29682833,2026-02-02T17:00:00Z,,,,\n"
        b"T3,Monitor,5,2,29682833,2026-02-02T18:00:00Z,,,,\n"
    )
    run(world, io.BytesIO(data), filename="autotask-api.csv")
    assert [ticket(world, n).priority for n in ("T1", "T2", "T3")] == ["P1", "P2", "P3"]
    vendor = world.records["a"]["vendors"]
    with scope(world.a):
        rows = dict(PriorityMapping.objects.filter(vendor=vendor).values_list("label", "priority"))
    assert rows == {"Emergency": "P1", "4": "P1", "1": "P2", "2": "P3"}
    run(world, io.BytesIO(data), filename="autotask-api.csv")  # again: no second rows
    with scope(world.a):
        assert PriorityMapping.objects.filter(vendor=vendor).count() == 4


def _big_connectwise_csv(rows: int, bad_row: int | None = None) -> bytes:
    lines = ["id,summary,board,status,priority,dateEntered,dateResponded,isInSla"]
    for i in range(rows):
        entered = (at(2026, 1, 1) + datetime.timedelta(minutes=7 * i)).strftime(
            "%Y-%m-%dT%H:%M:%SZ"
        )
        if bad_row is not None and i + 2 == bad_row:
            entered = "2026-13-01T00:00:00Z"
        lines.append(
            f'{10000 + i},"Ticket, number {i}",Help Desk,Closed,Priority 3 - Normal '
            f"Response,{entered},,True"
        )
    return ("\r\n".join(lines) + "\r\n").encode()


# Under pytest-xdist the worker has threads of its own; the child only reads and writes files.
FORK_IN_TESTS = pytest.mark.filterwarnings("ignore:This process .* is multi-threaded")


@FORK_IN_TESTS
def test_a_large_file_is_checked_by_two_processes(world, monkeypatch):
    used = []
    original = checking._check_in_two
    monkeypatch.setattr(checking, "_two_processes_possible", lambda table: True)
    monkeypatch.setattr(checking, "_check_in_two", lambda *a: used.append(1) or original(*a))
    record = run(world, io.BytesIO(_big_connectwise_csv(12_000)), filename="big.csv")
    assert used and record.created_count == 12_000
    assert ticket(world, "21999").created_at == at(2026, 1, 1) + datetime.timedelta(
        minutes=7 * 11_999
    )


@FORK_IN_TESTS
def test_a_problem_in_the_second_half_names_its_row(world, monkeypatch):
    monkeypatch.setattr(checking, "_two_processes_possible", lambda table: True)
    data = _big_connectwise_csv(12_000, bad_row=9_001)
    with pytest.raises(ValueError) as failure:
        run(world, io.BytesIO(data), filename="big.csv")
    assert str(failure.value).startswith('row 9001, column "dateEntered": ')
    with scope(world.a):
        assert not Ticket.objects.filter(number="10000").exists()


# --- timestamps ------------------------------------------------------------------------------

ZONES = [
    "America/Los_Angeles",
    "America/New_York",
    "Europe/London",
    "Asia/Kolkata",
    "Australia/Lord_Howe",
    "Pacific/Chatham",
    "UTC",
]
SHAPES = {
    "iso": "%Y-%m-%d %H:%M:%S",
    "iso-t": "%Y-%m-%dT%H:%M:%S",
    "iso-minutes": "%Y-%m-%d %H:%M",
    "us-12h": "%m/%d/%Y %I:%M:%S %p",
    "us-12h-minutes": "%m/%d/%Y %I:%M %p",
    "us-24h": "%m/%d/%Y %H:%M",
}


@given(
    moment=st.datetimes(
        min_value=datetime.datetime(1995, 1, 1), max_value=datetime.datetime(2090, 12, 31)
    ),
    zone=st.sampled_from(ZONES),
    shape=st.sampled_from(sorted(SHAPES)),
)
@hypothesis_settings(max_examples=300, deadline=None)
def test_local_times_convert_as_zoneinfo_does(moment, zone, shape):
    text = moment.strftime(SHAPES[shape])
    local = datetime.datetime.strptime(text, SHAPES[shape])  # what the text says
    expected = local.replace(tzinfo=ZoneInfo(zone)).astimezone(UTC).replace(tzinfo=None)
    reader = TimeReader(ZoneInfo(zone))
    assert reader(text) == str(expected)
    assert reader(text) == str(expected)  # and again, from the caches


@given(
    moment=st.datetimes(
        min_value=datetime.datetime(1995, 1, 1),
        max_value=datetime.datetime(2090, 12, 31),
        timezones=st.sampled_from([ZoneInfo(z) for z in ZONES]),
    )
)
@hypothesis_settings(max_examples=200, deadline=None)
def test_times_with_an_offset_are_exact(moment):
    expected = str(moment.astimezone(UTC).replace(tzinfo=None))
    reader = TimeReader(ZoneInfo("America/Los_Angeles"))
    assert reader(moment.isoformat()) == expected
    assert reader(moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")) == expected


@pytest.mark.parametrize(
    "text, utc",
    [
        ("2026-03-08 01:30:00", "2026-03-08 09:30:00"),  # PST, before the change
        ("2026-03-08 03:30:00", "2026-03-08 10:30:00"),  # PDT, after it
        ("11/01/2026 01:30 AM", "2026-11-01 08:30:00"),  # twice that night: the first
        ("11/01/2026 02:30 AM", "2026-11-01 10:30:00"),
        ("1/5/26 9:05 PM", "2026-01-06 05:05:00"),  # Excel's short year
        ("2026-01-05T09:00:00-05:00", "2026-01-05 14:00:00"),
        ("2026-01-05 17:00:00 UTC", "2026-01-05 17:00:00"),
    ],
)
def test_daylight_saving_and_odd_forms(text, utc):
    assert TimeReader(ZoneInfo("America/Los_Angeles"))(text) == utc


def test_a_whole_column_of_api_times_at_once():
    reader = TimeReader(ZoneInfo("America/Los_Angeles"))
    column = ["2026-01-05T18:54:11Z", "", "2026-01-06T03:32:11Z"]
    assert read_column(reader, column) == ["2026-01-05 18:54:11", None, "2026-01-06 03:32:11"]
    with pytest.raises(ValueError):
        read_column(reader, ["2026-01-05T18:54:11Z", "2026-02-30T00:00:00Z"])
