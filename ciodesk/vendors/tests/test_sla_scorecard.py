"""The SLA scorecard against hand-computed cases (business hours Mon–Fri 08:00–17:00,
America/Los_Angeles; targets P1 30/240, P2 60/480, P3 240/960, P4 480/2400 minutes)."""

from __future__ import annotations

import datetime as dt
import random
import zoneinfo

import pytest

from ciodesk.core.scope import acting_as, scope
from ciodesk.vendors import scorecard, scorecard_sql
from ciodesk.vendors.models import Contract, Holiday, SLAPolicy, Ticket, Vendor
from ciodesk.vendors.scorecard import (
    OVERALL_KEYS,
    ROW_KEYS,
    ScorecardError,
    compute_scorecard,
    scorecard_details,
    ticket_rows,
)

LA = zoneinfo.ZoneInfo("America/Los_Angeles")
AFTER = dt.datetime(2026, 12, 15, tzinfo=dt.UTC)  # "now", long after the test periods


def la(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=LA)


@pytest.fixture
def msp(world):
    """A vendor of client alpha with an MSP contract and a business-hours SLA policy."""
    client = world.a
    with scope(client), acting_as("test"):
        owner = world.records["a"]["people"]
        vendor = Vendor.objects.create(name="Harbor MSP", category="msp", owner=owner)
        contract = Contract.objects.create(
            vendor=vendor,
            title="Managed IT",
            start_date=dt.date(2026, 1, 1),
            end_date=dt.date(2026, 12, 31),
            owner=owner,
        )
        policy = SLAPolicy.objects.create(contract=contract, time_zone="America/Los_Angeles")
        Holiday.objects.create(policy=policy, date=dt.date(2026, 11, 26), name="Thanksgiving")
    return client, vendor, policy


def ticket(
    client,
    vendor,
    number,
    priority,
    created,
    response=None,
    resolved=None,
    closed=None,
    flag=None,
    **extra,
):
    with scope(client):
        return Ticket.objects.create(
            vendor=vendor,
            number=str(number),
            priority=priority,
            priority_label=extra.pop("label", priority or "Whatever"),
            created_at=created,
            first_response_at=response,
            resolved_at=resolved,
            closed_at=closed,
            vendor_in_sla=flag,
            **extra,
        )


def week_of_tickets(client, vendor):
    """Mon 2 – Fri 6 November 2026 (after the switch back to standard time on the 1st)."""
    ticket(
        client,
        vendor,
        1,
        "P1",
        la(2026, 11, 2, 9),
        la(2026, 11, 2, 9, 20),
        la(2026, 11, 2, 12),
        flag=True,
    )  # 20 met, 180 met
    ticket(
        client,
        vendor,
        2,
        "P1",
        la(2026, 11, 2, 16, 50),
        la(2026, 11, 3, 8, 25),
        la(2026, 11, 3, 10),
        flag=True,
    )  # 10 + 25 = 35 breached, 10 + 120 = 130 met
    ticket(client, vendor, 3, "P1", la(2026, 11, 4, 10), la(2026, 11, 4, 10, 30))
    # 30 met (exactly on target); unresolved: 1,500 business minutes by the end → breached
    ticket(client, vendor, 4, "P2", la(2026, 11, 6, 16), flag=True)  # 60 by the end: pending
    ticket(
        client,
        vendor,
        5,
        "P2",
        la(2026, 11, 5, 9),
        la(2026, 11, 5, 10),
        closed=la(2026, 11, 5, 15),
        flag=False,
    )  # 60 met, closed 360 met; flag says no
    ticket(client, vendor, 6, "", la(2026, 11, 3, 11), label="Urgent-ish")  # unmapped
    ticket(client, vendor, 7, "P1", la(2026, 11, 9, 9))  # created after the period


def only_on_sqlite(engine: str) -> None:
    """The in-database engine is SQLite's; on PostgreSQL the Python engine is the one used."""
    from django.db import connection

    if engine == "sqlite" and connection.vendor != "sqlite":
        pytest.skip("the SQLite engine runs on SQLite only; PostgreSQL uses the Python engine")


@pytest.mark.parametrize("engine", ["sqlite", "python"])
def test_the_scorecard_of_a_week_matches_the_hand_computation(msp, engine):
    only_on_sqlite(engine)
    client, vendor, _ = msp
    week_of_tickets(client, vendor)
    card = compute_scorecard(
        client, vendor, dt.date(2026, 11, 2), dt.date(2026, 11, 6), AFTER, engine=engine
    )
    assert card["calendar"] == "Mon–Fri 08:00–17:00 America/Los_Angeles, 1 holiday"
    p1, p2 = card["priorities"]
    assert p1 == {
        "priority": "P1",
        "tickets": 3,
        "response_target_minutes": 30,
        "response_met": 2,
        "response_breached": 1,
        "response_pending": 0,
        "response_attainment_pct": 66.7,
        "resolution_target_minutes": 240,
        "resolution_met": 2,
        "resolution_breached": 1,
        "resolution_pending": 0,
        "resolution_attainment_pct": 66.7,
        "median_response_minutes": 30.0,
        "p90_response_minutes": 35.0,
        "median_resolution_minutes": 130.0,
        "p90_resolution_minutes": 180.0,
    }
    assert (p2["tickets"], p2["response_met"], p2["response_pending"]) == (2, 1, 1)
    assert (p2["resolution_met"], p2["resolution_pending"]) == (1, 1)
    assert p2["response_attainment_pct"] == 100.0
    assert p2["median_resolution_minutes"] == 360.0  # closed, no resolved time
    overall = card["overall"]
    assert overall["priority"] == "all"
    assert overall["tickets"] == 5  # the unmapped ticket is counted apart
    assert (overall["response_met"], overall["response_breached"]) == (3, 1)
    assert overall["response_attainment_pct"] == 75.0
    assert overall["median_response_minutes"] == 30.0  # of 20, 30, 35, 60
    assert overall["p90_response_minutes"] == 60.0
    # open at the end (Sat 7 Nov 00:00): tickets 3, 4 and the unmapped 6, all under a week
    assert card["open_at_end"] == {"0-7": 3, "8-14": 0, "15-30": 0, ">30": 0}
    # ticket 2: flag "in SLA", but its response was late; ticket 5: flag "no", but both met.
    # Ticket 4 is pending and skipped; ticket 3 has no flag.
    assert card["vendor_flag_disagreements"] == 2


def test_without_a_timestamp_a_ticket_is_judged_as_of_now_when_now_is_earlier(msp):
    client, vendor, _ = msp
    ticket(client, vendor, 1, "P1", la(2026, 11, 2, 9))
    monday = dt.date(2026, 11, 2)
    early = compute_scorecard(client, vendor, monday, monday, la(2026, 11, 2, 9, 30))
    assert (early["overall"]["response_pending"], early["overall"]["response_breached"]) == (1, 0)
    assert early["overall"]["response_attainment_pct"] is None  # nothing measurable yet
    later = compute_scorecard(client, vendor, monday, monday, la(2026, 11, 2, 9, 31))
    assert (later["overall"]["response_pending"], later["overall"]["response_breached"]) == (0, 1)
    assert later["overall"]["resolution_pending"] == 1
    # the end of the period (Monday 24:00) caps the judgement: 8 business hours < 240 min?
    at_end = compute_scorecard(client, vendor, monday, monday, AFTER)
    assert at_end["overall"]["resolution_breached"] == 1  # 480 minutes elapsed by 17:00


def test_open_tickets_at_the_end_are_bucketed_by_age_in_whole_days(msp):
    client, vendor, _ = msp
    end = la(2026, 11, 1)  # the end of October, local midnight
    for number, days in enumerate([0.5, 7.9, 8.0, 14.5, 15, 30.9, 31, 31.5], start=1):
        ticket(client, vendor, number, "P3", end - dt.timedelta(days=days))
    ticket(client, vendor, 20, "P3", la(2026, 10, 2), resolved=la(2026, 10, 20))  # done
    # resolved after the end: open then, 30 days old
    ticket(client, vendor, 21, "P3", la(2026, 10, 2), resolved=la(2026, 11, 3))
    card = compute_scorecard(client, vendor, dt.date(2026, 9, 1), dt.date(2026, 10, 31), AFTER)
    # ages 0, 7 | 8, 14 | 15, 30, 30 (ticket 21) | 31, 31
    assert card["open_at_end"] == {"0-7": 2, "8-14": 2, "15-30": 3, ">30": 2}


def test_percentiles_are_nearest_rank_with_one_decimal(msp):
    client, vendor, _ = msp
    start = la(2026, 11, 2, 8)
    seconds = [61, 95, 120, 183, 200, 300, 301, 900, 1200, 1800, 3, 9]
    for number, s in enumerate(seconds, start=1):
        ticket(client, vendor, number, "P2", start, start + dt.timedelta(seconds=s))
    row = compute_scorecard(client, vendor, dt.date(2026, 11, 2), dt.date(2026, 11, 2), AFTER)[
        "priorities"
    ][0]
    # sorted: 3 9 61 95 120 183 200 300 301 900 1200 1800 → rank 6 = 183 s, rank 11 = 1200 s
    assert row["median_response_minutes"] == 3.1  # 3.05 rounds half up
    assert row["p90_response_minutes"] == 20.0


def test_attainment_rounds_half_up_and_is_null_when_nothing_is_measurable(msp):
    client, vendor, _ = msp
    start = la(2026, 11, 2, 9)
    for number, late in enumerate([False, False, True], start=1):
        minutes = 31 if late else 5
        ticket(client, vendor, number, "P1", start, start + dt.timedelta(minutes=minutes))
    card = compute_scorecard(client, vendor, dt.date(2026, 11, 2), dt.date(2026, 11, 2), AFTER)
    assert card["priorities"][0]["response_attainment_pct"] == 66.7
    empty = compute_scorecard(client, vendor, dt.date(2026, 1, 5), dt.date(2026, 1, 9), AFTER)
    assert empty["priorities"] == []
    assert empty["overall"]["tickets"] == 0
    assert empty["overall"]["response_attainment_pct"] is None
    assert empty["overall"]["median_response_minutes"] is None


def test_the_dict_has_exactly_the_cli_keys(msp):
    client, vendor, _ = msp
    week_of_tickets(client, vendor)
    card = compute_scorecard(client, vendor, dt.date(2026, 11, 2), dt.date(2026, 11, 6), AFTER)
    assert list(card) == [
        "client",
        "vendor",
        "since",
        "until",
        "calendar",
        "priorities",
        "overall",
        "open_at_end",
        "vendor_flag_disagreements",
    ]
    assert all(tuple(row) == ROW_KEYS for row in card["priorities"])
    assert tuple(card["overall"]) == OVERALL_KEYS
    assert (card["client"], card["vendor"], card["since"]) == ("alpha", "Harbor MSP", "2026-11-02")


def test_a_24x7_calendar_counts_wall_clock_time(msp):
    client, vendor, policy = msp
    with scope(client):
        SLAPolicy.objects.filter(pk=policy.pk).update(calendar="24x7")
    ticket(client, vendor, 1, "P1", la(2026, 11, 6, 16, 50), la(2026, 11, 9, 8))
    card = compute_scorecard(client, vendor, dt.date(2026, 11, 6), dt.date(2026, 11, 6), AFTER)
    assert card["calendar"] == "24×7"
    assert card["priorities"][0]["median_response_minutes"] == 2 * 24 * 60 + 15 * 60 + 10


def test_without_an_sla_policy_the_error_says_so(world):
    with scope(world.a), acting_as("test"):
        vendor = Vendor.objects.create(name="Copier Co", owner=world.records["a"]["people"])
    with pytest.raises(ScorecardError, match="no contract with an SLA policy"):
        compute_scorecard(world.a, vendor, dt.date(2026, 1, 1), dt.date(2026, 1, 31))


def test_the_policy_of_the_contract_covering_the_period_is_used(msp):
    client, vendor, policy = msp
    with scope(client), acting_as("test"):
        old = Contract.objects.create(
            vendor=vendor,
            title="Old terms",
            start_date=dt.date(2025, 1, 1),
            end_date=dt.date(2025, 12, 31),
            owner=vendor.owner,
        )
        SLAPolicy.objects.create(contract=old, calendar="24x7")
    card_2025 = compute_scorecard(client, vendor, dt.date(2025, 3, 1), dt.date(2025, 3, 31))
    card_2026 = compute_scorecard(client, vendor, dt.date(2026, 3, 1), dt.date(2026, 3, 31))
    assert (card_2025["calendar"], card_2026["calendar"][:7]) == ("24×7", "Mon–Fri")


def test_another_clients_tickets_never_count(world, msp):
    client, vendor, _ = msp
    week_of_tickets(client, vendor)
    bravo_vendor = world.records["b"]["vendors"]
    with scope(world.b):
        Ticket.objects.create(
            vendor=bravo_vendor, number="9", priority="P1", created_at=la(2026, 11, 2, 9)
        )
    card = compute_scorecard(client, vendor, dt.date(2026, 11, 2), dt.date(2026, 11, 6), AFTER)
    assert card["overall"]["tickets"] == 5


def test_the_page_extras(msp):
    client, vendor, _ = msp
    week_of_tickets(client, vendor)
    for number, day in enumerate([2, 9, 30], start=10):  # 9 is within 14 days of 2; 30 not
        ticket(
            client,
            vendor,
            number,
            "P3",
            la(2026, 11, day, 10),
            category="Printing",
            requester="Pat",
            reopen_count=1 if number == 10 else 0,
        )
    data = scorecard_details(client, vendor, dt.date(2026, 11, 1), dt.date(2026, 11, 30), AFTER)
    assert data["unmapped_priority"] == 1
    assert data["recurring_issues"] == 1
    assert data["recurring_top"] == [{"category": "Printing", "requester": "Pat", "repeats": 1}]
    assert data["reopen_rate_pct"] == 33.3
    assert data["volume_by_month"] == [
        {"month": "2026-11", "P1": 4, "P2": 2, "P3": 3, "P4": 0, "unmapped": 1, "total": 10}
    ]
    assert data["tickets_per_employee_per_month"] == 0.25  # 10 tickets, 40 people, 1 month


def test_the_ticket_list_carries_each_tickets_minutes_and_status(msp):
    client, vendor, _ = msp
    week_of_tickets(client, vendor)
    rows = ticket_rows(client, vendor, dt.date(2026, 11, 2), dt.date(2026, 11, 6), AFTER)
    by_number = {row["number"]: row for row in rows}
    assert (by_number["2"]["response_minutes"], by_number["2"]["response_status"]) == (
        35.0,
        "breached",
    )
    assert by_number["3"]["resolution_status"] == "breached"
    assert by_number["4"]["response_status"] == "pending"
    assert by_number["2"]["flag_disagrees"] and by_number["5"]["flag_disagrees"]
    assert by_number["6"]["response_status"] == ""


def random_tickets(client, vendor, n: int, seed: int) -> None:
    rnd = random.Random(seed)
    base = la(2026, 2, 20)
    with scope(client):
        objs = []
        for i in range(n):
            created = base + dt.timedelta(seconds=rnd.randrange(40 * 86400))
            pick = rnd.random

            def later(limit, start=created):
                return start + dt.timedelta(seconds=rnd.randrange(-600, limit))

            objs.append(
                Ticket(
                    client=client,
                    vendor=vendor,
                    number=str(i),
                    priority=rnd.choice(["P1", "P2", "P3", "P4", ""]),
                    created_at=created,
                    first_response_at=later(30000) if pick() < 0.9 else None,
                    resolved_at=later(900000) if pick() < 0.6 else None,
                    closed_at=later(900000) if pick() < 0.5 else None,
                    vendor_in_sla=rnd.choice([True, False, None]),
                )
            )
        Ticket.objects.bulk_create(objs)


KATHMANDU = {
    "time_zone": "Asia/Kathmandu",
    "weekdays": "0,1,2,3,4,5",
    "opens_at": dt.time(0, 20),
    "closes_at": dt.time(23, 50),
}  # +05:45: quarter-hour windows in the SQL table


@pytest.mark.parametrize(
    ("calendar", "split"),
    [("business", False), ("24x7", False), ("business", True), ("kathmandu", False)],
)
def test_the_sqlite_and_python_engines_agree(msp, calendar, split, monkeypatch):
    only_on_sqlite("sqlite")
    client, vendor, policy = msp
    with scope(client), acting_as("test"):
        if calendar == "kathmandu":
            SLAPolicy.objects.filter(pk=policy.pk).update(**KATHMANDU)
        else:
            SLAPolicy.objects.filter(pk=policy.pk).update(calendar=calendar)
        Holiday.objects.create(policy=policy, date=dt.date(2026, 3, 10))
    random_tickets(client, vendor, 600, seed=7)
    ticket(
        client,
        vendor,
        "late",
        "P4",
        la(2026, 3, 2, 9, 0, 0, 999_600),
        la(2026, 3, 2, 9, 1, 0, 999_700),
        resolved=la(2029, 5, 1, 12),
    )  # years later
    # the period spans the spring-forward weekend; "now" falls inside it
    args = (client, vendor, dt.date(2026, 2, 25), dt.date(2026, 3, 20), la(2026, 3, 12, 13))
    slow = compute_scorecard(*args, engine="python")

    def no_fallback(*args):
        raise AssertionError("the SQLite engine fell back to Python")

    monkeypatch.setattr(scorecard, "_python_tally", no_fallback)
    if split:  # the large-period path: two halves (run one after the other in a test)
        monkeypatch.setattr(scorecard_sql, "SPLIT_MIN_TICKETS", 0)
        parts = []
        real = scorecard_sql._run_parts
        monkeypatch.setattr(
            scorecard_sql,
            "_run_parts",
            lambda plan, p, ids, absorb: parts.append(p) or real(plan, p, ids, absorb),
        )
    fast = compute_scorecard(*args, engine="sqlite")
    assert fast == slow
    assert fast["overall"]["tickets"] > 250
    assert fast["vendor_flag_disagreements"] > 0
    if split:
        assert len(parts[0]) == 2


def test_an_unusable_calendar_is_a_clear_error(msp):
    client, vendor, policy = msp
    with scope(client):
        SLAPolicy.objects.filter(pk=policy.pk).update(opens_at=dt.time(17), closes_at=dt.time(8))
    with pytest.raises(ScorecardError, match="closing time 08:00 must be after the opening"):
        compute_scorecard(client, vendor, dt.date(2026, 11, 2), dt.date(2026, 11, 6))
