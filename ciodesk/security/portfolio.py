"""The security figures on the portfolio: registered with ciodesk.core.figures.

Stale controls per client: one query for every client shown (the staleness depends on each
client's today, so the comparison is done in Python on the few columns it needs).
"""

from __future__ import annotations

from collections import Counter

from django.urls import NoReverseMatch, reverse

from ciodesk.core.figures import Figure, register
from ciodesk.security.state import IN_PLACE, PARTIAL, STALE, effective_status


def _dashboard_url(client) -> str:
    try:
        return reverse("security:dashboard", kwargs={"client_slug": client.slug})
    except NoReverseMatch:
        return ""


def stale_counts(clients) -> Counter:
    """{client id: number of stale controls} for the given clients, in one query."""
    from ciodesk.security.models import ClientControl

    today = {client.pk: client.today() for client in clients}
    counts: Counter = Counter()
    # Explicit cross-client read for the portfolio: limited to the clients on the page.
    rows = ClientControl.unscoped.filter(
        client__in=list(today), status__in=[IN_PLACE, PARTIAL]
    ).values_list("client_id", "status", "last_verified_on", "definition__interval_days")
    for client_id, status, verified, interval in rows:
        if effective_status(status, verified, interval, today[client_id]) == STALE:
            counts[client_id] += 1
    return counts


@register("security.stale-controls", order=400)
def stale_controls(clients):
    counts = stale_counts(clients)
    figures = {}
    for client in clients:
        n = counts.get(client.pk, 0)
        if not n:
            continue
        figures[client.pk] = Figure(
            "Security",
            f"{n} stale control{'s' if n != 1 else ''}",
            attention=True,
            url=_dashboard_url(client),
            detail="evidence older than its re-verification interval",
        )
    return figures
