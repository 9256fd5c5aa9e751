"""Background work of the reports app (Django's tasks API; `ciodesk db_worker` runs it)."""

from __future__ import annotations

from django.tasks import task

from ciodesk.core.scope import acting_as, scope
from ciodesk.reports import services
from ciodesk.reports.models import Report
from ciodesk.tenancy.models import Client


@task()
def generate_report(*, client_id: int, report_id: int) -> dict:
    """Generate a queued report; a report already run (a retried task) is left alone."""
    client = Client.objects.get(pk=client_id)
    with scope(client):
        report = Report.objects.select_related("created_by").get(pk=report_id)
        if report.status not in (Report.Status.QUEUED, Report.Status.RUNNING):
            return {"status": report.status}
        with acting_as(report.created_by or "ciodesk reports"):
            report = services.run(client, report)
        return {"status": report.status, "pages": report.pages}
