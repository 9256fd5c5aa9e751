"""Reading accounting exports into ledger lines: QuickBooks Online, Xero, or mapped columns.

QuickBooks Online "Transaction Detail by Account" and "General Ledger", as QuickBooks
writes them (CSV or XLSX)::

    Coastline Dental                                   ← title rows: company, report, dates
    Transaction Detail by Account
    January 1 - December 31, 2026
                                                       ← blank line
    [blank,] Date, Transaction Type, Num, Name, Memo/Description, [Account,] Split,
        Amount[, Balance]
    6100 IT Services                                   ← account section, alone on its row
    01/05/2026, Bill, 1042, Coastline Managed IT, …, 4500.00
    Total for 6100 IT Services, , , , , , , 4500.00   ← subtotal, skipped
    …
    Accrual Basis Sunday, November 22, 2026 09:14 AM GMT-08:00   ← footer, skipped

A line's account is its Account column when the export has one, else its section.

Xero "Account Transactions": title rows, then Date, Source, [Contact,] Description,
Reference, Debit, Credit, Running Balance (or Gross / GST / Net), under account headings,
with Opening Balance, Total and Closing Balance rows (skipped). The amount is debit minus
credit. Without a Contact column the payee is the description up to its first " - ".

Anything else is read with a column mapping (date, amount or debit/credit, payee, memo,
account, …) chosen on the mapping page; every non-empty row must then be a line.

Dates: real date cells, 2026-01-31, 31 Jan 2026, Jan 31, 2026, and numeric dates whose
order (month or day first) is taken from the file itself when one of its dates tells
(13/01/2026 can only be day first), else from the caller (by default month first for a
client in US dollars, day first otherwise).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from ciodesk.budget.importers.cells import (
    DMY,
    MDY,
    AmountReader,
    DateReader,
    date_order_of,
    is_date_text,
)
from ciodesk.core.tabular import CURRENCY_CODES, MAX_ERRORS, FileProblem, cell_text, read_table

QBO = "qbo"
XERO = "xero"
GENERIC = "generic"
MAX_BYTES = 64 * 1024 * 1024
Progress = Callable[[int, int], None]

# Ledger fields a generic file can map, with the labels of the mapping page.
FIELDS = {
    "date": "Date",
    "amount": "Amount (spend positive, refunds negative)",
    "debit": "Debit (spend)",
    "credit": "Credit (refunds)",
    "payee": "Payee / name",
    "memo": "Memo / description",
    "account": "Account",
    "transaction_type": "Transaction type",
    "number": "Number / reference",
    "split": "Split (the other account)",
    "currency": "Currency",
}
TEXT_LIMITS = {  # the order of Line's text fields
    "transaction_type": 60,
    "number": 60,
    "payee": 255,
    "memo": 500,
    "account": 255,
    "split": 255,
}
TYPE, NUMBER, PAYEE, MEMO, ACCOUNT, SPLIT = range(6)

# Normalised headers (core.tabular: lower case, spaces → "_") each format is known by.
QBO_NAMES = {
    "date": ("date", "transaction_date"),
    "transaction_type": ("transaction_type", "type"),
    "number": ("num", "no.", "number", "ref_no."),
    "payee": ("name", "payee"),
    "memo": ("memo/description", "memo", "description"),
    "account": ("account", "account_full_name", "account_name"),
    "split": ("split", "split_account"),
    "amount": ("amount",),
}
XERO_NAMES = {
    "date": ("date",),
    "transaction_type": ("source",),
    "payee": ("contact",),
    "memo": ("description",),
    "number": ("reference",),
    "account": ("account", "account_name"),
    "debit": ("debit",),
    "credit": ("credit",),
}
BALANCE_ROWS = frozenset(
    {"beginning balance", "opening balance", "closing balance", "ending balance"}
)
SKIPPED_STARTS = (
    "total ",
    "accrual basis",
    "cash basis",
    "beginning balance",
    "opening balance",
    "closing balance",
    "ending balance",
)


class ImportFailed(Exception):
    """The file cannot be imported; `errors` names each problem (row and column)."""

    def __init__(self, errors: list[str]):
        if len(errors) > MAX_ERRORS:
            errors = [*errors[:MAX_ERRORS], f"… and {len(errors) - MAX_ERRORS} more problems"]
        self.errors = errors
        super().__init__(errors[0] if errors else "the file cannot be imported")


@dataclass(slots=True)
class Line:
    row: int
    date: datetime.date
    transaction_type: str
    number: str
    payee: str
    memo: str
    account: str
    split: str
    amount: Decimal
    currency: str


@dataclass
class Table:
    header_row: int
    headers: list[str]
    body: list[tuple[int, list[Any]]]
    fmt: str | None  # QBO, XERO, or None when the headers are not recognised


def _columns(headers: list[str], names: dict[str, tuple[str, ...]]) -> dict[str, int]:
    found = {}
    for field, options in names.items():
        for option in options:
            if option in headers:
                found[field] = headers.index(option)
                break
    return found


def detect(headers: list[str]) -> str | None:
    present = set(headers)
    if "date" in present and "amount" in present and present & {"transaction_type", "split", "num"}:
        return QBO
    if "date" in present and "source" in present and present & {"debit", "credit"}:
        return XERO
    return None


def read(data: bytes, filename: str) -> Table:
    """The file as a table, its header found below any title rows when it is a known
    format; otherwise the first non-empty row is the header (for the mapping page)."""
    try:
        try:
            number, headers, body = read_table(
                data, filename, is_header=lambda h: detect(h) is not None, max_bytes=MAX_BYTES
            )
            return Table(number, headers, body, detect(headers))
        except FileProblem as exc:
            if str(exc) != "no header row found":
                raise
        number, headers, body = read_table(data, filename, max_bytes=MAX_BYTES)
    except FileProblem as exc:
        raise ImportFailed([str(exc)]) from None
    return Table(number, headers, body, None)


def suggest_mapping(headers: list[str]) -> dict[str, str]:
    """A first guess at the mapping of a generic file, from common header names."""
    guesses = {
        "date": ("date", "transaction_date", "posted", "posting_date", "txn_date"),
        "amount": ("amount", "total", "net_amount", "value"),
        "debit": ("debit", "debits", "money_out", "withdrawal"),
        "credit": ("credit", "credits", "money_in", "deposit"),
        "payee": ("payee", "name", "vendor", "supplier", "contact", "merchant"),
        "memo": ("memo", "description", "memo/description", "details", "narrative"),
        "account": ("account", "account_name", "gl_account", "category"),
        "transaction_type": ("type", "transaction_type", "source"),
        "number": ("num", "number", "reference", "ref", "invoice", "doc_number"),
        "split": ("split",),
        "currency": ("currency", "ccy"),
    }
    mapping = {}
    for field, options in guesses.items():
        for option in options:
            if option in headers and option not in mapping.values():
                mapping[field] = option
                break
    return mapping


def check_mapping(mapping: dict[str, str], headers: list[str]) -> list[str]:
    problems = []
    unknown = [f for f in mapping if f not in FIELDS]
    if unknown:
        problems.append(f"unknown field(s): {', '.join(unknown)}")
    if "date" not in mapping:
        problems.append("choose the column that holds the date")
    if not {"amount", "debit", "credit"} & set(mapping):
        problems.append("choose the column that holds the amount (or the debit and credit)")
    if "amount" in mapping and ({"debit", "credit"} & set(mapping)):
        problems.append("choose either an amount column or debit and credit columns, not both")
    for field, header in mapping.items():
        if header not in headers:
            problems.append(f"the file has no column “{header}” (for {FIELDS.get(field, field)})")
    used = list(mapping.values())
    repeated = sorted({h for h in used if used.count(h) > 1})
    if repeated:
        problems.append(f"a column is chosen twice: {', '.join(repeated)}")
    return problems


# --- the rows ---------------------------------------------------------------------------------


def _text(value: Any) -> str:
    if value is None:
        return ""
    if value.__class__ is str:
        return value.strip()
    return cell_text(value)


class _Parser:
    """Turns the body of a table into Lines, collecting every problem with its row and
    column; `columns` maps ledger fields to column indexes, `labels` fields to the column
    names shown in messages."""

    def __init__(self, table: Table, columns: dict[str, int], labels: dict[str, str]):
        self.table = table
        self.columns = columns
        self.labels = labels
        self.errors: list[str] = []
        self.amounts = AmountReader()
        self.text_columns = [
            (field, columns.get(field), limit) for field, limit in TEXT_LIMITS.items()
        ]

    def problem(self, row: int, field: str, message: str) -> None:
        self.errors.append(f"row {row}, column {self.labels.get(field, field)}: {message}")

    def amount(self, row: int, values: list[Any]) -> Decimal | None:
        """The signed amount of a row: its amount column, or debit minus credit."""
        columns = self.columns
        if "amount" in columns:
            try:
                return self.amounts(_cell(values, columns["amount"]))  # a cached text
            except ValueError as exc:
                self.problem(row, "amount", str(exc))
                return None
        debit, credit = _cell(values, columns.get("debit")), _cell(values, columns.get("credit"))
        if not _text(debit) and not _text(credit):
            self.problem(row, "debit" if "debit" in columns else "credit", "no debit or credit")
            return None
        field = "debit"
        try:
            spent = self.amounts(debit, empty_is_zero=True)
            field = "credit"
            return spent - self.amounts(credit, empty_is_zero=True)
        except ValueError as exc:
            self.problem(row, field, str(exc))
            return None

    def date_order(self, default: str) -> str:
        index = self.columns["date"]
        texts = [
            values[index]
            for _, values in self.table.body
            if index < len(values) and values[index].__class__ is str
        ]
        return date_order_of(texts, default)

    def texts(self, row: int, values: list[Any], section: str = "") -> list[str] | None:
        """The text fields of a line in TEXT_LIMITS order (transaction type, number,
        payee, memo, account, split); the account defaults to the section heading."""
        out = []
        size = len(values)
        for field, index, limit in self.text_columns:
            if index is None or index >= size:
                out.append("")
                continue
            value = values[index]
            text = value.strip() if value.__class__ is str else _text(value)
            if len(text) > limit:
                self.problem(row, field, f"is longer than {limit} characters")
                return None
            out.append(text)
        if not out[ACCOUNT]:
            out[ACCOUNT] = section[: TEXT_LIMITS["account"]]
        return out


def _cell(values: list[Any], index: int | None) -> Any:
    return values[index] if index is not None and index < len(values) else None


def _is_skipped(first: str) -> bool:
    lower = first.lower()
    return lower == "total" or lower.startswith(SKIPPED_STARTS)


def parse_report(
    table: Table,
    fmt: str,
    *,
    currency: str,
    date_order: str = "",
    progress: Progress | None = None,
) -> list[Line]:
    """The lines of a QuickBooks or Xero report (section headings, totals and footers
    recognised and left out). Raises ImportFailed with every problem found."""
    names = QBO_NAMES if fmt == QBO else XERO_NAMES
    columns = _columns(table.headers, names)
    labels = {field: _display(table.headers[i]) for field, i in columns.items()}
    parser = _Parser(table, columns, labels)
    order = date_order or parser.date_order(MDY if currency == "USD" else DMY)
    dates = DateReader(order)
    known_dates: dict[str, datetime.date] = {}  # the raw cell text → its date
    xero = fmt == XERO
    di = columns["date"]
    lines: list[Line] = []
    section = ""
    total = len(table.body)
    for position, (row, values) in enumerate(table.body):
        if progress is not None and position % 4096 == 0:
            progress(position, 2 * total)
        raw_date = values[di] if di < len(values) else None
        if raw_date.__class__ is str and (day := known_dates.get(raw_date)) is not None:
            pass  # the common case: a date seen before
        elif isinstance(raw_date, datetime.datetime):
            day = raw_date.date()
        elif isinstance(raw_date, datetime.date):
            day = raw_date
        else:
            date_text = _text(raw_date)
            if not (date_text and is_date_text(date_text)):
                # Not a line: a section heading, a total, a balance, the footer — or a
                # line whose date is wrong.
                filled = [t for v in values if (t := _text(v))]
                if _is_skipped(filled[0]) or any(t.lower() in BALANCE_ROWS for t in filled):
                    continue
                if len(filled) == 1:
                    section = filled[0]
                    continue
                message = f"“{date_text}” is not a date" if date_text else "is empty"
                parser.problem(row, "date", message)
                continue
            try:
                day = dates(date_text)
            except ValueError as exc:
                parser.problem(row, "date", str(exc))
                continue
            if raw_date.__class__ is str:
                known_dates[raw_date] = day
        texts = parser.texts(row, values, section)
        if texts is None:
            continue
        if texts[MEMO].lower() in BALANCE_ROWS or texts[TYPE].lower() in BALANCE_ROWS:
            continue
        amount = parser.amount(row, values)
        if amount is None:
            continue
        if xero and not texts[PAYEE]:
            texts[PAYEE] = texts[MEMO].split(" - ", 1)[0][:255]
        lines.append(Line(row, day, *texts, amount, currency))
    if parser.errors:
        raise ImportFailed(parser.errors)
    if not lines:
        raise ImportFailed(["the file has no ledger lines (only headings and totals)"])
    return lines


def parse_mapped(
    table: Table,
    mapping: dict[str, str],
    *,
    currency: str,
    date_order: str = "",
    progress: Progress | None = None,
) -> list[Line]:
    """The lines of a generic file read through a column mapping: every row is a line."""
    problems = check_mapping(mapping, table.headers)
    if problems:
        raise ImportFailed(problems)
    columns = {field: table.headers.index(header) for field, header in mapping.items()}
    parser = _Parser(table, columns, dict(mapping))
    order = date_order or parser.date_order(MDY if currency == "USD" else DMY)
    dates = DateReader(order)
    ci = columns.get("currency")

    lines: list[Line] = []
    total = len(table.body)
    for position, (row, values) in enumerate(table.body):
        if progress is not None and position % 4096 == 0:
            progress(position, 2 * total)
        try:
            day = dates(_cell(values, columns["date"]))
        except ValueError as exc:
            parser.problem(row, "date", str(exc))
            continue
        amount = parser.amount(row, values)
        if amount is None:
            continue
        line_currency = currency
        if ci is not None:
            code = _text(_cell(values, ci)).upper()
            if code and code not in CURRENCY_CODES:
                parser.problem(
                    row, "currency", f"“{code}” is not one of {', '.join(sorted(CURRENCY_CODES))}"
                )
                continue
            line_currency = code or currency
        texts = parser.texts(row, values)
        if texts is None:
            continue
        lines.append(Line(row, day, *texts, amount, line_currency))
    if parser.errors:
        raise ImportFailed(parser.errors)
    if not lines:
        raise ImportFailed(["the file has a header row but no lines"])
    return lines


def _display(header: str) -> str:
    """A normalised header as people read it: "memo/description" → "Memo/Description"."""
    return " ".join(part.capitalize() for part in header.replace("_", " ").split()) or header
