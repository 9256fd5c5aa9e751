"""Cells of accounting exports: signed amounts and dates in the forms ledgers write them.

core.tabular's parsers suit registers (positive amounts, US dates); a ledger needs more:
refunds are negative ("-45.00", "(45.00)", "45.00-"), Xero writes "1 Jul 2026", and
outside the US a date like 03/04/2026 is the 3rd of April. Results are cached per text:
a ledger repeats the same dates thousands of times.
"""

from __future__ import annotations

import datetime
import re
from decimal import Decimal, InvalidOperation
from typing import Any

from ciodesk.core.tabular import cell_text

CENT = Decimal("0.01")
LIMIT = Decimal("1e12")
MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ],
        start=1,
    )
    for name in names
}
NUMERIC_DATE = re.compile(
    r"(\d{1,4})[/.\-](\d{1,2})[/.\-](\d{1,4})(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?"
)
DAY_MONTH_YEAR = re.compile(r"(\d{1,2})[\s\-]+([A-Za-z]{3,9})\.?[\s\-,]+(\d{2}|\d{4})")
MONTH_DAY_YEAR = re.compile(r"([A-Za-z]{3,9})\.?\s+(\d{1,2}),?\s+(\d{4})")
AMOUNT = re.compile(
    r"(?P<sign>[-−+])?\s*(?:[A-Za-z]{3}\s*)?[$€£¥]?\s*(?P<sign2>[-−])?\s*"
    r"(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d*)?|\d+(?:\.\d*)?|\.\d+)\s*(?P<trail>-)?"
)

PLAIN = re.compile(r"-?\d{1,3}(?:,?\d{3})*\.\d\d")
MDY = "mdy"
DMY = "dmy"


def _year(text: str) -> int:
    year = int(text)
    return year + 2000 if year < 100 else year


def numeric_date_parts(text: str) -> tuple[int, int] | None:
    """The two leading numbers of a d/m/y or m/d/y date (None for ISO or other forms)."""
    m = NUMERIC_DATE.fullmatch(text)
    if m is None or len(m[1]) == 4:
        return None
    return int(m[1]), int(m[2])


def date_order_of(texts: list[str], default: str) -> str:
    """MDY or DMY for a column of dates: a first number above 12 means day first, a second
    number above 12 means month first; a column with neither keeps `default`."""
    for text in texts:
        parts = numeric_date_parts(text)
        if parts is None:
            continue
        if parts[0] > 12 >= parts[1]:
            return DMY
        if parts[1] > 12 >= parts[0]:
            return MDY
    return default


class DateReader:
    """Parses date cells in one order (MDY or DMY); remembers what it has read."""

    def __init__(self, order: str = MDY):
        self.order = order
        self._seen: dict[str, datetime.date] = {}

    def __call__(self, value: Any) -> datetime.date:
        if isinstance(value, datetime.datetime):
            return value.date()
        if isinstance(value, datetime.date):
            return value
        text = cell_text(value)
        found = self._seen.get(text)
        if found is None:
            found = self._parse(text)
            self._seen[text] = found
        return found

    def _parse(self, text: str) -> datetime.date:
        if not text:
            raise ValueError("is empty")
        try:
            if m := NUMERIC_DATE.fullmatch(text):
                a, b, c = m[1], m[2], m[3]
                if len(a) == 4:
                    return datetime.date(int(a), int(b), int(c))
                if self.order == DMY:
                    return datetime.date(_year(c), int(b), int(a))
                return datetime.date(_year(c), int(a), int(b))
            if (m := DAY_MONTH_YEAR.fullmatch(text)) and m[2].lower() in MONTHS:
                return datetime.date(_year(m[3]), MONTHS[m[2].lower()], int(m[1]))
            if (m := MONTH_DAY_YEAR.fullmatch(text)) and m[1].lower() in MONTHS:
                return datetime.date(int(m[3]), MONTHS[m[1].lower()], int(m[2]))
        except ValueError:
            raise ValueError(f"“{text}” is not a real date") from None
        example = "31/01/2026" if self.order == DMY else "01/31/2026"
        raise ValueError(f"“{text}” is not a date (such as {example}, 2026-01-31 or 31 Jan 2026)")


def is_date_text(text: str) -> bool:
    """Whether a text looks like a date at all (to tell a line from a section heading)."""
    return bool(
        NUMERIC_DATE.fullmatch(text)
        or ((m := DAY_MONTH_YEAR.fullmatch(text)) and m[2].lower() in MONTHS)
        or ((m := MONTH_DAY_YEAR.fullmatch(text)) and m[1].lower() in MONTHS)
    )


class AmountReader:
    """Parses signed amounts: -45.00, (45.00), 45.00-, $1,234.56, USD 12.00, and numbers."""

    def __init__(self) -> None:
        self._seen: dict[str, Decimal] = {}

    def __call__(self, value: Any, empty_is_zero: bool = False) -> Decimal:
        if isinstance(value, bool):
            raise ValueError("is not an amount")
        if isinstance(value, int | float | Decimal):
            return self._checked(Decimal(str(value)), str(value), rounding_allowed=True)
        text = cell_text(value)
        found = self._seen.get(text)
        if found is None:
            found = self._parse(text, empty_is_zero)
            if text:
                self._seen[text] = found
        return found

    def _parse(self, text: str, empty_is_zero: bool) -> Decimal:
        if not text:
            if empty_is_zero:
                return Decimal("0.00")
            raise ValueError("is empty")
        if PLAIN.fullmatch(text):  # the common case: -1,234.56
            amount = Decimal(text.replace(",", ""))
            if amount.as_tuple().exponent == -2 and abs(amount) < LIMIT:
                return amount
        negative = False
        inner = text
        if inner.startswith("(") and inner.endswith(")"):
            negative, inner = True, inner[1:-1].strip()
        m = AMOUNT.fullmatch(inner)
        if m is None:
            raise ValueError(f"“{text}” is not an amount such as 1234.56, -45.00 or (45.00)")
        if m["sign"] in ("-", "−") or m["sign2"] or m["trail"]:
            negative = not negative
        try:
            amount = Decimal(m["num"].replace(",", ""))
        except InvalidOperation:
            raise ValueError(f"“{text}” is not an amount") from None
        return self._checked(-amount if negative else amount, text)

    @staticmethod
    def _checked(amount: Decimal, text: str, rounding_allowed: bool = False) -> Decimal:
        if not amount.is_finite():
            raise ValueError("is not an amount")
        rounded = amount.quantize(CENT)
        # A spreadsheet's number cell may carry binary noise (45.989999999…); a typed
        # amount with three decimals is a mistake worth naming.
        if rounded != amount and not (rounding_allowed and abs(rounded - amount) < Decimal("1e-6")):
            raise ValueError(f"“{text}” has more than two decimal places")
        if abs(rounded) >= LIMIT:
            raise ValueError(f"“{text}” is too large")
        return rounded
