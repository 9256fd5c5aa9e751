"""Background work of the vendors app (Django's tasks API; `ciodesk db_worker` runs it)."""

from __future__ import annotations

from contextlib import suppress

from django.tasks import task

from ciodesk.core.scope import scope
from ciodesk.tenancy.models import Client
from ciodesk.vendors.importers.tickets import ImportFailed, import_tickets, unchanged_count
from ciodesk.vendors.importers.tickets.uploads import source_of
from ciodesk.vendors.models import TicketImport


@task()
def run_ticket_import(
    *,
    client_id: int,
    import_id: int,
    stored_name: str,
    fmt: str = "auto",
    time_zone: str = "",
    mapping: dict | None = None,
    date_format: str = "",
) -> dict:
    """Import a stored upload into its queued TicketImport, keeping rows_done/rows_total
    current for the status page: rows_done reaches half of rows_total when the whole file
    has been checked (each row counts twice: checked, then written)."""
    client = Client.objects.get(pk=client_id)
    with scope(client):
        record = TicketImport.objects.select_related("vendor", "imported_by").get(pk=import_id)
        if record.status not in (TicketImport.Status.QUEUED, TicketImport.Status.RUNNING):
            return {"status": record.status}  # already run (a retried task)
        progress_of = TicketImport.objects.filter(pk=import_id)

        def progress(done: int, total: int) -> None:
            # While checking, other connections see this; the writing happens in one
            # transaction, whose progress nobody else can see before it commits.
            if done <= total // 2:
                progress_of.update(rows_done=done // 2, rows_total=max(total // 2, 1))

        # A bad file is recorded on the TicketImport (status failed, every problem in
        # `error`): nothing more to do here.
        with suppress(ImportFailed):
            import_tickets(
                client,
                record.vendor,
                source_of(stored_name),
                filename=record.filename,
                fmt=fmt,
                time_zone=time_zone or None,
                mapping=mapping,
                user=record.imported_by,
                progress=progress,
                date_format=date_format,
                ticket_import=record,
            )
        record.refresh_from_db()
        return {
            "status": record.status,
            "created": record.created_count,
            "updated": record.updated_count,
            "unchanged": unchanged_count(record),
        }
