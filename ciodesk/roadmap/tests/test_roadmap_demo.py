"""The demo: each client's findings on a roadmap over six quarters, with goals, costs and a
history since the last review (moved, re-costed, dropped, added); running it again adds
nothing."""

from __future__ import annotations

from django.core.management import call_command

from ciodesk.core.scope import scope
from ciodesk.roadmap import planning
from ciodesk.roadmap.demo import NEW_ITEM
from ciodesk.roadmap.models import Goal, RoadmapItem, RoadmapItemVersion, RoadmapReview
from ciodesk.roadmap.services_history import changes_since, default_since
from ciodesk.tenancy.models import Client


def totals():
    return (
        Goal.unscoped.count(),
        RoadmapItem.unscoped.count(),
        RoadmapItemVersion.unscoped.count(),
        RoadmapReview.unscoped.count(),
    )


def test_the_demo_roadmaps(db):
    call_command("demo", password="demo-pass-2026")
    first = totals()
    seen = 0
    for slug in ("harbor-cpa", "bright-smile", "pacific-fab"):
        client = Client.objects.get(slug=slug)
        with scope(client):
            seen += 1
            assert 2 <= Goal.objects.count() <= 3
            items = list(RoadmapItem.objects.all())
            assert len(items) >= 6
            slots = {(i.fiscal_year, i.quarter) for i in items if i.quarter}
            assert len(slots) >= 6, slots
            assert all(i.one_time_cost > 0 for i in items)
            assert any(i.recurring_cost > 0 for i in items)
            assert all(i.findings.exists() for i in items if i.title != NEW_ITEM)
            since, review = default_since(client)
            assert review is not None
            assert review.reviewed_on < planning.current_quarter(client).start
            diff = changes_since(client, since)
            assert [c.now.title for c in diff.added] == [NEW_ITEM]
            assert len(diff.moved) == 2
            assert len(diff.recosted) == 2
            assert len(diff.dropped) == 1
    assert seen == 3

    call_command("demo", password="demo-pass-2026")
    assert totals() == first
