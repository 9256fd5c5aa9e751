"""The vendor register, contracts, SLA policies, priority mappings and the contract import."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import PurePath

from django.contrib import messages
from django.db import transaction
from django.db.models import Count
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render

from ciodesk.core.crud import Crud
from ciodesk.core.exports import Column, export_response
from ciodesk.core.tabular import CURRENCY_CODES
from ciodesk.tenancy.access import Level
from ciodesk.tenancy.permissions import client_view, get_for_client_or_404
from ciodesk.vendors import contracts as dates
from ciodesk.vendors.forms_contracts import (
    WEEKDAYS,
    ContractForm,
    ContractImportForm,
    HolidayFormSet,
    PriorityMappingFormSet,
    SLAPolicyForm,
    VendorForm,
)
from ciodesk.vendors.importers.contracts import import_contracts
from ciodesk.vendors.models import PRIORITIES, Contract, PriorityMapping, SLAPolicy, Ticket, Vendor


def _yes_no(value: bool) -> str:
    return "yes" if value else "no"


# The import's columns, then the computed ones: an export can be edited and imported again.
CONTRACT_COLUMNS = [
    Column("vendor", lambda r: r.contract.vendor.name),
    Column("contract", lambda r: r.contract.title),
    Column("start_date", lambda r: r.contract.start_date),
    Column("end_date", lambda r: r.contract.end_date),
    Column("auto_renew", lambda r: _yes_no(r.contract.auto_renew)),
    Column("renewal_term_months", lambda r: r.contract.renewal_term_months),
    Column("notice_days", lambda r: r.contract.notice_days),
    Column("annual_value", lambda r: r.contract.annual_value),
    Column("currency", lambda r: r.contract.currency),
    Column("renewal_date", lambda r: r.facts.renewal_date),
    Column("notice_deadline", lambda r: r.facts.notice_deadline),
    Column("days_to_notice_deadline", lambda r: r.facts.days_to_notice_deadline),
    Column("status", lambda r: r.facts.status),
    Column("billing_frequency", lambda r: r.contract.billing_frequency),
    Column("cancellation_method", lambda r: r.contract.cancellation_method),
    Column("owner", lambda r: r.contract.owner.name),
]


@dataclass
class VendorSummary:
    vendor: Vendor
    rows: list[dates.Row]

    @property
    def next(self) -> dates.Row | None:
        return dates.next_deadline(self.rows)

    @property
    def most_urgent(self) -> dates.Row | None:
        if not self.rows:
            return None
        return min(self.rows, key=dates.urgency)


VENDOR_COLUMNS = [
    Column("vendor", lambda s: s.vendor.name),
    Column("category", lambda s: s.vendor.get_category_display()),
    Column("website", lambda s: s.vendor.website),
    Column("account_manager", lambda s: s.vendor.account_manager),
    Column("owner", lambda s: s.vendor.owner.name),
    Column("contracts", lambda s: len(s.rows)),
    Column("next_notice_deadline", lambda s: s.next.facts.notice_deadline if s.next else None),
    Column("status", lambda s: s.most_urgent.facts.status if s.most_urgent else ""),
    Column("notes", lambda s: s.vendor.notes),
]


class ContractCrud(Crud):
    """Crud's create, edit and history, with the vendor preselected and old documents removed."""

    def _form(self, request, instance=None):
        form = super()._form(request, instance)
        form.old_document = instance.document.name if instance is not None else ""
        if instance is None and request.method == "GET":
            form.initial["currency"] = request.client.currency
            vendor_pk = request.GET.get("vendor", "")
            vendor = Vendor.objects.filter(pk=vendor_pk).first() if vendor_pk.isdigit() else None
            if vendor is not None:
                form.initial.update({"vendor": vendor.pk, "owner": vendor.owner_id})
        return form

    def _save(self, request, form, verb):
        response = super()._save(request, form, verb)
        if form.old_document and form.instance.document.name != form.old_document:
            form.instance.document.storage.delete(form.old_document)
        return response


VENDORS = Crud(
    model=Vendor,
    form_class=VendorForm,
    kind="vendor",
    title="Vendors",
    columns=VENDOR_COLUMNS,
    namespace="vendors",
)
CONTRACTS = ContractCrud(
    model=Contract,
    form_class=ContractForm,
    kind="contract",
    title="Contracts",
    columns=CONTRACT_COLUMNS,
    namespace="vendors",
)


def _contract_rows(request, **filters) -> list[dates.Row]:
    contracts = Contract.objects.filter(**filters).select_related("vendor", "owner")
    return dates.rows(contracts, request.client.today())


def _summaries(request, q: str = "") -> list[VendorSummary]:
    vendors = Vendor.objects.select_related("owner")
    if q:
        vendors = vendors.filter(name__icontains=q)
    by_vendor: dict[int, list[dates.Row]] = {}
    for row in _contract_rows(request):
        by_vendor.setdefault(row.contract.vendor_id, []).append(row)
    return [VendorSummary(v, by_vendor.get(v.pk, [])) for v in vendors]


# --- vendors ------------------------------------------------------------------------------------


@client_view(Level.READ)
def vendor_list(request, client_slug):
    q = request.GET.get("q", "").strip()
    summaries = _summaries(request, q)
    context = {
        "summaries": summaries,
        "q": q,
        "can_write": request.access >= Level.PRACTICE,
        "attention": sum(1 for s in summaries for r in s.rows if r.facts.needs_attention),
    }
    template = "vendors/vendor_list.html" + ("#rows" if request.htmx else "")
    return render(request, template, context)


@client_view(Level.READ)
def vendor_export(request, client_slug):
    summaries = _summaries(request, request.GET.get("q", "").strip())
    filename = f"{request.client.slug}-vendors"
    return export_response(request.GET.get("format", "csv"), filename, VENDOR_COLUMNS, summaries)


@client_view(Level.READ, Vendor)
def vendor_detail(request, client_slug, pk):
    vendor = get_for_client_or_404(Vendor, pk=pk)
    rows = _contract_rows(request, vendor=vendor)
    policies = {p.contract_id: p for p in SLAPolicy.objects.filter(contract__vendor=vendor)}
    context = {
        "vendor": vendor,
        "rows": [(row, policies.get(row.contract.pk)) for row in rows],
        "mapping_count": PriorityMapping.objects.filter(vendor=vendor).count(),
        "can_write": request.access >= Level.PRACTICE,
    }
    return render(request, "vendors/vendor_detail.html", context)


# --- contracts ----------------------------------------------------------------------------------


@client_view(Level.READ)
def contract_list(request, client_slug):
    sort = request.GET.get("sort", "notice")
    status = request.GET.get("status", "")
    rows = dates.sort_rows(_contract_rows(request), sort)
    counts = dict.fromkeys(dates.STATUS_LABELS, 0)
    for row in rows:
        counts[row.facts.status] += 1
    if status in dates.STATUS_LABELS:
        rows = [r for r in rows if r.facts.status == status]
    context = {
        "rows": rows,
        "sort": sort if sort in dates.SORTS else "notice",
        "status": status,
        "statuses": [(k, label, counts[k]) for k, label in dates.STATUS_LABELS.items()],
        "can_write": request.access >= Level.PRACTICE,
        "today": request.client.today(),
    }
    template = "vendors/contract_list.html" + ("#rows" if request.htmx else "")
    return render(request, template, context)


@client_view(Level.READ)
def contract_export(request, client_slug):
    rows = _contract_rows(request)
    filename = f"{request.client.slug}-contracts"
    return export_response(request.GET.get("format", "csv"), filename, CONTRACT_COLUMNS, rows)


@client_view(Level.READ, Contract)
def contract_detail(request, client_slug, pk):
    contract = get_for_client_or_404(Contract, pk=pk)
    policy = SLAPolicy.objects.filter(contract=contract).first()
    context = {
        "contract": contract,
        "facts": dates.facts(contract, request.client.today()),
        "policy": policy,
        "holidays": list(policy.holidays.all()) if policy else [],
        "weekdays": ", ".join(
            name for d, name in WEEKDAYS if policy and int(d) in policy.weekday_set()
        ),
        "targets": [(p, *policy.targets()[p]) for p, _ in PRIORITIES] if policy else [],
        "document_name": _document_name(contract),
        "can_write": request.access >= Level.PRACTICE,
    }
    return render(request, "vendors/contract_detail.html", context)


@client_view(Level.PRACTICE, Contract)
def contract_delete(request, client_slug, pk):
    contract = get_for_client_or_404(Contract, pk=pk)
    if request.method == "POST":
        document = contract.document.name
        with transaction.atomic():
            policy = SLAPolicy.objects.filter(contract=contract).first()
            if policy is not None:
                policy.delete()  # its holidays go with it
            contract.delete()
        if document:
            contract.document.storage.delete(document)
        messages.success(request, f"Contract “{contract}” deleted.")
        return redirect("vendors:contract-list", client_slug=client_slug)
    return render(
        request,
        "core/confirm_delete.html",
        {"object": contract, "cancel_url": CONTRACTS.url(request.client, "list")},
    )


def _document_name(contract: Contract) -> str:
    """The uploaded file's own name, without the storage's random prefix."""
    if not contract.document:
        return ""
    return re.sub(r"^[0-9a-f]{16}-", "", PurePath(contract.document.name).name)


@client_view(Level.READ, Contract)
def contract_document(request, client_slug, pk):
    """The contract's document, only through the client's membership (never from /media/)."""
    contract = get_for_client_or_404(Contract, pk=pk)
    if not contract.document:
        return render(request, "vendors/contract_no_document.html", {"contract": contract})
    try:
        handle = contract.document.open("rb")
    except FileNotFoundError as exc:
        raise Http404("The document is missing from storage") from exc
    response = FileResponse(handle, as_attachment=True, filename=_document_name(contract))
    response["Cache-Control"] = "private, no-store"
    return response


@client_view(Level.PRACTICE, Contract)
def sla_edit(request, client_slug, pk):
    contract = get_for_client_or_404(Contract, pk=pk)
    policy = SLAPolicy.objects.filter(contract=contract).first() or SLAPolicy(
        contract=contract, client=request.client, time_zone=request.client.time_zone
    )
    data = request.POST if request.method == "POST" else None
    form = SLAPolicyForm(data, instance=policy)
    holidays = HolidayFormSet(data, instance=policy, prefix="holidays")
    if data is not None and form.is_valid() and holidays.is_valid():
        with transaction.atomic():
            policy = form.save()
            holidays.instance = policy
            holidays.save()
        messages.success(request, f"SLA policy of “{contract}” saved.")
        return redirect("vendors:contract-detail", client_slug=client_slug, pk=contract.pk)
    target_fields = [
        (label, form[f"{p.lower()}_response_minutes"], form[f"{p.lower()}_resolution_minutes"])
        for p, label in PRIORITIES
    ]
    context = {
        "contract": contract,
        "form": form,
        "holidays": holidays,
        "policy": policy,
        "target_fields": target_fields,
    }
    return render(request, "vendors/sla_edit.html", context)


# --- priority mappings --------------------------------------------------------------------------


def _priority_helpers():
    """default_priority(label) and apply_mappings(vendor) from vendors.priorities, if present."""
    try:
        from ciodesk.vendors.priorities import apply_mappings, default_priority
    except ImportError:  # the ticket import's module has not landed yet: a minimal stand-in
        return _fallback_default_priority, _fallback_apply_mappings
    return default_priority, apply_mappings


def _fallback_default_priority(label: str) -> str:
    match = re.match(r"\s*(?:p|priority\s*)?([1-4])\b", label or "", re.IGNORECASE)
    return f"P{match[1]}" if match else ""


def _fallback_apply_mappings(vendor: Vendor) -> int:
    changed = 0
    for mapping in PriorityMapping.objects.filter(vendor=vendor):
        changed += (
            Ticket.objects.filter(vendor=vendor, priority_label__iexact=mapping.label)
            .exclude(priority=mapping.priority)
            .update(priority=mapping.priority)
        )
    return changed


@client_view(Level.PRACTICE, Vendor)
def priority_mappings(request, client_slug, pk):
    vendor = get_for_client_or_404(Vendor, pk=pk)
    default_priority, apply_mappings = _priority_helpers()
    seen = dict(
        Ticket.objects.filter(vendor=vendor)
        .values("priority_label")
        .annotate(n=Count("id"))
        .values_list("priority_label", "n")
    )
    mappings = {m.label.casefold(): m for m in PriorityMapping.objects.filter(vendor=vendor)}
    labels = sorted(
        {label for label in seen if label} | {m.label for m in mappings.values()}, key=str.casefold
    )
    initial = [
        {"label": label, "priority": getattr(mappings.get(label.casefold()), "priority", "")}
        for label in labels
    ]
    formset = PriorityMappingFormSet(
        request.POST if request.method == "POST" else None, initial=initial, prefix="labels"
    )
    if request.method == "POST" and formset.is_valid():
        with transaction.atomic():
            for data in formset.cleaned_data:
                label = (data.get("label") or "").strip()
                if not label:
                    continue
                existing = mappings.get(label.casefold())
                if data.get("priority"):
                    if existing is None:
                        PriorityMapping.objects.create(
                            vendor=vendor, label=label, priority=data["priority"]
                        )
                    elif existing.priority != data["priority"]:
                        existing.priority = data["priority"]
                        existing.save()
                elif existing is not None:
                    existing.delete()
            changed = apply_mappings(vendor)
        messages.success(
            request, f"Priority mapping of {vendor} saved; {changed} ticket(s) re-prioritised."
        )
        return redirect("vendors:priority-mappings", client_slug=client_slug, pk=vendor.pk)
    rows = [
        (form, seen.get(form.initial.get("label"), 0), default_priority(form.initial["label"]))
        if form.initial.get("label")
        else (form, None, "")
        for form in formset.forms
    ]
    context = {"vendor": vendor, "formset": formset, "rows": rows, "has_labels": bool(labels)}
    return render(request, "vendors/vendor_priorities.html", context)


# --- import -------------------------------------------------------------------------------------


@client_view(Level.PRACTICE)
def contract_import(request, client_slug):
    form = ContractImportForm(request.POST or None, request.FILES or None)
    errors: list[str] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        result = import_contracts(request.client, upload, upload.name, user=request.user)
        if result.ok:
            messages.success(request, result.summary())
            return redirect("vendors:contract-list", client_slug=client_slug)
        errors = result.errors
    context = {"form": form, "errors": errors, "currencies": sorted(CURRENCY_CODES)}
    return render(request, "vendors/contract_import.html", context)
