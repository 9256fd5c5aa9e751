"""Kept reports: the list (with generate buttons), its export, the status page with
progress, and the download of a finished PDF."""

from __future__ import annotations

import re
from pathlib import PurePath

from django.http import FileResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render

from ciodesk.core.exports import Column, export_response
from ciodesk.reports import services
from ciodesk.reports.forms import GenerateForm
from ciodesk.reports.models import Report
from ciodesk.reports.periods import last_ended_quarter, period_title
from ciodesk.reports.render import template_source
from ciodesk.tenancy.access import Level
from ciodesk.tenancy.permissions import client_view, get_for_client_or_404

COLUMNS = [
    Column("Report", lambda r: r.get_kind_display()),
    Column("Period", lambda r: r.period),
    Column("Status", lambda r: r.get_status_display()),
    Column("Pages", lambda r: r.pages if r.pages is not None else ""),
    Column("Requested", lambda r: r.created_at),
    Column("Finished", lambda r: r.finished_at),
    Column("By", lambda r: r.created_by or ""),
    Column("Problem", lambda r: r.error),
]


def _reports():
    return Report.objects.select_related("created_by").order_by("kind", "-period", "-created_at")


def _list(request, form=None, status=200):
    reports = list(_reports())
    latest: dict[tuple[str, str], Report] = {}
    for report in reports:  # newest first within each kind and period
        latest.setdefault((report.kind, report.period), report)
        report.period_title = period_title(report.period, request.client)
    context = {
        "reports": reports,
        "latest_ids": {r.pk for r in latest.values()},
        "form": form or GenerateForm(request.client),
        "default_quarter": last_ended_quarter(request.client),
        "sources": {kind: template_source(kind) for kind, _ in Report.Kind.choices},
    }
    return render(request, "reports/report_list.html", context, status=status)


@client_view(Level.READ)
def report_list(request, client_slug):
    return _list(request)


@client_view(Level.READ)
def report_export(request, client_slug):
    return export_response(
        request.GET.get("format", "csv"), f"{client_slug}-reports", COLUMNS, _reports()
    )


@client_view(Level.PRACTICE)
def report_generate(request, client_slug):
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    form = GenerateForm(request.client, request.POST)
    if not form.is_valid():
        return _list(request, form, status=400)
    data = form.cleaned_data
    report = services.start(request.client, data["kind"], data["quarter"], request.user)
    return redirect("reports:report-status", client_slug, report.pk)


@client_view(Level.READ, Report)
def report_status(request, client_slug, pk):
    report = get_for_client_or_404(Report, pk=pk)
    running = report.status in (Report.Status.QUEUED, Report.Status.RUNNING)
    report.period_title = period_title(report.period, request.client)
    template = "reports/report_status.html" + ("#progress" if request.htmx else "")
    return render(request, template, {"report": report, "running": running})


def _stored_name(report: Report) -> str:
    """The PDF's own name, without the storage's random prefix."""
    return re.sub(r"^[0-9a-f]{16}-", "", PurePath(report.pdf.name).name)


@client_view(Level.READ, Report)
def report_download(request, client_slug, pk):
    """The kept PDF, only through the client's membership (never from MEDIA_URL)."""
    report = get_for_client_or_404(Report, pk=pk)
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET"])
    if report.pdf:
        try:
            handle = report.pdf.open("rb")
        except FileNotFoundError:
            handle = None
        if handle is not None:
            return FileResponse(handle, as_attachment=True, filename=_stored_name(report))
    return render(request, "reports/report_no_file.html", {"report": report})
