"""Open risks past their review date show on the portfolio, in a constant number of queries."""

import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext

from ciodesk.core.scope import acting_as, scope
from ciodesk.security.models import Risk
from ciodesk.security.portfolio_risks import risks_past_review


def reviews(world, client, *days_from_today, status="open"):
    today = client.today()
    with scope(client), acting_as("test setup"):
        for days in days_from_today:
            Risk.objects.create(
                title=f"Review {days}",
                owner=world.records["a" if client == world.a else "b"]["people"],
                likelihood=2,
                impact=2,
                next_review_on=today + datetime.timedelta(days=days),
                status=status,
            )


def clear_world_reviews(world):
    for client in (world.a, world.b):
        with scope(client), acting_as("test setup"):
            Risk.objects.update(next_review_on=None)


def test_two_risks_past_review_need_attention(world):
    clear_world_reviews(world)
    reviews(world, world.a, -1, -30, 0, 10)  # due today is not past yet
    reviews(world, world.a, -5, status="closed")
    figures = risks_past_review([world.a, world.b])
    figure = figures[world.a.pk]
    assert figure.value == "2 risks past review"
    assert figure.attention
    assert figure.url == "/c/alpha/security/risks/"
    thirty = world.a.today() - datetime.timedelta(days=30)
    assert figure.detail == f"oldest due {thirty:%Y-%m-%d}"
    assert world.b.pk not in figures


def test_the_portfolio_page_shows_it(world, as_user):
    clear_world_reviews(world)
    reviews(world, world.a, -3)
    page = as_user(world.lead).get("/").content.decode()
    assert "1 risk past review" in page


def test_one_query_whatever_the_number_of_clients_and_risks(world):
    reviews(world, world.a, -1)

    def count(clients) -> int:
        with CaptureQueriesContext(connection) as ctx:
            risks_past_review(clients)
        return len(ctx)

    assert count([world.a]) == 1
    reviews(world, world.b, -1, -2, -3)
    assert count([world.a, world.b]) == 1
