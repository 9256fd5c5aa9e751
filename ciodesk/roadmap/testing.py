"""One of each roadmap record for the URL sweep and the canary crawl (called by conftest)."""

from __future__ import annotations

import datetime

from django.utils import timezone


def make_roadmap_records(client, person, text: str = "") -> dict:
    """One of each roadmap record for `client`, every text field carrying `text`."""
    from ciodesk.core.scope import scope
    from ciodesk.roadmap import models as m

    with scope(client):
        goal = m.Goal.objects.create(
            text="Open a second office in Q3" + text, owner=person, detail="d" + text
        )
        item = m.RoadmapItem.objects.create(
            title="Enforce MFA" + text,
            why="Stolen passwords" + text,
            owner=person,
            fiscal_year=2027,
            quarter=1,
            one_time_cost="1200.00",
            recurring_cost="600.00",
        )
        item.goals.add(goal)
        weights, _ = m.PriorityWeights.objects.get_or_create()
        version = m.RoadmapItemVersion.objects.create(
            item_id_ref=item.pk,
            valid_from=timezone.now(),
            data={"title": "Enforce MFA" + text},
        )
        review = m.RoadmapReview.objects.create(
            reviewed_on=datetime.date(2026, 10, 1), note="Quarterly" + text, owner=person
        )
    return {
        "goals": goal,
        "roadmap_items": item,
        "priority_weights": weights,
        "roadmap_versions": version,
        "roadmap_reviews": review,
    }
