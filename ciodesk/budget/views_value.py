"""Spend vs value: the page per vendor, its export, and the owner's value ratings."""

from __future__ import annotations

from django.shortcuts import render
from django.urls import reverse

from ciodesk.budget.cruds import BudgetCrud
from ciodesk.budget.forms_value import VendorValueForm
from ciodesk.budget.models import VendorValue
from ciodesk.budget.services_value import FLAG_LABELS, SLA_DAYS, VendorRow, value_report
from ciodesk.core.exports import Column, export_response
from ciodesk.tenancy.access import Level
from ciodesk.tenancy.permissions import client_view


def _sla(row: VendorRow, name: str):
    if row.sla is None:
        return None
    return getattr(row.sla, name)


def _licence(row: VendorRow, name: str):
    return getattr(row.licences, name) if row.licences else None


def _next_renewal(row: VendorRow):
    item = row.next_renewal
    return item.facts.renewal_date if item else None


COLUMNS = [
    Column("Vendor", lambda r: r.vendor.name),
    Column("Kind", lambda r: r.vendor.get_category_display()),
    Column("Owner", lambda r: r.vendor.owner.name),
    Column("Spend, last 12 months", lambda r: r.spend),
    Column("IT categories", lambda r: ", ".join(r.categories)),
    Column("Contract value (annual)", lambda r: r.contract_value),
    Column("Contracts in force", lambda r: len(r.in_force)),
    Column("Next renewal", _next_renewal),
    Column(f"SLA tickets ({SLA_DAYS} days)", lambda r: _sla(r, "tickets")),
    Column("Response within SLA (%)", lambda r: _sla(r, "response_pct")),
    Column("Resolution within SLA (%)", lambda r: _sla(r, "resolution_pct")),
    Column("SLA target (%)", lambda r: _sla(r, "target")),
    Column("Licensed seats", lambda r: _licence(r, "seats")),
    Column("Unused seats", lambda r: _licence(r, "wasted_seats")),
    Column("Licence waste per month", lambda r: _licence(r, "monthly_waste")),
    Column("Value rating (1-5)", lambda r: r.rating.rating if r.rating else None),
    Column("Rating comment", lambda r: r.rating.comment if r.rating else ""),
    Column("Rated by", lambda r: r.rating.owner.name if r.rating else ""),
    Column("Rated on", lambda r: r.rating.rated_on if r.rating else None),
    Column("Flags", lambda r: " · ".join(f"{f.label}: {f.text}" for f in r.flags)),
]
SHOWS = {"all": "All vendors", "flagged": "Flagged vendors", **FLAG_LABELS}


def _show(request) -> str:
    value = request.GET.get("show", "all")
    return value if value in SHOWS else "all"


def _rows(report, show: str) -> list[VendorRow]:
    if show == "all":
        return report.rows
    if show == "flagged":
        return report.flagged
    return [r for r in report.rows if show in r.flag_kinds]


@client_view(Level.READ)
def value(request, client_slug):
    report = value_report(request.client)
    show = _show(request)
    context = {
        "report": report,
        "rows": _rows(report, show),
        "show": show,
        "shows": SHOWS,
        "flag_counts": [(kind, label, report.count(kind)) for kind, label in FLAG_LABELS.items()],
        "sla_days": SLA_DAYS,
    }
    return render(request, "budget/value_overview.html", context)


@client_view(Level.READ)
def value_export(request, client_slug):
    report = value_report(request.client)
    show = _show(request)
    filename = f"{request.client.slug}-spend-vs-value"
    return export_response(request.GET.get("format", "csv"), filename, COLUMNS, _rows(report, show))


def _back_to_value(request, obj) -> str:
    return reverse("budget:value", kwargs={"client_slug": request.client.slug})


RATINGS = BudgetCrud(
    model=VendorValue,
    form_class=VendorValueForm,
    kind="vendor-values",
    title="Vendor value ratings",
    intro="The owner's rating of what each vendor delivers for what it costs, 1 (poor) to 5 "
    "(excellent). Every rating is kept; the spend-vs-value page shows the latest.",
    columns=[
        Column("Vendor", lambda v: v.vendor.name, link=True),
        Column("Rating (1-5)", lambda v: v.rating),
        Column("Comment", lambda v: v.comment),
        Column("Rated by", lambda v: v.owner.name),
        Column("Rated on", lambda v: v.rated_on),
    ],
    search_fields=["vendor__name", "comment"],
    queryset=lambda: VendorValue.objects.select_related("vendor", "owner"),
    empty_text="No ratings yet. Rate a vendor from the spend-vs-value page.",
    namespace="budget",
    prefill=("vendor", "owner"),
    back_to=_back_to_value,
)
