"""Spend imports: upload, column mapping for other layouts, progress, history, the file."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponseNotAllowed
from django.shortcuts import redirect, render

from ciodesk.budget.forms import MappingForm, UploadForm
from ciodesk.budget.importers import GENERIC, ImportFailed, uploads
from ciodesk.budget.importers.ledger import check_mapping, suggest_mapping
from ciodesk.budget.importers.spend import FORMAT_NAMES, previous_import
from ciodesk.budget.models import ImportStatus, SpendColumnMapping, SpendImport, header_signature
from ciodesk.core.exports import Column, export_response
from ciodesk.core.staging import kept_file_response
from ciodesk.tenancy.access import Level
from ciodesk.tenancy.permissions import client_view, get_for_client_or_404


def format_label(code: str) -> str:
    return FORMAT_NAMES.get(code, "Mapped columns" if code == GENERIC else "—")


@client_view(Level.PRACTICE)
def spend_import(request, client_slug):
    if request.method == "POST" and "upload" in request.POST:
        return _mapping_submitted(request)
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        key = ""
        try:
            key = uploads.stage(request.client, data["file"])
            peeked = uploads.peek(request.client, key)
        except ImportFailed as exc:
            uploads.discard(request.client, key)
            form.add_error("file", str(exc))
        else:
            earlier = previous_import(peeked.sha256)
            if earlier is not None:
                uploads.discard(request.client, key)
                messages.info(
                    request, f"{data['file'].name} was imported before: nothing was added."
                )
                return redirect("budget:spend-import-status", client_slug, earlier.pk)
            fmt = data["format"]
            if fmt == GENERIC or (fmt == "auto" and peeked.fmt is None):
                return _mapping_page(request, key, data["file"].name, peeked, data["date_order"])
            record = uploads.start(
                request.client,
                key,
                filename=data["file"].name,
                fmt=fmt,
                date_order=data["date_order"],
                user=request.user,
            )
            return redirect("budget:spend-import-status", client_slug, record.pk)
    return render(request, "budget/spend_import.html", {"form": form})


def _mapping_page(request, key, filename, peeked, date_order, form=None, errors=()):
    saved = SpendColumnMapping.objects.filter(
        headers_signature=header_signature(peeked.headers)
    ).first()
    if form is None:
        mapping = saved.mapping if saved else suggest_mapping(peeked.headers)
        initial = {f"map_{name}": header for name, header in mapping.items()}
        initial.update(
            upload=key,
            filename=filename,
            date_order=date_order or (saved.date_format if saved else ""),
        )
        form = MappingForm(peeked.headers, initial=initial)
    context = {
        "form": form,
        "peek": peeked,
        "filename": filename,
        "saved": saved,
        "errors": list(errors),
        "unknown": peeked.fmt is None,
    }
    return render(request, "budget/spend_import_mapping.html", context)


def _mapping_submitted(request):
    key = request.POST.get("upload", "")
    try:
        peeked = uploads.peek(request.client, key)
    except ImportFailed as exc:
        form = UploadForm()
        return render(request, "budget/spend_import.html", {"form": form, "problem": str(exc)})
    form = MappingForm(peeked.headers, request.POST)
    filename = request.POST.get("filename", "")[:255] or "spend"
    if not form.is_valid():
        return _mapping_page(request, key, filename, peeked, "", form)
    mapping = form.mapping()
    problems = check_mapping(mapping, peeked.headers)
    if problems:
        return _mapping_page(request, key, filename, peeked, "", form, problems)
    SpendColumnMapping.objects.update_or_create(
        headers_signature=header_signature(peeked.headers),
        defaults={
            "headers": peeked.headers,
            "mapping": mapping,
            "date_format": form.cleaned_data["date_order"],
        },
    )
    record = uploads.start(
        request.client,
        key,
        filename=form.cleaned_data["filename"],
        fmt=GENERIC,
        mapping=mapping,
        date_order=form.cleaned_data["date_order"],
        user=request.user,
    )
    return redirect("budget:spend-import-status", request.client.slug, record.pk)


@client_view(Level.READ, SpendImport)
def spend_import_status(request, client_slug, pk):
    record = get_for_client_or_404(SpendImport, pk=pk)
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET"])
    running = record.status in (ImportStatus.QUEUED, ImportStatus.RUNNING)
    context = {
        "record": record,
        "running": running,
        "errors": record.error.splitlines() if record.error else [],
        "format_label": format_label(record.source_format),
        "unmatched": record.created_count - record.matched_count,
        "has_file": request.access >= Level.PRACTICE and uploads.stored_file(record) is not None,
    }
    template = "budget/spend_import_status.html" + ("#progress" if request.htmx else "")
    return render(request, template, context)


@client_view(Level.PRACTICE, SpendImport)
def spend_import_file(request, client_slug, pk):
    """The file an import read, for the practice: served only here, never from MEDIA_URL."""
    record = get_for_client_or_404(SpendImport, pk=pk)
    return kept_file_response(request, uploads.stored_file(record), record.filename)


IMPORT_COLUMNS = [
    Column("Started", lambda i: i.started_at),
    Column("File", lambda i: i.filename),
    Column("Format", lambda i: format_label(i.source_format)),
    Column("Status", lambda i: i.get_status_display()),
    Column("Lines in the file", lambda i: i.rows_total if i.status == ImportStatus.DONE else ""),
    Column("Added", lambda i: i.created_count),
    Column("Already there", lambda i: i.skipped_count),
    Column("Classified by rules", lambda i: i.matched_count),
    Column("By", lambda i: i.imported_by or ""),
    Column("SHA-256", lambda i: i.sha256),
]


def _imports():
    return SpendImport.objects.select_related("imported_by")


@client_view(Level.READ)
def spend_imports(request, client_slug):
    imports = [(record, format_label(record.source_format)) for record in _imports()]
    return render(request, "budget/spend_imports.html", {"imports": imports})


@client_view(Level.READ)
def spend_imports_export(request, client_slug):
    filename = f"{request.client.slug}-spend-imports"
    return export_response(request.GET.get("format", "csv"), filename, IMPORT_COLUMNS, _imports())
