"""Kept reports: queue one, generate it in the background with progress, keep the PDF.

A Report row is the record of one generation: its kind, its period (``2026Q3`` for a QBR,
the day for a brief or a dossier), status, progress 0–100 with the step under way, and the
finished PDF with its page count. Progress is written with ``update()`` — the status page
polls it — so the audit trail records the report's creation and its outcome, not every
step. Every generation keeps its own PDF: a QBR once sent can be read again as it was.
"""

from __future__ import annotations

import logging

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from ciodesk.reports import documents
from ciodesk.reports.models import Report
from ciodesk.reports.periods import Quarter, parse_period

log = logging.getLogger(__name__)


def period_key(client, kind: str, period: Quarter | None) -> str:
    if kind == Report.Kind.QBR:
        if period is None:
            raise ValueError("A QBR needs a period such as 2026Q3")
        return period.key
    return client.today().isoformat()


def start(client, kind: str, period: Quarter | None, user=None) -> Report:
    """Queue a report and hand it to the background worker (run at once under tests)."""
    from ciodesk.reports.tasks import generate_report

    report = Report.objects.create(
        kind=kind,
        period=period_key(client, kind, period),
        created_by=user if getattr(user, "pk", None) else None,
        step="Waiting for the background worker",
    )
    try:
        generate_report.enqueue(client_id=client.pk, report_id=report.pk)
    except Exception as exc:  # the queue itself is unavailable: say so on the report
        log.exception("Could not queue report %s", report.pk)
        Report.objects.filter(pk=report.pk).update(
            status=Report.Status.FAILED, error=f"Could not queue the report: {exc}"[:2000]
        )
    report.refresh_from_db()
    return report


def file_name(client, report: Report) -> str:
    return f"{client.slug}-{report.kind}-{report.period}.pdf"


def run(client, report: Report) -> Report:
    """Generate ``report`` (inside the client's scope), keeping its progress current."""
    rows = Report.objects.filter(pk=report.pk)

    def progress(percent: int, step: str) -> None:
        rows.update(progress=max(0, min(99, percent)), step=step[:200])

    rows.update(status=Report.Status.RUNNING, progress=2, step="Reading the figures")
    try:
        period = parse_period(report.period, client) if report.kind == Report.Kind.QBR else None
        pdf = documents.document_pdf(report.kind, client, period, progress)
        progress(95, "Keeping the PDF")
        with transaction.atomic():
            report.refresh_from_db()
            report.pdf.save(file_name(client, report), ContentFile(pdf.content), save=False)
            report.pages = pdf.pages
            report.status = Report.Status.DONE
            report.progress = 100
            report.step = "Ready"
            report.error = ""
            report.finished_at = timezone.now()
            report.save()
    except Exception as exc:
        log.exception("Report %s failed", report.pk)
        report.refresh_from_db()
        report.status = Report.Status.FAILED
        report.error = f"{type(exc).__name__}: {exc}"[:2000]
        report.step = "Failed"
        report.finished_at = timezone.now()
        report.save()
    return report
