"""Uploaded accounting exports: stored per client, never under a public URL.

    MEDIA_ROOT/clients/<client id>/spend/staged-<token>.<ext>   uploaded, not yet imported
    MEDIA_ROOT/clients/<client id>/spend/spendimport-<pk>.<ext> the file of a SpendImport

A staged file waits for its column mapping; one left behind for a day is deleted at the
next upload. Files are served only by a view that checks the membership.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.core.files.storage import default_storage
from django.utils import timezone

from ciodesk.budget.importers.ledger import MAX_BYTES, ImportFailed, read
from ciodesk.budget.importers.spend import fingerprint
from ciodesk.budget.models import ImportStatus, SpendImport
from ciodesk.core.staging import Staging

STAGING = Staging("spend", (".csv", ".xlsx", ".txt"), MAX_BYTES, lambda r: ImportFailed([r]))
EXTENSIONS = STAGING.extensions
folder, extension, stage = STAGING.folder, STAGING.extension, STAGING.stage
staged_name, discard = STAGING.staged_name, STAGING.discard


@dataclass
class Peek:
    headers: list[str]
    rows: list[list[str]]
    fmt: str | None
    sha256: str


def staged_bytes(client, key: str) -> bytes:
    data = STAGING.read(client, key)
    if data is None:
        raise ImportFailed(["the uploaded file is gone: upload it again"])
    return data


def peek(client, key: str, limit: int = 12) -> Peek:
    """Headers, first rows and recognised format of a staged file (for the mapping page)."""
    data = staged_bytes(client, key)
    table = read(data, key)
    rows = [[_shown(v) for v in values] for _, values in table.body[:limit]]
    return Peek(table.headers, rows, table.fmt, fingerprint(data))


def _shown(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()[:10]
    return str(value)


def stored_file(record: SpendImport) -> str | None:
    """The storage name of the file a SpendImport read, if it is still kept."""
    return STAGING.stored_file(record, "spendimport")


def start(
    client,
    key: str,
    *,
    filename: str,
    fmt: str,
    mapping: dict | None = None,
    date_order: str = "",
    user=None,
) -> SpendImport:
    """Record a queued import of a staged file and hand it to the background worker."""
    from ciodesk.budget.tasks_spend import run_spend_import

    staged = staged_name(client, key)
    if staged is None:
        raise ImportFailed(["the uploaded file is gone: upload it again"])
    record = SpendImport.objects.create(
        filename=filename[:255],
        sha256="",
        source_format=fmt if fmt != "auto" else "",
        status=ImportStatus.QUEUED,
        imported_by=user if getattr(user, "pk", None) else None,
    )
    name = f"{folder(client)}/spendimport-{record.pk}{extension(key)}"
    for ext in EXTENSIONS:  # a file left by an import of a database since reset
        default_storage.delete(f"{folder(client)}/spendimport-{record.pk}{ext}")
    with default_storage.open(staged, "rb") as handle:
        name = default_storage.save(name, handle)
    default_storage.delete(staged)
    try:
        run_spend_import.enqueue(
            client_id=client.pk,
            import_id=record.pk,
            stored_name=name,
            fmt=fmt,
            mapping=mapping,
            date_order=date_order,
        )
    except Exception:
        SpendImport.objects.filter(pk=record.pk).update(
            status=ImportStatus.FAILED,
            error="The import could not be queued: try again in a minute.",
            finished_at=timezone.now(),
        )
        raise
    record.refresh_from_db()
    return record
