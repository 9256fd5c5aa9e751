"""Uploaded exports: stored per client, never under a public URL, imported in the background.

    MEDIA_ROOT/clients/<client id>/imports/staged-<token>.<ext>     uploaded, not yet imported
    MEDIA_ROOT/clients/<client id>/imports/ticketimport-<pk>.<ext>  the file of a TicketImport

A staged file waits for its column mapping; one left behind for a day is deleted at the
next upload. Files are served only by a view that checks the membership.
"""

from __future__ import annotations

import os

from django.core.files.storage import default_storage
from django.utils import timezone

from ciodesk.core.staging import Staging
from ciodesk.vendors.importers.tickets import Peek, peek
from ciodesk.vendors.importers.tickets.errors import ImportFailed
from ciodesk.vendors.models import TicketImport, Vendor

EXTENSIONS = (".csv", ".xlsx", ".txt", ".tsv")
MAX_BYTES = 500 * 1024 * 1024
STAGING = Staging(
    "imports", EXTENSIONS, MAX_BYTES, lambda r: ImportFailed([r[0].upper() + r[1:] + "."])
)
folder, extension, stage = STAGING.folder, STAGING.extension, STAGING.stage
staged_name, discard = STAGING.staged_name, STAGING.discard


def _source(name: str):
    try:
        return default_storage.path(name)
    except NotImplementedError:  # a storage without local paths
        return default_storage.open(name, "rb")


def peek_staged(client, key: str) -> Peek:
    name = staged_name(client, key)
    if name is None:
        raise ImportFailed(["The uploaded file is gone: upload it again."])
    return peek(_source(name))


def stored_file(record: TicketImport) -> str | None:
    """The storage name of the file a TicketImport read, if it is still there."""
    return STAGING.stored_file(record, "ticketimport")


def start(
    client,
    vendor: Vendor,
    key: str,
    *,
    filename: str,
    fmt: str,
    time_zone: str,
    user=None,
    mapping: dict | None = None,
    date_format: str = "",
) -> TicketImport:
    """Record a queued import of a staged file and hand it to the background worker."""
    from ciodesk.vendors.tasks import run_ticket_import

    staged = staged_name(client, key)
    if staged is None:
        raise ImportFailed(["The uploaded file is gone: upload it again."])
    record = TicketImport.objects.create(
        vendor=vendor,
        filename=filename[:255],
        sha256="",
        source_format=fmt if fmt != "auto" else "",
        status=TicketImport.Status.QUEUED,
        imported_by=user if getattr(user, "pk", None) else None,
    )
    name = f"{folder(client)}/ticketimport-{record.pk}{extension(key)}"
    _move(staged, name)
    try:
        run_ticket_import.enqueue(
            client_id=client.pk,
            import_id=record.pk,
            stored_name=name,
            fmt=fmt,
            time_zone=time_zone,
            mapping=mapping,
            date_format=date_format,
        )
    except Exception:
        TicketImport.objects.filter(pk=record.pk).update(
            status=TicketImport.Status.FAILED,
            error="The import could not be queued: try again in a minute.",
            finished_at=timezone.now(),
        )
        raise
    record.refresh_from_db()
    return record


def _move(old: str, new: str) -> None:
    try:
        os.replace(default_storage.path(old), default_storage.path(new))
    except NotImplementedError:
        with default_storage.open(old, "rb") as handle:
            default_storage.save(new, handle)
        default_storage.delete(old)


def source_of(name: str):
    """What import_tickets reads a stored file from: a local path where there is one."""
    return _source(name)
