"""Coverage pages: the three figures, each import's lists (CSV/XLSX too), upload, mapping."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode

from ciodesk.core.exports import Column, export_response
from ciodesk.security import services_coverage as coverage
from ciodesk.security.forms_coverage import MappingForm, UploadForm
from ciodesk.security.importers import SPECS, staging
from ciodesk.security.importers.common import CoverageFailed, UnknownColumns, preview
from ciodesk.security.importers.common import suggest_mapping as suggest
from ciodesk.security.models import ClientControl, CoverageImport
from ciodesk.tenancy.access import Level
from ciodesk.tenancy.permissions import client_view, get_for_client_or_404

HISTORY_PAGE = 25
ACCOUNTS_PAGE = 200


@client_view(Level.READ)
def coverage_page(request, client_slug):
    figures = coverage.overview()
    keys = {f.control_key for f in figures} | {"mfa-admins"}
    controls = {
        c.definition.key: c
        for c in ClientControl.objects.filter(definition__key__in=keys).select_related("definition")
    }
    for figure in figures:
        figure.control = controls.get(figure.control_key)
    imports = CoverageImport.objects.select_related("imported_by").order_by("-imported_at", "-pk")
    page = Paginator(imports, HISTORY_PAGE).get_page(request.GET.get("page"))
    context = {
        "figures": figures,
        "page": page,
        "history": [(record, coverage.headline(record)) for record in page],
        "rules": coverage.RULES,
    }
    return render(request, "security/coverage_dashboard.html", context)


@client_view(Level.READ)
def imports_export(request, client_slug):
    imports = CoverageImport.objects.select_related("imported_by").order_by("-imported_at", "-pk")
    columns = [
        Column("Imported", lambda r: r.imported_at),
        Column("What", lambda r: r.get_kind_display()),
        Column("File", lambda r: r.filename),
        Column("Format", lambda r: r.source_format),
        Column("As of", lambda r: r.as_of),
        Column("Rows", lambda r: r.rows),
        Column("Figures", coverage.headline),
        Column("By", lambda r: r.imported_by or ""),
        Column("SHA-256", lambda r: r.sha256),
    ]
    filename = f"{request.client.slug}-coverage-imports"
    return export_response(request.GET.get("format", "csv"), filename, columns, imports)


# --- one import: its figures and lists -----------------------------------------------------------


@client_view(Level.READ, CoverageImport)
def coverage_detail(request, client_slug, pk):
    record = get_for_client_or_404(CoverageImport, pk=pk)
    context = {"record": record, "s": record.summary or {}, "headline": coverage.headline(record)}
    if record.kind == "mfa":
        without = coverage.mfa_without(record)
        page = Paginator(without, ACCOUNTS_PAGE).get_page(request.GET.get("page"))
        context |= {"page": page, "admins": list(without.filter(is_admin=True))}
        return render(request, "security/coverage_detail_mfa.html", context)
    if record.kind == "backup":
        states = coverage.backup_systems(record)
        context |= {
            "systems": states,
            "without_24h": [s for s in states if not s.ok_24h],
            "without_7d": [s for s in states if not s.ok_7d],
        }
        return render(request, "security/coverage_detail_backup.html", context)
    other, match = coverage.endpoint_match(record)
    context |= {"other": other, "match": match}
    if match is None:
        context["devices"] = list(record.devices.all())
    else:
        context["pair"] = coverage.pair_figures(match)
    return render(request, "security/coverage_detail_devices.html", context)


ACCOUNT_COLUMNS = [
    Column("User principal name", lambda a: a.user_principal_name),
    Column("Display name", lambda a: a.display_name),
    Column("User type", lambda a: a.user_type or "Member"),
    Column("Admin", lambda a: a.is_admin),
    Column("MFA registered", lambda a: a.is_mfa_registered),
    Column("MFA capable", lambda a: a.is_mfa_capable),
    Column("Methods registered", lambda a: a.methods),
    Column("Last updated", lambda a: a.last_updated),
]
DEVICE_COLUMNS = [
    Column("Device", lambda d: d.name),
    Column("Serial number", lambda d: d.serial),
    Column("Type", lambda d: d.device_type),
    Column("Operating system", lambda d: d.os),
    Column("Last seen", lambda d: d.last_seen),
]
PAIR_COLUMNS = [
    Column("RMM device", lambda p: p[0].name),
    Column("EDR agent", lambda p: p[1].name),
    Column("Matched on", lambda p: p[2]),
    Column("Serial number", lambda p: p[0].serial),
]
SYSTEM_COLUMNS = [
    Column("Protected system", lambda s: s.name),
    Column("Last success", lambda s: s.last_success),
    Column("Last run", lambda s: s.last_run),
    Column("Last result", lambda s: s.last_result),
    Column("Runs in the report", lambda s: s.runs),
    Column("Success in the last 24 h", lambda s: s.ok_24h),
    Column("Success in the last 7 days", lambda s: s.ok_7d),
]


def _lists(record: CoverageImport) -> dict:
    """list name → (columns, rows) for the export of one import's lists."""
    if record.kind == "mfa":
        without = coverage.mfa_without(record)
        return {
            "without": (ACCOUNT_COLUMNS, without),
            "admins": (ACCOUNT_COLUMNS, without.filter(is_admin=True)),
            "all": (ACCOUNT_COLUMNS, record.mfa_accounts.order_by("user_principal_name")),
        }
    if record.kind == "backup":
        states = coverage.backup_systems(record)
        return {
            "systems": (SYSTEM_COLUMNS, states),
            "without-24h": (SYSTEM_COLUMNS, [s for s in states if not s.ok_24h]),
            "without-7d": (SYSTEM_COLUMNS, [s for s in states if not s.ok_7d]),
        }
    _, match = coverage.endpoint_match(record)
    found = {"devices": (DEVICE_COLUMNS, record.devices.all())}
    if match is not None:
        found |= {
            "without-edr": (DEVICE_COLUMNS, match.without_edr),
            "without-rmm": (DEVICE_COLUMNS, match.without_rmm),
            "covered": (PAIR_COLUMNS, match.covered),
            "excluded": (DEVICE_COLUMNS, match.excluded),
        }
    return found


@client_view(Level.READ, CoverageImport)
def coverage_list_export(request, client_slug, pk):
    record = get_for_client_or_404(CoverageImport, pk=pk)
    lists = _lists(record)
    name = request.GET.get("list") or next(iter(lists))
    if name not in lists:
        raise Http404("No such list")
    columns, rows = lists[name]
    filename = f"{request.client.slug}-{record.kind}-{record.pk}-{name}"
    return export_response(request.GET.get("format", "csv"), filename, columns, rows)


# --- importing ---------------------------------------------------------------------------------


def _imported(request, outcome: coverage.Outcome):
    messages.success(
        request, f"Imported {outcome.record.filename}: {coverage.headline(outcome.record)}."
    )
    for note in outcome.notes:
        messages.warning(request, note[:1].upper() + note[1:] + ".")
    return redirect("security:coverage-detail", request.client.slug, outcome.record.pk)


def _repeated(request, exc: coverage.AlreadyImported):
    messages.info(request, f"{exc}.")
    return redirect("security:coverage-detail", request.client.slug, exc.record.pk)


def _to_mapping(request, content: bytes, filename: str, data: dict):
    """Keep the upload and send the person to pick its columns."""
    query = {
        "upload": staging.stage(request.client, content, filename),
        "kind": data["kind"],
        "filename": filename[:255],
        "time_zone": data["time_zone"],
        "date_order": data["date_order"],
    }
    url = reverse("security:coverage-mapping", args=[request.client.slug])
    return redirect(f"{url}?{urlencode(query)}")


@client_view(Level.CONTRIBUTOR)
def coverage_upload(request, client_slug):
    kind = request.GET.get("kind")
    initial = {"time_zone": request.client.time_zone, "kind": kind if kind in SPECS else "mfa"}
    form = UploadForm(request.POST or None, request.FILES or None, initial=initial)
    errors: list[str] = []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        upload = data["file"]
        content = upload.read()
        if data["columns"] == "map":
            return _to_mapping(request, content, upload.name, data)
        try:
            outcome = coverage.import_coverage(
                request.client,
                content,
                upload.name,
                data["kind"],
                time_zone=data["time_zone"],
                day_first=form.day_first,
                user=request.user,
            )
        except coverage.AlreadyImported as exc:
            return _repeated(request, exc)
        except UnknownColumns:
            return _to_mapping(request, content, upload.name, data)
        except CoverageFailed as exc:
            errors = exc.errors
        else:
            return _imported(request, outcome)
    context = {"form": form, "errors": errors, "specs": SPECS.values(), "rules": coverage.RULES}
    return render(request, "security/coverage_upload.html", context)


@client_view(Level.CONTRIBUTOR)
def coverage_mapping(request, client_slug):
    source = request.POST if request.method == "POST" else request.GET
    kind, key = source.get("kind", ""), source.get("upload", "")
    content = staging.staged_bytes(request.client, key) if kind in SPECS else None
    if content is None:
        messages.warning(request, "Upload the file first: its columns are mapped on the next page.")
        return redirect("security:coverage-upload", client_slug)
    spec, filename = SPECS[kind], source.get("filename", "")[:255] or "export.csv"
    try:
        headers, rows = preview(content, filename)
    except CoverageFailed as exc:
        staging.discard(request.client, key)
        messages.error(request, f"{filename}: {exc.errors[0]}")
        return redirect("security:coverage-upload", client_slug)
    saved = coverage.saved_mapping(kind, headers)
    errors: list[str] = []
    if request.method == "POST":
        form = MappingForm(spec, headers, request.POST)
        if form.is_valid():
            try:
                outcome = coverage.import_coverage(
                    request.client,
                    content,
                    filename,
                    kind,
                    time_zone=form.cleaned_data["time_zone"],
                    day_first=form.day_first,
                    mapping=form.mapping(),
                    save_mapping=True,
                    user=request.user,
                )
            except coverage.AlreadyImported as exc:
                staging.discard(request.client, key)
                return _repeated(request, exc)
            except CoverageFailed as exc:
                errors = exc.errors
            else:
                staging.discard(request.client, key)
                return _imported(request, outcome)
    else:
        chosen = saved.mapping if saved else suggest(headers, spec)
        initial = {f"map_{name}": header for name, header in chosen.items()}
        initial |= {
            "upload": key,
            "kind": kind,
            "filename": filename,
            "time_zone": source.get("time_zone") or request.client.time_zone,
            "date_order": source.get("date_order") or "mdy",
        }
        form = MappingForm(spec, headers, initial=initial)
    context = {
        "form": form,
        "spec": spec,
        "headers": headers,
        "rows": rows,
        "filename": filename,
        "saved": saved,
        "errors": errors,
    }
    return render(request, "security/coverage_mapping.html", context)
