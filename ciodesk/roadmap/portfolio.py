"""The roadmap figure on the portfolio: registered with ciodesk.core.figures.

Roadmap — items planned for the client's current fiscal quarter that have not started
(proposed or approved), out of those planned for it; attention when an item planned for a
quarter that has ended is neither done nor dropped. One query for every client shown.
"""

from __future__ import annotations

from collections import defaultdict

from django.urls import NoReverseMatch, reverse

from ciodesk.core.figures import Figure, register
from ciodesk.reports.periods import quarter_of, start_month_of

NOT_STARTED = {"proposed", "approved"}


def _url(client) -> str:
    try:
        return reverse("roadmap:board", kwargs={"client_slug": client.slug})
    except NoReverseMatch:
        return ""


@register("roadmap.quarter", order=450)
def this_quarter(clients):
    from ciodesk.roadmap.models import RoadmapItem

    rows = defaultdict(list)
    # Explicit cross-client read for the portfolio: limited to the clients on the page.
    for client_id, fy, q, status in (
        RoadmapItem.unscoped.filter(client__in=clients, quarter__isnull=False)
        .exclude(status__in=["done", "dropped"])
        .values_list("client_id", "fiscal_year", "quarter", "status")
    ):
        rows[client_id].append((fy, q, status))
    figures = {}
    for client in clients:
        items = rows.get(client.pk)
        if not items:
            continue
        now = quarter_of(client.today(), start_month_of(client))
        slot = (now.fiscal_year, now.quarter)
        planned = [s for fy, q, s in items if (fy, q) == slot]
        overdue = sum(1 for fy, q, _ in items if fy and (fy, q) < slot)
        not_started = sum(1 for s in planned if s in NOT_STARTED)
        if not planned and not overdue:
            continue
        figures[client.pk] = Figure(
            f"Roadmap {now.label}",
            f"{not_started} of {len(planned)} not started",
            attention=overdue > 0,
            url=_url(client),
            detail=f"{overdue} overdue from earlier quarters" if overdue else "",
        )
    return figures
