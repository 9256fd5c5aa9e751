"""Quarterly vendor reviews: the scorecard is frozen, ratings are 1–5, the trend is in order."""

import datetime
import sys
import types
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from ciodesk.core.scope import scope
from ciodesk.vendors.models import VendorReview
from ciodesk.vendors.services_reviews import (
    create_review,
    last_full_quarter,
    quarter_bounds,
    recent_quarters,
    review_trends,
)


@pytest.fixture
def scorecard(monkeypatch):
    """A stand-in for ciodesk.vendors.scorecard: returns `result`, or raises `error`."""
    fake = types.SimpleNamespace(result={}, error=None, calls=[])

    def compute_scorecard(client, vendor, since, until):
        fake.calls.append((vendor.pk, since, until))
        if fake.error:
            raise fake.error
        return fake.result

    module = types.ModuleType("ciodesk.vendors.scorecard")
    module.compute_scorecard = compute_scorecard
    monkeypatch.setitem(sys.modules, "ciodesk.vendors.scorecard", module)
    return fake


def card(response, resolution, tickets=10):
    return {
        "overall": {
            "tickets": tickets,
            "response_attainment_pct": response,
            "resolution_attainment_pct": resolution,
        },
        "priorities": [
            {
                "priority": "P3",
                "tickets": tickets,
                "response_target_minutes": 240,
                "response_attainment_pct": response,
                "resolution_target_minutes": 960,
                "resolution_attainment_pct": resolution,
            },
        ],
        "vendor_flag_disagreements": 3,
    }


def post_review(client, world, quarter="2026-Q2", **ratings):
    vendor = world.records["a"]["vendors"]
    data = {
        "quarter": quarter,
        "responsiveness": 4,
        "communication": 3,
        "proactivity": 2,
        "value": 3,
        "comments": "Fine",
        "owner": world.records["a"]["people"].pk,
        "reviewed_on": "2026-07-10",
    } | ratings
    return client.post(f"/c/alpha/vendors/{vendor.pk}/reviews/new/", data)


def test_quarters():
    assert quarter_bounds("2026-Q3") == (datetime.date(2026, 7, 1), datetime.date(2026, 9, 30))
    assert quarter_bounds("2024-q1") == (datetime.date(2024, 1, 1), datetime.date(2024, 3, 31))
    assert last_full_quarter(datetime.date(2026, 1, 5)) == "2025-Q4"
    assert recent_quarters(datetime.date(2026, 2, 1), 3) == ["2026-Q1", "2025-Q4", "2025-Q3"]
    with pytest.raises(ValueError, match="write it like 2026-Q3"):
        quarter_bounds("2026-Q5")


def test_a_review_freezes_the_quarters_scorecard(world, as_user, scorecard):
    scorecard.result = card(92.5, 81.0, tickets=57)
    response = post_review(as_user(world.consultant), world, quarter="2026-Q2")
    review = VendorReview.unscoped.get(client=world.a, quarter="2026-Q2")
    assert response.status_code == 302
    assert response["Location"] == f"/c/alpha/vendors/reviews/{review.pk}/"
    assert (review.since, review.until) == (datetime.date(2026, 4, 1), datetime.date(2026, 6, 30))
    assert scorecard.calls == [(review.vendor_id, review.since, review.until)]
    assert review.scorecard["overall"]["resolution_attainment_pct"] == 81.0
    scorecard.result = card(10.0, 10.0)  # later imports change the live scorecard …
    page = as_user(world.exec_a).get(response["Location"]).content.decode()
    assert "92.5%" in page and "81.0%" in page and "57" in page  # … not the review's
    assert "10.0%" not in page


def test_without_a_scorecard_the_review_is_saved_and_says_why(world, as_user, scorecard):
    scorecard.error = ValueError("no SLA policy on Coastline's contract")
    response = post_review(as_user(world.consultant), world, quarter="2026-Q1")
    page = as_user(world.consultant).get(response["Location"]).content.decode()
    assert "no scorecard: no SLA policy on Coastline" in page
    assert VendorReview.unscoped.get(client=world.a, quarter="2026-Q1").scorecard == {}


@pytest.mark.parametrize("field,value", [("responsiveness", 6), ("value", 0), ("proactivity", "")])
def test_ratings_outside_1_to_5_are_refused(world, as_user, scorecard, field, value):
    response = post_review(as_user(world.consultant), world, **{field: value})
    assert response.status_code == 200
    assert f"Rate {field} from 1 (poor) to 5 (excellent)." in response.content.decode()
    assert not VendorReview.unscoped.filter(client=world.a, quarter="2026-Q2").exists()
    assert scorecard.calls == []


def test_the_service_refuses_bad_ratings_and_a_second_review_of_a_quarter(world, scorecard):
    vendor, person = world.records["a"]["vendors"], world.records["a"]["people"]
    args = {
        "communication": 3,
        "proactivity": 3,
        "value": 3,
        "owner": person,
        "reviewed_on": datetime.date(2026, 10, 1),
    }
    with scope(world.a):
        with pytest.raises(ValidationError) as refused:
            create_review(world.a, vendor, quarter="2026-Q2", responsiveness=9, **args)
        assert refused.value.message_dict["responsiveness"] == [
            "Rate responsiveness from 1 (poor) to 5 (excellent); got 9."
        ]
        with pytest.raises(ValidationError, match="already has a review for 2026-Q3"):
            create_review(world.a, vendor, quarter="2026-Q3", responsiveness=3, **args)


def test_the_trend_shows_quarters_in_order(world, as_user, scorecard):
    client = as_user(world.consultant)
    for quarter, attained in [("2026-Q2", 77.7), ("2025-Q4", 66.6), ("2026-Q1", 88.8)]:
        scorecard.result = card(90.0, attained)
        assert post_review(client, world, quarter=quarter).status_code == 302
    with scope(world.a):
        trend = review_trends(VendorReview.objects.all())
    assert [p.quarter for p in trend[0].points] == ["2025-Q4", "2026-Q1", "2026-Q2", "2026-Q3"]
    assert [p.resolution_pct for p in trend[0].points] == [
        Decimal("66.6"),
        Decimal("88.8"),
        Decimal("77.7"),
        None,  # Q3 was saved without one
    ]
    page = as_user(world.exec_a).get("/c/alpha/vendors/reviews/").content.decode()
    section = page[page.index("Trend across quarters") : page.index("All reviews")]
    positions = [section.index(q) for q in ("2025-Q4", "2026-Q1", "2026-Q2", "2026-Q3")]
    assert positions == sorted(positions)
    assert "<svg" in section and "66.6%" in section
    assert "Start a review" not in page  # the executive reads only


def test_the_review_export(world, as_user, scorecard):
    scorecard.result = card(90.0, 75.5)
    post_review(as_user(world.consultant), world, quarter="2026-Q2")
    response = as_user(world.exec_a).get("/c/alpha/vendors/reviews/export/?format=csv")
    lines = response.content.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("Vendor,Quarter,From,To,Responsiveness")
    assert any(",2026-Q2," in line and ",75.5," in line and ",3.0," in line for line in lines)


def test_editing_keeps_the_frozen_scorecard(world, as_user, scorecard):
    review = world.records["a"]["reviews"]
    with scope(world.a):
        VendorReview.objects.filter(pk=review.pk).update(scorecard=card(50.0, 40.0))
    response = as_user(world.consultant).post(
        f"/c/alpha/vendors/reviews/{review.pk}/edit/",
        {
            "responsiveness": 5,
            "communication": 5,
            "proactivity": 5,
            "value": 5,
            "comments": "x",
            "owner": world.records["a"]["people"].pk,
            "reviewed_on": "2026-10-02",
        },
    )
    assert response.status_code == 302
    review.refresh_from_db()
    assert (review.average, review.scorecard["overall"]["response_attainment_pct"]) == (5, 50.0)
    assert scorecard.calls == []


def test_the_real_scorecard_is_frozen_into_the_review(world):
    live = pytest.importorskip("ciodesk.vendors.scorecard").compute_scorecard
    vendor, person = world.records["a"]["vendors"], world.records["a"]["people"]
    ticket = world.records["a"]["tickets"]  # P2, created 2026-10-05, answered in 20 min
    with scope(world.a):
        review, note = create_review(
            world.a,
            vendor,
            quarter="2026-Q4",
            responsiveness=4,
            communication=4,
            proactivity=4,
            value=4,
            owner=person,
            reviewed_on=datetime.date(2026, 12, 31),
        )
        assert note == ""
        assert review.scorecard["overall"]["tickets"] == 1
        assert review.scorecard["overall"]["response_attainment_pct"] == 100.0
        ticket.pk, ticket.number = None, "1002"  # a later import adds a late ticket
        ticket.first_response_at = ticket.created_at + datetime.timedelta(hours=5)
        ticket.save()
        review.refresh_from_db()
        now = live(world.a, vendor, review.since, review.until)
    assert now["overall"]["tickets"] == 2  # the live scorecard moved …
    assert review.scorecard["overall"]["tickets"] == 1  # … the review did not
