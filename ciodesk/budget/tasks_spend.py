"""Background spend imports (Django's tasks API; `ciodesk db_worker` runs them)."""

from __future__ import annotations

from django.core.files.storage import default_storage
from django.tasks import task

from ciodesk.budget.importers import AlreadyImported, ImportFailed, import_spend
from ciodesk.budget.models import ImportStatus, SpendImport
from ciodesk.core.scope import scope
from ciodesk.tenancy.models import Client


@task()
def run_spend_import(
    *,
    client_id: int,
    import_id: int,
    stored_name: str,
    fmt: str = "auto",
    mapping: dict | None = None,
    date_order: str = "",
) -> dict:
    """Import a stored upload into its queued SpendImport, keeping rows_done/rows_total
    current for the status page (each row counts twice: checked, then written)."""
    client = Client.objects.get(pk=client_id)
    with scope(client):
        record = SpendImport.objects.select_related("imported_by").get(pk=import_id)
        if record.status not in (ImportStatus.QUEUED, ImportStatus.RUNNING):
            return {"status": record.status}  # already run (a retried task)
        progress_of = SpendImport.objects.filter(pk=import_id)
        progress_of.update(status=ImportStatus.RUNNING)

        def progress(done: int, total: int) -> None:
            # Checking happens outside the transaction, so the status page sees it; the
            # writing is one transaction nobody else sees before it commits.
            if done <= total // 2:
                progress_of.update(rows_done=done // 2, rows_total=max(total // 2, 1))

        try:
            with default_storage.open(stored_name, "rb") as handle:
                import_spend(
                    client,
                    handle,
                    filename=record.filename,
                    fmt=fmt,
                    mapping=mapping,
                    date_order=date_order,
                    user=record.imported_by,
                    progress=progress,
                    record=record,
                )
        except (ImportFailed, AlreadyImported):
            pass  # recorded on the SpendImport (status failed, the reasons in `error`)
        record.refresh_from_db()
        return {"status": record.status, "created": record.created_count}
