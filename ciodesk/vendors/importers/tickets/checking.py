"""Pass 1 of an import: read every row, convert it, or say what is wrong with it.

Converted rows go to a temporary file (length-prefixed marshal chunks), so memory stays
flat however long the export; pass 2 replays them into the database.

A million rows leave a few microseconds each, so rows are converted a block at a time,
column by column, with `map`, `zip` and set operations that run in C. Anything irregular
in a block (a blank or repeated number, a cell that does not read) sends that block down
the row-by-row path, which names every row and column at fault.

A large CSV is checked by two processes, each taking half of the file (split at a line
end outside quotes): the second half in a forked child. Should either half find anything
wrong, the whole file is checked again by one process, so that every message names the
right row. The fork happens only in a single-threaded process (the CLI, the worker).
"""

from __future__ import annotations

import itertools
import marshal
import os
import signal
import struct
import tempfile
import threading
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from operator import itemgetter
from typing import Any

from ciodesk.vendors.importers.tickets import formats
from ciodesk.vendors.importers.tickets.errors import MAX_ERRORS, ImportFailed, cell_error
from ciodesk.vendors.importers.tickets.parsing import (
    BOOLEANS,
    TimeReader,
    parse_bool,
    parse_count,
    read_column,
)
from ciodesk.vendors.importers.tickets.reading import CsvTable, Table
from ciodesk.vendors.models import Ticket

Progress = Callable[[int, int], None]
CHUNK_ROWS = 5000
TWO_PROCESSES_FROM = 8 * 1024 * 1024  # bytes of CSV; below this one process is quicker
TEXT_FIELDS = ("summary", "board", "status", "category", "requester")
LIMITS = {name: Ticket._meta.get_field(name).max_length for name in (*TEXT_FIELDS, "number")}
LABEL_LIMIT = Ticket._meta.get_field("priority_label").max_length
_MISSING = object()


@dataclass
class Plan:
    source_format: str
    columns: dict[str, int]  # field → column index
    headers: list[str]
    priority_defaults: dict[str, str]

    def fields(self) -> list[str]:
        """The ticket columns written, in the order of each converted row."""
        present = [f for f in (*TEXT_FIELDS, *formats.TIME_FIELDS) if f in self.columns]
        tail = [f for f in ("vendor_in_sla", "reopen_count") if f in self.columns]
        return ["number", "priority_label", "priority", *present, *tail]


def plan_for(headers: list[str], fmt: str, mapping: dict | None) -> Plan:
    if mapping or fmt == formats.GENERIC:
        if not mapping:
            raise ImportFailed(["The generic import needs a column mapping."])
        columns = formats.mapping_plan(mapping, headers)
        return Plan(formats.GENERIC, columns, headers, {})
    if fmt == "auto":
        chosen = formats.detect(headers)
    elif fmt in formats.FORMATS:
        chosen = formats.FORMATS[fmt]
    else:
        known = ", ".join(["auto", *formats.FORMATS])
        raise ImportFailed([f"Unknown format “{fmt}” (use one of {known})."])
    columns = formats.column_plan(chosen, headers)
    return Plan(chosen.key, columns, headers, dict(chosen.priority_defaults))


class Spool:
    """Converted rows in a temporary file, as length-prefixed marshal chunks.

    A chunk holds either rows (tuples) or, from the quick path, columns (lists).
    """

    def __init__(self, path: str | None = None) -> None:
        self.path = path
        if path is None:
            self.file = tempfile.TemporaryFile(prefix="ciodesk-tickets-")  # noqa: SIM115
        else:
            self.file = open(path, "w+b")  # noqa: SIM115 - closed by close()

    def _put(self, item: tuple) -> None:
        data = marshal.dumps(item)
        self.file.write(struct.pack("<I", len(data)))
        self.file.write(data)

    def write_rows(self, rows: list[tuple]) -> None:
        self._put((False, rows))

    def write_columns(self, columns: list[list]) -> None:
        self._put((True, columns))

    def chunks(self) -> Iterator[Iterable[tuple]]:
        self.file.flush()
        self.file.seek(0)
        while head := self.file.read(4):
            # Our own temporary file, written by this import: not outside input.
            by_column, data = marshal.loads(  # noqa: S302
                self.file.read(struct.unpack("<I", head)[0])
            )
            yield list(zip(*data, strict=True)) if by_column else data

    def close(self) -> None:
        self.file.close()
        if self.path:
            os.unlink(self.path)
            self.path = None


@dataclass
class Checked:
    spools: list[Spool]
    rows: int
    labels: set[str]

    def chunks(self) -> Iterator[Iterable[tuple]]:
        for spool in self.spools:
            yield from spool.chunks()

    def close(self) -> None:
        for spool in self.spools:
            spool.close()


def _text(value: Any) -> str:
    return value.strip() if value.__class__ is str else str(value).strip()


class _Checker:
    """The state of one pass: the plan's columns, the problems found, the numbers seen."""

    def __init__(self, plan: Plan, read_time: TimeReader, resolve_label: Callable[[str], str]):
        self.plan = plan
        self.read_time = read_time
        self.resolve_label = resolve_label
        cols = plan.columns
        self.width = len(plan.headers)
        self.number_at = cols["number"]
        self.label_at = cols["priority_label"]
        self.created_at = cols["created_at"]
        self.text_at = [cols[f] for f in TEXT_FIELDS if f in cols]
        self.limits = [LIMITS[f] for f in TEXT_FIELDS if f in cols]
        self.time_at = [cols[f] for f in formats.TIME_FIELDS if f in cols]
        self.sla_at = cols.get("vendor_in_sla")
        self.reopen_at = cols.get("reopen_count")
        self.errors: list[str] = []
        self.seen: set[str] = set()
        self.label_of: dict[Any, str] = {}  # cell as written → label as stored
        self.priority_of: dict[Any, str] = {}

    def fail(self, row: int, at: int, reason: str) -> None:
        header = self.plan.headers[at] if at < self.width else f"#{at + 1}"
        self.errors.append(cell_error(row, header, reason))

    def learn_labels(self, cells: Any) -> None:
        for raw in set(cells) - self.label_of.keys():
            label = " ".join(_text(raw).split())[:LABEL_LIMIT]
            self.label_of[raw] = label
            self.priority_of[raw] = self.resolve_label(label)

    # --- a block at a time ---------------------------------------------------------------
    def block_quickly(self, block: list[list[Any]]) -> list[list] | None:
        """The block's converted columns, or None if any row needs a closer look."""
        size = len(block)
        if min(map(len, block)) < self.width:
            return None
        columns = list(zip(*block, strict=False))
        try:
            numbers = list(map(str.strip, columns[self.number_at]))
        except TypeError:
            return None
        if (
            not all(numbers)
            or max(map(len, numbers)) > LIMITS["number"]
            or len(set(numbers)) != size
            or not self.seen.isdisjoint(numbers)
        ):
            return None
        raw_labels = columns[self.label_at]
        self.learn_labels(raw_labels)
        out: list[list] = [
            numbers,
            list(map(self.label_of.__getitem__, raw_labels)),
            list(map(self.priority_of.__getitem__, raw_labels)),
        ]
        try:
            for at, limit in zip(self.text_at, self.limits, strict=True):
                texts = list(map(str.strip, columns[at]))
                if max(map(len, texts)) > limit:
                    texts = [t[:limit] for t in texts]
                out.append(texts)
            for at in self.time_at:
                stamps = read_column(self.read_time, columns[at])
                if at == self.created_at and None in stamps:
                    return None
                out.append(stamps)
        except (TypeError, ValueError):
            return None
        if self.sla_at is not None:
            flags = list(map(BOOLEANS.get, columns[self.sla_at], itertools.repeat(_MISSING)))
            if _MISSING in flags:
                return None
            out.append(flags)
        if self.reopen_at is not None:
            try:
                out.append(list(map(parse_count, columns[self.reopen_at])))
            except (TypeError, ValueError):
                return None
        self.seen.update(numbers)
        return out

    # --- a row at a time -----------------------------------------------------------------
    def row_slowly(self, row: int, cells: list[Any]) -> tuple | None:
        """The converted row; None for a blank row or a row with problems (noted)."""
        if not any(_text(c) for c in cells):
            return None
        if len(cells) < self.width:
            cells = cells + [""] * (self.width - len(cells))
        found = len(self.errors)
        number = _text(cells[self.number_at])
        if not number:
            self.fail(row, self.number_at, "the ticket number is empty")
        elif len(number) > LIMITS["number"]:
            self.fail(row, self.number_at, f"the ticket number is longer than {LIMITS['number']}")
        elif number in self.seen:
            self.fail(row, self.number_at, f"ticket {number} appears more than once")
        else:
            self.seen.add(number)
        raw_label = cells[self.label_at]
        self.learn_labels([raw_label])
        out: list[Any] = [number, self.label_of[raw_label], self.priority_of[raw_label]]
        for at, limit in zip(self.text_at, self.limits, strict=True):
            out.append(_text(cells[at])[:limit])
        for at in self.time_at:
            try:
                stamp = self.read_time(cells[at])
            except ValueError as exc:
                self.fail(row, at, str(exc))
                continue
            if stamp is None and at == self.created_at:
                self.fail(row, at, "the date the ticket was created is empty")
            out.append(stamp)
        if self.sla_at is not None:
            raw = cells[self.sla_at]
            try:
                out.append(parse_bool(raw))
            except ValueError as exc:
                self.fail(row, self.sla_at, str(exc))
        if self.reopen_at is not None:
            try:
                out.append(parse_count(cells[self.reopen_at]))
            except ValueError as exc:
                self.fail(row, self.reopen_at, str(exc))
        return tuple(out) if len(self.errors) == found else None


def _scan(
    checker: _Checker,
    numbered: Iterator[tuple[int, list]],
    spool: Spool,
    progress: Callable[[int], None] | None = None,
) -> int:
    """Check and convert rows into the spool; problems are left in checker.errors."""
    errors = checker.errors
    rows = 0
    cells_of = itemgetter(1)
    while block := list(itertools.islice(numbered, CHUNK_ROWS)):
        columns = None if errors else checker.block_quickly(list(map(cells_of, block)))
        if columns is not None:
            spool.write_columns(columns)
            rows += len(block)
        else:
            converted = []
            for row, cells in block:
                out = checker.row_slowly(row, cells)
                if out is not None:
                    converted.append(out)
                if len(errors) >= MAX_ERRORS:
                    errors.append(f"Stopped after {MAX_ERRORS} problems: fix these and try again.")
                    return rows
            if converted and not errors:
                spool.write_rows(converted)
                rows += len(converted)
        if progress is not None:
            progress(rows)
    return rows


def check(
    table: Table,
    plan: Plan,
    read_time: TimeReader,
    resolve_label: Callable[[str], str],
    progress: Progress | None = None,
) -> Checked:
    """Read every row; convert it or note what is wrong. Raises ImportFailed."""

    def make() -> _Checker:
        return _Checker(plan, read_time, resolve_label)

    if _two_processes_possible(table):
        assert isinstance(table, CsvTable)
        checked = _check_in_two(table, make, progress)
        if checked is not None:
            return checked
    checker = make()
    spool = Spool()

    def report(rows: int) -> None:
        if progress is not None:
            fraction = table.fraction_read()
            estimate = max(rows, int(rows / fraction)) if fraction > 0 else rows
            progress(rows, 2 * estimate)

    try:
        rows = _scan(checker, table.rows(), spool, report)
        if checker.errors:
            raise ImportFailed(checker.errors)
        if rows == 0:
            raise ImportFailed(["The file has a header row but no tickets below it."])
    except BaseException:
        spool.close()
        raise
    if progress is not None:
        progress(rows, 2 * rows)
    return Checked([spool], rows, set(checker.label_of.values()))


# --- two processes ------------------------------------------------------------------------


def _two_processes_possible(table: Table) -> bool:
    return (
        isinstance(table, CsvTable)
        and table.encoding != "utf-16"
        and table.size >= TWO_PROCESSES_FROM
        and hasattr(os, "fork")
        and (os.cpu_count() or 1) >= 2
        and threading.active_count() == 1
        and os.environ.get("CIODESK_IMPORT_PROCESSES", "2") != "1"
    )


def _check_in_two(
    table: CsvTable, make: Callable[[], _Checker], progress: Progress | None
) -> Checked | None:
    """Check the two halves at once; None means "check the whole file again in one"."""
    split = table.split_point()
    if split is None:
        return None
    handle, spool_path = tempfile.mkstemp(prefix="ciodesk-tickets-")
    os.close(handle)
    handle, result_path = tempfile.mkstemp(prefix="ciodesk-tickets-")
    os.close(handle)
    pid = os.fork()
    if pid == 0:  # the child: the second half, then out without running any cleanup
        status = 1
        try:
            checker = make()
            spool = Spool(spool_path)
            rows = _scan(checker, table.records_between(split, None), spool)
            spool.file.flush()
            result = {
                "rows": rows,
                "errors": len(checker.errors),
                "seen": list(checker.seen),
                "labels": list(checker.label_of.items()),
                "priorities": list(checker.priority_of.items()),
            }
            with open(result_path, "wb") as out:
                marshal.dump(result, out)
            status = 0
        finally:
            os._exit(status)
    checker = make()
    spool = Spool()
    child_running = True
    checked: Checked | None = None

    def report(rows: int) -> None:
        if progress is not None:
            fraction = table.fraction_read()  # of the whole file, from the first half
            estimate = max(2 * rows, int(rows / fraction)) if fraction > 0 else 2 * rows
            progress(2 * rows, 2 * estimate)

    try:
        first_half = table.records_between(0, split, skip=table.header_row)
        rows = _scan(checker, first_half, spool, report)
        _, status = os.waitpid(pid, 0)
        child_running = False
        if status != 0 or checker.errors:
            return None
        with open(result_path, "rb") as handle:
            result = marshal.load(handle)  # noqa: S302 - written by our own child above
        if result["errors"] or not checker.seen.isdisjoint(result["seen"]) or not rows:
            return None
        child_spool = Spool.__new__(Spool)
        child_spool.path, child_spool.file = spool_path, open(spool_path, "rb")  # noqa: SIM115
        total = rows + result["rows"]
        labels = set(checker.label_of.values()) | {label for _, label in result["labels"]}
        checked = Checked([spool, child_spool], total, labels)
        if progress is not None:
            progress(total, 2 * total)
        return checked
    except ImportFailed:
        return None  # the CSV cannot be read somewhere: one process will say where
    finally:
        if child_running:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
        if checked is None:
            spool.close()
            os.unlink(spool_path)
        os.unlink(result_path)
