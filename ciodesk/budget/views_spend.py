"""The ledger: spend lines with filters and export, the queue of unmatched lines, and
classifying a line (which offers to save a rule from it)."""

from __future__ import annotations

import datetime
from urllib.parse import urlencode

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, Max, Min, Q
from django.http import HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse

from ciodesk.budget.forms import ClassifyForm
from ciodesk.budget.models import Category, LedgerLine, MatchRule
from ciodesk.budget.money import cents_sum, from_cents
from ciodesk.budget.services_matching import apply_rules, classify_line, ensure_categories
from ciodesk.core.exports import Column, export_response
from ciodesk.tenancy.access import Level
from ciodesk.tenancy.models import Person
from ciodesk.tenancy.permissions import client_view, get_for_client_or_404
from ciodesk.vendors.models import Vendor

PAGE_SIZE = 100
SEARCHED = ("payee", "memo", "account", "number", "transaction_type")


def _how(line: LedgerLine) -> str:
    if line.category_id is None:
        return "in the queue"
    if line.manually_classified:
        return "by hand"
    return f"rule: {line.matched_by}" if line.matched_by_id else "from the vendor"


LINE_COLUMNS = [
    Column("Date", lambda ln: ln.date),
    Column("Type", lambda ln: ln.transaction_type),
    Column("Number", lambda ln: ln.number),
    Column("Payee", lambda ln: ln.payee),
    Column("Memo", lambda ln: ln.memo),
    Column("Account", lambda ln: ln.account),
    Column("Split", lambda ln: ln.split),
    Column("Amount", lambda ln: ln.amount),
    Column("Currency", lambda ln: ln.currency),
    Column("Category", lambda ln: ln.category.name if ln.category_id else ""),
    Column("Vendor", lambda ln: ln.vendor.name if ln.vendor_id else ""),
    Column("Classified", _how),
]


def _filtered(request):
    """The lines the query string asks for: q, category (an id or "none"), vendor, from, to."""
    lines = LedgerLine.objects.select_related("category", "vendor", "matched_by")
    q = request.GET.get("q", "").strip()
    if q:
        condition = Q()
        for name in SEARCHED:
            condition |= Q(**{f"{name}__icontains": q})
        lines = lines.filter(condition)
    category = request.GET.get("category", "")
    if category == "none":
        lines = lines.filter(category__isnull=True)
    elif category.isdigit():
        lines = lines.filter(category_id=int(category))
    vendor = request.GET.get("vendor", "")
    if vendor.isdigit():
        lines = lines.filter(vendor_id=int(vendor))
    for key, lookup in (("from", "date__gte"), ("to", "date__lte")):
        try:
            day = datetime.date.fromisoformat(request.GET.get(key, ""))
        except ValueError:
            continue  # absent or malformed in the address: no bound
        lines = lines.filter(**{lookup: day})
    return lines


@client_view(Level.READ)
def spend_list(request, client_slug):
    lines = _filtered(request)
    page = Paginator(lines.order_by("-date", "pk"), PAGE_SIZE).get_page(request.GET.get("page"))
    totals = lines.aggregate(cents=cents_sum(), count=Count("pk"))
    context = {
        "page": page,
        "total": from_cents(totals["cents"]),
        "count": totals["count"],
        "categories": ensure_categories(),
        "vendors": Vendor.objects.only("pk", "name"),
        "filters": {k: request.GET.get(k, "") for k in ("q", "category", "vendor", "from", "to")},
        "query": urlencode({k: v for k, v in request.GET.items() if k != "page"}),
        "any_lines": LedgerLine.objects.exists(),
    }
    return render(request, "budget/spend_list.html", context)


@client_view(Level.READ)
def spend_export(request, client_slug):
    filename = f"{request.client.slug}-spend"
    lines = _filtered(request).order_by("-date", "pk")
    return export_response(request.GET.get("format", "csv"), filename, LINE_COLUMNS, lines)


# --- the queue -----------------------------------------------------------------------------

QUEUE_COLUMNS = [
    Column("Payee", lambda g: g["payee"]),
    Column("Account", lambda g: g["account"]),
    Column("Lines", lambda g: g["lines"]),
    Column("Total", lambda g: from_cents(g["cents"])),
    Column("First", lambda g: g["first_date"]),
    Column("Last", lambda g: g["last_date"]),
]


def _queue_groups():
    """Unmatched lines grouped by payee and account, the largest groups first."""
    return (
        LedgerLine.objects.filter(category__isnull=True)
        .values("payee", "account")
        .annotate(
            lines=Count("pk"),
            cents=cents_sum(),
            first_date=Min("date"),
            last_date=Max("date"),
            example=Min("pk"),
        )
        .order_by("-lines", "payee", "account")
    )


@client_view(Level.READ)
def queue(request, client_slug):
    page = Paginator(_queue_groups(), PAGE_SIZE).get_page(request.GET.get("page"))
    groups = [{**g, "total": from_cents(g["cents"])} for g in page.object_list]
    waiting = LedgerLine.objects.filter(category__isnull=True).count()
    context = {
        "page": page,
        "groups": groups,
        "waiting": waiting,
        "any_lines": waiting > 0 or LedgerLine.objects.exists(),
    }
    return render(request, "budget/queue_list.html", context)


@client_view(Level.READ)
def queue_export(request, client_slug):
    filename = f"{request.client.slug}-spend-queue"
    return export_response(
        request.GET.get("format", "csv"), filename, QUEUE_COLUMNS, _queue_groups()
    )


# --- classifying one line --------------------------------------------------------------------


@client_view(Level.PRACTICE, LedgerLine)
def spend_classify(request, client_slug, pk):
    line = get_for_client_or_404(LedgerLine, pk=pk)
    ensure_categories()
    initial = {"category": line.category_id, "vendor": line.vendor_id, "offer_rule": True}
    form = ClassifyForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        category = form.cleaned_data["category"]
        vendor = form.cleaned_data["vendor"]
        classify_line(line, category, vendor, by_hand=category is not None)
        if category is None:
            changed = apply_rules()  # back to the rules' say
            messages.info(request, f"The line is back with the rules ({changed} changed).")
            return redirect("budget:queue", client_slug)
        messages.success(request, f"Classified as {category.name}.")
        if form.cleaned_data["offer_rule"]:
            return redirect(_rule_offer(request, line, category, vendor))
        return redirect("budget:queue", client_slug)
    similar = LedgerLine.objects.filter(payee=line.payee, manually_classified=False).exclude(
        pk=line.pk
    )
    context = {
        "line": line,
        "form": form,
        "similar": similar.count() if line.payee else 0,
        "how": _how(line),
    }
    return render(request, "budget/spend_classify.html", context)


def _rule_offer(request, line: LedgerLine, category: Category, vendor) -> str:
    """The new-rule form, filled from the line: its payee (or account) exactly."""
    field, pattern = ("payee", line.payee) if line.payee else ("account", line.account)
    owner = Person.objects.filter(client=request.client).order_by("name").first()
    params = {
        "field": field,
        "match_type": MatchRule.MatchType.EXACT,
        "pattern": pattern,
        "category": category.pk,
    }
    if vendor is not None:
        params["vendor"] = vendor.pk
    if owner is not None:
        params["owner"] = owner.pk
    return reverse("budget:rules-create", args=[request.client.slug]) + "?" + urlencode(params)


@client_view(Level.PRACTICE)
def rules_apply(request, client_slug):
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    changed = apply_rules()
    messages.success(
        request, f"Every rule applied again: {changed} line{'s' if changed != 1 else ''} changed."
    )
    return redirect("budget:queue", client_slug)
