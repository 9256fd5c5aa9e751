"""One of each roadmap record for the URL sweep and the canary crawl (called by conftest)."""

from __future__ import annotations

import datetime

from django.utils import timezone


def make_roadmap_records(client, person, text: str = "") -> dict:
    """One of each roadmap record for `client`, every text field carrying `text`."""
    from ciodesk.core.scope import scope
    from ciodesk.roadmap import models as m
    from ciodesk.roadmap.services import record_version

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
        # Planned well before any test's "since", so it is never counted as added.
        version = record_version(item, when=timezone.make_aware(datetime.datetime(2026, 1, 5, 9)))
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
