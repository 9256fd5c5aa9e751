"""Report periods are the client's fiscal quarters, written 2026Q3."""

import datetime
from types import SimpleNamespace

import pytest

from ciodesk.reports.periods import PeriodError, last_ended_quarter, parse_period, quarter_of

JANUARY = SimpleNamespace(fiscal_year_start_month=1)
JULY = SimpleNamespace(fiscal_year_start_month=7)


def test_a_january_year_has_calendar_quarters():
    q = parse_period("2026Q3", JANUARY)
    assert (q.start, q.end) == (datetime.date(2026, 7, 1), datetime.date(2026, 9, 30))
    assert q.label == "Q3 FY2026"
    assert q.span == "1 Jul – 30 Sep 2026"


def test_a_july_year_is_named_by_the_year_it_ends_in():
    q = parse_period("2026Q3", JULY)
    assert (q.start, q.end) == (datetime.date(2026, 1, 1), datetime.date(2026, 3, 31))
    first = parse_period("FY2027-q1", JULY)
    assert (first.start, first.end) == (datetime.date(2026, 7, 1), datetime.date(2026, 9, 30))
    assert first.key == "2027Q1"
    assert first.span == "1 Jul – 30 Sep 2026"


def test_quarter_of_a_day_and_the_last_ended_one():
    assert quarter_of(datetime.date(2026, 11, 22), 7).key == "2027Q2"
    assert quarter_of(datetime.date(2026, 11, 22), 1).key == "2026Q4"
    client = SimpleNamespace(fiscal_year_start_month=1, today=lambda: datetime.date(2026, 1, 5))
    assert last_ended_quarter(client).key == "2025Q4"
    assert parse_period("2025Q4", JANUARY).next().key == "2026Q1"


@pytest.mark.parametrize("text", ["", "2026", "2026Q5", "Q3 2026", "26Q3", "1999Q1", "2026Q3x"])
def test_a_bad_period_says_what_is_expected(text):
    with pytest.raises(PeriodError) as raised:
        parse_period(text, JANUARY)
    assert "2026Q3" in str(raised.value) or "between 2000 and 2100" in str(raised.value)
