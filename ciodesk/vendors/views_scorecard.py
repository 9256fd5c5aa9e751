"""The SLA scorecard page of a vendor and its exports."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.http import Http404
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse

from ciodesk.core.exports import Column, export_response
from ciodesk.tenancy.access import Level
from ciodesk.tenancy.permissions import client_view, get_for_client_or_404
from ciodesk.vendors.charts import (
    ATTAINMENT_GOAL,
    ATTAINMENT_GOAL_SOURCE,
    ATTAINMENT_GOAL_TEXT,
    scorecard_charts,
)
from ciodesk.vendors.models import Ticket, Vendor
from ciodesk.vendors.scorecard import ScorecardError, scorecard_details, ticket_rows


def last_full_month(today: dt.date) -> tuple[dt.date, dt.date]:
    until = today.replace(day=1) - dt.timedelta(days=1)
    return until.replace(day=1), until


def _period(request) -> tuple[dt.date, dt.date, list[str]]:
    """since/until from the query string; the last full month (client's time zone) when
    absent or unreadable, with the reason."""
    since, until = last_full_month(request.client.today())
    errors = []
    values = {}
    for name in ("since", "until"):
        text = request.GET.get(name, "").strip()
        if text:
            try:
                values[name] = dt.date.fromisoformat(text)
            except ValueError:
                errors.append(f"“{text}” is not a date (YYYY-MM-DD); showing the last full month.")
    if not errors and values:
        since, until = values.get("since", since), values.get("until", until)
        if since > until:
            errors.append(
                f"The period starts ({since}) after it ends ({until}); showing the last full month."
            )
            since, until = last_full_month(request.client.today())
    return since, until, errors


def import_url(client, vendor: Vendor) -> str | None:
    try:
        return reverse(
            "vendors:ticket-import", kwargs={"client_slug": client.slug, "pk": vendor.pk}
        )
    except NoReverseMatch:
        return None


@client_view(Level.READ, Vendor)
def scorecard(request, client_slug, pk):
    vendor = get_for_client_or_404(Vendor, pk=pk)
    since, until, errors = _period(request)
    context = {
        "vendor": vendor,
        "since": since,
        "until": until,
        "errors": errors,
        "has_tickets": Ticket.objects.filter(vendor=vendor).exists(),
        "import_url": import_url(request.client, vendor),
        "goal": ATTAINMENT_GOAL,
        "goal_text": ATTAINMENT_GOAL_TEXT,
        "goal_source": ATTAINMENT_GOAL_SOURCE,
    }
    if context["has_tickets"]:
        try:
            data = scorecard_details(request.client, vendor, since, until)
        except ScorecardError as exc:
            context["problem"] = str(exc)
        else:
            context["data"] = data
            context["charts"] = scorecard_charts(data, data["volume_by_month"])
    return render(request, "vendors/scorecard.html", context)


def _pct(value):
    """A figure for the export: a number (Decimal, so the XLSX cell is numeric) or blank."""
    return "" if value is None else Decimal(str(value))


PRIORITY_COLUMNS = [
    Column("Priority", lambda r: r["priority"]),
    Column("Tickets", lambda r: r["tickets"]),
    Column("Response target (min)", lambda r: r.get("response_target_minutes", "")),
    Column("Response met", lambda r: r["response_met"]),
    Column("Response breached", lambda r: r["response_breached"]),
    Column("Response pending", lambda r: r["response_pending"]),
    Column("Response attainment %", lambda r: _pct(r["response_attainment_pct"])),
    Column("Resolution target (min)", lambda r: r.get("resolution_target_minutes", "")),
    Column("Resolution met", lambda r: r["resolution_met"]),
    Column("Resolution breached", lambda r: r["resolution_breached"]),
    Column("Resolution pending", lambda r: r["resolution_pending"]),
    Column("Resolution attainment %", lambda r: _pct(r["resolution_attainment_pct"])),
    Column("Median response (min)", lambda r: _pct(r["median_response_minutes"])),
    Column("90th percentile response (min)", lambda r: _pct(r["p90_response_minutes"])),
    Column("Median resolution (min)", lambda r: _pct(r["median_resolution_minutes"])),
    Column("90th percentile resolution (min)", lambda r: _pct(r["p90_resolution_minutes"])),
]


def _yes_no(value) -> str:
    return "" if value is None else ("yes" if value else "no")


TICKET_COLUMNS = [
    Column("Ticket", lambda r: r["number"]),
    Column("Summary", lambda r: r["summary"]),
    Column("Vendor priority", lambda r: r["priority_label"]),
    Column("Priority", lambda r: r["priority"] or "unmapped"),
    Column("Created", lambda r: r["created_at"]),
    Column("First response", lambda r: r["first_response_at"]),
    Column("Resolved or closed", lambda r: r["resolved_at"]),
    Column("Response (business min)", lambda r: _pct(r["response_minutes"])),
    Column("Response", lambda r: r["response_status"]),
    Column("Resolution (business min)", lambda r: _pct(r["resolution_minutes"])),
    Column("Resolution", lambda r: r["resolution_status"]),
    Column("In SLA per the MSP", lambda r: _yes_no(r["vendor_in_sla"])),
    Column("In SLA per the contract", lambda r: _yes_no(r["in_sla_by_contract"])),
    Column("Flags disagree", lambda r: _yes_no(r["flag_disagrees"])),
]


VOLUME_COLUMNS = [
    Column("Month", lambda r: r["month"]),
    *[Column(code, lambda r, code=code: r[code]) for code in ("P1", "P2", "P3", "P4")],
    Column("Unmapped", lambda r: r["unmapped"]),
    Column("Total", lambda r: r["total"]),
]


def overall_row(card: dict) -> dict:
    return {**card["overall"], "priority": "All"}


@client_view(Level.READ, Vendor)
def scorecard_export(request, client_slug, pk):
    vendor = get_for_client_or_404(Vendor, pk=pk)
    since, until, errors = _period(request)
    if errors:
        raise Http404(errors[0])
    table = request.GET.get("table", "priorities")
    name = f"{request.client.slug}-{vendor.pk}-sla-{since}-{until}"
    try:
        if table == "tickets":
            rows = ticket_rows(request.client, vendor, since, until)
            return export_response(
                request.GET.get("format", "csv"), f"{name}-tickets", TICKET_COLUMNS, rows
            )
        if table not in ("priorities", "volume"):
            raise Http404("Export table=priorities, table=volume or table=tickets")
        card = scorecard_details(request.client, vendor, since, until)
    except ScorecardError as exc:
        raise Http404(str(exc)) from exc
    if table == "volume":
        return export_response(
            request.GET.get("format", "csv"),
            f"{name}-volume",
            VOLUME_COLUMNS,
            card["volume_by_month"],
        )
    rows = [*card["priorities"], overall_row(card)]
    return export_response(request.GET.get("format", "csv"), name, PRIORITY_COLUMNS, rows)
