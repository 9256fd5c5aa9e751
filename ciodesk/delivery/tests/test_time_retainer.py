"""Time against the retainer: a month's hours (to 0.01), the client's month, the figures."""

import datetime
from decimal import Decimal
from unittest import mock

import pytest
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from ciodesk.core.scope import acting_as, scope
from ciodesk.delivery import portfolio
from ciodesk.delivery import services_time as st
from ciodesk.delivery.models import TimeEntry


@pytest.fixture(autouse=True)
def no_time_yet(world):
    """The sweep records log 90 minutes on a fixed day: start every test from none."""
    with acting_as("test"):
        TimeEntry.unscoped.all().delete()


def log(world, client, on, minutes, category="meeting"):
    with scope(client), acting_as("test"):
        return TimeEntry.objects.create(on=on, minutes=minutes, category=category, user=world.lead)


@pytest.mark.parametrize(
    ("minutes", "hours"),
    [(0, "0.00"), (1, "0.02"), (20, "0.33"), (45, "0.75"), (755, "12.58"), (750, "12.50")],
)
def test_minutes_become_hours_to_the_hundredth(minutes, hours):
    assert st.hours(minutes) == Decimal(hours)


def test_a_months_figures(world):
    # Alpha includes 16 hours. March 2026: 755 min inside, two entries just outside.
    log(world, world.a, datetime.date(2026, 2, 28), 600)
    log(world, world.a, datetime.date(2026, 3, 1), 90, "strategy")
    log(world, world.a, datetime.date(2026, 3, 15), 600, "meeting")
    log(world, world.a, datetime.date(2026, 3, 31), 65, "strategy")
    log(world, world.a, datetime.date(2026, 4, 1), 600)
    figures = st.retainer_figures(world.a, datetime.date(2026, 3, 20))
    assert (figures.month_start, figures.month_end) == (
        datetime.date(2026, 3, 1),
        datetime.date(2026, 3, 31),
    )
    assert figures.minutes == 755
    assert figures.used_hours == Decimal("12.58")
    assert figures.percent == 79  # 12.58 / 16 = 78.6 %
    assert figures.label == "12.58 / 16 h (79 %)"
    assert not figures.over
    assert figures.categories == [("Meetings", "10"), ("Strategy and roadmap", "2.58")]


def test_over_the_included_hours_needs_attention(world):
    log(world, world.a, datetime.date(2026, 3, 2), 16 * 60 + 1)
    figures = st.retainer_figures(world.a, datetime.date(2026, 3, 2))
    assert figures.over and figures.percent == 100
    log(world, world.a, datetime.date(2026, 3, 3), 59)
    assert st.retainer_figures(world.a, datetime.date(2026, 3, 3)).percent == 106


def test_the_month_is_the_clients_own(world):
    """At 03:00 UTC on April 1st it is still March 31st in Los Angeles."""
    log(world, world.a, datetime.date(2026, 3, 31), 120)
    log(world, world.a, datetime.date(2026, 4, 1), 60)
    moment = datetime.datetime(2026, 4, 1, 3, 0, tzinfo=datetime.UTC)
    with mock.patch.object(timezone, "now", return_value=moment):
        assert world.a.today() == datetime.date(2026, 3, 31)
        assert st.retainer_figures(world.a).minutes == 120
        fig = portfolio.retainer([world.a])[world.a.pk]
    assert fig.value == "2 / 16 h (13 %)"


def test_the_portfolio_shows_utilisation_per_client(world):
    today = world.a.today()
    log(world, world.a, today, 750)  # 12.5 of 16
    log(world, world.b, today, 17 * 60)  # over
    figures = portfolio.retainer([world.a, world.b])
    a, b = figures[world.a.pk], figures[world.b.pk]
    assert (a.label, a.value, a.attention) == ("Retainer", "12.5 / 16 h (78 %)", False)
    assert (b.value, b.attention) == ("17 / 16 h (106 %)", True)
    assert b.detail.startswith("over by 1 h")


def test_the_time_page_and_block(world, as_user):
    today = world.a.today()
    log(world, world.a, today, 750)
    body = as_user(world.exec_a).get("/c/alpha/delivery/time/").content.decode()
    assert "12.5 / 16 h (78 %)" in body
    assert "3.5 h left" in body
    with scope(world.a):
        html = render_to_string(
            "delivery/time_retainer_block.html",
            {"retainer": st.retainer_figures(world.a, today), "client": world.a},
        )
    assert "12.5 / 16 h (78 %)" in html and "Meetings: 12.5 h" in html


def test_logging_time_is_the_signed_in_practice_users(world, as_user):
    response = as_user(world.consultant).post(
        "/c/alpha/delivery/time/new/",
        {"on": world.a.today().isoformat(), "hours": "1.5", "category": "vendor", "note": "MSP"},
    )
    assert response.status_code == 302
    with scope(world.a):
        entry = TimeEntry.objects.get(note="MSP")
    assert (entry.minutes, entry.user) == (90, world.consultant)
    refused = as_user(world.exec_a).post("/c/alpha/delivery/time/new/", {"minutes": "30"})
    assert refused.status_code == 403


def test_the_time_page_runs_a_constant_number_of_queries(world, as_user):
    client = as_user(world.lead)
    today = world.a.today()

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get("/c/alpha/delivery/time/").status_code == 200
        return len(ctx)

    log(world, world.a, today, 30)
    before = count()
    for i in range(4):
        log(world, world.a, today, 30 + i, ["vendor", "security", "admin", "budget"][i])
    assert count() == before
