"""Import contracts from CSV or XLSX.

Columns, exactly (headers case-insensitive, in any order, extra columns ignored)::

    vendor, contract, start_date, end_date, auto_renew, renewal_term_months,
    notice_days, annual_value, currency

* CSV in UTF-8, with or without a byte-order mark (Excel's "CSV UTF-8"); XLSX: the first
  worksheet, headers in its first non-empty row.
* Dates ``YYYY-MM-DD`` or ``MM/DD/YYYY`` (or real date cells in XLSX).
* ``auto_renew``: yes/no, true/false, y/n, 1/0.
* ``annual_value``: a decimal amount; thousands separators and a leading currency symbol are
  allowed ("$54,000.00"). Empty means 0.00. ``currency`` empty means the client's currency.
* ``start_date`` empty is allowed; ``renewal_term_months`` empty means 12.

The whole file is validated first; any error (named "row N, column X: reason", rows counted
as a spreadsheet counts them, the header being row 1) means nothing is written. Otherwise
the rows are written in one transaction: vendors are created as needed, contracts are matched
on (vendor, contract title), both case-insensitively, and updated in place, so importing the
same file again changes nothing. Every write goes through ``save()``, so each created or
changed contract and vendor has its own audit record.

New vendors and contracts need an owner: the new contract takes its vendor's owner; a new
vendor takes the client's first person by name, or, when the client has no people yet, the
practice's first person by name.
"""

from __future__ import annotations

import csv
import datetime
import io
import re
from collections.abc import Iterator
from contextlib import nullcontext
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import IO, Any

from django.db import transaction

from ciodesk.core.scope import acting_as, scope
from ciodesk.tenancy.models import CURRENCIES, Client, Person

COLUMNS = (
    "vendor",
    "contract",
    "start_date",
    "end_date",
    "auto_renew",
    "renewal_term_months",
    "notice_days",
    "annual_value",
    "currency",
)
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


@dataclass
class ContractImportResult:
    filename: str
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    vendors_created: int = 0
    errors: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    def summary(self) -> str:
        if not self.ok:
            return f"{self.filename}: {len(self.errors)} error(s); nothing was imported."
        return (
            f"{self.filename}: {self.rows} contract(s) read — {self.created} added, "
            f"{self.updated} updated, {self.unchanged} unchanged; "
            f"{self.vendors_created} vendor(s) added."
        )


@dataclass(frozen=True)
class ParsedRow:
    number: int
    vendor: str
    title: str
    start_date: datetime.date | None
    end_date: datetime.date
    auto_renew: bool
    renewal_term_months: int
    notice_days: int
    annual_value: Decimal
    currency: str

    def contract_fields(self) -> dict[str, Any]:
        return {
            "start_date": self.start_date,
            "end_date": self.end_date,
            "auto_renew": self.auto_renew,
            "renewal_term_months": self.renewal_term_months,
            "notice_days": self.notice_days,
            "annual_value": self.annual_value,
            "currency": self.currency,
        }


# --- reading the file -----------------------------------------------------------------------


def _read_bytes(file: bytes | str | Path | IO[bytes]) -> bytes:
    if isinstance(file, bytes):
        return file
    if isinstance(file, str | Path):
        try:
            with open(file, "rb") as handle:
                data = handle.read(MAX_BYTES + 1)
        except OSError as exc:
            raise FileProblem(f"cannot read {file}: {exc.strerror or exc}") from exc
        return data
    if hasattr(file, "seek"):
        file.seek(0)
    return file.read(MAX_BYTES + 1)


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


def read_table(data: bytes, filename: str) -> tuple[int, list[str], list[tuple[int, list[Any]]]]:
    """(header row number, normalised headers, data rows with their spreadsheet numbers)."""
    if not data.strip():
        raise FileProblem("the file is empty")
    if len(data) > MAX_BYTES:
        raise FileProblem(f"the file is larger than {MAX_BYTES // (1024 * 1024)} MB")
    name = filename.lower()
    if name.endswith(".xls") or data.startswith(b"\xd0\xcf\x11\xe0"):
        raise FileProblem("old .xls workbooks are not read; save it as .xlsx or CSV UTF-8")
    is_xlsx = name.endswith((".xlsx", ".xlsm")) or data.startswith(b"PK\x03\x04")
    records = _xlsx_rows(data) if is_xlsx else _csv_rows(data)
    header_number, headers = 0, []
    body = []
    for number, values in records:
        if not headers:
            if any(_text(v) for v in values):
                header_number = number
                headers = [re.sub(r"[\s\-]+", "_", _text(v).lower()) for v in values]
            continue
        if any(_text(v) for v in values):
            body.append((number, values))
    if not headers:
        raise FileProblem("the file is empty")
    return header_number, headers, body


# --- values -----------------------------------------------------------------------------------


def _text(value: Any) -> str:
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
    text = _text(value)
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
    text = _text(value).lower()
    if text in TRUE:
        return True
    if text in FALSE:
        return False
    if not text:
        raise ValueError("is empty (use yes or no)")
    raise ValueError(f"“{text}” is not yes or no")


def parse_int(value: Any, low: int, high: int) -> int:
    text = _text(value)
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
        text = _text(value)
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
    text = _text(value).upper()
    if not text:
        return default
    if text not in CURRENCY_CODES:
        raise ValueError(f"“{text}” is not one of {', '.join(sorted(CURRENCY_CODES))}")
    return text


def _required_text(value: Any, limit: int) -> str:
    text = _text(value)
    if not text:
        raise ValueError("is empty")
    if len(text) > limit:
        raise ValueError(f"is longer than {limit} characters")
    return text


# --- validation -------------------------------------------------------------------------------


def _parse_row(
    number: int, values: dict[str, Any], client: Client, errors: list[str]
) -> ParsedRow | None:
    parsed: dict[str, Any] = {}
    parsers = {
        "vendor": lambda v: _required_text(v, 200),
        "contract": lambda v: _required_text(v, 200),
        "start_date": parse_date,
        "end_date": lambda v: parse_date(v) or _raise("is empty (the last day of the term)"),
        "auto_renew": parse_bool,
        "renewal_term_months": lambda v: parse_int(v, 1, 120) if _text(v) else 12,
        "notice_days": lambda v: parse_int(v, 0, 3650),
        "annual_value": parse_amount,
        "currency": lambda v: parse_currency(v, client.currency),
    }
    before = len(errors)
    for column, parse in parsers.items():
        try:
            parsed[column] = parse(values.get(column))
        except ValueError as exc:
            errors.append(f"row {number}, column {column}: {exc}")
    if len(errors) > before:
        return None
    if parsed["start_date"] and parsed["start_date"] > parsed["end_date"]:
        errors.append(f"row {number}, column start_date: is after end_date")
        return None
    return ParsedRow(
        number=number,
        vendor=parsed["vendor"],
        title=parsed["contract"],
        start_date=parsed["start_date"],
        end_date=parsed["end_date"],
        auto_renew=parsed["auto_renew"],
        renewal_term_months=parsed["renewal_term_months"],
        notice_days=parsed["notice_days"],
        annual_value=parsed["annual_value"],
        currency=parsed["currency"],
    )


def _raise(message: str):
    raise ValueError(message)


def validate(data: bytes, filename: str, client: Client) -> tuple[list[ParsedRow], list[str]]:
    """Every row parsed, or the list of what is wrong (then the rows are not to be used)."""
    try:
        _, headers, body = read_table(data, filename)
    except FileProblem as exc:
        return [], [str(exc)]
    missing = [c for c in COLUMNS if c not in headers]
    if missing:
        return [], [f"missing column(s): {', '.join(missing)} (found: {', '.join(headers)})"]
    repeated = sorted({h for h in headers if h in COLUMNS and headers.count(h) > 1})
    if repeated:
        return [], [f"column(s) appear twice: {', '.join(repeated)}"]
    if not body:
        return [], ["the file has a header row but no contracts"]
    index = {h: i for i, h in enumerate(headers) if h in COLUMNS}
    errors: list[str] = []
    rows: list[ParsedRow] = []
    seen: dict[tuple[str, str], int] = {}
    for number, values in body:
        cells = {c: values[i] if i < len(values) else None for c, i in index.items()}
        row = _parse_row(number, cells, client, errors)
        if row is None:
            continue
        key = (row.vendor.casefold(), row.title.casefold())
        if key in seen:
            errors.append(
                f"row {number}, column contract: “{row.title}” of {row.vendor} appears again "
                f"(first in row {seen[key]})"
            )
            continue
        seen[key] = number
        rows.append(row)
    if len(errors) > MAX_ERRORS:
        errors = [*errors[:MAX_ERRORS], f"… and {len(errors) - MAX_ERRORS} more errors"]
    return rows, errors


# --- writing ----------------------------------------------------------------------------------


def default_owner(client: Client) -> Person | None:
    """The client's first person by name, else the practice's first person by name."""
    with scope(client):
        person = Person.objects.filter(client=client).order_by("name", "pk").first()
    if person is None:
        person = Person.practice_people.order_by("name", "pk").first()
    return person


def _write(client: Client, rows: list[ParsedRow], result: ContractImportResult) -> None:
    from ciodesk.vendors.models import Contract, Vendor

    vendors = {v.name.casefold(): v for v in Vendor.objects.all()}
    contracts = {
        (c.vendor_id, c.title.casefold()): c for c in Contract.objects.select_related("vendor")
    }
    needs_owner = any(r.vendor.casefold() not in vendors for r in rows)
    owner = default_owner(client) if needs_owner else None
    if needs_owner and owner is None:
        raise FileProblem(
            "new vendors need an owner: add a person to the client (or to the practice) first"
        )
    for row in rows:
        vendor = vendors.get(row.vendor.casefold())
        if vendor is None:
            vendor = Vendor(client=client, name=row.vendor, owner=owner)
            vendor.save()
            vendors[row.vendor.casefold()] = vendor
            result.vendors_created += 1
        contract = contracts.get((vendor.pk, row.title.casefold()))
        values = row.contract_fields()
        if contract is None:
            contract = Contract(
                client=client, vendor=vendor, title=row.title, owner_id=vendor.owner_id, **values
            )
            contract.save()
            contracts[(vendor.pk, row.title.casefold())] = contract
            result.created += 1
            continue
        changed = [name for name, value in values.items() if getattr(contract, name) != value]
        if not changed:
            result.unchanged += 1
            continue
        for name in changed:
            setattr(contract, name, values[name])
        contract.save()
        result.updated += 1


def import_contracts(
    client: Client,
    file: bytes | str | Path | IO[bytes],
    filename: str,
    user: Any = None,
) -> ContractImportResult:
    """Validate the whole file, then write it atomically; see the module's docstring."""
    result = ContractImportResult(filename=filename)
    try:
        data = _read_bytes(file)
    except FileProblem as exc:
        result.errors = [str(exc)]
        return result
    rows, errors = validate(data, filename, client)
    result.rows = len(rows)
    if errors:
        result.errors = errors
        return result
    actor = acting_as(user) if user is not None else nullcontext()
    try:
        with actor, scope(client), transaction.atomic():
            _write(client, rows, result)
    except FileProblem as exc:
        return ContractImportResult(filename=filename, rows=len(rows), errors=[str(exc)])
    return result
