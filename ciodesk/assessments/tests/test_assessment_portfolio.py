"""The portfolio figure: each client's latest completed assessment, flagged when risky."""

from __future__ import annotations

import datetime

from ciodesk.assessments.models import Assessment
from ciodesk.assessments.portfolio import latest_rating
from ciodesk.core.scope import acting_as, scope


def finish(world, client, title, day, rating, score):
    template = world.records["a"]["assessments"].template
    owner = world.records["a" if client == world.a else "b"]["people"]
    with scope(client), acting_as("test setup"):
        return Assessment.objects.create(
            template=template,
            title=title,
            owner=owner,
            started_on=day,
            completed_on=day,
            status="complete",
            score=score,
            rating=rating,
        )


def test_the_latest_completed_assessment_per_client(world, django_assert_num_queries):
    finish(world, world.a, "2025", datetime.date(2025, 10, 1), "Critical", "31.0")
    latest = finish(world, world.a, "2026", datetime.date(2026, 10, 1), "Moderate", "66.4")
    finish(world, world.b, "2026", datetime.date(2026, 9, 1), "High", "52.0")
    with django_assert_num_queries(1):
        figures = latest_rating([world.a, world.b])
    a, b = figures[world.a.pk], figures[world.b.pk]
    assert (a.value, a.attention, a.detail) == ("Moderate risk", False, "score 66.4 on 2026-10-01")
    assert a.url == f"/c/alpha/assessments/{latest.pk}/"
    assert (b.value, b.attention) == ("High risk", True)


def test_no_completed_assessment_no_figure(world):
    # The test records' assessments are in progress.
    assert latest_rating([world.a, world.b]) == {}


def test_the_portfolio_shows_it(world, as_user):
    finish(world, world.a, "2026", datetime.date(2026, 10, 1), "Critical", "35.5")
    page = as_user(world.lead).get("/").content.decode()
    assert "Critical risk" in page and "score 35.5 on 2026-10-01" in page
