"""Report periods: the client's fiscal quarters, written like ``2026Q3``.

A QBR covers one quarter of the client's fiscal year, named the way the budget names
fiscal years (``ciodesk.budget.fiscal``: by the calendar year in which the year ends) and
the way roadmap items are planned (``fiscal_year`` + ``quarter``). So the board report,
the budget and the roadmap always mean the same months:

* a client whose fiscal year starts in January: ``2026Q3`` = 1 July – 30 September 2026,
  the calendar quarter;
* a client whose fiscal year starts in July: FY2026 runs July 2025 – June 2026, so
  ``2026Q3`` = 1 January – 31 March 2026.

``parse_period`` accepts ``2026Q3``, ``2026-Q3``, ``FY2026Q3`` and ``fy2026 q3``; the
canonical spelling kept on a report is ``2026Q3``.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

_PATTERN = re.compile(r"^\s*(?:FY)?\s*(\d{4})\s*-?\s*Q([1-4])\s*$", re.IGNORECASE)


class PeriodError(ValueError):
    """The text is not a quarter; the message says what is expected, in one line."""


def _add_months(day: datetime.date, months: int) -> datetime.date:
    index = day.year * 12 + day.month - 1 + months
    return datetime.date(index // 12, index % 12 + 1, 1)


@dataclass(frozen=True)
class Quarter:
    fiscal_year: int  # named by the calendar year in which the fiscal year ends
    quarter: int  # 1–4
    start_month: int  # the client's first fiscal month, 1–12

    @property
    def start(self) -> datetime.date:
        first_year = self.fiscal_year if self.start_month == 1 else self.fiscal_year - 1
        return _add_months(datetime.date(first_year, self.start_month, 1), 3 * (self.quarter - 1))

    @property
    def end(self) -> datetime.date:
        return _add_months(self.start, 3) - datetime.timedelta(days=1)

    @property
    def key(self) -> str:
        return f"{self.fiscal_year}Q{self.quarter}"

    @property
    def label(self) -> str:
        return f"Q{self.quarter} FY{self.fiscal_year}"

    @property
    def span(self) -> str:
        """ "1 Jul – 30 Sep 2026": the dates the quarter covers."""
        start, end = self.start, self.end
        first = f"{start.day} {start:%b}" + ("" if start.year == end.year else f" {start.year}")
        return f"{first} – {end.day} {end:%b} {end.year}"

    def months(self) -> list[datetime.date]:
        return [_add_months(self.start, i) for i in range(3)]

    def next(self) -> Quarter:
        if self.quarter == 4:
            return Quarter(self.fiscal_year + 1, 1, self.start_month)
        return Quarter(self.fiscal_year, self.quarter + 1, self.start_month)

    def previous(self) -> Quarter:
        if self.quarter == 1:
            return Quarter(self.fiscal_year - 1, 4, self.start_month)
        return Quarter(self.fiscal_year, self.quarter - 1, self.start_month)

    def contains(self, day: datetime.date) -> bool:
        return self.start <= day <= self.end

    def as_of(self, today: datetime.date) -> datetime.date:
        """The day the report reads the figures on: the quarter's last day once it has
        ended, else today (a QBR of the current quarter is a quarter to date)."""
        return min(self.end, today)

    def __str__(self) -> str:
        return self.key


def start_month_of(client) -> int:
    return int(getattr(client, "fiscal_year_start_month", 1) or 1)


def quarter_of(day: datetime.date, start_month: int) -> Quarter:
    """The fiscal quarter containing ``day``."""
    fiscal_year = day.year if start_month == 1 or day.month < start_month else day.year + 1
    return Quarter(fiscal_year, (day.month - start_month) % 12 // 3 + 1, start_month)


def parse_period(text: str, client) -> Quarter:
    """``2026Q3`` (or ``FY2026Q3``, ``2026-Q3``) as the client's fiscal quarter."""
    match = _PATTERN.match(text or "")
    if match is None:
        raise PeriodError(
            f"“{text}” is not a quarter: write the fiscal year and the quarter, e.g. 2026Q3"
        )
    year = int(match.group(1))
    if not 2000 <= year <= 2100:
        raise PeriodError(f"“{text}”: the year must be between 2000 and 2100")
    return Quarter(year, int(match.group(2)), start_month_of(client))


def period_title(text: str, client) -> str:
    """ "Q1 FY2027 · 1 Jul – 30 Sep 2026" for a quarter's key; anything else as it is (the
    brief's period is its date)."""
    try:
        quarter = parse_period(text, client)
    except PeriodError:
        return text
    return f"{quarter.label} · {quarter.span}"


def last_ended_quarter(client, today: datetime.date | None = None) -> Quarter:
    """The most recent quarter that has ended: what a QBR covers by default."""
    today = today or client.today()
    return quarter_of(today, start_month_of(client)).previous()


def current_quarter(client, today: datetime.date | None = None) -> Quarter:
    today = today or client.today()
    return quarter_of(today, start_month_of(client))
