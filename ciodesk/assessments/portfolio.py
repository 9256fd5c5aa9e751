"""The assessments figure on the portfolio: registered with ciodesk.core.figures.

Each client's latest completed assessment: its rating and date, needing attention when the
rating is High or Critical. One query for every client shown.
"""

from __future__ import annotations

from django.db.models import OuterRef, Subquery
from django.urls import NoReverseMatch, reverse

from ciodesk.core.figures import Figure, register

ATTENTION = {"High", "Critical"}


def latest_completed(clients) -> dict[int, tuple]:
    """{client id: (assessment pk, rating, score, completed_on)} in one query."""
    from ciodesk.assessments.models import Assessment

    ids = [c.pk for c in clients]
    # Explicit cross-client read for the portfolio, limited to the clients on the page.
    newest = (
        Assessment.unscoped.filter(client_id=OuterRef("client_id"), status="complete")
        .order_by("-completed_on", "-pk")
        .values("pk")[:1]
    )
    rows = Assessment.unscoped.filter(client_id__in=ids, pk=Subquery(newest)).values_list(
        "client_id", "pk", "rating", "score", "completed_on"
    )
    return {client_id: rest for client_id, *rest in rows}


def _url(client, pk) -> str:
    try:
        return reverse(
            "assessments:assessment-detail", kwargs={"client_slug": client.slug, "pk": pk}
        )
    except NoReverseMatch:
        return ""


@register("assessments.latest-rating", order=300)
def latest_rating(clients):
    latest = latest_completed(clients)
    figures = {}
    for client in clients:
        found = latest.get(client.pk)
        if found is None:
            continue
        pk, rating, score, completed_on = found
        figures[client.pk] = Figure(
            "Assessment",
            f"{rating} risk" if rating else "complete",
            attention=rating in ATTENTION,
            url=_url(client, pk),
            detail=f"score {score} on {completed_on:%Y-%m-%d}" if score is not None else "",
        )
    return figures
