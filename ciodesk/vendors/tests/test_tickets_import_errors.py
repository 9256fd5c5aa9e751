"""A bad file writes nothing and says which row and column; re-imports add nothing."""

import io
import os
import time
from pathlib import Path

import pytest

from ciodesk.core.scope import scope
from ciodesk.vendors.importers.tickets import ImportFailed, import_tickets, unchanged_count
from ciodesk.vendors.models import Ticket, TicketImport

DATA = Path(__file__).parent / "data"
HEADERS = "id,summary,board,status,priority,dateEntered,dateResponded,dateResolved,isInSla"


def cw(*rows: str, headers: str = HEADERS) -> io.BytesIO:
    return io.BytesIO(("\r\n".join([headers, *rows]) + "\r\n").encode())


ROWS = [
    f"{7000 + i},Printer {i},Help Desk,Closed,Priority 3 - Normal Response,"
    f"2026-02-0{1 + i % 5}T16:00:00Z,2026-02-0{1 + i % 5}T16:20:00Z,,True"
    for i in range(10)
]


def tickets(world) -> list[tuple]:
    with scope(world.a):
        return list(Ticket.objects.order_by("number").values_list("number", "status", "summary"))


def failing(world, source, **options) -> ImportFailed:
    before = tickets(world)
    with pytest.raises(ImportFailed) as failure:
        import_tickets(
            world.a,
            world.records["a"]["vendors"],
            source,
            filename=options.pop("filename", "export.csv"),
            **options,
        )
    assert tickets(world) == before, "a failed import wrote tickets"
    with scope(world.a):
        record = TicketImport.objects.order_by("-pk").first()
    assert record.status == "failed" and record.error.startswith(failure.value.errors[0])
    assert record.created_count == record.updated_count == 0
    return failure.value


def test_a_missing_column_is_named(world):
    error = failing(
        world, cw(*ROWS, headers=HEADERS.replace("dateEntered", "whenever")), fmt="connectwise"
    )
    assert str(error).startswith('missing column "dateEntered"')
    assert "Date Entered" in str(error)  # the list export's name is suggested too


def test_a_bad_date_names_its_row_and_column(world):
    rows = list(ROWS)
    rows[2] = rows[2].replace("2026-02-03T16:00:00Z", "31/02/2026 9:00")
    rows[6] = rows[6].replace("2026-02-02T16:20:00Z", "soon")
    error = failing(world, cw(*rows))
    assert error.errors[0].startswith('row 4, column "dateEntered": “31/02/2026 9:00”')
    assert error.errors[1].startswith('row 8, column "dateResponded": “soon” is not a date')
    assert len(error.errors) == 2


def test_the_last_row_is_checked_before_anything_is_written(world):
    rows = [*ROWS, "7999,Late,Help Desk,Closed,P3,2026-02-01T16:00:00Z,,,maybe"]
    error = failing(world, cw(*rows))
    assert (
        str(error) == 'row 12, column "isInSla": “maybe” is not yes or no (use True/False, '
        "Yes/No or 1/0)"
    )


def test_empty_numbers_and_repeated_numbers(world):
    rows = [*ROWS, ROWS[3], ",No number,Help Desk,Closed,P2,2026-02-01T16:00:00Z,,,"]
    error = failing(world, cw(*rows))
    assert error.errors == [
        'row 12, column "id": ticket 7003 appears more than once',
        'row 13, column "id": the ticket number is empty',
    ]


def test_an_empty_created_date_is_refused(world):
    error = failing(world, cw("7001,Printer,Help Desk,Closed,P3,,,,"))
    assert str(error) == 'row 2, column "dateEntered": the date the ticket was created is empty'


def test_wrong_encoding_is_a_clear_error(world):
    # Shift-JIS text: neither UTF-8 nor Windows-1252 (0x81 is undefined there).
    data = HEADERS + "\r\n7001,プリンター,Help Desk,Closed,P3,2026-02-01T16:00:00Z,,,\r\n"
    error = failing(world, io.BytesIO(data.encode("shift_jis")))
    assert "neither UTF-8 nor Windows-1252" in str(error)


def test_a_byte_order_mark_is_fine(world):
    source = io.BytesIO(b"\xef\xbb\xbf" + cw(*ROWS).getvalue())
    record = import_tickets(world.a, world.records["a"]["vendors"], source, filename="bom.csv")
    assert (record.source_format, record.created_count) == ("connectwise", 10)


@pytest.mark.parametrize(
    "data, message",
    [
        (b"", "The file is empty"),
        (b"\r\n\r\n", "The file is empty"),
        ((HEADERS + "\r\n").encode(), "The file has a header row but no tickets below it."),
        (b"%PDF-1.7\n...", "This is not a CSV or XLSX file (it is a PDF)"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600), "This is an old Excel .xls workbook"),
        (b"PK\x03\x04" + os.urandom(2000), "This .xlsx workbook cannot be read"),
        (b"name,colour\r\nrose,red\r\n", "The headers do not look like a ConnectWise PSA"),
    ],
)
def test_files_that_are_not_exports(world, data, message):
    assert str(failing(world, io.BytesIO(data))).startswith(message)


def test_ten_megabytes_of_random_bytes_fail_at_once(world):
    started = time.monotonic()
    error = failing(world, io.BytesIO(os.urandom(10 * 1024 * 1024)), filename="tickets.csv")
    assert time.monotonic() - started < 3
    assert str(error).startswith("This is not a CSV or XLSX file (it holds binary data)")


def test_ten_megabytes_of_text_garbage_fail_plainly(world):
    line = "lorem ipsum dolor sit amet consectetur " * 3 + "\n"
    garbage = io.BytesIO((line * (10 * 1024 * 1024 // len(line))).encode())
    started = time.monotonic()
    error = failing(world, garbage)
    assert time.monotonic() - started < 5
    assert "do not look like" in str(error)


def test_an_unknown_time_zone(world):
    assert "unknown time zone" in str(failing(world, cw(*ROWS), time_zone="Mars/Olympus"))


def test_the_same_file_twice_adds_nothing(world):
    vendor = world.records["a"]["vendors"]
    first = import_tickets(world.a, vendor, cw(*ROWS), filename="feb.csv")
    after_first = tickets(world)
    again = import_tickets(world.a, vendor, cw(*ROWS), filename="feb.csv")
    assert (first.created_count, first.updated_count) == (10, 0)
    assert (again.created_count, again.updated_count, unchanged_count(again)) == (0, 0, 10)
    assert tickets(world) == after_first
    assert again.sha256 == first.sha256
    with scope(world.a):  # the tickets still point at the import that last changed them
        assert Ticket.objects.filter(last_import=first).count() == 10


def test_an_overlapping_export_updates_by_number(world):
    vendor = world.records["a"]["vendors"]
    import_tickets(world.a, vendor, cw(*ROWS[:6]), filename="early.csv")
    later = [
        row.replace(",Closed,", ",Reopened,") if row.startswith("7004") else row for row in ROWS[3:]
    ]
    record = import_tickets(world.a, vendor, cw(*later), filename="later.csv")
    assert (record.created_count, record.updated_count, unchanged_count(record)) == (4, 1, 2)
    numbers = [n for n, *_ in tickets(world) if n.startswith("70")]
    assert numbers == [str(7000 + i) for i in range(10)]  # no duplicates
    with scope(world.a):
        assert Ticket.objects.get(number="7004").status == "Reopened"


def test_a_later_export_with_fewer_columns_keeps_what_it_lacks(world):
    vendor = world.records["a"]["vendors"]
    import_tickets(world.a, vendor, cw(*ROWS[:2]), filename="full.csv")
    short = "id,priority,dateEntered\r\n7000,Priority 1 - Emergency Response,2026-02-01T16:00:00Z"
    record = import_tickets(
        world.a, vendor, io.BytesIO(short.encode()), filename="short.csv", fmt="connectwise"
    )
    assert record.updated_count == 1
    with scope(world.a):
        ticket = Ticket.objects.get(number="7000")
    assert (ticket.priority, ticket.summary, ticket.board) == ("P1", "Printer 0", "Help Desk")


def test_ten_megabytes_on_one_line_fail_plainly(world):
    started = time.monotonic()
    error = failing(world, io.BytesIO(b"id," + b"x" * (10 * 1024 * 1024)))
    assert time.monotonic() - started < 5
    assert "the CSV cannot be read (field larger than field limit" in str(error)
