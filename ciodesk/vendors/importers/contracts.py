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

import datetime
from contextlib import nullcontext
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import IO, Any

from django.db import transaction

from ciodesk.core.importing import ImportResult
from ciodesk.core.scope import acting_as, scope
from ciodesk.core.tabular import (
    MAX_ERRORS,
    FileProblem,
    cell_text,
    parse_amount,
    parse_bool,
    parse_currency,
    parse_date,
    parse_int,
    read_bytes,
    read_table,
    required_text,
)
from ciodesk.tenancy.models import Client, Person

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


@dataclass
class ContractImportResult(ImportResult):
    vendors_created: int = 0

    def counted(self) -> str:
        return (
            f"{self.filename}: {self.rows} contract(s) read — {self.created} added, "
            f"{self.updated} updated, {self.unchanged} unchanged; "
            f"{self.vendors_created} vendor(s) added"
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


# --- validation -------------------------------------------------------------------------------


def _parse_row(
    number: int, values: dict[str, Any], client: Client, errors: list[str]
) -> ParsedRow | None:
    parsed: dict[str, Any] = {}
    parsers = {
        "vendor": lambda v: required_text(v, 200),
        "contract": lambda v: required_text(v, 200),
        "start_date": parse_date,
        "end_date": lambda v: parse_date(v) or _raise("is empty (the last day of the term)"),
        "auto_renew": parse_bool,
        "renewal_term_months": lambda v: parse_int(v, 1, 120) if cell_text(v) else 12,
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
        data = read_bytes(file)
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
