"""Fiscal years: named by the calendar year in which they end.

A client whose fiscal year starts in July has FY2027 running from 1 July 2026 to
30 June 2027; a client whose fiscal year starts in January has FY2026 = calendar 2026.
Every budget page, the forecast and the exports use these helpers, so a fiscal year means
the same months everywhere.
"""

from __future__ import annotations

import calendar
import datetime
from dataclasses import dataclass

MONTH_ABBR = list(calendar.month_abbr)  # ["", "Jan", …, "Dec"]


@dataclass(frozen=True)
class FiscalYear:
    year: int  # the calendar year in which it ends
    start_month: int  # 1–12

    @property
    def start(self) -> datetime.date:
        first_year = self.year if self.start_month == 1 else self.year - 1
        return datetime.date(first_year, self.start_month, 1)

    @property
    def end(self) -> datetime.date:
        return add_months(self.start, 12) - datetime.timedelta(days=1)

    def months(self) -> list[datetime.date]:
        """The first day of each of its twelve months, in order."""
        return [add_months(self.start, i) for i in range(12)]

    def index_of(self, day: datetime.date) -> int:
        """0–11: which month of this fiscal year `day` falls in (it must be inside)."""
        return (day.year - self.start.year) * 12 + day.month - self.start.month

    def contains(self, day: datetime.date) -> bool:
        return self.start <= day <= self.end

    def completed_months(self, today: datetime.date) -> int:
        """How many of its months have ended by `today` (0 before it starts, 12 after)."""
        if today < self.start:
            return 0
        if today > self.end:
            return 12
        return self.index_of(today)

    @property
    def label(self) -> str:
        return f"FY{self.year}"

    @property
    def span(self) -> str:
        last = add_months(self.start, 11)
        first = self.start
        return f"{MONTH_ABBR[first.month]} {first.year} – {MONTH_ABBR[last.month]} {last.year}"

    def __str__(self) -> str:
        return self.label if self.start_month == 1 else f"{self.label} ({self.span})"


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The first day of the month `months` after the month of `day`."""
    index = day.year * 12 + day.month - 1 + months
    return datetime.date(index // 12, index % 12 + 1, 1)


def fiscal_year_of(day: datetime.date, start_month: int) -> int:
    if start_month == 1 or day.month < start_month:
        return day.year
    return day.year + 1


def fiscal_year(client, year: int | None = None) -> FiscalYear:
    """The client's fiscal year `year`, or the one it is in today."""
    start = client.fiscal_year_start_month or 1
    if year is None:
        year = fiscal_year_of(client.today(), start)
    return FiscalYear(year, start)


def month_label(day: datetime.date) -> str:
    return f"{MONTH_ABBR[day.month]} {day.year}"
