"""The practice's leads: the list (with CSV/XLSX export), a lead, its status, and turning it
into a client. Practice users only; turning a lead into a client is the lead's work (like
adding a client)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from ciodesk.core.exports import Column, export_response
from ciodesk.intake import dns_checks, services
from ciodesk.intake.forms import ConvertForm, LeadStatusForm
from ciodesk.intake.models import Lead
from ciodesk.intake.services_convert import AlreadyConverted, convert_lead


def _require_practice(request) -> None:
    if not request.user.is_practice_user:
        raise PermissionDenied("Only the practice's own people can see leads.")


def _require_lead(request) -> None:
    if not request.user.is_lead:
        raise PermissionDenied("Only the practice lead can turn a lead into a client.")


def safe_cell(value):
    """Text that a spreadsheet would run as a formula is quoted (CSV/XLSX injection)."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


COLUMNS = [
    Column("Received", lambda lead: lead.created_at),
    Column("Company", lambda lead: safe_cell(lead.company)),
    Column("Domain", lambda lead: lead.domain),
    Column("Contact", lambda lead: safe_cell(lead.contact_name)),
    Column("E-mail", lambda lead: safe_cell(lead.email)),
    Column("Employees", lambda lead: lead.employee_count),
    Column("Score", lambda lead: lead.score),
    Column("Rating", lambda lead: lead.rating),
    Column("Top risk", lambda lead: (lead.top_risks or [{}])[0].get("title", "")),
    Column("May contact", lambda lead: lead.consent),
    Column("Status", lambda lead: lead.get_status_display()),
]


def _filtered(request):
    leads = Lead.objects.all()
    q = request.GET.get("q", "").strip()
    status = request.GET.get("status", "")
    if q:
        leads = leads.filter(
            Q(company__icontains=q) | Q(domain__icontains=q) | Q(contact_name__icontains=q)
        )
    if status in Lead.Status.values:
        leads = leads.filter(status=status)
    return leads, q, status


@login_required
def lead_list(request):
    _require_practice(request)
    leads, q, status = _filtered(request)
    context = {"leads": list(leads), "q": q, "status": status, "statuses": Lead.Status.choices}
    return render(request, "intake/lead_list.html", context)


@login_required
def lead_export(request):
    _require_practice(request)
    leads, _q, _status = _filtered(request)
    return export_response(request.GET.get("format", "csv"), "leads", COLUMNS, leads)


@login_required
def lead_detail(request, pk):
    _require_practice(request)
    lead = get_object_or_404(Lead, pk=pk)
    context = {
        "lead": lead,
        "answers": services.answer_rows(lead),
        "checks": dns_checks.rows(lead.dns_results),
        "status_form": LeadStatusForm(initial={"status": lead.status}),
        "can_convert": request.user.is_lead and lead.client_id is None,
    }
    return render(request, "intake/lead_detail.html", context)


@login_required
@require_POST
def lead_status(request, pk):
    _require_practice(request)
    lead = get_object_or_404(Lead, pk=pk)
    form = LeadStatusForm(request.POST)
    if form.is_valid():
        services.set_status(lead, form.cleaned_data["status"])
        messages.success(request, f"{lead.company}: {lead.get_status_display()}.")
    else:
        messages.error(request, "Choose a status from the list.")
    return redirect("leads:lead-detail", pk=lead.pk)


@login_required
def lead_convert(request, pk):
    _require_lead(request)
    lead = get_object_or_404(Lead, pk=pk)
    if lead.client_id is not None:
        messages.info(request, f"{lead.company} is already a client.")
        return redirect("leads:lead-detail", pk=lead.pk)
    form = ConvertForm(request.POST or None, initial=ConvertForm.initial_for(lead))
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                client = form.save()
                convert_lead(lead, client, request.user)
        except AlreadyConverted as exc:
            messages.info(request, str(exc))
            return redirect("leads:lead-detail", pk=lead.pk)
        messages.success(
            request,
            f"{client} added, with the review's answers as its first assessment. "
            "Next: add its people and finish the assessment.",
        )
        return redirect(client.get_absolute_url())
    return render(request, "intake/lead_convert.html", {"lead": lead, "form": form})
