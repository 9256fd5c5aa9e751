"""Business-time arithmetic: hand cases and properties (splitting an interval keeps the sum,
daylight-saving transitions, holidays), checked against a minute-by-minute count."""

import datetime as dt
import functools
import zoneinfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ciodesk.vendors.business_time import BusinessCalendar, epoch_seconds

LA = zoneinfo.ZoneInfo("America/Los_Angeles")
THANKSGIVING = dt.date(2026, 11, 26)
OFFICE = BusinessCalendar(time_zone="America/Los_Angeles", holidays=[THANKSGIVING])
ALWAYS = BusinessCalendar(always_open=True)
EVERY_DAY = BusinessCalendar(
    time_zone="America/Los_Angeles", weekdays=range(7), opens=dt.time(0), closes=dt.time(0)
)
NIGHT = BusinessCalendar(
    time_zone="America/Los_Angeles", weekdays=range(7), opens=dt.time(1), closes=dt.time(3)
)


def la(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=LA)


# --- hand cases ----------------------------------------------------------------------------
def test_friday_1650_to_monday_0800_is_ten_minutes():
    assert OFFICE.elapsed_minutes(la(2026, 11, 20, 16, 50), la(2026, 11, 23, 8)) == 10


@pytest.mark.parametrize(
    ("start", "end", "minutes"),
    [
        (la(2026, 11, 17, 16), la(2026, 11, 18, 9, 30), 60 + 90),  # overnight
        (la(2026, 11, 21, 10), la(2026, 11, 22, 18), 0),  # within a weekend
        (la(2026, 11, 21, 10), la(2026, 11, 23, 8, 30), 30),  # over a weekend
        (la(2026, 11, 25, 16), la(2026, 11, 27, 9), 60 + 60),  # over Thanksgiving
        (la(2026, 11, 26, 9), la(2026, 11, 26, 16), 0),  # on the holiday
        (la(2026, 11, 17, 7), la(2026, 11, 17, 18), 9 * 60),  # before opening to after closing
        (la(2026, 11, 18, 12), la(2026, 11, 17, 12), 0),  # end before start
    ],
)
def test_hand_computed_intervals(start, end, minutes):
    assert OFFICE.elapsed_minutes(start, end) == minutes


def test_spring_forward_keeps_the_wall_clock_opening_hours():
    # 8 March 2026, 02:00 → 03:00 in Los Angeles: the office still opens at 08:00 local
    assert OFFICE.elapsed_minutes(la(2026, 3, 6, 12), la(2026, 3, 9, 12)) == 5 * 60 + 4 * 60
    assert OFFICE.add_minutes(la(2026, 3, 6, 16, 50), 20) == la(2026, 3, 9, 8, 10)
    assert ALWAYS.elapsed_minutes(la(2026, 3, 7, 12), la(2026, 3, 8, 12)) == 23 * 60
    assert EVERY_DAY.elapsed_minutes(la(2026, 3, 8), la(2026, 3, 9)) == 23 * 60
    # open 01:00–03:00: the skipped hour 02:00–03:00 does not exist
    assert NIGHT.elapsed_minutes(la(2026, 3, 8), la(2026, 3, 9)) == 60


def test_fall_back_counts_the_repeated_hour():
    # 1 November 2026, 02:00 PDT → 01:00 PST
    assert ALWAYS.elapsed_minutes(la(2026, 10, 31, 12), la(2026, 11, 1, 12)) == 25 * 60
    assert EVERY_DAY.elapsed_minutes(la(2026, 11, 1), la(2026, 11, 2)) == 25 * 60
    assert NIGHT.elapsed_minutes(la(2026, 11, 1), la(2026, 11, 2)) == 3 * 60
    assert OFFICE.elapsed_minutes(la(2026, 10, 30, 12), la(2026, 11, 2, 12)) == 5 * 60 + 4 * 60


def test_intervals_spanning_years():
    start, end = la(2024, 1, 1), la(2026, 1, 1)
    assert ALWAYS.elapsed_minutes(start, end) == 731 * 24 * 60
    weekdays = sum((dt.date(2024, 1, 1) + dt.timedelta(days=d)).weekday() < 5 for d in range(731))
    office = BusinessCalendar(time_zone="America/Los_Angeles")
    assert office.elapsed_minutes(start, end) == weekdays * 9 * 60
    far = BusinessCalendar(time_zone="Europe/Paris")
    assert (
        far.elapsed_minutes(
            dt.datetime(1990, 1, 1, tzinfo=dt.UTC), dt.datetime(2090, 1, 1, tzinfo=dt.UTC)
        )
        > 0
    )


def test_a_due_time_is_the_first_moment_the_target_is_used_up():
    friday = la(2026, 11, 20, 16, 50)
    assert OFFICE.add_minutes(friday, 10) == la(2026, 11, 20, 17)
    assert OFFICE.add_minutes(friday, 11) == la(2026, 11, 23, 8, 1)
    # 2,400 minutes = 4 office days of 540 and 240 minutes; Thanksgiving is skipped
    assert OFFICE.add_minutes(la(2026, 11, 23, 8), 2400) == la(2026, 11, 30, 12)
    assert OFFICE.add_minutes(friday, 0) == friday
    assert ALWAYS.add_minutes(friday, 90) == la(2026, 11, 20, 18, 20)


def test_it_refuses_naive_times_and_impossible_hours():
    with pytest.raises(ValueError, match="aware"):
        OFFICE.elapsed_minutes(dt.datetime(2026, 1, 1), la(2026, 1, 2))
    with pytest.raises(ValueError, match="after the opening time"):
        BusinessCalendar(opens=dt.time(17), closes=dt.time(8))
    with pytest.raises(ValueError, match="at least one working day"):
        BusinessCalendar(weekdays=[])


def test_the_description():
    assert OFFICE.describe() == "Mon–Fri 08:00–17:00 America/Los_Angeles, 1 holiday"
    assert EVERY_DAY.describe() == "Mon–Sun 00:00–24:00 America/Los_Angeles"
    assert BusinessCalendar(weekdays=[0, 2, 4], time_zone="UTC").describe() == (
        "Mon, Wed, Fri 08:00–17:00 UTC"
    )
    assert ALWAYS.describe() == "24×7"


# --- properties ----------------------------------------------------------------------------
CALENDARS = [
    ALWAYS,
    OFFICE,
    NIGHT,
    EVERY_DAY,
    BusinessCalendar(
        time_zone="Europe/London",
        weekdays=[0, 1, 2, 3, 5],
        opens=dt.time(7, 30),
        closes=dt.time(19, 45),
        holidays=[dt.date(2026, 3, 30), dt.date(2026, 10, 26)],
    ),
    BusinessCalendar(time_zone="America/St_Johns", opens=dt.time(9), closes=dt.time(17, 30)),
    BusinessCalendar(
        time_zone="Australia/Lord_Howe",
        weekdays=range(7),
        opens=dt.time(1, 15),
        closes=dt.time(2, 45),
    ),  # a 30-minute daylight-saving shift
    BusinessCalendar(
        time_zone="Asia/Kathmandu", weekdays=range(6), opens=dt.time(0, 20), closes=dt.time(23, 50)
    ),  # +05:45, two open segments in some UTC hours
]
calendars = st.sampled_from(CALENDARS)
moments = st.datetimes(
    min_value=dt.datetime(2025, 1, 1),
    max_value=dt.datetime(2027, 12, 31),
    timezones=st.just(dt.UTC),
)
whole_minutes = moments.map(lambda m: m.replace(second=0, microsecond=0))


def by_the_minute(calendar: BusinessCalendar, start: dt.datetime, end: dt.datetime) -> int:
    """The rule, literally: count the minutes whose wall clock shows an open time."""
    if calendar.always_open:
        return max(0, int((end - start).total_seconds() // 60))
    count, t = 0, start
    close = calendar.closes if calendar.closes != dt.time(0) else None
    while t < end:
        local = t.astimezone(calendar.tz)
        wall = local.time().replace(tzinfo=None)
        count += (
            local.weekday() in calendar.weekdays
            and local.date() not in calendar.holiday_dates
            and calendar.opens <= wall
            and (close is None or wall < close)
        )
        t += dt.timedelta(minutes=1)
    return count


@settings(max_examples=150, deadline=None)
@given(calendars, whole_minutes, st.integers(0, 4 * 24 * 60))
def test_it_matches_a_minute_by_minute_count(calendar, start, length):
    end = start + dt.timedelta(minutes=length)
    assert calendar.elapsed_minutes(start, end) == by_the_minute(calendar, start, end)


@settings(max_examples=300, deadline=None)
@given(calendars, st.lists(moments, min_size=3, max_size=3))
def test_splitting_an_interval_keeps_the_sum(calendar, three):
    a, b, c = sorted(three)
    whole = calendar.elapsed_minutes(a, c)
    parts = calendar.elapsed_minutes(a, b) + calendar.elapsed_minutes(b, c)
    assert whole == pytest.approx(parts, abs=1e-6)
    assert 0 <= calendar.elapsed_minutes(a, b) <= whole + 1e-9  # non-negative, monotonic
    assert calendar.elapsed_minutes(c, a) == 0


@settings(max_examples=300, deadline=None)
@given(calendars, moments, st.floats(0, 200_000, allow_nan=False))
def test_add_minutes_then_elapsed_round_trips(calendar, start, minutes):
    due = calendar.add_minutes(start, minutes)
    assert calendar.elapsed_minutes(start, due) == pytest.approx(minutes, abs=1e-6)
    if minutes >= 1:  # and it is the first such moment
        assert calendar.elapsed_minutes(start, due - dt.timedelta(seconds=1)) < minutes


@settings(max_examples=200, deadline=None)
@given(moments, moments)
def test_24x7_is_wall_clock_time_in_utc(a, b):
    expected = max(0.0, (b - a).total_seconds() / 60)
    assert ALWAYS.elapsed_minutes(a, b) == pytest.approx(expected, abs=1e-9)


TABLE_FROM = epoch_seconds(dt.datetime(2025, 1, 1, tzinfo=dt.UTC))


@functools.cache
def table(index: int, width: int):
    until = epoch_seconds(dt.datetime(2028, 1, 1, tzinfo=dt.UTC))
    return CALENDARS[index].windows(TABLE_FROM, until, width)


@settings(max_examples=200, deadline=None)
@given(st.integers(0, len(CALENDARS) - 1), moments, st.sampled_from([3600, 900]))
def test_the_hourly_table_gives_the_same_clock(index, moment, width):
    calendar, lo = CALENDARS[index], TABLE_FROM
    rows = table(index, width)
    if rows is None:  # two open segments in one window: the caller takes smaller windows
        assert width == 3600
        return
    t = epoch_seconds(moment)
    index, k, start, length = rows[(t - lo) // width]
    assert k + min(max(t - start, 0), length) == calendar.cum_seconds(t)
