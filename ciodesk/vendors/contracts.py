"""Contract dates: the renewal date, the notice deadline and the status, as pure functions.

The rules (issue 3):

* ``renewal_date`` is the last day of the current term, ``contract.end_date``. A contract
  that auto-renews and whose term has ended rolls forward by whole renewal terms until the
  renewal date is today or later. Every roll is counted from the ORIGINAL end date
  (``k × renewal_term_months`` calendar months later), never from the previous roll, so a
  clamped month (Jan 31 → Feb 28) does not drift into later terms.
* End of month: when the original end date is the last day of its month (Jan 31, Apr 30,
  Feb 28 of a common year, Feb 29 of a leap year), every rolled date is the last day of its
  month too: Feb 28 2025 + 12 months → Feb 28 2026, + 36 months → Feb 29 2028; Apr 30 +
  1 month → May 31. Otherwise the day of the month is kept and clamped to the month's last
  day: Jan 30 + 1 month → Feb 28 (Feb 29 in a leap year), + 2 months → Mar 30. A contract
  that runs to the end of a month keeps running to the end of a month.
* ``notice_deadline`` = ``renewal_date`` − ``notice_days`` days: the last day on which notice
  can still be given.
* ``status``: ``expired`` (not auto-renewing and its end date has passed), ``locked_in`` (the
  notice deadline has passed, the renewal date has not), ``act_now`` (0–30 days to the
  notice deadline), ``upcoming`` (31–120 days), ``ok`` (more than 120 days).
* "Today" is the client's today, ``client.today()``, in the client's time zone. Every
  function takes it explicitly; ``None`` means ``contract.client.today()``.

The functions read only attributes (``end_date``, ``auto_renew``, ``renewal_term_months``,
``notice_days``), so they work on unsaved contracts and on simple stand-ins in tests.
"""

from __future__ import annotations

import calendar
import datetime
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Protocol


class ContractDates(Protocol):
    end_date: datetime.date
    auto_renew: bool
    renewal_term_months: int
    notice_days: int


EXPIRED = "expired"
LOCKED_IN = "locked_in"
ACT_NOW = "act_now"
UPCOMING = "upcoming"
OK = "ok"

ACT_NOW_DAYS = 30
UPCOMING_DAYS = 120

STATUS_LABELS = {
    EXPIRED: "Expired",
    LOCKED_IN: "Locked\u00a0in",  # kept on one line in the badge
    ACT_NOW: "Act now",
    UPCOMING: "Upcoming",
    OK: "OK",
}
# The badge class each status wears on the pages (see app.css: .badge.attention, .badge.ok).
STATUS_BADGES = {EXPIRED: "", LOCKED_IN: "attention", ACT_NOW: "attention", UPCOMING: "", OK: "ok"}
# Most urgent first, for sorting by status.
STATUS_ORDER = {ACT_NOW: 0, LOCKED_IN: 1, UPCOMING: 2, OK: 3, EXPIRED: 4}


def _last_day(year: int, month: int) -> int:
    return calendar.monthrange(year, month)[1]


def add_months(start: datetime.date, months: int) -> datetime.date:
    """``start`` moved by whole calendar months, with the end-of-month rule above."""
    index = start.year * 12 + (start.month - 1) + months
    year, month = divmod(index, 12)
    month += 1
    last = _last_day(year, month)
    if start.day == _last_day(start.year, start.month):
        return datetime.date(year, month, last)
    return datetime.date(year, month, min(start.day, last))


def _today(contract: Any, today: datetime.date | None) -> datetime.date:
    return today if today is not None else contract.client.today()


def renewal_date(contract: ContractDates, today: datetime.date | None = None) -> datetime.date:
    """The last day of the current term, rolled forward for auto-renewing contracts."""
    today = _today(contract, today)
    end = contract.end_date
    if end >= today or not contract.auto_renew:
        return end
    term = max(int(contract.renewal_term_months or 12), 1)
    months_behind = (today.year - end.year) * 12 + (today.month - end.month)
    # Terms that land in a month before today's cannot reach today: start just below.
    k = max(1, months_behind // term)
    while (rolled := add_months(end, k * term)) < today:
        k += 1
    return rolled


def notice_deadline(contract: ContractDates, today: datetime.date | None = None) -> datetime.date:
    """The last day notice can be given: the renewal date minus the notice period."""
    days = int(contract.notice_days or 0)
    return renewal_date(contract, today) - datetime.timedelta(days=days)


def days_to_notice_deadline(contract: ContractDates, today: datetime.date | None = None) -> int:
    """Whole days from today to the notice deadline; negative once it has passed."""
    today = _today(contract, today)
    return (notice_deadline(contract, today) - today).days


def status_for(
    days_to_deadline: int, today: datetime.date, auto_renew: bool, end_date: datetime.date
) -> str:
    if not auto_renew and end_date < today:
        return EXPIRED
    if days_to_deadline < 0:
        return LOCKED_IN
    if days_to_deadline <= ACT_NOW_DAYS:
        return ACT_NOW
    if days_to_deadline <= UPCOMING_DAYS:
        return UPCOMING
    return OK


def contract_status(contract: ContractDates, today: datetime.date | None = None) -> str:
    """expired, locked_in, act_now, upcoming or ok (see the module's docstring)."""
    return facts(contract, today).status


@dataclass(frozen=True)
class Facts:
    """Everything computed about one contract on one day."""

    renewal_date: datetime.date
    notice_deadline: datetime.date
    days_to_notice_deadline: int
    status: str

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]

    @property
    def badge(self) -> str:
        return STATUS_BADGES[self.status]

    @property
    def days_text(self) -> str:
        """“in 12 days”, “today”, “3 days ago”: the distance to the notice deadline."""
        days = self.days_to_notice_deadline
        if days == 0:
            return "today"
        unit = "day" if abs(days) == 1 else "days"
        return f"in {days} {unit}" if days > 0 else f"{-days} {unit} ago"

    @property
    def needs_attention(self) -> bool:
        return self.status in (ACT_NOW, LOCKED_IN)


def facts(contract: ContractDates, today: datetime.date | None = None) -> Facts:
    today = _today(contract, today)
    renewal = renewal_date(contract, today)
    deadline = renewal - datetime.timedelta(days=int(contract.notice_days or 0))
    days = (deadline - today).days
    status = status_for(days, today, contract.auto_renew, contract.end_date)
    return Facts(renewal, deadline, days, status)


@dataclass(frozen=True)
class Row:
    """A contract with its facts, as the lists, exports, feeds and the CLI show it."""

    contract: Any
    facts: Facts


def rows(contracts: Iterable[Any], today: datetime.date | Mapping[int, datetime.date]) -> list[Row]:
    """Contracts with their facts, sorted by notice deadline (then vendor and title).

    ``today`` is one date (one client) or a mapping client id → that client's today.
    """
    out = []
    for contract in contracts:
        day = today if isinstance(today, datetime.date) else today[contract.client_id]
        out.append(Row(contract, facts(contract, day)))
    out.sort(key=lambda r: (r.facts.notice_deadline, str(r.contract)))
    return out


def urgency(row: Row) -> tuple[int, datetime.date]:
    """Sort key: the most urgent status first, then the nearest notice deadline."""
    return (STATUS_ORDER[row.facts.status], row.facts.notice_deadline)


SORTS = {
    "notice": lambda r: (r.facts.notice_deadline, str(r.contract)),
    "-notice": lambda r: (-r.facts.notice_deadline.toordinal(), str(r.contract)),
    "renewal": lambda r: (r.facts.renewal_date, str(r.contract)),
    "vendor": lambda r: (r.contract.vendor.name.lower(), r.contract.title.lower()),
    "value": lambda r: (-r.contract.annual_value, str(r.contract)),
    "status": urgency,
}


def sort_rows(items: list[Row], key: str) -> list[Row]:
    return sorted(items, key=SORTS.get(key, SORTS["notice"]))


def next_deadline(items: Iterable[Row]) -> Row | None:
    """The row whose notice deadline comes next (today or later), else the latest passed one."""
    items = list(items)
    ahead = [r for r in items if r.facts.days_to_notice_deadline >= 0 and r.facts.status != EXPIRED]
    if ahead:
        return min(ahead, key=lambda r: r.facts.notice_deadline)
    live = [r for r in items if r.facts.status != EXPIRED]
    return max(live, key=lambda r: r.facts.notice_deadline) if live else None
