"""import_spend: check a whole accounting export, then write its new lines in one go.

1. The file's sha256: a file imported before adds nothing (AlreadyImported).
2. Every row is read and checked (ledger.py); any problem stops the import with every row
   and column at fault, and nothing is written.
3. Each line gets a natural key: a hash of its own fields plus its occurrence number among
   identical lines of the file (two identical $9.99 charges on one day stay two lines).
   Lines whose key is already stored — from this file or an overlapping export — are
   skipped, so re-importing adds nothing and exports that overlap do not double count.
4. The rules classify the new lines; they are inserted with one executemany per chunk,
   and one SpendImport records who imported which file and what it did (the audit trail
   sees that record; the lines themselves are written in bulk).
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable
from contextlib import nullcontext
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import IO, Any

from django.db import connection, transaction
from django.utils import timezone

from ciodesk.budget.importers.ledger import (
    GENERIC,
    MAX_BYTES,
    QBO,
    XERO,
    ImportFailed,
    Line,
    Table,
    parse_mapped,
    parse_report,
    read,
)
from ciodesk.budget.models import ImportStatus, LedgerLine, SpendImport
from ciodesk.budget.services_matching import Matcher
from ciodesk.core.scope import acting_as, current_actor, scope
from ciodesk.core.tabular import FileProblem, read_bytes

Progress = Callable[[int, int], None]
Source = bytes | str | Path | IO[bytes]
FORMAT_NAMES = {QBO: "QuickBooks Online", XERO: "Xero"}
INSERT_CHUNK = 5000
# SQLite's page cache while the lines are inserted (KiB): the indexes' pages stay in memory.
CACHE_KB = 64 * 1024
KEY_FIELDS = ("transaction_type", "number", "payee", "memo", "account", "split")


class AlreadyImported(Exception):
    """This very file was imported before: nothing to add."""

    def __init__(self, record: SpendImport):
        self.record = record
        when = timezone.localtime(record.finished_at or record.started_at).date()
        super().__init__(
            f"{record.filename} was already imported on {when:%Y-%m-%d}: nothing was added"
        )


@dataclass
class Outcome:
    lines: int = 0
    created: int = 0
    skipped: int = 0
    matched: int = 0


def file_bytes(source: Source) -> bytes:
    try:
        data = read_bytes(source, max_bytes=MAX_BYTES)
    except FileProblem as exc:
        raise ImportFailed([str(exc)]) from None
    if len(data) > MAX_BYTES:
        raise ImportFailed([f"the file is larger than {MAX_BYTES // (1024 * 1024)} MB"])
    return data


def fingerprint(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def previous_import(sha256: str) -> SpendImport | None:
    return SpendImport.objects.filter(sha256=sha256, status=ImportStatus.DONE).first()


def parse(
    table: Table,
    fmt: str,
    *,
    currency: str,
    mapping: dict[str, str] | None = None,
    date_order: str = "",
    progress: Progress | None = None,
) -> tuple[str, list[Line]]:
    """(the format read, the lines) of a table; fmt is "auto", QBO, XERO or GENERIC."""
    if fmt == "auto":
        if table.fmt is None:
            raise ImportFailed(
                [
                    "the headers are not those of a QuickBooks Online or Xero export "
                    f"(found: {', '.join(h for h in table.headers if h)}); import it as "
                    "another format and map its columns"
                ]
            )
        fmt = table.fmt
    if fmt == GENERIC:
        if not mapping:
            raise ImportFailed(["map the file's columns first (date, amount, payee…)"])
        return fmt, parse_mapped(
            table, mapping, currency=currency, date_order=date_order, progress=progress
        )
    if fmt not in FORMAT_NAMES:
        raise ImportFailed([f"unknown format “{fmt}”"])
    if table.fmt != fmt:
        raise ImportFailed(
            [
                f"the headers are not those of a {FORMAT_NAMES[fmt]} export (found: "
                f"{', '.join(h for h in table.headers if h)})"
            ]
        )
    return fmt, parse_report(
        table, fmt, currency=currency, date_order=date_order, progress=progress
    )


def natural_keys(lines: list[Line]) -> list[str]:
    """One key per line; identical lines of one file are told apart by their occurrence."""
    seen: dict[str, int] = {}
    keys = []
    for line in lines:
        base = "\x1f".join(
            (
                line.date.isoformat(),
                line.transaction_type,
                line.number,
                line.payee,
                line.memo,
                line.account,
                line.split,
                str(line.amount),
                line.currency,
            )
        )
        occurrence = seen.get(base, 0)
        seen[base] = occurrence + 1
        keys.append(hashlib.blake2b(f"{base}\x1f{occurrence}".encode(), digest_size=20).hexdigest())
    return keys


def _insert_sql() -> tuple[str, list[str]]:
    q = connection.ops.quote_name
    names = [
        "client_id",
        "date",
        "transaction_type",
        "number",
        "payee",
        "memo",
        "account",
        "split",
        "amount",
        "currency",
        "category_id",
        "vendor_id",
        "matched_by_id",
        "manually_classified",
        "spend_import_id",
        "natural_key",
    ]
    table = q(LedgerLine._meta.db_table)
    # Only the model's own quoted column names go into the text; values are bound.
    sql = (
        f"INSERT INTO {table} ({', '.join(q(n) for n in names)}) "  # noqa: S608
        f"VALUES ({', '.join(['%s'] * len(names))})"
    )
    return sql, names


def _write(
    client,
    record: SpendImport,
    lines: list[Line],
    keys: list[str],
    progress: Progress | None,
) -> Outcome:
    outcome = Outcome(lines=len(lines))
    low = min(line.date for line in lines)
    high = max(line.date for line in lines)
    stored = set(
        LedgerLine.objects.filter(date__gte=low, date__lte=high)
        .values_list("natural_key", flat=True)
        .iterator(chunk_size=10000)
    )
    matcher = Matcher.for_active_client()
    sqlite = connection.vendor == "sqlite"
    # Amounts are already Decimals with two places: SQLite takes their text, other
    # databases the Decimal itself; dates likewise.
    adapt_date = date.isoformat if sqlite else _same
    adapt_amount = str if sqlite else _same
    sql, _ = _insert_sql()
    rows: list[tuple[Any, ...]] = []
    for line, key in zip(lines, keys, strict=True):
        if key in stored:
            outcome.skipped += 1
            continue
        stored.add(key)
        vendor, category, rule = matcher.classify(line.payee, line.account, line.memo)
        if category is not None:
            outcome.matched += 1
        rows.append(
            (
                client.pk,
                adapt_date(line.date),
                line.transaction_type,
                line.number,
                line.payee,
                line.memo,
                line.account,
                line.split,
                adapt_amount(line.amount),
                line.currency,
                category,
                vendor,
                rule,
                False,
                record.pk,
                key,
            )
        )
    total = len(lines)
    with connection.cursor() as cursor:
        if sqlite:
            cursor.execute("PRAGMA cache_size")
            cache_size = cursor.fetchone()[0]
            cursor.execute(f"PRAGMA cache_size = -{CACHE_KB}")
        try:
            for start in range(0, len(rows), INSERT_CHUNK):
                cursor.executemany(sql, rows[start : start + INSERT_CHUNK])
                if progress is not None:
                    progress(total + min(start + INSERT_CHUNK, len(rows)), 2 * total)
        finally:
            if sqlite:
                cursor.execute(f"PRAGMA cache_size = {int(cache_size)}")
    outcome.created = len(rows)
    return outcome


def _same(value: Any) -> Any:
    return value


def _throttled(progress: Progress | None, every: float = 0.25) -> Progress | None:
    if progress is None:
        return None
    last = [0.0]

    def report(done: int, total: int) -> None:
        now = time.monotonic()
        if done >= total or now - last[0] >= every:
            last[0] = now
            progress(done, total)

    return report


def import_spend(
    client,
    source: Source,
    *,
    filename: str,
    fmt: str = "auto",
    mapping: dict[str, str] | None = None,
    date_order: str = "",
    user=None,
    progress: Progress | None = None,
    record: SpendImport | None = None,
) -> SpendImport:
    """Import an accounting export into the ledger of `client`; returns the SpendImport.

    `fmt` is "auto" (QuickBooks Online or Xero, recognised by the headers), QBO, XERO or
    GENERIC with `mapping` = {ledger field: normalised header}. `date_order` "mdy" or
    "dmy" forces how numeric dates are read. `progress(done, total)` counts each row
    twice, checked then written.

    Raises ImportFailed or AlreadyImported: nothing written, except that a queued
    `record` (a web import) is marked failed with the reason; an import without one (the
    CLI) leaves no trace.
    """
    actor = user if user is not None else (current_actor() or "spend import")
    report = _throttled(progress)
    queued = record
    with scope(client), acting_as(actor):
        try:
            data = file_bytes(source)
            sha = fingerprint(data)
            earlier = previous_import(sha)
            if earlier is not None:
                raise AlreadyImported(earlier)
            table = read(data, filename)
            fmt, lines = parse(
                table,
                fmt,
                currency=client.currency,
                mapping=mapping,
                date_order=date_order,
                progress=report,
            )
            keys = natural_keys(lines)
            # The lines' foreign keys are the client, the import and ids the matcher just
            # read: SQLite checking them per row would double the writing time. (Inside a
            # caller's transaction the checks stay on: SQLite cannot switch them there.)
            unchecked = (
                connection.constraint_checks_disabled()
                if connection.vendor == "sqlite"
                else nullcontext()
            )
            with unchecked, transaction.atomic():
                if record is None:
                    record = SpendImport(
                        filename=filename[:255],
                        imported_by=user if getattr(user, "pk", None) else None,
                    )
                record.sha256 = sha
                record.source_format = fmt
                record.status = ImportStatus.RUNNING
                record.save()
                outcome = _write(client, record, lines, keys, report)
                record.status = ImportStatus.DONE
                record.rows_total = record.rows_done = outcome.lines
                record.created_count = outcome.created
                record.skipped_count = outcome.skipped
                record.matched_count = outcome.matched
                record.error = ""
                record.finished_at = timezone.now()
                record.save()
        except AlreadyImported as exc:
            _fail(queued, str(exc))
            raise
        except ImportFailed as exc:
            _fail(queued, "\n".join(exc.errors))
            raise
        except Exception as exc:
            _fail(queued, f"The import stopped on an unexpected error ({type(exc).__name__}).")
            raise
    return record


def _fail(record: SpendImport | None, error: str) -> None:
    """A queued import (from the web) keeps its failure; a CLI import leaves no record."""
    if record is None or record.pk is None:
        return
    record.status = ImportStatus.FAILED
    record.error = error
    record.finished_at = timezone.now()
    record.save(update_fields=["status", "error", "finished_at"])
