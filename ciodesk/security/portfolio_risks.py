"""The risk register's figure on the portfolio: open risks past their review date.

A risk whose review date has passed is a decision nobody has looked at since: the practice
sees "2 risks past review" next to the client. One query for all the clients shown; each
client's today (its time zone) decides what is past.
"""

from __future__ import annotations

from collections import defaultdict

from django.urls import NoReverseMatch, reverse

from ciodesk.core.figures import Figure, register


def _url(client) -> str:
    try:
        return reverse("security:risk-list", kwargs={"client_slug": client.slug})
    except NoReverseMatch:  # the security URLs not mounted (yet)
        return ""


@register("security.risks_past_review", order=420)
def risks_past_review(clients):
    from ciodesk.security.models import Risk

    reviews = defaultdict(list)
    # Explicit cross-client read for the portfolio: limited to the clients on the page.
    for client_id, review_on in Risk.unscoped.filter(
        client__in=clients, status=Risk.Status.OPEN, next_review_on__isnull=False
    ).values_list("client_id", "next_review_on"):
        reviews[client_id].append(review_on)
    figures = {}
    for client in clients:
        today = client.today()
        past = sorted(day for day in reviews.get(client.pk, ()) if day < today)
        if not past:
            continue
        n = len(past)
        figures[client.pk] = Figure(
            "Risk register",
            f"{n} risk{'s' if n != 1 else ''} past review",
            attention=True,
            url=_url(client),
            detail=f"oldest due {past[0]:%Y-%m-%d}",
        )
    return figures
