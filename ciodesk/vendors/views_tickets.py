"""Ticket imports (upload, column mapping, progress), the ticket list and the import history."""

from __future__ import annotations

import zoneinfo

from django import forms
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpResponseNotAllowed
from django.shortcuts import redirect, render

from ciodesk.core.exports import Column, export_response
from ciodesk.core.staging import kept_file_response
from ciodesk.tenancy.access import Level
from ciodesk.tenancy.permissions import client_view, get_for_client_or_404
from ciodesk.vendors.importers.tickets import (
    FIELDS,
    FORMATS,
    GENERIC,
    REQUIRED,
    ImportFailed,
    Peek,
    suggest_mapping,
    unchanged_count,
    uploads,
)
from ciodesk.vendors.importers.tickets.formats import label as format_label
from ciodesk.vendors.importers.tickets.formats import mapping_plan
from ciodesk.vendors.models import ColumnMapping, Ticket, TicketImport, Vendor

FORMAT_CHOICES = [
    ("auto", "Recognise it from the headers"),
    *[(f.key, f.label) for f in FORMATS.values()],
    (GENERIC, "Other: map the columns myself"),
]
DATE_FORMATS = [("", "month first, as in the US (01/31/2026)"), ("dmy", "day first (31/01/2026)")]
PAGE_SIZE = 100


def _zone(value: str) -> str:
    try:
        zoneinfo.ZoneInfo(value)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise forms.ValidationError(
            "Unknown time zone: use a name such as America/Los_Angeles."
        ) from None
    return value


class UploadForm(forms.Form):
    file = forms.FileField(
        label="Ticket export",
        help_text="CSV or XLSX, as the PSA exports it (up to 500 MB).",
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx,.txt,.tsv"}),
    )
    format = forms.ChoiceField(label="Exported from", choices=FORMAT_CHOICES, initial="auto")
    time_zone = forms.CharField(
        label="Time zone of the export",
        max_length=64,
        help_text="Timestamps without an offset are read in this zone (a Z or +hh:mm wins).",
    )

    def clean_time_zone(self) -> str:
        return _zone(self.cleaned_data["time_zone"].strip())


class MappingForm(forms.Form):
    """One select per ticket field, over the file's own headers."""

    upload = forms.CharField(widget=forms.HiddenInput)
    filename = forms.CharField(widget=forms.HiddenInput, max_length=255)
    time_zone = forms.CharField(label="Time zone of the export", max_length=64)
    date_format = forms.ChoiceField(
        label="Dates like 01/02/2026 are", choices=DATE_FORMATS, required=False
    )

    def __init__(self, headers: list[str], *args, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", "— not in this file —"), *[(h, h) for h in headers if h]]
        for name, label in FIELDS.items():
            self.fields[f"map_{name}"] = forms.ChoiceField(
                label=label + (" (required)" if name in REQUIRED else ""),
                choices=choices,
                required=name in REQUIRED,
            )

    def clean_time_zone(self) -> str:
        return _zone(self.cleaned_data["time_zone"].strip())

    def mapping(self) -> dict[str, str]:
        return {
            name: self.cleaned_data[f"map_{name}"]
            for name in FIELDS
            if self.cleaned_data.get(f"map_{name}")
        }

    def field_rows(self):
        return [self[f"map_{name}"] for name in FIELDS]


# --- import ---------------------------------------------------------------------------------


@client_view(Level.PRACTICE, Vendor)
def ticket_import(request, client_slug, pk):
    vendor = get_for_client_or_404(Vendor, pk=pk)
    if request.method == "POST" and "upload" in request.POST:
        return _mapping_submitted(request, vendor)
    form = UploadForm(
        request.POST or None,
        request.FILES or None,
        initial={"time_zone": request.client.time_zone},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        key = ""
        try:
            key = uploads.stage(request.client, data["file"])
            peeked = uploads.peek_staged(request.client, key)
        except ImportFailed as exc:
            uploads.discard(request.client, key)
            form.add_error("file", str(exc))
        else:
            fmt = data["format"]
            if fmt == GENERIC or (fmt == "auto" and peeked.fmt is None):
                return _mapping_page(request, vendor, key, data["file"].name, peeked, data)
            record = uploads.start(
                request.client,
                vendor,
                key,
                filename=data["file"].name,
                fmt=fmt,
                time_zone=data["time_zone"],
                user=request.user,
            )
            return redirect("vendors:ticket-import-status", client_slug, record.pk)
    return render(
        request,
        "vendors/ticket_import.html",
        {"vendor": vendor, "form": form, "formats": FORMATS.values()},
    )


def _mapping_page(request, vendor, key, filename, peeked: Peek, data, form=None, errors=()):
    saved = ColumnMapping.objects.filter(
        vendor=vendor, headers_signature=ColumnMapping.signature(peeked.headers)
    ).first()
    if form is None:
        mapping = saved.mapping if saved else suggest_mapping(peeked.headers)
        initial = {f"map_{name}": header for name, header in mapping.items()}
        initial.update(
            upload=key,
            filename=filename,
            time_zone=(saved.time_zone if saved and saved.time_zone else data["time_zone"]),
            date_format=saved.date_format if saved else "",
        )
        form = MappingForm(peeked.headers, initial=initial)
    return render(
        request,
        "vendors/import_mapping.html",
        {
            "vendor": vendor,
            "form": form,
            "peek": peeked,
            "filename": filename,
            "saved": saved,
            "errors": list(errors),
            "unknown": peeked.fmt is None,
        },
    )


def _mapping_submitted(request, vendor):
    key = request.POST.get("upload", "")
    try:
        peeked = uploads.peek_staged(request.client, key)
    except ImportFailed as exc:
        form = UploadForm(initial={"time_zone": request.client.time_zone})
        return render(
            request,
            "vendors/ticket_import.html",
            {"vendor": vendor, "form": form, "formats": FORMATS.values(), "problem": str(exc)},
        )
    form = MappingForm(peeked.headers, request.POST)
    filename = request.POST.get("filename", "")[:255] or "tickets"
    data = {"time_zone": request.client.time_zone}
    if not form.is_valid():
        return _mapping_page(request, vendor, key, filename, peeked, data, form)
    mapping = form.mapping()
    try:
        mapping_plan(mapping, peeked.headers)
    except ImportFailed as exc:
        return _mapping_page(request, vendor, key, filename, peeked, data, form, exc.errors)
    ColumnMapping.objects.update_or_create(
        vendor=vendor,
        headers_signature=ColumnMapping.signature(peeked.headers),
        defaults={
            "headers": peeked.headers,
            "mapping": mapping,
            "date_format": form.cleaned_data["date_format"],
            "time_zone": form.cleaned_data["time_zone"],
        },
    )
    record = uploads.start(
        request.client,
        vendor,
        key,
        filename=form.cleaned_data["filename"],
        fmt=GENERIC,
        time_zone=form.cleaned_data["time_zone"],
        user=request.user,
        mapping=mapping,
        date_format=form.cleaned_data["date_format"],
    )
    return redirect("vendors:ticket-import-status", request.client.slug, record.pk)


@client_view(Level.READ, TicketImport)
def import_status(request, client_slug, pk):
    record = get_for_client_or_404(TicketImport, pk=pk)
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET"])
    running = record.status in (TicketImport.Status.QUEUED, TicketImport.Status.RUNNING)
    half = record.rows_total // 2  # rows_done counts each row twice: checked, then written
    context = {
        "record": record,
        "vendor": record.vendor,
        "running": running,
        "writing": running and record.rows_total and record.rows_done >= half,
        "checked": 2 * record.rows_done,
        "tickets": record.rows_total,
        "errors": record.error.splitlines() if record.error else [],
        "unchanged": unchanged_count(record),
        "format_label": format_label(record.source_format),
        "has_file": request.access >= Level.PRACTICE and uploads.stored_file(record) is not None,
    }
    template = "vendors/import_status.html" + ("#progress" if request.htmx else "")
    return render(request, template, context)


@client_view(Level.PRACTICE, TicketImport)
def import_file(request, client_slug, pk):
    """The file an import read, for the practice: served only here, never from MEDIA_URL."""
    record = get_for_client_or_404(TicketImport, pk=pk)
    return kept_file_response(request, uploads.stored_file(record), record.filename)


# --- tickets and history ---------------------------------------------------------------------

TICKET_COLUMNS = [
    Column("Number", lambda t: t.number),
    Column("Created", lambda t: t.created_at),
    Column("Priority", lambda t: t.priority or "unmapped"),
    Column("Vendor's priority", lambda t: t.priority_label),
    Column("Summary", lambda t: t.summary),
    Column("Status", lambda t: t.status),
    Column("Board", lambda t: t.board),
    Column("Category", lambda t: t.category),
    Column("Requester", lambda t: t.requester),
    Column("First response", lambda t: t.first_response_at),
    Column("Resolved", lambda t: t.resolved_at),
    Column("Closed", lambda t: t.closed_at),
    Column("Vendor says in SLA", lambda t: t.vendor_in_sla),
    Column("Reopened", lambda t: t.reopen_count),
]
SEARCHED = ("number", "summary", "requester", "category", "status", "board", "priority_label")


def _tickets(vendor: Vendor, q: str):
    tickets = Ticket.objects.filter(vendor=vendor)
    if q:
        condition = Q()
        for name in SEARCHED:
            condition |= Q(**{f"{name}__icontains": q})
        tickets = tickets.filter(condition)
    return tickets


@client_view(Level.READ, Vendor)
def ticket_list(request, client_slug, pk):
    vendor = get_for_client_or_404(Vendor, pk=pk)
    q = request.GET.get("q", "").strip()
    page = Paginator(_tickets(vendor, q), PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "vendor": vendor,
        "page": page,
        "q": q,
        "total": Ticket.objects.filter(vendor=vendor).count(),
        "last_import": TicketImport.objects.filter(vendor=vendor).first(),
    }
    template = "vendors/ticket_list.html" + ("#rows" if request.htmx else "")
    return render(request, template, context)


@client_view(Level.READ, Vendor)
def ticket_export(request, client_slug, pk):
    vendor = get_for_client_or_404(Vendor, pk=pk)
    tickets = _tickets(vendor, request.GET.get("q", "").strip())
    filename = f"{request.client.slug}-{vendor.pk}-tickets"
    return export_response(request.GET.get("format", "csv"), filename, TICKET_COLUMNS, tickets)


IMPORT_COLUMNS = [
    Column("Started", lambda i: i.started_at),
    Column("File", lambda i: i.filename),
    Column("Format", lambda i: format_label(i.source_format)),
    Column("Status", lambda i: i.get_status_display()),
    Column("Tickets", lambda i: i.rows_total if i.status == TicketImport.Status.DONE else ""),
    Column("Created", lambda i: i.created_count),
    Column("Updated", lambda i: i.updated_count),
    Column("Unchanged", unchanged_count),
    Column("By", lambda i: i.imported_by or ""),
    Column("SHA-256", lambda i: i.sha256),
]


def _imports(vendor: Vendor):
    return TicketImport.objects.filter(vendor=vendor).select_related("imported_by")


@client_view(Level.READ, Vendor)
def import_history(request, client_slug, pk):
    vendor = get_for_client_or_404(Vendor, pk=pk)
    imports = [
        (record, unchanged_count(record), format_label(record.source_format))
        for record in _imports(vendor)
    ]
    return render(request, "vendors/import_history.html", {"vendor": vendor, "imports": imports})


@client_view(Level.READ, Vendor)
def import_history_export(request, client_slug, pk):
    vendor = get_for_client_or_404(Vendor, pk=pk)
    filename = f"{request.client.slug}-{vendor.pk}-ticket-imports"
    return export_response(
        request.GET.get("format", "csv"), filename, IMPORT_COLUMNS, _imports(vendor)
    )
