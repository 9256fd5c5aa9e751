"""The forecast page, its exports (CSV/XLSX of each table) and its settings."""

from __future__ import annotations

from operator import itemgetter

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse

from ciodesk.budget.charts import money_series, stacked_bar_chart
from ciodesk.budget.forms_value import ForecastSettingsForm
from ciodesk.budget.services_forecast import COMPONENTS, Forecast, forecast, settings_for, tables
from ciodesk.core.exports import Column, export_response
from ciodesk.tenancy.access import Level
from ciodesk.tenancy.permissions import client_view


def _charts(f: Forecast) -> list:
    def described(buckets) -> str:
        return "; ".join(
            f"{b.label}: "
            + ", ".join(f"{COMPONENTS[k].lower()} {v:,.2f}" for k, v in b.amounts.items())
            + f", total {b.total:,.2f}"
            for b in buckets
        )

    def chart(ident: str, title: str, buckets) -> str:
        return stacked_bar_chart(
            ident,
            title,
            f"Forecast IT cost in {f.currency} by kind: {described(buckets)}.",
            [b.label for b in buckets],
            [
                money_series(name, [b.amounts[key] for b in buckets])
                for key, name in COMPONENTS.items()
            ],
            currency=f.currency,
        )

    first, last = f.by_year[0].label, f.by_year[-1].label
    return [
        chart("forecast-years", f"IT forecast by fiscal year, {first}–{last}", f.by_year),
        chart("forecast-quarters", f"IT forecast by quarter, {first}–{last}", f.by_quarter),
    ]


@client_view(Level.READ)
def forecast_page(request, client_slug):
    f = forecast(request.client)
    first_year = f.by_year[0]
    per_employee = f.per_employee(first_year.total)
    revenue_share = f.revenue_share(first_year.total)
    context = {
        "f": f,
        "tables": tables(f),
        "charts": _charts(f),
        "first_year": first_year,
        "last_year": f.by_year[-1],
        "first_per_employee": per_employee,
        "first_revenue_share": revenue_share,
        "employee_benchmarks": [(b, b.compare(per_employee)) for b in f.per_employee_benchmarks],
        "revenue_benchmarks": [(b, b.compare(revenue_share)) for b in f.revenue_benchmarks],
        "actual_per_employee": f.per_employee(f.actual_12_months),
        "actual_revenue_share": f.revenue_share(f.actual_12_months),
        "form": ForecastSettingsForm(instance=settings_for(request.client)),
    }
    return render(request, "budget/forecast_overview.html", context)


@client_view(Level.READ)
def forecast_export(request, client_slug):
    f = forecast(request.client)
    table = tables(f).get(request.GET.get("table", "years"))
    if table is None:
        raise Http404("No such table")
    columns = [Column(header, itemgetter(i)) for i, header in enumerate(table.headers)]
    filename = f"{request.client.slug}-forecast-{table.key}"
    return export_response(request.GET.get("format", "csv"), filename, columns, table.rows)


@client_view(Level.PRACTICE)
def forecast_settings(request, client_slug):
    settings = settings_for(request.client)
    form = ForecastSettingsForm(request.POST or None, instance=settings)
    if request.method == "POST" and form.is_valid():
        saved = form.save(commit=False)
        saved.client = request.client
        saved.save()
        messages.success(
            request,
            f"Forecast over {saved.years} fiscal year{'s' if saved.years != 1 else ''}, "
            f"prices rising {saved.escalator_pct} % a year.",
        )
        return redirect("budget:forecast", client_slug)
    return render(
        request,
        "core/form.html",
        {
            "form": form,
            "heading": "Forecast settings",
            "submit_label": "Save",
            "cancel_url": reverse("budget:forecast", args=[client_slug]),
        },
    )
