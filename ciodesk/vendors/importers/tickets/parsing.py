"""Cell values as the PSAs write them: timestamps, the SLA flag, counts.

Timestamps become UTC text in the form the database stores ("YYYY-MM-DD HH:MM:SS", with
".ffffff" when there are fractions of a second): the importer hands them to the database
as they are, and a million rows leave no time for a datetime object and its formatting
per value. The shapes PSAs write most are recognised without a regular expression; the
UTC offset of a local hour is computed once per hour of the file.
"""

from __future__ import annotations

import datetime
import re
import zoneinfo
from collections import deque
from collections.abc import Sequence
from itertools import repeat

UTC = datetime.UTC
_fromiso = datetime.datetime.fromisoformat
_ZERO = datetime.timedelta(0)
_HOUR = datetime.timedelta(minutes=59, seconds=59)

_US_DATE = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4}|\d{2}),?$")
_CLOCK = re.compile(r"^(\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,6}))?)?\s*(?:([AaPp])\.?[Mm]\.?)?$")
EXAMPLES = "e.g. 2026-01-31T22:05:00Z, 2026-01-31 14:05 or 01/31/2026 2:05 PM"
_CACHE_LIMIT = 200_000


class TimeReader:
    """Read a timestamp cell; naive ones are local times of `zone`.

    `day_first` reads 02/01/2026 as 2 January (for exports from outside the US).
    `suffix` is appended to each result (PostgreSQL gets "+00:00").

    Local times become UTC through the local hour: "2026-01-05 09" → "2026-01-05 17" is
    worked out once, then minutes and seconds are carried over as they are (for zones
    whose offset is whole hours; others are converted one by one). An hour that occurs
    twice when clocks go back is read as the first (daylight) one.
    """

    def __init__(self, zone: zoneinfo.ZoneInfo, *, day_first: bool = False, suffix: str = ""):
        self.zone = zone
        self.day_first = day_first
        self.suffix = suffix
        self._hours: dict[str, str | None] = {}  # local "YYYY-MM-DD HH" → UTC, or None
        self._dates: dict[str, str] = {}  # "1/5/2026" → "2026-01-05"
        self._clocks: dict[str, str] = {}  # "9:34 AM" → "09:34:00"

    # --- the result ----------------------------------------------------------------------
    def _from_local(self, local: str) -> str:
        """Canonical local text "YYYY-MM-DD HH:MM:SS[.ffffff]" → UTC text."""
        key = local[:13]
        hour = self._hours.get(key, "")
        if hour == "":
            if len(self._hours) > _CACHE_LIMIT:
                self._hours.clear()
            start = _fromiso(key + ":00:00")
            offset = start.replace(tzinfo=self.zone).utcoffset() or _ZERO
            end = (start + _HOUR).replace(tzinfo=self.zone).utcoffset() or _ZERO
            steady = offset == end and offset.total_seconds() % 3600 == 0
            hour = str(start - offset)[:13] if steady else None
            self._hours[key] = hour
        if hour is None:
            moment = _fromiso(local)
            offset = moment.replace(tzinfo=self.zone).utcoffset() or _ZERO
            return str(moment - offset) + self.suffix
        return hour + local[13:] + self.suffix

    def _local(self, moment: datetime.datetime) -> str:
        self._check_year(moment)
        return self._from_local(str(moment.replace(tzinfo=None)))

    def _aware(self, moment: datetime.datetime) -> str:
        self._check_year(moment)
        return str(moment.astimezone(UTC).replace(tzinfo=None)) + self.suffix

    def _check_year(self, moment: datetime.datetime) -> None:
        if not 1990 <= moment.year <= 2100:
            raise ValueError(f"the year {moment.year} is not plausible for a ticket")

    # --- reading -------------------------------------------------------------------------
    def __call__(self, value) -> str | None:
        if value.__class__ is str:
            size = len(value)
            try:
                # 2026-01-31T22:05:00Z — ConnectWise's and most APIs' own form.
                if size == 20 and value[19] == "Z" and value[10] == "T":
                    moment = _fromiso(value)
                    if not 1990 <= moment.year <= 2100:
                        self._check_year(moment)
                    return value[:10] + " " + value[11:19] + self.suffix
                # 2026-01-31 14:05:00 — local time, the common form of list exports.
                if size == 19 and value[4] == "-" and value[13] == ":":
                    moment = _fromiso(value)
                    if not 1990 <= moment.year <= 2100:
                        self._check_year(moment)
                    if value[10] != " ":
                        value = value[:10] + " " + value[11:]
                    return self._from_local(value)
            except ValueError as exc:
                if "plausible" in str(exc):
                    raise
            text = value.strip()
            if not text:
                return None
            return self._text(text)
        if value is None:
            return None
        if isinstance(value, datetime.datetime):
            return self._aware(value) if value.tzinfo is not None else self._local(value)
        if isinstance(value, datetime.date):
            return self._local(datetime.datetime.combine(value, datetime.time()))
        raise ValueError(f"“{value}” is not a date and time ({EXAMPLES})")

    def _text(self, text: str) -> str:
        if text[:4].isdigit() and len(text) >= 10:
            try:
                moment = _fromiso(text.replace(" UTC", "Z"))
            except ValueError:
                pass
            else:
                return self._aware(moment) if moment.tzinfo is not None else self._local(moment)
        # 01/31/2026 2:05 PM — US list exports; each date and each clock text read once.
        head, _, tail = text.partition(" ")
        date = self._dates.get(head) or self._us_date(head, text)
        tail = tail.strip()
        clock = self._clocks.get(tail) or self._clock(tail, text)
        return self._from_local(date + " " + clock)

    def _us_date(self, head: str, text: str) -> str:
        match = _US_DATE.match(head)
        if match is None:
            raise ValueError(f"“{text}” is not a date and time ({EXAMPLES})")
        first, second, year = match.groups()
        month, day = (int(second), int(first)) if self.day_first else (int(first), int(second))
        try:
            date = datetime.date(int(year) + (2000 if len(year) == 2 else 0), month, day)
        except ValueError:
            order = "day/month/year" if self.day_first else "month/day/year"
            raise ValueError(f"“{text}” is not a valid date (read as {order})") from None
        if not 1990 <= date.year <= 2100:
            raise ValueError(f"the year {date.year} is not plausible for a ticket")
        if len(self._dates) > _CACHE_LIMIT:
            self._dates.clear()
        self._dates[head] = found = date.isoformat()
        return found

    def _clock(self, tail: str, text: str) -> str:
        if not tail:
            return "00:00:00"
        match = _CLOCK.match(tail)
        if match is None:
            raise ValueError(f"“{text}” is not a date and time ({EXAMPLES})")
        hour, minute, second, fraction, half = match.groups()
        hour_n = int(hour)
        if half:
            if not 1 <= hour_n <= 12:
                raise ValueError(f"“{text}” has an hour of {hour_n} with AM/PM")
            hour_n = hour_n % 12 + (12 if half in "Pp" else 0)
        try:
            clock = datetime.time(
                hour_n, int(minute), int(second or 0), int((fraction or "0").ljust(6, "0"))
            )
        except ValueError:
            raise ValueError(f"“{text}” is not a valid time of day") from None
        if len(self._clocks) > _CACHE_LIMIT:
            self._clocks.clear()
        self._clocks[tail] = found = str(clock)
        return found


# Exact cell texts, looked up before anything slower.
BOOLEANS: dict[str, bool | None] = {
    "": None,
    **dict.fromkeys(("True", "TRUE", "true", "Yes", "YES", "yes", "Y", "y", "1"), True),
    **dict.fromkeys(("False", "FALSE", "false", "No", "NO", "no", "N", "n", "0"), False),
}


def read_column(read_time: TimeReader, cells: Sequence) -> list[str | None]:
    """A whole column of timestamps. Raises ValueError (or TypeError) on any bad cell.

    A column entirely of the API form 2026-01-31T22:05:00Z (or blank) is checked and
    converted with C-level `map`s: about a quarter of the time of one call per cell.
    """
    try:
        lengths = set(map(len, cells))
    except TypeError:  # XLSX date cells: datetime objects
        return list(map(read_time, cells))
    if lengths <= {0, 20}:
        values = list(filter(None, cells))
        if (
            all(map(str.endswith, values, repeat("Z")))
            and set(map(str.find, values, repeat("T"))) <= {10}
            and set(map(str.find, values, repeat("-"))) <= {4}
        ):
            deque(map(_fromiso, values), maxlen=0)  # raises ValueError on a bad one
            if values and (min(values) < "1990" or max(values) >= "2101"):
                return list(map(read_time, cells))  # names the implausible year
            text = map(str.rstrip, map(str.replace, cells, repeat("T"), repeat(" ")), repeat("Z"))
            if read_time.suffix:
                return [t + read_time.suffix if t else None for t in text]
            converted = list(text)
            return list(map(_BLANK.get, converted, converted))
    return list(map(read_time, cells))


_BLANK: dict[str, None] = {"": None}
_TRUE = {"true", "yes", "y", "1", "t", "met", "within sla", "in sla", "-1"}
_FALSE = {
    "false",
    "no",
    "n",
    "0",
    "f",
    "breached",
    "not met",
    "sla violated",
    "violated",
    "out of sla",
    "outside sla",
}


def parse_bool(value) -> bool | None:
    """The vendor's own SLA flag: True/False, Yes/No, 1/0, Met/Breached; blank is unknown."""
    if value.__class__ is str:
        text = value.strip().casefold()
    elif isinstance(value, bool) or value is None:
        return value
    else:
        text = str(value).strip().casefold()
    if not text:
        return None
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise ValueError(f"“{value}” is not yes or no (use True/False, Yes/No or 1/0)")


def parse_count(value) -> int | None:
    text = str(value).strip()
    if not text:
        return None
    try:
        number = float(text) if "." in text else int(text)
    except ValueError:
        raise ValueError(f"“{text}” is not a whole number") from None
    if number < 0 or number != int(number):
        raise ValueError(f"“{text}” is not a whole number of 0 or more")
    return int(number)


def zone_named(name: str) -> zoneinfo.ZoneInfo:
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise ValueError(
            f"unknown time zone “{name}” (use a name such as America/Los_Angeles)"
        ) from None
