"""Licence pages: the overview (waste in money), the import, the SKU prices."""

from __future__ import annotations

from django.contrib import messages
from django.db import transaction
from django.shortcuts import redirect, render

from ciodesk.budget.forms_licences import (
    LicenceUploadForm,
    PriceFormSet,
    PriceUploadForm,
    SaasMappingForm,
)
from ciodesk.budget.importers.licences import (
    SAAS,
    NeedsMapping,
    import_licences,
    import_prices,
    recognise_saas,
)
from ciodesk.budget.services_licences import (
    DEFAULT_DAYS,
    THRESHOLDS,
    LicenceWaste,
    UserRow,
    licence_waste,
    product_key,
    save_prices,
)
from ciodesk.core import tabular
from ciodesk.core.exports import Column, export_response
from ciodesk.core.tabular import FileProblem, read_table
from ciodesk.tenancy.access import Level
from ciodesk.tenancy.permissions import client_view
from ciodesk.vendors.importers.tickets import uploads
from ciodesk.vendors.importers.tickets.errors import ImportFailed

SHOWS = {
    "all": "All licensed users",
    "waste": "With waste",
    "inactive": "Inactive",
    "deleted": "Deleted",
    "overlap": "Overlapping products",
}
PREVIEW_ROWS = 5


def _days(request) -> int:
    value = request.GET.get("days", "")
    return int(value) if value.isdigit() and int(value) in THRESHOLDS else DEFAULT_DAYS


def _show(request) -> str:
    value = request.GET.get("show", "all")
    return value if value in SHOWS else "all"


def _yes(value: bool) -> str:
    return "yes" if value else "no"


def user_columns(days: int) -> list[Column]:
    return [
        Column("Source", lambda u: "Microsoft 365" if u.source == "m365" else u.source),
        Column("Name", lambda u: u.name),
        Column("Login", lambda u: u.login),
        Column("Products", lambda u: "; ".join(u.products)),
        Column("Deleted", lambda u: _yes(u.deleted)),
        Column("Last activity", lambda u: u.last_activity),
        Column("Days inactive", lambda u: "never" if u.days_inactive is None else u.days_inactive),
        Column(f"Inactive {days}+ days", lambda u: _yes(u.inactive_for(days))),
        Column("Waste", lambda u: u.reason),
        Column("Wasted products", lambda u: "; ".join(u.wasted)),
        Column("Overlaps", lambda u: "; ".join(f"{a} (in {b})" for a, b in u.overlaps)),
        Column("Monthly waste", lambda u: u.monthly_waste),
        Column("No price set", lambda u: "; ".join(u.unpriced)),
    ]


SKU_COLUMNS = [
    Column("Product", lambda s: s.name),
    Column("Assigned", lambda s: s.assigned),
    Column("Inactive", lambda s: s.inactive),
    Column("On deleted users", lambda s: s.on_deleted),
    Column("Overlapping", lambda s: s.overlapping),
    Column("Wasted", lambda s: s.wasted),
    Column("Monthly price", lambda s: s.monthly_price if s.price else "no price set"),
    Column("Currency", lambda s: s.currency),
    Column("Monthly cost", lambda s: s.monthly_cost),
    Column("Monthly waste", lambda s: s.monthly_waste),
    Column("Yearly waste", lambda s: s.yearly_waste),
]


def _rows(waste: LicenceWaste, show: str) -> list[UserRow]:
    return [u for u in waste.matching(show) if u.products]


@client_view(Level.READ)
def licences(request, client_slug):
    days, show = _days(request), _show(request)
    waste = licence_waste(request.client, days)
    rows = _rows(waste, show)
    context = {
        "waste": waste,
        "days": days,
        "show": show,
        "shows": SHOWS,
        "thresholds": THRESHOLDS,
        "m365_rows": [u for u in rows if u.source == "m365"],
        "saas_rows": [u for u in rows if u.source != "m365"],
        "can_write": request.access >= Level.PRACTICE,
    }
    return render(request, "budget/licences_overview.html", context)


@client_view(Level.READ)
def licences_export(request, client_slug):
    days, show = _days(request), _show(request)
    waste = licence_waste(request.client, days)
    filename = f"{request.client.slug}-licences-{show}-{days}d"
    return export_response(
        request.GET.get("format", "csv"), filename, user_columns(days), _rows(waste, show)
    )


@client_view(Level.READ)
def licences_sku_export(request, client_slug):
    waste = licence_waste(request.client, _days(request))
    filename = f"{request.client.slug}-licence-products"
    return export_response(request.GET.get("format", "csv"), filename, SKU_COLUMNS, waste.skus)


# --- import --------------------------------------------------------------------------------------


@client_view(Level.PRACTICE)
def licences_import(request, client_slug):
    if request.method == "POST" and "upload" in request.POST:
        return _mapping_submitted(request)
    form = LicenceUploadForm(request.POST or None, request.FILES or None)
    errors: list[str] = []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        upload = data["file"]
        try:
            result = import_licences(
                request.client,
                upload,
                upload.name,
                kind=data["kind"],
                app_name=data["app_name"],
                vendor=data["vendor"],
                user=request.user,
            )
        except NeedsMapping as exc:
            try:
                key = uploads.stage(request.client, upload)
            except ImportFailed as failed:
                errors = failed.errors
            else:
                initial = {
                    "upload": key,
                    "filename": upload.name,
                    "app_name": data["app_name"],
                    "vendor": data["vendor"],
                    **{f"map_{k}": v for k, v in recognise_saas(exc.headers).items()},
                }
                return _mapping_page(request, SaasMappingForm(exc.headers, initial=initial))
        else:
            if result.ok:
                messages.success(request, result.summary())
                return redirect("budget:licences", client_slug)
            errors = result.errors
    return render(request, "budget/licences_import.html", {"form": form, "errors": errors})


def _mapping_page(request, form, errors=()):
    data = uploads.STAGING.read(request.client, form["upload"].value() or "")
    headers, preview = tabular.preview(data, form["filename"].value() or "list.csv", PREVIEW_ROWS)
    context = {"form": form, "headers": headers, "preview": preview, "errors": list(errors)}
    return render(request, "budget/licences_mapping.html", context)


def _mapping_submitted(request):
    key = request.POST.get("upload", "")
    data = uploads.STAGING.read(request.client, key)
    if data is None:
        form = LicenceUploadForm()
        errors = ["The uploaded file is gone: upload it again."]
        return render(request, "budget/licences_import.html", {"form": form, "errors": errors})
    filename = request.POST.get("filename", "")[:255] or "list.csv"
    try:
        _, headers, _ = read_table(data, filename)
    except FileProblem as exc:
        uploads.discard(request.client, key)
        form = LicenceUploadForm()
        return render(request, "budget/licences_import.html", {"form": form, "errors": [str(exc)]})
    form = SaasMappingForm(headers, request.POST)
    if not form.is_valid():
        return _mapping_page(request, form)
    result = import_licences(
        request.client,
        data,
        filename,
        kind=SAAS,
        app_name=form.cleaned_data["app_name"],
        vendor=form.cleaned_data["vendor"],
        mapping=form.mapping(),
        user=request.user,
    )
    if not result.ok:
        return _mapping_page(request, form, result.errors)
    uploads.discard(request.client, key)
    messages.success(request, result.summary())
    return redirect("budget:licences", request.client.slug)


# --- prices --------------------------------------------------------------------------------------


def _price_initial(request) -> list[dict]:
    waste = licence_waste(request.client)
    rows = [
        {
            "sku": s.name,
            "monthly_price": s.monthly_price,
            "currency": s.currency or request.client.currency,
        }
        for s in sorted(waste.skus, key=lambda s: s.name.casefold())
    ]
    blanks = [{"currency": request.client.currency} for _ in range(3)]
    return rows + blanks


def _price_page(request, formset, upload_form, errors=(), status=200):
    fixed = sum(1 for f in formset.forms if (f.initial or {}).get("sku"))
    for form in formset.forms[:fixed]:
        form.fields["sku"].widget.attrs["readonly"] = True
    context = {
        "formset": formset,
        "upload_form": upload_form,
        "errors": list(errors),
        "in_use": {product_key(f.initial.get("sku", "")) for f in formset.forms[:fixed]},
    }
    return render(request, "budget/licences_prices.html", context, status=status)


@client_view(Level.PRACTICE)
def licence_prices(request, client_slug):
    initial = _price_initial(request)
    if request.method == "POST":
        formset = PriceFormSet(request.POST, initial=initial)
        if formset.is_valid():
            rows = [
                (
                    f.cleaned_data["sku"].strip(),
                    f.cleaned_data.get("monthly_price"),
                    f.cleaned_data["currency"],
                )
                for f in formset.forms
                if (f.cleaned_data.get("sku") or "").strip()
            ]
            with transaction.atomic():
                done = save_prices(rows)
            changed = sum(n for what, n in done.items() if what != "unchanged")
            messages.success(request, f"Prices saved: {changed} change(s).")
            return redirect("budget:licences", client_slug)
    else:
        formset = PriceFormSet(initial=initial)
    return _price_page(request, formset, PriceUploadForm())


@client_view(Level.PRACTICE)
def licence_prices_import(request, client_slug):
    form = PriceUploadForm(request.POST or None, request.FILES or None)
    errors: list[str] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        result = import_prices(request.client, upload, upload.name, user=request.user)
        if result.ok:
            messages.success(request, result.summary())
            return redirect("budget:licence-prices", client_slug)
        errors = result.errors
    formset = PriceFormSet(initial=_price_initial(request))
    return _price_page(request, formset, form, errors)
