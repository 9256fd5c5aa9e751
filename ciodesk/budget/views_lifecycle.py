"""Hardware lifecycle pages: the overview, the device list, the import, the policies."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponseNotAllowed
from django.shortcuts import redirect, render

from ciodesk.budget.forms_lifecycle import DeviceMappingForm, DeviceUploadForm, LifecyclePolicyForm
from ciodesk.budget.importers.devices import (
    FORMATS,
    NeedsMapping,
    import_devices,
    suggest_mapping,
)
from ciodesk.budget.models import LifecyclePolicy
from ciodesk.budget.services_lifecycle import (
    DevicePlan,
    LifecycleOverview,
    benchmarks,
    ensure_default_policies,
    lifecycle_overview,
    remove_devices_not_in_latest_export,
)
from ciodesk.core import tabular
from ciodesk.core.crud import Crud
from ciodesk.core.exports import Column, export_response
from ciodesk.core.tabular import FileProblem, read_table
from ciodesk.tenancy.access import Level
from ciodesk.tenancy.permissions import client_view
from ciodesk.vendors.importers.tickets import uploads
from ciodesk.vendors.importers.tickets.errors import ImportFailed

YEARS = 5
PREVIEW_ROWS = 5
SHOWS = {
    "all": "All devices",
    "overdue": "Past replacement age",
    "unknown": "No replacement date",
    "os": "Operating system past support",
    "warranty": "Warranty ending within 90 days",
}


def _cost(plan: DevicePlan):
    return plan.cost if plan.cost is not None else "no unit cost"


DEVICE_COLUMNS = [
    Column("Name", lambda p: p.device.name),
    Column("Type", lambda p: p.device.device_type),
    Column("Manufacturer", lambda p: p.device.manufacturer),
    Column("Model", lambda p: p.device.model),
    Column("Serial number", lambda p: p.device.serial),
    Column("Operating system", lambda p: p.device.os),
    Column("OS end of support", lambda p: p.os.ends if p.os else None),
    Column("Purchase or ship date", lambda p: p.device.purchase_date),
    Column("Replacement date", lambda p: p.replacement_date or p.unknown_reason),
    Column("Status", lambda p: p.status),
    Column("Replacement cost", _cost),
    Column("Warranty end", lambda p: p.device.warranty_end),
    Column("User", lambda p: p.device.assigned_user),
    Column("Last seen", lambda p: p.device.last_seen),
]
POLICY_COLUMNS = [
    Column("Device type", lambda p: p.device_type),
    Column("Replace after (years)", lambda p: p.replacement_years),
    Column("Cost of a replacement", lambda p: p.unit_cost if p.unit_cost > 0 else "not set"),
    Column("Currency", lambda p: p.currency),
    Column("Source", lambda p: p.source),
    Column("Year of the source", lambda p: p.source_year or "not stated"),
]
POLICIES = Crud(
    model=LifecyclePolicy,
    form_class=LifecyclePolicyForm,
    kind="lifecycle-policy",
    title="Lifecycle policies",
    columns=POLICY_COLUMNS,
    search_fields=("device_type", "source"),
    namespace="budget",
    intro=(
        "When each type of device is replaced and what a replacement costs. The defaults come "
        "from published refresh-cycle guides (source shown; the guides state no year); the "
        "reference data has no unit costs, so enter the client's own prices."
    ),
    empty_text="No lifecycle policies yet: import an RMM export, or add the benchmark defaults "
    "from the lifecycle page.",
)


def _filtered(overview: LifecycleOverview, show: str, q: str) -> list[DevicePlan]:
    rows = {
        "overdue": overview.overdue,
        "unknown": overview.unknown,
        "os": overview.os_past,
        "warranty": overview.warranties_ending,
    }.get(show, overview.plans)
    if q:
        needle = q.casefold()
        rows = [
            p
            for p in rows
            if any(
                needle in value.casefold()
                for value in (
                    p.device.name,
                    p.device.device_type,
                    p.device.model,
                    p.device.serial,
                    p.device.os,
                    p.device.assigned_user,
                )
            )
        ]
    return rows


@client_view(Level.READ)
def lifecycle(request, client_slug):
    overview = lifecycle_overview(request.client, YEARS)
    context = {
        "overview": overview,
        "forecast": overview.forecast,
        "years": YEARS,
        "can_write": request.access >= Level.PRACTICE,
        "benchmarks": benchmarks()["replacement_years"],
    }
    return render(request, "budget/lifecycle_overview.html", context)


def _show(request) -> str:
    value = request.GET.get("show", "all")
    return value if value in SHOWS else "all"


@client_view(Level.READ)
def lifecycle_devices(request, client_slug):
    overview = lifecycle_overview(request.client, YEARS)
    show, q = _show(request), request.GET.get("q", "").strip()
    context = {
        "overview": overview,
        "rows": _filtered(overview, show, q),
        "show": show,
        "shows": SHOWS,
        "q": q,
    }
    template = "budget/lifecycle_devices.html" + ("#rows" if request.htmx else "")
    return render(request, template, context)


@client_view(Level.READ)
def lifecycle_devices_export(request, client_slug):
    overview = lifecycle_overview(request.client, YEARS)
    rows = _filtered(overview, _show(request), request.GET.get("q", "").strip())
    filename = f"{request.client.slug}-devices"
    return export_response(request.GET.get("format", "csv"), filename, DEVICE_COLUMNS, rows)


@client_view(Level.READ)
def lifecycle_forecast_export(request, client_slug):
    """The replacements due per quarter and per fiscal year, as the page shows them."""
    forecast = lifecycle_overview(request.client, YEARS).forecast
    rows = [("Overdue now", forecast.overdue)]
    rows += [("Quarter", q) for q in forecast.quarters] + [
        ("Fiscal year", y) for y in forecast.years
    ]
    columns = [
        Column("Period", lambda r: r[0]),
        Column("Label", lambda r: r[1].label),
        Column("From", lambda r: r[1].start),
        Column("To", lambda r: r[1].end),
        Column("Devices due", lambda r: r[1].count),
        Column(f"Cost ({forecast.currency})", lambda r: r[1].cost),
        Column("Without unit cost", lambda r: r[1].unpriced),
    ]
    filename = f"{request.client.slug}-replacements"
    return export_response(request.GET.get("format", "csv"), filename, columns, rows)


@client_view(Level.PRACTICE)
def lifecycle_policy_defaults(request, client_slug):
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    created = ensure_default_policies(request.client)
    messages.success(
        request,
        f"{created} benchmark polic{'y' if created == 1 else 'ies'} added"
        + ("." if created else ": every benchmark type already has a policy."),
    )
    return redirect("budget:lifecycle-policy-list", client_slug)


@client_view(Level.PRACTICE)
def lifecycle_devices_remove_missing(request, client_slug):
    """Retired machines: the devices the latest export no longer lists are removed."""
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    removed = remove_devices_not_in_latest_export(request.client)
    messages.success(request, f"{removed} device(s) not in the latest export removed.")
    return redirect("budget:lifecycle", client_slug)


# --- import --------------------------------------------------------------------------------------


@client_view(Level.PRACTICE)
def lifecycle_import(request, client_slug):
    if request.method == "POST" and "upload" in request.POST:
        return _mapping_submitted(request)
    form = DeviceUploadForm(request.POST or None, request.FILES or None)
    errors: list[str] = []
    if request.method == "POST" and form.is_valid():
        upload, fmt = form.cleaned_data["file"], form.cleaned_data["format"]
        try:
            if fmt == "map":
                _, headers, _ = read_table(upload.read(), upload.name)
                raise NeedsMapping(headers)
            result = import_devices(request.client, upload, upload.name, fmt=fmt, user=request.user)
        except FileProblem as exc:
            errors = [str(exc)]
        except NeedsMapping as exc:
            try:
                key = uploads.stage(request.client, upload)
            except ImportFailed as failed:
                errors = failed.errors
            else:
                initial = {"upload": key, "filename": upload.name}
                initial.update({f"map_{k}": v for k, v in suggest_mapping(exc.headers).items()})
                return _mapping_page(request, DeviceMappingForm(exc.headers, initial=initial))
        else:
            if result.ok:
                messages.success(request, result.summary())
                return redirect("budget:lifecycle", client_slug)
            errors = result.errors
    context = {"form": form, "errors": errors, "formats": FORMATS.values()}
    return render(request, "budget/lifecycle_import.html", context)


def _mapping_page(request, form, errors=()):
    data = uploads.STAGING.read(request.client, form["upload"].value() or "")
    headers, preview = tabular.preview(
        data, form["filename"].value() or "devices.csv", PREVIEW_ROWS
    )
    context = {"form": form, "headers": headers, "preview": preview, "errors": list(errors)}
    return render(request, "budget/lifecycle_mapping.html", context)


def _mapping_submitted(request):
    key = request.POST.get("upload", "")
    data = uploads.STAGING.read(request.client, key)
    filename = request.POST.get("filename", "")[:255] or "devices.csv"
    problem = "The uploaded file is gone: upload it again." if data is None else ""
    headers: list[str] = []
    if data is not None:
        try:
            _, headers, _ = read_table(data, filename)
        except FileProblem as exc:
            problem = str(exc)
    if problem:
        uploads.discard(request.client, key)
        context = {"form": DeviceUploadForm(), "errors": [problem], "formats": FORMATS.values()}
        return render(request, "budget/lifecycle_import.html", context)
    form = DeviceMappingForm(headers, request.POST)
    if not form.is_valid():
        return _mapping_page(request, form)
    result = import_devices(
        request.client, data, filename, mapping=form.mapping(), user=request.user
    )
    if not result.ok:
        return _mapping_page(request, form, result.errors)
    uploads.discard(request.client, key)
    messages.success(request, result.summary())
    return redirect("budget:lifecycle", request.client.slug)
