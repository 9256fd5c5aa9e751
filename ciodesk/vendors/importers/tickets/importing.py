"""import_tickets: check the whole export, then write it in one transaction.

Pass 1 (checking.py) reads every row, converts it and keeps the converted rows on disk,
so memory stays flat however long the file. Any problem stops the import there with every
row and column at fault, and nothing is written. Pass 2 (here) replays
the chunks into one INSERT … ON CONFLICT (client, vendor, number) DO UPDATE per row,
through the DB-API cursor's executemany: a ticket already imported is updated in place
when something changed and left alone when nothing did.
"""

from __future__ import annotations

import gc
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, nullcontext

from django.db import connection, transaction
from django.utils import timezone

from ciodesk.core.scope import acting_as, current_actor, scope
from ciodesk.vendors import priorities
from ciodesk.vendors.importers.tickets.checking import (
    TEXT_FIELDS,
    Checked,
    Plan,
    check,
    plan_for,
)
from ciodesk.vendors.importers.tickets.errors import ImportFailed
from ciodesk.vendors.importers.tickets.parsing import TimeReader, zone_named
from ciodesk.vendors.importers.tickets.reading import Source, open_table
from ciodesk.vendors.models import PriorityMapping, Ticket, TicketImport, Vendor

Progress = Callable[[int, int], None]
# SQLite's page cache while the import writes (KiB): the indexes' hot pages stay in memory.
CACHE_KB = 64 * 1024


# --- pass 2: write ------------------------------------------------------------------------


def upsert_sql(client_id: int, vendor_id: int, import_id: int, fields: list[str]) -> str:
    """INSERT … ON CONFLICT (client, vendor, number) DO UPDATE, for the fields the file has.

    A text field the file lacks is written empty on insert and left as it is on update (a
    later export with fewer columns does not blank what an earlier one brought).
    """
    q = connection.ops.quote_name
    table = q(Ticket._meta.db_table)
    fixed = {
        "client_id": int(client_id),
        "vendor_id": int(vendor_id),
        "last_import_id": int(import_id),
    }
    blank = [f for f in TEXT_FIELDS if f not in fields]
    columns = [*fixed, *fields, *blank]
    values = [str(v) for v in fixed.values()] + ["%s"] * len(fields) + ["''"] * len(blank)
    name = {f: q(Ticket._meta.get_field(f).column) for f in (*fields, *blank)}
    name.update({f: q(f) for f in fixed})
    changed = [f for f in fields if f != "number"]
    differs = "IS NOT" if connection.vendor == "sqlite" else "IS DISTINCT FROM"
    # Only quoted model column names, integer ids and '' go into the text; values are bound.
    return (
        f"INSERT INTO {table} ({', '.join(name[c] for c in columns)}) "  # noqa: S608
        f"VALUES ({', '.join(values)}) "
        f"ON CONFLICT ({q('client_id')}, {q('vendor_id')}, {q('number')}) DO UPDATE SET "
        + ", ".join(f"{name[f]} = excluded.{name[f]}" for f in [*changed, "last_import_id"])
        + " WHERE "
        + " OR ".join(f"{table}.{name[f]} {differs} excluded.{name[f]}" for f in changed)
    )


def write(
    vendor: Vendor,
    record: TicketImport,
    plan: Plan,
    checked: Checked,
    progress: Progress | None = None,
) -> tuple[int, int]:
    """Upsert the checked rows in one transaction; returns (created, updated)."""
    sql = upsert_sql(vendor.client_id, vendor.pk, record.pk, plan.fields())
    tickets = Ticket.objects.filter(vendor=vendor)
    sqlite = connection.vendor == "sqlite"
    # The three foreign keys are the client, vendor and import at hand: checking them per
    # row would double SQLite's time. (Inside a caller's transaction they stay on.)
    unchecked = connection.constraint_checks_disabled() if sqlite else nullcontext()
    with unchecked, transaction.atomic():
        before = tickets.count()
        changed = written = 0
        with connection.cursor() as cursor:
            if sqlite:
                cursor.execute("PRAGMA cache_size")
                cache_size = cursor.fetchone()[0]
                cursor.execute(f"PRAGMA cache_size = -{CACHE_KB}")
            try:
                for chunk in checked.chunks():
                    cursor.executemany(sql, chunk)
                    changed += max(cursor.rowcount, 0)
                    written += len(chunk)
                    if progress is not None:
                        progress(checked.rows + written, 2 * checked.rows)
            finally:
                if sqlite:
                    cursor.execute(f"PRAGMA cache_size = {int(cache_size)}")
        _record_default_mappings(vendor, plan, checked.labels)
        created = tickets.count() - before
    return created, changed - created


def _record_default_mappings(vendor: Vendor, plan: Plan, labels: set[str]) -> None:
    """A format's numeric picklist defaults become visible, editable mapping rows."""
    if not plan.priority_defaults:
        return
    own = priorities.mapping_table(vendor)
    for label in sorted(labels):
        key = priorities.normalise(label)
        if key in plan.priority_defaults and key not in own:
            PriorityMapping.objects.create(
                vendor=vendor, label=label, priority=plan.priority_defaults[key]
            )


# --- the whole import ---------------------------------------------------------------------


@contextmanager
def _collector_spared() -> Iterator[None]:
    """Keep the cyclic garbage collector off the objects that exist before the import.

    The import allocates millions of short-lived tuples; every full collection would walk
    all of Django's long-lived objects again. gc.freeze() sets those aside until the end.
    """
    if gc.get_freeze_count():  # frozen already (an app server does it): leave it be
        yield
        return
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


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


def import_tickets(
    client,
    vendor: Vendor,
    source: Source,
    *,
    filename: str,
    fmt: str = "auto",
    time_zone: str | None = None,
    mapping: dict | None = None,
    user=None,
    progress: Progress | None = None,
    date_format: str = "",
    ticket_import: TicketImport | None = None,
) -> TicketImport:
    """Import a PSA's ticket export for one vendor of one client.

    `source` is a path or a binary file object. `fmt` is "auto", a key of FORMATS or
    "generic" (with `mapping` = {ticket field: header}). Naive timestamps are read in
    `time_zone` (default: the client's). `date_format` "dmy" reads 02/01/2026 as 2 January.
    `progress(done, total)` counts each row twice, checked then written.
    Records one TicketImport (done or failed) and returns it; raises ImportFailed on a bad
    file, with nothing written but that failed record.
    """
    if vendor.client_id != client.pk:
        raise ValueError("The vendor belongs to another client")
    actor = user if user is not None else (current_actor() or "ticket import")
    with scope(client), acting_as(actor):
        record = ticket_import
        if record is None:
            record = TicketImport.objects.create(
                vendor=vendor,
                filename=filename[:255],
                sha256="",
                source_format=fmt if fmt != "auto" else "",
                status=TicketImport.Status.RUNNING,
                imported_by=user if getattr(user, "pk", None) else None,
            )
        else:
            TicketImport.objects.filter(pk=record.pk).update(status=TicketImport.Status.RUNNING)
        table = None
        try:
            try:
                zone = zone_named(time_zone or client.time_zone)
            except ValueError as exc:
                raise ImportFailed([str(exc)]) from None
            table = open_table(source)
            record.sha256 = table.sha256
            plan = plan_for(table.headers, fmt, mapping)
            record.source_format = plan.source_format
            suffix = "" if connection.vendor == "sqlite" else "+00:00"
            read_time = TimeReader(zone, day_first=date_format == "dmy", suffix=suffix)
            resolve_label = priorities.resolver(vendor, plan.priority_defaults)
            report = _throttled(progress)
            with _collector_spared():
                checked = check(table, plan, read_time, resolve_label, report)
                try:
                    created, updated = write(vendor, record, plan, checked, report)
                finally:
                    checked.close()
        except ImportFailed as exc:
            _finish(record, TicketImport.Status.FAILED, error="\n".join(exc.errors))
            raise
        except Exception as exc:
            _finish(
                record,
                TicketImport.Status.FAILED,
                error=f"The import stopped on an unexpected error ({type(exc).__name__}).",
            )
            raise
        finally:
            if table is not None:
                table.close()
        _finish(
            record,
            TicketImport.Status.DONE,
            rows=checked.rows,
            created=created,
            updated=updated,
        )
        record.unchanged_count = checked.rows - created - updated
        return record


def _finish(
    record: TicketImport,
    status: str,
    *,
    error: str = "",
    rows: int = 0,
    created: int = 0,
    updated: int = 0,
) -> None:
    record.status = status
    record.error = error
    record.rows_total = rows
    record.rows_done = rows
    record.created_count = created
    record.updated_count = updated
    record.finished_at = timezone.now()
    record.save()


def unchanged_count(record: TicketImport) -> int:
    """Tickets in the file that were already there, identical."""
    if record.status != TicketImport.Status.DONE:
        return 0
    return max(record.rows_total - record.created_count - record.updated_count, 0)
