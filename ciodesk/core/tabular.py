"""Reading CSV and XLSX tables and parsing their cells, for every importer.

* CSV in UTF-8, with or without a byte-order mark (Excel's "CSV UTF-8"), comma, semicolon or
  tab separated; XLSX: the first worksheet. Old .xls workbooks are refused with a reason.
* Rows are numbered as a spreadsheet numbers them (the first line is row 1), so an error can
  say "row N, column X: reason".
* Headers are normalised: lower case, runs of spaces and dashes become "_".
* ``is_header`` picks the header row when a file starts with title rows (QuickBooks does);
  by default the first non-empty row is the header.
"""

from __future__ import annotations

import csv
import datetime
import io
import re
from collections.abc import Callable, Iterator
from decimal import Decimal
from pathlib import Path
from typing import IO, Any

from ciodesk.tenancy.models import CURRENCIES

MAX_BYTES = 10 * 1024 * 1024
MAX_ERRORS = 200
CURRENCY_CODES = {code for code, _ in CURRENCIES}
TRUE = {"yes", "y", "true", "t", "1"}
FALSE = {"no", "n", "false", "f", "0"}
US_DATE = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")
ISO_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})(?:[ T]00:00(?::00)?)?")
AMOUNT = re.compile(
    r"(?:[A-Za-z]{0,3}[$€£¥]|[A-Za-z]{3}\s+)?\s*"
    r"(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d*)?|\d+(?:\.\d*)?|\.\d+)"
)


class FileProblem(Exception):
    """The file as a whole cannot be read (not a row's fault)."""


# --- reading the file -----------------------------------------------------------------------


def read_bytes(file: bytes | str | Path | IO[bytes], max_bytes: int = MAX_BYTES) -> bytes:
    """The file's bytes, up to one more than `max_bytes` (so read_table can refuse it)."""
    if isinstance(file, bytes):
        return file
    if isinstance(file, str | Path):
        try:
            with open(file, "rb") as handle:
                data = handle.read(max_bytes + 1)
        except OSError as exc:
            raise FileProblem(f"cannot read {file}: {exc.strerror or exc}") from exc
        return data
    if hasattr(file, "seek"):
        file.seek(0)
    return file.read(max_bytes + 1)


def _csv_rows(data: bytes) -> Iterator[tuple[int, list[Any]]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise FileProblem(
            "the file is not UTF-8 text; save it from the spreadsheet as “CSV UTF-8” or XLSX"
        ) from exc
    if "\x00" in text:
        raise FileProblem("the file is not a CSV text file (it contains binary data)")
    first_line = text.split("\n", 1)[0]
    delimiter = ","
    if "," not in first_line:
        delimiter = ";" if ";" in first_line else ("\t" if "\t" in first_line else ",")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        yield from enumerate(reader, start=1)
    except csv.Error as exc:
        raise FileProblem(f"the CSV cannot be read near row {reader.line_num}: {exc}") from exc


def _xlsx_rows(data: bytes) -> Iterator[tuple[int, list[Any]]]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        sheet = book.worksheets[0]
        rows = list(sheet.iter_rows(values_only=True))
        book.close()
    except Exception as exc:  # openpyxl raises many kinds for a damaged or foreign file
        raise FileProblem("the file is not a readable XLSX workbook") from exc
    for number, values in enumerate(rows, start=1):
        yield number, list(values)


def normalise_header(value: Any) -> str:
    return re.sub(r"[\s\-]+", "_", cell_text(value).lower())


def read_table(
    data: bytes,
    filename: str,
    is_header: Callable[[list[str]], bool] | None = None,
    max_bytes: int = MAX_BYTES,
) -> tuple[int, list[str], list[tuple[int, list[Any]]]]:
    """(header row number, normalised headers, data rows with their spreadsheet numbers).

    `max_bytes` lets an importer of long files (a ledger of several years) accept more
    than the 10 MB that suits a list of contracts.
    """
    if not data.strip():
        raise FileProblem("the file is empty")
    if len(data) > max_bytes:
        raise FileProblem(f"the file is larger than {max_bytes // (1024 * 1024)} MB")
    name = filename.lower()
    if name.endswith(".xls") or data.startswith(b"\xd0\xcf\x11\xe0"):
        raise FileProblem("old .xls workbooks are not read; save it as .xlsx or CSV UTF-8")
    is_xlsx = name.endswith((".xlsx", ".xlsm")) or data.startswith(b"PK\x03\x04")
    records = _xlsx_rows(data) if is_xlsx else _csv_rows(data)
    header_number, headers = 0, []
    body = []
    for number, values in records:
        if not headers:
            candidate = [normalise_header(v) for v in values]
            if any(candidate) and (is_header is None or is_header(candidate)):
                header_number = number
                headers = candidate
            continue
        # CSV cells are all text: one join tells a blank row, cheaper than a test per cell
        # on a file of 200,000 rows.
        if (not is_xlsx and "".join(values).strip()) or (
            is_xlsx and any(cell_text(v) for v in values)
        ):
            body.append((number, values))
    if not headers:
        raise FileProblem("the file is empty" if is_header is None else "no header row found")
    return header_number, headers, body


# --- values -----------------------------------------------------------------------------------


def cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def parse_date(value: Any) -> datetime.date | None:
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = cell_text(value)
    if not text:
        return None
    try:
        if m := ISO_DATE.fullmatch(text):
            return datetime.date(int(m[1]), int(m[2]), int(m[3]))
        if m := US_DATE.fullmatch(text):
            return datetime.date(int(m[3]), int(m[1]), int(m[2]))
    except ValueError:
        pass
    raise ValueError(f"“{text}” is not a date (use YYYY-MM-DD or MM/DD/YYYY)")


def parse_bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    text = cell_text(value).lower()
    if text in TRUE:
        return True
    if text in FALSE:
        return False
    if not text:
        raise ValueError("is empty (use yes or no)")
    raise ValueError(f"“{text}” is not yes or no")


def parse_int(value: Any, low: int, high: int) -> int:
    text = cell_text(value)
    if not re.fullmatch(r"\d+", text):
        raise ValueError(f"“{text}” is not a whole number" if text else "is empty")
    number = int(text)
    if not low <= number <= high:
        raise ValueError(f"{number} is outside {low}–{high}")
    return number


def parse_amount(value: Any) -> Decimal:
    if isinstance(value, bool):
        raise ValueError("is not an amount")
    if isinstance(value, int | float | Decimal):
        amount = Decimal(str(value))
    else:
        text = cell_text(value)
        if not text:
            return Decimal("0.00")
        m = AMOUNT.fullmatch(text)
        if m is None:
            raise ValueError(f"“{text}” is not an amount such as 54000.00 or $54,000.00")
        amount = Decimal(m["num"].replace(",", "") or "0")
    if not amount.is_finite():
        raise ValueError("is not an amount")
    if amount < 0:
        raise ValueError("is negative")
    if amount != amount.quantize(Decimal("0.01")):
        raise ValueError(f"{amount} has more than two decimal places")
    if amount >= Decimal("1e12"):
        raise ValueError(f"{amount} is too large")
    return amount.quantize(Decimal("0.01"))


def parse_currency(value: Any, default: str) -> str:
    text = cell_text(value).upper()
    if not text:
        return default
    if text not in CURRENCY_CODES:
        raise ValueError(f"“{text}” is not one of {', '.join(sorted(CURRENCY_CODES))}")
    return text


def required_text(value: Any, limit: int) -> str:
    text = cell_text(value)
    if not text:
        raise ValueError("is empty")
    if len(text) > limit:
        raise ValueError(f"is longer than {limit} characters")
    return text


def preview(data: bytes | None, filename: str, limit: int) -> tuple[list[str], list[list[Any]]]:
    """The headers and first rows of a staged file for a mapping page; nothing to show when
    the file is gone or unreadable (the import itself then says why)."""
    if data is None:
        return [], []
    try:
        _, headers, body = read_table(data, filename)
    except FileProblem:
        return [], []
    return headers, [values for _, values in body[:limit]]
