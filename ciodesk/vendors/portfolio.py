"""Figures vendors contribute to the portfolio and the client home: renewals, escalations.

Each provider runs one query for all the clients shown and computes the rest in Python
(the contract status depends on each client's today).
"""

from __future__ import annotations

from collections import defaultdict

from django.urls import NoReverseMatch, reverse

from ciodesk.core.figures import Figure, register
from ciodesk.vendors import contracts as dates


def _url(name: str, client, fallback: str = "vendors:vendor-list") -> str:
    for candidate in (name, fallback):
        try:
            return reverse(candidate, kwargs={"client_slug": client.slug})
        except NoReverseMatch:
            continue
    return ""


@register("vendors.renewals", order=300)
def renewals(clients):
    from ciodesk.vendors.models import Contract

    by_client = defaultdict(list)
    # Explicit cross-client read for the portfolio: limited to the clients on the page.
    for contract in (
        Contract.unscoped.filter(client__in=clients)
        .select_related("vendor")
        .only(
            "client_id",
            "title",
            "end_date",
            "auto_renew",
            "renewal_term_months",
            "notice_days",
            "vendor__name",
        )
    ):
        by_client[contract.client_id].append(contract)
    figures = {}
    for client in clients:
        items = by_client.get(client.pk)
        if not items:
            continue
        rows = dates.rows(items, client.today())
        urgent = [r for r in rows if r.facts.status in (dates.ACT_NOW, dates.LOCKED_IN)]
        act_now = [r for r in rows if r.facts.status == dates.ACT_NOW]
        locked = len(urgent) - len(act_now)
        details = [f"{locked} locked in"] if locked else []
        nearest = dates.next_deadline(rows)
        if nearest is not None and nearest.facts.days_to_notice_deadline >= 0:
            days = nearest.facts.days_to_notice_deadline
            when = "today" if days == 0 else f"in {days} day{'s' if days != 1 else ''}"
            details.append(
                f"next notice deadline {nearest.facts.notice_deadline:%Y-%m-%d} ({when}): "
                f"{nearest.contract.vendor.name}"
            )
        figures[client.pk] = Figure(
            "Renewals",
            str(len(urgent)),
            attention=bool(act_now),
            url=_url("vendors:contract-list", client),
            detail=" · ".join(details),
        )
    return figures


@register("vendors.escalations", order=310)
def open_escalations(clients):
    from ciodesk.vendors.models import Escalation

    due_by_client = defaultdict(list)
    # Explicit cross-client read for the portfolio: limited to the clients on the page.
    for client_id, due in Escalation.unscoped.filter(
        client__in=clients, resolved_on__isnull=True
    ).values_list("client_id", "due"):
        due_by_client[client_id].append(due)
    figures = {}
    for client in clients:
        dues = due_by_client.get(client.pk)
        if not dues:
            continue
        today = client.today()
        overdue = sum(1 for due in dues if due is not None and due < today)
        figures[client.pk] = Figure(
            "Open escalations",
            str(len(dues)),
            attention=overdue > 0,
            url=_url("vendors:escalation-list", client),
            detail=f"{overdue} past due" if overdue else "",
        )
    return figures
