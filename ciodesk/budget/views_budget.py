"""The budget's landing page, budget vs actual for a fiscal year (with exports), and
setting a year's amounts per category."""

from __future__ import annotations

from operator import itemgetter

from django.contrib import messages
from django.db.models import Sum
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse

from ciodesk.budget.fiscal import fiscal_year
from ciodesk.budget.forms import PlanForm
from ciodesk.budget.models import LedgerLine, MatchRule, SpendImport
from ciodesk.budget.services_budget import (
    actual_by_category,
    annual_amounts,
    budget_view,
    set_annual_amounts,
    tables,
)
from ciodesk.budget.services_matching import ensure_categories
from ciodesk.core.exports import Column, export_response
from ciodesk.tenancy.access import Level
from ciodesk.tenancy.models import Person
from ciodesk.tenancy.permissions import client_view


def _year(request) -> int | None:
    """The fiscal year asked for in the address (?fy=2027), or None for the current one."""
    value = request.GET.get("fy", "")
    if value.isdigit() and 2000 <= int(value) <= 2100:
        return int(value)
    return None


@client_view(Level.READ)
def overview(request, client_slug):
    view = budget_view(request.client)
    context = {
        "view": view,
        "categories": tables(view)["categories"],
        "actual_to_date": view.to_date(view.total.actual),
        "forecast": view.forecast(view.total),
        "last_import": SpendImport.objects.select_related("imported_by").first(),
        "queue_count": LedgerLine.objects.filter(category__isnull=True).count(),
        "rule_count": MatchRule.objects.count(),
        # The lines imported, from the imports' own counts: counting a ledger of years
        # row by row would cost more than the rest of the page.
        "line_count": SpendImport.objects.filter(status="done").aggregate(n=Sum("created_count"))[
            "n"
        ]
        or (1 if LedgerLine.objects.exists() else 0),
    }
    return render(request, "budget/overview.html", context)


@client_view(Level.READ)
def budget_year(request, client_slug):
    view = budget_view(request.client, _year(request))
    context = {
        "view": view,
        "tables": tables(view),
        "previous": view.fy.year - 1,
        "next": view.fy.year + 1,
    }
    return render(request, "budget/budget_year.html", context)


@client_view(Level.READ)
def budget_year_export(request, client_slug):
    view = budget_view(request.client, _year(request))
    table = tables(view).get(request.GET.get("table", "categories"))
    if table is None:
        raise Http404("No such table")
    columns = [Column(header, itemgetter(i)) for i, header in enumerate(table.headers)]
    filename = f"{request.client.slug}-fy{view.fy.year}-{table.key}"
    return export_response(request.GET.get("format", "csv"), filename, columns, table.rows)


@client_view(Level.PRACTICE)
def budget_plan(request, client_slug):
    """One annual amount per category for a fiscal year, with last year's actual beside."""
    year = _year(request) or fiscal_year(request.client).year
    categories = [c for c in ensure_categories() if c.is_spend]
    current = annual_amounts(year)
    last_year = actual_by_category(request.client, year - 1)
    owner = Person.objects.filter(client=request.client).order_by("name").first()
    initial = {f"amount_{pk}": amount for pk, amount in current.items()}
    initial["owner"] = owner.pk if owner else None
    form = PlanForm(categories, request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        _, changed = set_annual_amounts(
            request.client, year, form.cleaned_data["owner"], form.amounts()
        )
        messages.success(request, f"FY{year} budget saved ({changed} amounts changed).")
        return redirect(reverse("budget:budget-year", args=[client_slug]) + f"?fy={year}")
    rows = [
        (field, last_year.get(c.pk))
        for field, c in zip(form.amount_fields(), categories, strict=True)
    ]
    context = {"form": form, "rows": rows, "fy": fiscal_year(request.client, year)}
    return render(request, "budget/budget_plan.html", context)
