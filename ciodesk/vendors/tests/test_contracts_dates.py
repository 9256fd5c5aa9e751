"""Renewal dates, notice deadlines and statuses, as the issue defines them."""

import datetime
from types import SimpleNamespace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ciodesk.tenancy.models import Client
from ciodesk.vendors.contracts import (
    add_months,
    contract_status,
    days_to_notice_deadline,
    facts,
    notice_deadline,
    renewal_date,
)

D = datetime.date


def contract(end, auto_renew=True, term=12, notice=30, client=None):
    return SimpleNamespace(
        end_date=end,
        auto_renew=auto_renew,
        renewal_term_months=term,
        notice_days=notice,
        client=client,
    )


# --- the end-of-month rule ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (D(2025, 1, 31), 1, D(2025, 2, 28)),
        (D(2024, 1, 31), 1, D(2024, 2, 29)),  # leap year
        (D(2025, 1, 31), 2, D(2025, 3, 31)),
        (D(2025, 4, 30), 1, D(2025, 5, 31)),  # last day of April → last day of May
        (D(2025, 2, 28), 12, D(2026, 2, 28)),
        (D(2025, 2, 28), 36, D(2028, 2, 29)),  # last day of Feb stays the last day
        (D(2024, 2, 29), 12, D(2025, 2, 28)),
        (D(2024, 2, 29), 48, D(2028, 2, 29)),
        (D(2025, 1, 30), 1, D(2025, 2, 28)),  # not a month end: the day is clamped…
        (D(2025, 1, 30), 2, D(2025, 3, 30)),  # …and comes back
        (D(2025, 1, 28), 1, D(2025, 2, 28)),
        (D(2025, 1, 28), 2, D(2025, 3, 28)),
        (D(2025, 11, 15), 3, D(2026, 2, 15)),
    ],
)
def test_months_are_added_with_the_end_of_month_rule(start, months, expected):
    assert add_months(start, months) == expected


# --- renewal date ------------------------------------------------------------------------------


def test_a_running_term_renews_on_its_end_date():
    assert renewal_date(contract(D(2027, 3, 31)), D(2026, 11, 22)) == D(2027, 3, 31)


def test_the_end_date_itself_is_still_the_renewal_date():
    assert renewal_date(contract(D(2026, 11, 22)), D(2026, 11, 22)) == D(2026, 11, 22)


def test_a_term_ending_on_the_31st_keeps_ending_on_the_last_day_of_the_month():
    monthly = contract(D(2025, 1, 31), term=1)
    assert renewal_date(monthly, D(2025, 2, 1)) == D(2025, 2, 28)
    assert renewal_date(monthly, D(2025, 3, 1)) == D(2025, 3, 31)  # not Mar 28
    assert renewal_date(monthly, D(2025, 4, 30)) == D(2025, 4, 30)
    assert renewal_date(monthly, D(2025, 5, 1)) == D(2025, 5, 31)
    assert renewal_date(monthly, D(2028, 2, 1)) == D(2028, 2, 29)


def test_each_roll_is_counted_from_the_original_end_date():
    monthly = contract(D(2025, 1, 30), term=1)
    assert renewal_date(monthly, D(2025, 2, 10)) == D(2025, 2, 28)
    assert renewal_date(monthly, D(2025, 3, 1)) == D(2025, 3, 30)  # Feb 28 + 1 month would be 28


def test_leap_day_terms():
    leap = contract(D(2024, 2, 29), term=12)
    assert renewal_date(leap, D(2024, 3, 1)) == D(2025, 2, 28)
    assert renewal_date(leap, D(2027, 3, 1)) == D(2028, 2, 29)
    common = contract(D(2025, 2, 28), term=12)
    assert renewal_date(common, D(2027, 3, 1)) == D(2028, 2, 29)
    four_yearly = contract(D(2024, 2, 29), term=48)
    assert renewal_date(four_yearly, D(2024, 3, 1)) == D(2028, 2, 29)


@pytest.mark.parametrize(
    ("term", "today", "expected"),
    [
        (12, D(2026, 4, 1), D(2027, 3, 31)),
        (24, D(2026, 4, 1), D(2028, 3, 31)),
        (12, D(2025, 3, 31), D(2025, 3, 31)),
        (24, D(2025, 3, 31), D(2026, 3, 31)),
        (24, D(2026, 3, 31), D(2026, 3, 31)),
        (24, D(2026, 4, 1), D(2028, 3, 31)),
    ],
)
def test_yearly_and_two_yearly_terms_roll_forward(term, today, expected):
    assert renewal_date(contract(D(2024, 3, 31), term=term), today) == expected


def test_a_contract_that_does_not_auto_renew_does_not_roll():
    ended = contract(D(2025, 6, 30), auto_renew=False)
    assert renewal_date(ended, D(2026, 11, 22)) == D(2025, 6, 30)
    assert contract_status(ended, D(2026, 11, 22)) == "expired"


@settings(max_examples=300, deadline=None)
@given(
    end=st.dates(D(2000, 1, 1), D(2040, 12, 31)),
    today=st.dates(D(2000, 1, 1), D(2060, 12, 31)),
    term=st.integers(1, 120),
)
def test_the_roll_forward_is_the_first_whole_term_on_or_after_today(end, today, term):
    c = contract(end, term=term)
    renewal = renewal_date(c, today)
    assert renewal >= today
    if end < today:
        k = next(k for k in range(1, 2000) if add_months(end, k * term) == renewal)
        assert add_months(end, (k - 1) * term) < today  # no earlier term reaches today
    else:
        assert renewal == end


# --- notice deadline ---------------------------------------------------------------------------


def test_the_notice_deadline_crosses_the_year_end():
    c = contract(D(2027, 1, 15), notice=30)
    assert notice_deadline(c, D(2026, 11, 1)) == D(2026, 12, 16)
    c = contract(D(2027, 2, 28), notice=90)
    assert notice_deadline(c, D(2026, 11, 1)) == D(2026, 11, 30)


def test_the_notice_deadline_follows_the_rolled_renewal():
    c = contract(D(2025, 12, 31), term=12, notice=60)
    assert renewal_date(c, D(2026, 1, 2)) == D(2026, 12, 31)
    assert notice_deadline(c, D(2026, 1, 2)) == D(2026, 11, 1)
    assert days_to_notice_deadline(c, D(2026, 1, 2)) == 303


# --- status ------------------------------------------------------------------------------------


TODAY = D(2026, 11, 22)


@pytest.mark.parametrize(
    ("days", "status"),
    [
        (-1, "locked_in"),
        (0, "act_now"),
        (1, "act_now"),
        (30, "act_now"),
        (31, "upcoming"),
        (120, "upcoming"),
        (121, "ok"),
    ],
)
def test_every_status_boundary(days, status):
    c = contract(TODAY + datetime.timedelta(days=days + 60), notice=60)
    assert days_to_notice_deadline(c, TODAY) == days
    assert contract_status(c, TODAY) == status


def test_locked_in_until_the_renewal_day_then_the_next_term():
    c = contract(TODAY, notice=60, term=12)
    assert contract_status(c, TODAY) == "locked_in"
    tomorrow = TODAY + datetime.timedelta(days=1)
    assert renewal_date(c, tomorrow) == D(2027, 11, 22)
    assert contract_status(c, tomorrow) == "ok"  # 304 days to the next notice deadline


def test_a_contract_without_auto_renewal_expires_the_day_after_its_end():
    c = contract(TODAY, auto_renew=False, notice=0)
    assert contract_status(c, TODAY) == "act_now"
    assert contract_status(c, TODAY + datetime.timedelta(days=1)) == "expired"


def test_facts_bring_everything_together():
    f = facts(contract(D(2027, 1, 31), notice=45), TODAY)
    assert (f.renewal_date, f.notice_deadline, f.days_to_notice_deadline, f.status) == (
        D(2027, 1, 31),
        D(2026, 12, 17),
        25,
        "act_now",
    )
    assert f.days_text == "in 25 days"
    assert f.status_label == "Act now"


# --- the client's today ------------------------------------------------------------------------


def test_today_is_the_clients_today(monkeypatch):
    """At 12:00 UTC on Nov 22 it is already Nov 23 in Auckland but still Nov 22 in LA."""
    instant = datetime.datetime(2026, 11, 22, 12, 0, tzinfo=datetime.UTC)
    monkeypatch.setattr("django.utils.timezone.now", lambda: instant)
    auckland = Client(slug="kiwi", name="Kiwi", time_zone="Pacific/Auckland")
    los_angeles = Client(slug="la", name="LA", time_zone="America/Los_Angeles")
    assert auckland.today() == D(2026, 11, 23)
    assert los_angeles.today() == D(2026, 11, 22)
    end = D(2026, 12, 23) + datetime.timedelta(days=60)  # notice deadline Dec 23
    nz, us = contract(end, notice=60, client=auckland), contract(end, notice=60, client=los_angeles)
    assert days_to_notice_deadline(nz) == 30
    assert contract_status(nz) == "act_now"
    assert days_to_notice_deadline(us) == 31
    assert contract_status(us) == "upcoming"
