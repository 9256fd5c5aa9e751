"""Business-time arithmetic for SLA calendars: how many minutes of the contract's calendar
lie between two moments, and when a target of N such minutes falls due.

The rule
--------
A moment counts when the wall clock in the policy's time zone shows a working weekday that
is not a holiday and a time of day from the opening time (inclusive) to the closing time
(exclusive); a 24×7 calendar counts every moment. Opening hours are wall-clock hours, so on
daylight-saving days the office still opens at 08:00 local time; an hour the clock skips
does not exist and an hour it repeats counts twice when it is within opening hours.
A closing time of 00:00 means midnight at the end of the day. Times are counted to the
second.

How it is computed
------------------
Everything reduces to one monotone function, ``cum(t)``: the business seconds from a fixed
origin to the UTC instant ``t``; then ``elapsed(a, b) = cum(b) − cum(a)`` (0 when b ≤ a)
and a due time is the inverse, the first ``t`` with ``cum(t) = cum(start) + target``.

* The time zone's history is cut into periods of constant UTC offset (found once per range
  by sampling the zone day by day and bisecting each change to the second; periods are
  cached and the range grows on demand). Within a period, wall time is ``t + offset``.
* On wall time, ``G(W)`` counts the open wall seconds in closed form: whole weeks ×
  (working days × opening length) — the fast path, O(1) however many years apart — plus a
  7-entry prefix table for the days of the last partial week, minus one opening length per
  holiday before the day (a bisect in the sorted holidays), plus the part of the current day.
* ``cum(t) = G(t + offset_i) + A_i`` for ``t`` in period ``i``, where the constants ``A_i``
  keep ``cum`` continuous across each transition (they are summed once per range). So one
  ``cum`` is a bisect over periods, a bisect over holidays and a few integer operations;
  a ticket's elapsed time is two of them.
* For scorecards over millions of tickets the same function is tabulated per UTC window
  (an hour by default): each window stores ``cum`` at its start and its single open
  segment, so ``cum(x) = K + clamp(x − segment_start, 0, segment_length)`` — O(1) per
  timestamp, and expressible in SQL as one integer-key join (see ``windows``). A window
  never holds more than one open segment; calendars where an hour would (gaps shorter than
  an hour between closing and opening) are tabulated with smaller windows.
* ``add_minutes`` walks periods forward from the start and inverts ``G`` inside the right
  one with an exponential-then-binary search over whole days: O(log) evaluations of ``G``.
"""

from __future__ import annotations

import bisect
import datetime as dt
import zoneinfo
from collections.abc import Iterable
from typing import Any

DAY = 86_400
_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
_EPOCH_ORDINAL = dt.date(1970, 1, 1).toordinal()
_EPOCH_WEEKDAY = 3  # 1970-01-01 was a Thursday (Monday = 0)
_MIN_T = int((dt.datetime(1, 1, 2, tzinfo=dt.UTC) - _EPOCH).total_seconds())
_MAX_T = int((dt.datetime(9999, 12, 30, tzinfo=dt.UTC) - _EPOCH).total_seconds())
_PAD = 60 * DAY
WEEKDAY_NAMES = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]


def epoch_seconds(moment: dt.datetime) -> int:
    """Whole seconds since 1970 of an aware datetime (rounded to the millisecond, then floored,
    the way SQLite's unixepoch() reads a stored timestamp)."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("Business time needs aware datetimes (with a time zone).")
    micro = (moment - _EPOCH) // dt.timedelta(microseconds=1)
    return (micro + 500) // 1_000_000


def _seconds_of_day(value: dt.time) -> int:
    return value.hour * 3600 + value.minute * 60 + value.second


class BusinessCalendar:
    """An SLA calendar: 24×7, or working weekdays with opening hours in a time zone, less
    holidays. Build one from a policy with ``BusinessCalendar.from_policy(policy)``."""

    def __init__(
        self,
        *,
        always_open: bool = False,
        weekdays: Iterable[int] = (0, 1, 2, 3, 4),
        opens: dt.time = dt.time(8, 0),
        closes: dt.time = dt.time(17, 0),
        time_zone: str = "UTC",
        holidays: Iterable[dt.date] = (),
    ) -> None:
        self.always_open = always_open
        self.time_zone = time_zone
        self.tz = zoneinfo.ZoneInfo(time_zone)
        self.weekdays = frozenset(int(d) for d in weekdays)
        if not self.weekdays <= set(range(7)):
            raise ValueError("Working days are numbers from 0 (Monday) to 6 (Sunday).")
        self.opens, self.closes = opens, closes
        self.holiday_dates = sorted(set(holidays))
        self._open = _seconds_of_day(opens)
        close = _seconds_of_day(closes)
        self._close = DAY if close == 0 else close
        if not always_open:
            if self._close <= self._open:
                raise ValueError(
                    f"The closing time {closes:%H:%M} must be after the opening time "
                    f"{opens:%H:%M} (use 00:00 for midnight)."
                )
            if not self.weekdays:
                raise ValueError("A business-hours calendar needs at least one working day.")
        self._len = self._close - self._open
        working = [(j + _EPOCH_WEEKDAY) % 7 in self.weekdays for j in range(7)]
        self._prefix = [self._len * sum(working[:r]) for r in range(8)]
        self._week = self._prefix[7]
        self._holidays = sorted(
            d.toordinal() - _EPOCH_ORDINAL
            for d in self.holiday_dates
            if d.weekday() in self.weekdays
        )
        self._holiday_set = frozenset(self._holidays)
        self._starts: list[int] = []
        self._offsets: list[int] = []
        self._adjust: list[int] = []
        self._lo = self._hi = 0
        self._anchor: int | None = None

    @classmethod
    def from_policy(cls, policy: Any) -> BusinessCalendar:
        """The calendar of an ``SLAPolicy`` (its holidays are read from the database)."""
        if policy.calendar == "24x7":
            return cls(always_open=True, time_zone=policy.time_zone or "UTC")
        return cls(
            weekdays=policy.weekday_set(),
            opens=policy.opens_at,
            closes=policy.closes_at,
            time_zone=policy.time_zone,
            holidays=[h.date for h in policy.holidays.all()],
        )

    def describe(self) -> str:
        """E.g. "Mon–Fri 08:00–17:00 America/Los_Angeles, 3 holidays" or "24×7"."""
        if self.always_open:
            return "24×7"
        days = sorted(self.weekdays)
        if len(days) > 2 and days == list(range(days[0], days[-1] + 1)):
            day_text = f"{WEEKDAY_NAMES[days[0]]}–{WEEKDAY_NAMES[days[-1]]}"
        else:
            day_text = ", ".join(WEEKDAY_NAMES[d] for d in days)
        closes = "24:00" if self._close == DAY else f"{self.closes:%H:%M}"
        text = f"{day_text} {self.opens:%H:%M}–{closes} {self.time_zone}"
        count = len(self.holiday_dates)
        if count:
            text += f", {count} holiday{'s' if count != 1 else ''}"
        return text

    # --- the zone's offset periods ---------------------------------------------------------
    def _offset_at(self, t: int) -> int:
        return int(dt.datetime.fromtimestamp(t, self.tz).utcoffset().total_seconds())

    def _ensure(self, lo: float, hi: float) -> None:
        """Make the cached offset periods cover [lo, hi]."""
        if self._starts and self._lo <= lo and hi < self._hi:
            return
        if self._anchor is None:
            self._anchor = int(lo)
        new_lo = int(min(lo, self._lo if self._starts else lo)) // DAY * DAY - _PAD
        new_hi = int(max(hi, self._hi if self._starts else hi)) // DAY * DAY + _PAD
        new_lo, new_hi = max(new_lo, _MIN_T), min(new_hi, _MAX_T)
        if not (new_lo <= lo and hi < new_hi):
            raise ValueError("Business time is supported from year 1 to year 9999.")
        starts, offsets = [new_lo], [self._offset_at(new_lo)]
        t = new_lo
        while t < new_hi:
            nxt = min(t + DAY, new_hi)
            off = self._offset_at(nxt)
            if off != offsets[-1]:
                a, b = t, nxt  # offset(a) is the old one, offset(b) the new one
                while b - a > 1:
                    mid = (a + b) // 2
                    if self._offset_at(mid) == offsets[-1]:
                        a = mid
                    else:
                        b = mid
                starts.append(b)
                offsets.append(off)
            t = nxt
        adjust = [0] * len(starts)
        for i in range(1, len(starts)):
            boundary = starts[i]
            adjust[i] = (
                adjust[i - 1]
                + self._wall_cum(boundary + offsets[i - 1])
                - self._wall_cum(boundary + offsets[i])
            )
        anchor_period = bisect.bisect_right(starts, self._anchor) - 1
        shift = adjust[anchor_period]
        self._starts, self._offsets = starts, offsets
        self._adjust = [a - shift for a in adjust]
        self._lo, self._hi = new_lo, new_hi

    # --- wall-clock counting ---------------------------------------------------------------
    def _is_open_day(self, day: int) -> bool:
        return (day + _EPOCH_WEEKDAY) % 7 in self.weekdays and day not in self._holiday_set

    def _day_cum(self, day: int) -> int:
        """Open wall seconds before the start of wall day ``day`` (days since 1970-01-01)."""
        weeks, rest = divmod(day, 7)
        holidays = bisect.bisect_left(self._holidays, day)
        return weeks * self._week + self._prefix[rest] - self._len * holidays

    def _wall_cum(self, wall: float) -> float:
        day = int(wall // DAY)
        total = self._day_cum(day)
        if self._is_open_day(day):
            total += min(max(wall - day * DAY - self._open, 0), self._len)
        return total

    def _wall_inverse(self, target: float, wall_min: float) -> float:
        """The first wall time W ≥ wall_min with G(W) ≥ target."""
        if self._wall_cum(wall_min) >= target:
            return wall_min
        first = int(wall_min // DAY)
        lo, step = first, 1  # lo: a day whose end has not reached the target
        if self._day_cum(lo + 1) < target:
            while self._day_cum(lo + step + 1) < target:
                lo, step = lo + step, step * 2
            hi = lo + step  # its end reaches the target
            while hi - lo > 1:
                mid = (lo + hi) // 2
                if self._day_cum(mid + 1) < target:
                    lo = mid
                else:
                    hi = mid
            day = hi
        else:
            day = lo
        return day * DAY + self._open + (target - self._day_cum(day))

    # --- the public arithmetic -------------------------------------------------------------
    def cum_seconds(self, t: float) -> float:
        """Business seconds from this calendar's origin to the epoch instant ``t``
        (an int for an int); only differences are meaningful."""
        if self.always_open:
            return t
        if not (self._starts and self._lo <= t < self._hi):
            self._ensure(t, t)
        i = bisect.bisect_right(self._starts, t) - 1
        return self._wall_cum(t + self._offsets[i]) + self._adjust[i]

    def elapsed_seconds(self, start: dt.datetime, end: dt.datetime) -> int:
        a, b = epoch_seconds(start), epoch_seconds(end)
        if b <= a:
            return 0
        return int(self.cum_seconds(b) - self.cum_seconds(a))

    def elapsed_minutes(self, start: dt.datetime, end: dt.datetime) -> float:
        """Minutes of this calendar from ``start`` to ``end`` (0 when end ≤ start)."""
        for moment in (start, end):
            if moment.tzinfo is None or moment.utcoffset() is None:
                raise ValueError("Business time needs aware datetimes (with a time zone).")
        a, b = start.timestamp(), end.timestamp()
        if b <= a:
            return 0.0
        if self.always_open:  # exact to the microsecond (aware datetimes subtract in UTC)
            return (end.astimezone(dt.UTC) - start.astimezone(dt.UTC)) / dt.timedelta(minutes=1)
        return max(0.0, self.cum_seconds(b) - self.cum_seconds(a)) / 60

    def add_minutes(self, start: dt.datetime, minutes: float) -> dt.datetime:
        """The first moment at which ``minutes`` of this calendar have passed since
        ``start``: the due time of a target."""
        if start.tzinfo is None or start.utcoffset() is None:
            raise ValueError("Business time needs aware datetimes (with a time zone).")
        if minutes < 0:
            raise ValueError("A target cannot be negative.")
        if minutes == 0:
            return start
        if self.always_open:  # in UTC: adding to a local time would add wall-clock time
            due = start.astimezone(dt.UTC) + dt.timedelta(minutes=minutes)
            return due.astimezone(start.tzinfo)
        t0 = start.timestamp()
        target = self.cum_seconds(t0) + minutes * 60
        i = bisect.bisect_right(self._starts, t0) - 1
        while True:
            last = i + 1 >= len(self._starts)
            end = self._hi if last else self._starts[i + 1]
            if target <= self._wall_cum(end + self._offsets[i]) + self._adjust[i]:
                wall_min = max(t0, self._starts[i]) + self._offsets[i]
                wall = self._wall_inverse(target - self._adjust[i], wall_min)
                t = wall - self._offsets[i]
                return dt.datetime.fromtimestamp(t, dt.UTC).astimezone(start.tzinfo)
            if last:
                per_week = max(self._week - self._len * len(self._holidays), self._len)
                weeks = (target - self.cum_seconds(self._lo)) / per_week + 2
                self._ensure(self._lo, self._hi + int(weeks * 7 * DAY))
                i = bisect.bisect_right(self._starts, t0) - 1
                continue
            i += 1

    # --- tabulation for bulk and SQL -------------------------------------------------------
    def open_intervals(self, lo: int, hi: int) -> list[tuple[int, int]]:
        """The open stretches within [lo, hi) as (start, end) epoch seconds, merged."""
        if self.always_open:
            return [(lo, hi)] if hi > lo else []
        self._ensure(lo, hi)
        out: list[tuple[int, int]] = []
        first = bisect.bisect_right(self._starts, lo) - 1
        for i in range(first, len(self._starts)):
            p_lo = max(lo, self._starts[i])
            p_hi = min(hi, self._starts[i + 1] if i + 1 < len(self._starts) else self._hi)
            if p_lo >= p_hi:
                if self._starts[i] >= hi:
                    break
                continue
            off = self._offsets[i]
            for day in range((p_lo + off) // DAY, (p_hi - 1 + off) // DAY + 1):
                if not self._is_open_day(day):
                    continue
                a = max(day * DAY + self._open - off, p_lo)
                b = min(day * DAY + self._close - off, p_hi)
                if a >= b:
                    continue
                if out and out[-1][1] >= a:
                    out[-1] = (out[-1][0], max(out[-1][1], b))
                else:
                    out.append((a, b))
        return out

    def windows(
        self, lo: int, hi: int, width: int = 3600
    ) -> list[tuple[int, int, int, int]] | None:
        """The calendar tabulated per window of ``width`` seconds from ``lo``: rows
        (index, cum at window start, open segment start, open segment length), so that for
        ``x`` in window ``(x − lo) // width``: cum(x) = K + clamp(x − start, 0, length).
        None when some window holds more than one open segment (use a smaller width)."""
        count = max(0, -(-(hi - lo) // width))
        intervals = self.open_intervals(lo, lo + count * width)
        rows = []
        k = int(self.cum_seconds(lo))
        j = 0
        for index in range(count):
            w_lo = lo + index * width
            w_hi = w_lo + width
            while j < len(intervals) and intervals[j][1] <= w_lo:
                j += 1
            seg_start, seg_len = w_lo, 0
            if j < len(intervals) and intervals[j][0] < w_hi:
                a, b = max(intervals[j][0], w_lo), min(intervals[j][1], w_hi)
                if b < w_hi and j + 1 < len(intervals) and intervals[j + 1][0] < w_hi:
                    return None
                seg_start, seg_len = a, b - a
            rows.append((index, k, seg_start, seg_len))
            k += seg_len
        return rows
