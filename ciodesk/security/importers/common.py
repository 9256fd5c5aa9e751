"""What the coverage importers share: finding columns by the names vendors give them,
reading their timestamps and flags, and collecting every problem before anything is written.

* Files are read by ciodesk.core.tabular (CSV UTF-8 with or without a byte-order mark, or
  XLSX; at most 10 MB). A title row or two above the headers is skipped.
* Column names are compared without case, spaces or punctuation, so the portal's
  "User principal name", the API's "userPrincipalName" and "user_principal_name" are one
  name, and a trailing space in a header changes nothing.
* A file whose headers match no known export is read through a column mapping chosen once
  by a person (saved per header signature in CoverageMapping).
* Timestamps: ISO 8601 with or without Z / an offset / fractions of a second, numeric dates
  month first (Microsoft's US format, "11/3/2026 2:15:07 PM") or day first, 12- or 24-hour
  clock, month names ("Nov 3, 2026 2:15 PM"), Unix seconds. A time without an offset is read
  in the time zone given (the client's unless the person importing says otherwise).
"""

from __future__ import annotations

import datetime
import hashlib
import re
import zoneinfo
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from typing import Any

from ciodesk.core.tabular import MAX_ERRORS, FileProblem, cell_text, normalise_header, read_table

PREVIEW_ROWS = 20
TITLE_ROWS = 10  # how far below the first line a header row is looked for
MAPPED = "mapping"


def compact(header: Any) -> str:
    """ "User principal name", "userPrincipalName", "user_principal_name " → "userprincipalname"."""
    return re.sub(r"[^a-z0-9]", "", str(header).casefold())


def signature(headers: list[str]) -> str:
    """The key a saved column mapping is found by: the file's headers, in order."""
    return hashlib.sha256("\x1f".join(compact(h) for h in headers).encode()).hexdigest()


# --- failures ---------------------------------------------------------------------------------


class CoverageFailed(Exception):
    """The export cannot be imported; `errors` lists why ("row N, column X: reason")."""

    def __init__(self, errors: list[str]):
        super().__init__(errors[0] if errors else "the file cannot be imported")
        self.errors = errors


class UnknownColumns(CoverageFailed):
    """The headers match no export we know: the columns have to be mapped by hand."""

    def __init__(self, spec: Spec, headers: list[str]):
        self.headers = headers
        missing = [f.label for f in spec.fields if f.required]
        shown = ", ".join(h for h in headers if h) or "none"
        super().__init__(
            [
                f"the columns are not recognised as a known {spec.label} (found: {shown}); "
                f"map them once to {', '.join(missing)} and the mapping is kept for the next "
                "file with the same headers"
            ]
        )


class Problems:
    """Row problems collected over the whole file, at most MAX_ERRORS of them kept."""

    def __init__(self) -> None:
        self.items: list[str] = []
        self.total = 0

    def add(self, row: int, column: str, reason: str) -> None:
        self.total += 1
        if len(self.items) < MAX_ERRORS:
            self.items.append(f"row {row}, column {column}: {reason}")

    def file(self, reason: str) -> None:
        self.total += 1
        self.items.append(reason)

    def __bool__(self) -> bool:
        return self.total > 0

    def raise_if_any(self) -> None:
        if self.total:
            errors = list(self.items)
            if self.total > len(errors):
                errors.append(f"… and {self.total - len(errors)} more problems")
            raise CoverageFailed(errors)


# --- what an export holds ---------------------------------------------------------------------


@dataclass(frozen=True)
class Field:
    key: str
    label: str
    required: bool = False
    help: str = ""


@dataclass(frozen=True)
class Format:
    """One vendor's export: per field, the header names it is known to use, best first."""

    key: str
    label: str
    columns: dict[str, tuple[str, ...]]
    extras: tuple[str, ...] = ()  # other headers of this export: they help recognise it

    def names(self) -> set[str]:
        found = {compact(h) for headers in self.columns.values() for h in headers}
        return found | {compact(h) for h in self.extras}


@dataclass(frozen=True)
class Spec:
    """One kind of coverage export: the fields ciodesk reads and the vendors' formats."""

    kind: str
    label: str
    fields: tuple[Field, ...]
    formats: tuple[Format, ...]
    recognised: Format = field(init=False)

    def __post_init__(self) -> None:
        merged: dict[str, tuple[str, ...]] = {}
        for fmt in self.formats:
            for key, names in fmt.columns.items():
                known = {compact(n) for n in merged.get(key, ())}
                fresh = {compact(n): n for n in names if compact(n) not in known}
                merged[key] = merged.get(key, ()) + tuple(fresh.values())
        union = Format("recognised", "recognised by its column names", merged)
        object.__setattr__(self, "recognised", union)

    @property
    def required(self) -> list[str]:
        return [f.key for f in self.fields if f.required]

    def label_of(self, key: str) -> str:
        return next(f.label for f in self.fields if f.key == key)


@dataclass
class Columns:
    """A table read from an export, with the position of each field ciodesk reads."""

    headers: list[str]
    header_row: int
    body: list[tuple[int, list[Any]]]
    index: dict[str, int]
    source_format: str
    source_label: str

    def has(self, key: str) -> bool:
        return key in self.index

    def get(self, values: list[Any], key: str) -> Any:
        position = self.index.get(key)
        if position is None or position >= len(values):
            return None
        return values[position]

    def name(self, key: str) -> str:
        """The column's header as the file has it (normalised), for error messages."""
        return self.headers[self.index[key]] or f"#{self.index[key] + 1}"


def locate(headers: list[str], columns: dict[str, tuple[str, ...]]) -> dict[str, int]:
    """Field → column position, trying each field's names in order of preference."""
    positions: dict[str, int] = {}
    for position, header in enumerate(headers):
        key = compact(header)
        if key:
            positions.setdefault(key, position)
    found: dict[str, int] = {}
    for name, candidates in columns.items():
        for candidate in candidates:
            position = positions.get(compact(candidate))
            if position is not None:
                found[name] = position
                break
    return found


def detect(headers: list[str], spec: Spec) -> tuple[Format, dict[str, int]] | None:
    """The vendor format these headers come from (the one sharing most header names among
    those that carry every required field), else the union of all vendors' names."""
    present = {compact(h) for h in headers if h}
    fallback = locate(headers, spec.recognised.columns)
    best: tuple[int, Format, dict[str, int]] | None = None
    for fmt in spec.formats:
        index = locate(headers, fmt.columns)
        if all(key in index for key in spec.required):
            score = len(present & fmt.names())
            if best is None or score > best[0]:
                best = (score, fmt, index)
    if best is not None:
        return best[1], {**fallback, **best[2]}
    if all(key in fallback for key in spec.required):
        return spec.recognised, fallback
    return None


def suggest_mapping(headers: list[str], spec: Spec) -> dict[str, str]:
    """A first guess for the mapping form: field → header, from every vendor's names."""
    return {key: headers[i] for key, i in locate(headers, spec.recognised.columns).items()}


def _read(data: bytes, filename: str) -> tuple[int, list[str], list[tuple[int, list[Any]]]]:
    try:
        return read_table(data, filename)
    except FileProblem as exc:
        raise CoverageFailed([str(exc)]) from None


def open_export(
    data: bytes, filename: str, spec: Spec, mapping: dict[str, str] | None = None
) -> Columns:
    """The export's table with its columns found, or CoverageFailed / UnknownColumns."""
    header_row, headers, body = _read(data, filename)
    if mapping is not None:
        index = _mapped(headers, mapping, spec)
        columns = Columns(headers, header_row, body, index, MAPPED, "columns mapped by hand")
    else:
        found = detect(headers, spec)
        if found is None:
            for position, (number, values) in enumerate(body[:TITLE_ROWS]):
                candidate = [normalise_header(v) for v in values]
                found = detect(candidate, spec)
                if found is not None:
                    header_row, headers, body = number, candidate, body[position + 1 :]
                    break
        if found is None:
            raise UnknownColumns(spec, headers)
        fmt, index = found
        columns = Columns(headers, header_row, body, index, fmt.key, fmt.label)
    if not columns.body:
        raise CoverageFailed(["the file has a header row but no rows below it"])
    return columns


def _mapped(headers: list[str], mapping: dict[str, str], spec: Spec) -> dict[str, int]:
    known = {f.key for f in spec.fields}
    index: dict[str, int] = {}
    problems = []
    for key, header in mapping.items():
        if key not in known or not header:
            continue
        if header not in headers:
            problems.append(f"the mapping names the column “{header}”, which this file lacks")
            continue
        index[key] = headers.index(header)
    missing = [spec.label_of(k) for k in spec.required if k not in index]
    if missing:
        problems.append(f"choose the column that holds: {', '.join(missing)}")
    if problems:
        raise CoverageFailed(problems)
    return index


def preview(data: bytes, filename: str, limit: int = PREVIEW_ROWS) -> tuple[list[str], list]:
    """The headers and the first rows as text, for the mapping page."""
    _, headers, body = _read(data, filename)
    rows = [[_shown(v) for v in values] for _, values in body[:limit]]
    width = len(headers)
    return headers, [row[:width] + [""] * (width - len(row)) for row in rows]


def _shown(value: Any) -> str:
    if isinstance(value, datetime.datetime):
        return value.isoformat(sep=" ")
    return cell_text(value)


def percent(part: int, whole: int) -> float | None:
    """Rounded down to one decimal, so 97.96 % shows as 97.9 % and never as a passing 98.0."""
    if not whole:
        return None
    return (part * 1000 // whole) / 10


# --- cells ------------------------------------------------------------------------------------

YES = {"yes", "y", "true", "t", "1", "registered", "capable", "enabled", "active"}
NO = {"no", "n", "false", "f", "0", "notregistered", "notcapable", "disabled", "notenabled"}


def flag(value: Any) -> bool | None:
    """True/False/Yes/No (any case) and Microsoft's words; None when the cell is empty."""
    if isinstance(value, bool):
        return value
    text = cell_text(value)
    if not text:
        return None
    word = compact(text)
    if word in YES:
        return True
    if word in NO:
        return False
    raise ValueError(f"“{text}” is not true or false (yes or no)")


def text(value: Any, limit: int) -> str:
    """Free text, cut to what the database keeps (a display name, an OS …)."""
    return cell_text(value)[:limit]


def required(value: Any, limit: int) -> str:
    found = cell_text(value)
    if not found:
        raise ValueError("is empty")
    if len(found) > limit:
        raise ValueError(f"is longer than {limit} characters")
    return found


def zone(name: str) -> zoneinfo.ZoneInfo:
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"“{name}” is not a time zone such as America/Los_Angeles") from None


_ZONE = r"\s*(?P<zone>Z|UTC|GMT|[+-]\d{2}(?::?\d{2})?)?"
_TIME = (
    r"(?P<h>\d{1,2}):(?P<mi>\d{2})(?::(?P<s>\d{2})(?:[.,](?P<f>\d+))?)?"
    r"\s*(?P<ampm>[AaPp]\.?[Mm]\.?)?"
)
ISO = re.compile(rf"(?P<y>\d{{4}})-(?P<mo>\d{{1,2}})-(?P<d>\d{{1,2}})(?:[T ]+{_TIME})?{_ZONE}")
NUMERIC = re.compile(
    r"(?P<a>\d{1,2})(?P<sep>[/.-])(?P<b>\d{1,2})(?P=sep)(?P<y>\d{4})"
    rf"(?:[ ,T]+{_TIME})?{_ZONE}"
)
NAMED = re.compile(
    r"(?:[A-Za-z]{3,9},?\s+)?"
    r"(?:(?P<mon>[A-Za-z]{3,9})\.?\s+(?P<d>\d{1,2})(?:st|nd|rd|th)?,?"
    r"|(?P<d2>\d{1,2})\s+(?P<mon2>[A-Za-z]{3,9})\.?,?)"
    rf"\s+(?P<y>\d{{4}})(?:,?\s+(?:at\s+)?{_TIME})?{_ZONE}"
)
EPOCH = re.compile(r"\d{10}(?:\d{3})?")
MONTHS = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
]
SHAPES = "2026-11-03T14:15:07Z, 11/3/2026 2:15:07 PM or Nov 3, 2026 2:15 PM"


def _month(name: str) -> int:
    word = name.casefold()
    for number, month in enumerate(MONTHS, start=1):
        if len(word) >= 3 and (month.startswith(word) or (word == "sept" and number == 9)):
            return number
    raise ValueError(f"“{name}” is not a month")


def _offset(zone_text: str | None, tz: datetime.tzinfo) -> datetime.tzinfo:
    if not zone_text:
        return tz
    if zone_text.upper() in ("Z", "UTC", "GMT"):
        return datetime.UTC
    sign = -1 if zone_text[0] == "-" else 1
    digits = zone_text[1:].replace(":", "")
    hours, minutes = int(digits[:2]), int(digits[2:4] or 0)
    return datetime.timezone(sign * datetime.timedelta(hours=hours, minutes=minutes))


def _build(year: int, month: int, day: int, m: re.Match, tz: datetime.tzinfo) -> datetime.datetime:
    hour = int(m["h"] or 0)
    if m["ampm"]:
        if not 1 <= hour <= 12:
            raise ValueError("hour outside 1–12 with AM/PM")
        hour = hour % 12 + (12 if m["ampm"][0] in "pP" else 0)
    micro = int((m["f"] or "0")[:6].ljust(6, "0"))
    moment = datetime.datetime(year, month, day, hour, int(m["mi"] or 0), int(m["s"] or 0), micro)
    return moment.replace(tzinfo=_offset(m["zone"], tz))


def moment(value: Any, tz: datetime.tzinfo, day_first: bool = False) -> datetime.datetime | None:
    """An aware datetime from a cell; None when it is empty. ValueError says what is wrong."""
    if isinstance(value, datetime.datetime):
        return value if value.tzinfo else value.replace(tzinfo=tz)
    if isinstance(value, datetime.date):
        return datetime.datetime.combine(value, datetime.time(), tzinfo=tz)
    found = cell_text(value)
    if not found:
        return None
    try:
        if m := ISO.fullmatch(found):
            return _build(int(m["y"]), int(m["mo"]), int(m["d"]), m, tz)
        if m := NUMERIC.fullmatch(found):
            a, b = int(m["a"]), int(m["b"])
            if m["sep"] == "." or a > 12 or (day_first and b <= 12):
                day, month = a, b
            else:
                month, day = a, b
            return _build(int(m["y"]), month, day, m, tz)
        if m := NAMED.fullmatch(found):
            month = _month(m["mon"] or m["mon2"])
            return _build(int(m["y"]), month, int(m["d"] or m["d2"]), m, tz)
        if EPOCH.fullmatch(found):
            seconds = int(found) / (1000 if len(found) == 13 else 1)
            return datetime.datetime.fromtimestamp(seconds, tz=datetime.UTC)
        parsed = parsedate_to_datetime(found)  # "Tue, 03 Nov 2026 14:15:07 GMT"
        return parsed if parsed.tzinfo else parsed.replace(tzinfo=tz)
    except (ValueError, TypeError, OverflowError, IndexError):
        pass
    raise ValueError(f"“{found}” is not a date and time (such as {SHAPES})")
