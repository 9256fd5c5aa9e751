"""The budget figure on the portfolio and the client home: IT spend this fiscal year,
against the budget, with the run-rate forecast (two queries for all clients shown)."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from django.urls import NoReverseMatch, reverse

from ciodesk.budget.fiscal import fiscal_year
from ciodesk.budget.money import CENT, ZERO, cents_sum, from_cents
from ciodesk.core.figures import Figure, register
from ciodesk.core.templatetags.ciodesk import money


def _url(client) -> str:
    try:
        return reverse("budget:overview", kwargs={"client_slug": client.slug})
    except NoReverseMatch:
        return ""


@register("budget.spend", order=400)
def spend(clients):
    from ciodesk.budget.models import BudgetLine, LedgerLine

    years = {client.pk: fiscal_year(client) for client in clients}
    first = min(fy.start for fy in years.values())
    last = max(fy.end for fy in years.values())
    # Explicit cross-client reads for the portfolio, limited to the clients on the page.
    by_day = (
        LedgerLine.unscoped.filter(
            client__in=clients, date__gte=first, date__lte=last, category__is_spend=True
        )
        .values("client_id", "date", "currency")
        .annotate(cents=cents_sum())
        .order_by()
    )
    actual: dict[int, Decimal] = defaultdict(lambda: ZERO)
    ended: dict[int, Decimal] = defaultdict(lambda: ZERO)
    currency = {client.pk: client.currency for client in clients}
    today = {client.pk: client.today() for client in clients}
    for row in by_day:
        pk = row["client_id"]
        fy = years[pk]
        if row["currency"] != currency[pk] or not fy.contains(row["date"]):
            continue
        amount = from_cents(row["cents"])
        actual[pk] += amount
        if fy.index_of(row["date"]) < fy.completed_months(today[pk]):
            ended[pk] += amount
    budgets = (
        BudgetLine.unscoped.filter(client__in=clients)
        .values("client_id", "budget__fiscal_year", "currency")
        .annotate(cents=cents_sum())
        .order_by()
    )
    budget: dict[int, Decimal] = {}
    for row in budgets:
        pk = row["client_id"]
        if row["budget__fiscal_year"] == years[pk].year and row["currency"] == currency[pk]:
            budget[pk] = budget.get(pk, ZERO) + from_cents(row["cents"])
    figures = {}
    for client in clients:
        pk = client.pk
        if pk not in actual and pk not in budget:
            continue
        fy = years[pk]
        done = fy.completed_months(today[pk])
        forecast = (ended[pk] * 12 / done).quantize(CENT) if done else None
        details = []
        if pk in budget:
            details.append(f"budget {money(budget[pk], client.currency)}")
        if forecast is not None:
            details.append(f"run-rate {money(forecast, client.currency)}")
        over = forecast is not None and pk in budget and forecast > budget[pk]
        figures[pk] = Figure(
            f"IT spend {fy.label}",
            money(actual[pk], client.currency),
            attention=over,
            url=_url(client),
            detail=" · ".join(details),
        )
    return figures
