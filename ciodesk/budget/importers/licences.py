"""Import licence data: the Microsoft 365 "Active users" report, SaaS user lists, SKU prices.

Microsoft 365 admin center → Reports → Usage → Active users → Export: a CSV with a
byte-order mark, one row per user::

    Report Refresh Date, User Principal Name, Display Name, Is Deleted, Deleted Date,
    Has Exchange License, Has OneDrive License, Has SharePoint License,
    Has Skype For Business License, Has Yammer License, Has Teams License,
    Exchange Last Activity Date, … Teams Last Activity Date,
    Exchange License Assign Date, … Teams License Assign Date, Assigned Products, Report Period

Booleans are True/False; dates ISO (2026-11-20) or US (11/20/2026); activity dates are blank
for users who were never active; Assigned Products joins product names with "+". Required:
Report Refresh Date, User Principal Name, Is Deleted, Assigned Products and at least one
"… Last Activity Date" column; the others may be missing. A later report updates each user
(matched on the user principal name, without regard to case); an older report never
overwrites a newer one.

A SaaS user list needs an e-mail and a last-used column (recognised under the names in
SAAS_COLUMNS, or mapped by hand), optionally a licence and an application column; without an
application column the application is named at import. Blank, "never" or "-" in last used
means never used.

Every import is validated whole (errors name the row and column, the header being row 1),
then written in one transaction; a file imported before (same sha256) adds nothing. Users
are written in bulk: the LicenceImport row records who imported what.
"""

from __future__ import annotations

import datetime
import hashlib
import re
from contextlib import nullcontext
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import IO, Any

from django.db import transaction
from django.utils import timezone

from ciodesk.budget.importers.cells import MDY, DateReader, date_order_of
from ciodesk.budget.models import ImportStatus, LicenceImport, LicenceUser, SaaSUser
from ciodesk.budget.services_licences import save_prices, split_products
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
    read_bytes,
    read_table,
    required_text,
)
from ciodesk.tenancy.models import Client

M365 = "m365"
SAAS = "saas"
SERVICES = {  # model field stem → the report's name for the service
    "exchange": "Exchange",
    "onedrive": "OneDrive",
    "sharepoint": "SharePoint",
    "skype": "Skype For Business",
    "yammer": "Yammer",
    "teams": "Teams",
}
M365_REQUIRED = ("Report Refresh Date", "User Principal Name", "Is Deleted", "Assigned Products")
NEVER = {"", "never", "-", "--", "n/a", "na", "none", "never logged in", "not yet"}
# Times after a date (and their zone) are dropped: an activity date is a day.
TIME_PART = re.compile(
    r"[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?\s*(?:[AaPp]\.?[Mm]\.?)?\s*"
    r"(?:Z|UTC|GMT|[+-]\d{2}:?\d{2})?$"
)
SAAS_COLUMNS: dict[str, tuple[str, ...]] = {  # synonyms, as normalised headers
    "email": ("email", "email_address", "e_mail", "user_email", "work_email",
              "user_principal_name", "upn", "login", "username", "user_name", "user"),
    "last_used": ("last_used", "last_use", "last_login", "last_log_in", "last_login_at",
                  "last_login_date", "last_sign_in", "last_signin", "last_signed_in",
                  "last_active", "last_activity", "last_activity_date", "last_seen",
                  "last_accessed"),
    "licence": ("licence", "license", "licence_type", "license_type", "plan", "seat",
                "seat_type", "subscription", "product", "sku", "tier", "edition"),
    "app_name": ("application", "app", "app_name", "application_name", "service", "tool"),
}  # fmt: skip
SAAS_LABELS = {
    "email": "E-mail (or login)",
    "last_used": "Last used",
    "licence": "Licence",
    "app_name": "Application",
}
SAAS_REQUIRED = ("email", "last_used")
PRICE_COLUMNS = {
    "product": ("product", "sku", "licence", "license", "product_name", "name"),
    "monthly_price": (
        "monthly_price",
        "price",
        "price_per_month",
        "monthly_price_per_user",
        "unit_price",
        "monthly",
    ),
    "currency": ("currency",),
}


class NeedsMapping(Exception):
    """The file's headers are not recognised: the columns must be named by hand."""

    def __init__(self, headers: list[str], missing: list[str]):
        self.headers = headers
        self.missing = missing
        names = ", ".join(SAAS_LABELS[m] for m in missing)
        super().__init__(f"the columns for {names} are not recognised: map them")


@dataclass
class LicenceImportResult(ImportResult):
    kind: str = M365
    older: int = 0
    record: LicenceImport | None = None
    report_date: datetime.date | None = None

    def counted(self) -> str:
        text = (
            f"{self.filename}: {self.rows} user(s) read — {self.created} added, "
            f"{self.updated} updated, {self.unchanged} unchanged"
        )
        if self.older:
            text += f", {self.older} kept from a newer report"
        return text


_TITLES = {
    t.lower().replace(" ", "_"): t
    for t in (
        *M365_REQUIRED,
        "Display Name",
        "Deleted Date",
        *(f"Has {s} License" for s in SERVICES.values()),
        *(f"{s} Last Activity Date" for s in SERVICES.values()),
        *(f"{s} License Assign Date" for s in SERVICES.values()),
    )
}


def column_title(header: str) -> str:
    """A normalised header as the report writes it: "has_onedrive_license" → "Has OneDrive
    License"."""
    return _TITLES.get(header) or " ".join(w.capitalize() for w in header.split("_"))


def day(value: Any, reader: DateReader) -> datetime.date | None:
    """A date cell that may carry a time ("2026-11-20T08:15:00Z"); None for never/blank."""
    if isinstance(value, datetime.datetime | datetime.date):
        return reader(value)
    text = cell_text(value)
    if text.casefold() in NEVER:
        return None
    return reader(TIME_PART.sub("", text))


def _errors_capped(errors: list[str]) -> list[str]:
    if len(errors) > MAX_ERRORS:
        return [*errors[:MAX_ERRORS], f"… and {len(errors) - MAX_ERRORS} more errors"]
    return errors


# --- Microsoft 365 ---------------------------------------------------------------------------


def _m365_header(header: str) -> str:
    return header.replace("licence", "license")


def _optional_bool(value: Any) -> bool:
    return parse_bool(value) if cell_text(value) else False


def read_m365(data: bytes, filename: str) -> tuple[list[dict[str, Any]], list[str]]:
    """Every user of the report as LicenceUser field values, or the list of problems."""
    try:
        _, raw_headers, body = read_table(data, filename)
    except FileProblem as exc:
        return [], [str(exc)]
    headers = [_m365_header(h) for h in raw_headers]
    missing = [t for t in M365_REQUIRED if t.lower().replace(" ", "_") not in headers]
    activity = [s for s in SERVICES if _activity_header(s) in headers]
    if not activity:
        missing.append("a “… Last Activity Date” column")
    if missing:
        return [], [
            f"missing column(s): {', '.join(missing)} — is this the Microsoft 365 "
            "“Active users” report (Reports → Usage → Active users → Export)?"
        ]
    if not body:
        return [], ["the file has a header row but no users"]
    index = {h: i for i, h in enumerate(headers) if h}
    errors: list[str] = []
    rows: list[dict[str, Any]] = []
    seen: dict[str, int] = {}
    for number, values in body:
        cells = {h: values[i] if i < len(values) else None for h, i in index.items()}
        row = _m365_row(number, cells, errors)
        if row is None:
            continue
        key = row["upn"].casefold()
        if key in seen:
            errors.append(
                f"row {number}, column User Principal Name: “{row['upn']}” appears again "
                f"(first in row {seen[key]})"
            )
            continue
        seen[key] = number
        rows.append(row)
    return rows, _errors_capped(errors)


def _activity_header(stem: str) -> str:
    return SERVICES[stem].lower().replace(" ", "_") + "_last_activity_date"


def _m365_row(number: int, cells: dict[str, Any], errors: list[str]) -> dict[str, Any] | None:
    before = len(errors)
    row: dict[str, Any] = {}

    def read(header: str, name: str, parse) -> None:
        try:
            row[name] = parse(cells.get(header))
        except ValueError as exc:
            errors.append(f"row {number}, column {column_title(header)}: {exc}")

    read("user_principal_name", "upn", lambda v: required_text(v, 255))
    read("display_name", "display_name", lambda v: cell_text(v)[:255])
    read("report_refresh_date", "report_date", lambda v: parse_date(v) or _empty())
    read("is_deleted", "is_deleted", _optional_bool)
    read("deleted_date", "deleted_date", parse_date)
    read("assigned_products", "assigned_products", lambda v: split_products(cell_text(v)))
    assigned = []
    for stem, service in SERVICES.items():
        base = service.lower().replace(" ", "_")
        read(f"has_{base}_license", f"has_{stem}", _optional_bool)
        read(f"{base}_last_activity_date", f"{stem}_last_activity", parse_date)
        read(f"{base}_license_assign_date", f"_assigned_{stem}", parse_date)
        assigned.append(row.pop(f"_assigned_{stem}", None))
    if len(errors) > before:
        return None
    activity = [row[f"{s}_last_activity"] for s in SERVICES if row[f"{s}_last_activity"]]
    row["last_activity"] = max(activity) if activity else None
    assigned_dates = [d for d in assigned if d]
    row["licensed_since"] = min(assigned_dates) if assigned_dates else None
    return row


def _empty():
    raise ValueError("is empty")


# --- SaaS user lists ---------------------------------------------------------------------------


def _simple(header: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", header.lower()).strip("_")


def recognise_saas(headers: list[str]) -> dict[str, str]:
    """{field: header} for the headers known under a synonym (first match wins)."""
    simple = {_simple(h): h for h in headers if h}
    found: dict[str, str] = {}
    for name, synonyms in SAAS_COLUMNS.items():
        for synonym in synonyms:
            header = simple.get(synonym) or next(
                (h for s, h in simple.items() if s.startswith(synonym + "_")), None
            )
            if header and header not in found.values():
                found[name] = header
                break
    return found


def read_saas(
    data: bytes, filename: str, app_name: str = "", mapping: dict[str, str] | None = None
) -> tuple[list[dict[str, Any]], list[str]]:
    """Every seat of the list, or the problems; NeedsMapping when columns are not recognised."""
    try:
        _, headers, body = read_table(data, filename)
    except FileProblem as exc:
        return [], [str(exc)]
    columns = dict(mapping) if mapping else recognise_saas(headers)
    unknown = [h for h in columns.values() if h not in headers]
    if unknown:
        return [], [f"no column “{h}” in the file (found: {', '.join(headers)})" for h in unknown]
    missing = [name for name in SAAS_REQUIRED if name not in columns]
    if missing:
        raise NeedsMapping(headers, missing)
    if "app_name" not in columns and not app_name.strip():
        return [], ["the file has no application column: name the application it lists"]
    if not body:
        return [], ["the file has a header row but no users"]
    index = {name: headers.index(h) for name, h in columns.items()}

    def cell(values: list[Any], name: str) -> Any:
        i = index.get(name)
        return values[i] if i is not None and i < len(values) else None

    used = [
        TIME_PART.sub("", cell_text(cell(v, "last_used")))
        for _, v in body
        if not isinstance(cell(v, "last_used"), datetime.date)
    ]
    reader = DateReader(date_order_of(used, MDY))
    errors: list[str] = []
    rows: list[dict[str, Any]] = []
    seen: dict[tuple[str, str, str], int] = {}
    for number, values in body:
        row: dict[str, Any] = {}
        before = len(errors)
        for name, parse in (
            ("email", lambda v: required_text(v, 255)),
            ("licence", lambda v: _limited(v, 200)),
            ("last_used", lambda v: day(v, reader)),
            ("app_name", lambda v: required_text(v, 200) if "app_name" in index else ""),
        ):
            try:
                row[name] = parse(cell(values, name))
            except ValueError as exc:
                header = columns.get(name, name)
                errors.append(f"row {number}, column {header}: {exc}")
        if len(errors) > before:
            continue
        row["app_name"] = row["app_name"] or app_name.strip()[:200]
        key = (row["app_name"].casefold(), row["email"].casefold(), row["licence"].casefold())
        if key in seen:
            errors.append(
                f"row {number}, column {columns['email']}: “{row['email']}” appears again "
                f"with the same licence (first in row {seen[key]})"
            )
            continue
        seen[key] = number
        rows.append(row)
    return rows, _errors_capped(errors)


def _limited(value: Any, limit: int) -> str:
    text = cell_text(value)
    if len(text) > limit:
        raise ValueError(f"is longer than {limit} characters")
    return text


# --- writing -----------------------------------------------------------------------------------


def _write_m365(client: Client, rows: list[dict[str, Any]], record, result) -> None:
    existing = {u.upn.casefold(): u for u in LicenceUser.objects.all()}
    fields = [name for name in rows[0] if name != "upn"]
    compared = [name for name in fields if name != "report_date"]
    new, changed = [], []
    for row in rows:
        user = existing.get(row["upn"].casefold())
        if user is None:
            new.append(LicenceUser(client=client, licence_import=record, **row))
            continue
        if user.report_date and row["report_date"] < user.report_date:
            result.older += 1
            continue
        if any(getattr(user, name) != row[name] for name in compared):
            result.updated += 1
        else:
            result.unchanged += 1
        for name in fields:
            setattr(user, name, row[name])
        user.licence_import = record
        changed.append(user)
    LicenceUser.objects.bulk_create(new, batch_size=500)
    LicenceUser.objects.bulk_update(changed, [*fields, "licence_import"], batch_size=500)
    result.created = len(new)


def _write_saas(client: Client, rows: list[dict[str, Any]], record, result, vendor) -> None:
    def key(app: str, email: str, licence: str) -> tuple[str, str, str]:
        return app.casefold(), email.casefold(), licence.casefold()

    existing = {key(s.app_name, s.email, s.licence): s for s in SaaSUser.objects.all()}
    new, changed = [], []
    for row in rows:
        seat = existing.get(key(row["app_name"], row["email"], row["licence"]))
        if seat is None:
            new.append(SaaSUser(client=client, licence_import=record, vendor=vendor, **row))
            continue
        if seat.last_used != row["last_used"] or (vendor and seat.vendor_id != vendor.pk):
            result.updated += 1
        else:
            result.unchanged += 1
        seat.last_used, seat.licence_import = row["last_used"], record
        seat.vendor = vendor or seat.vendor
        changed.append(seat)
    SaaSUser.objects.bulk_create(new, batch_size=500)
    SaaSUser.objects.bulk_update(changed, ["last_used", "licence_import", "vendor"], batch_size=500)
    result.created = len(new)


def import_licences(
    client: Client,
    file: bytes | str | Path | IO[bytes],
    filename: str,
    *,
    kind: str = M365,
    app_name: str = "",
    vendor=None,
    mapping: dict[str, str] | None = None,
    user: Any = None,
) -> LicenceImportResult:
    """Validate the whole file, then write it atomically (see the module's docstring).

    Raises NeedsMapping for a SaaS list whose e-mail or last-used column is not recognised.
    """
    result = LicenceImportResult(filename=filename, kind=kind)
    try:
        data = read_bytes(file)
    except FileProblem as exc:
        result.errors = [str(exc)]
        return result
    digest = hashlib.sha256(data).hexdigest()
    with scope(client):
        result.already = LicenceImport.objects.filter(sha256=digest, status="done").first()
    if result.already is not None:
        return result
    if kind == SAAS:
        rows, errors = read_saas(data, filename, app_name, mapping)
    else:
        rows, errors = read_m365(data, filename)
    result.rows = len(rows)
    if errors:
        result.errors = errors
        return result
    report_date = max(r["report_date"] for r in rows) if kind == M365 else client.today()
    result.report_date = report_date
    actor = acting_as(user) if user is not None else nullcontext()
    with actor, scope(client), transaction.atomic():
        record = LicenceImport.objects.create(
            filename=filename[:255],
            sha256=digest,
            kind=kind,
            status=ImportStatus.RUNNING,
            report_date=report_date,
            vendor=vendor,
            rows_total=len(rows),
            imported_by=user if getattr(user, "is_authenticated", False) else None,
        )
        if kind == SAAS:
            _write_saas(client, rows, record, result, vendor)
        else:
            _write_m365(client, rows, record, result)
        record.status = ImportStatus.DONE
        record.rows_done = len(rows)
        record.created_count = result.created
        record.updated_count = result.updated
        record.skipped_count = result.unchanged + result.older
        record.finished_at = timezone.now()
        record.save()
    result.record = record
    return result


# --- SKU prices ---------------------------------------------------------------------------------


@dataclass
class PriceImportResult:
    filename: str
    rows: int = 0
    done: dict[str, int] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    def summary(self) -> str:
        if not self.ok:
            return f"{self.filename}: {len(self.errors)} error(s); no price was changed."
        parts = ", ".join(f"{n} {what}" for what, n in sorted(self.done.items()))
        return f"{self.filename}: {self.rows} price(s) read — {parts or 'nothing to do'}."


def import_prices(client: Client, file, filename: str, user: Any = None) -> PriceImportResult:
    """A CSV/XLSX of "product, monthly price, currency": each product's price set or changed.

    Each price is saved on its own (each has an audit record); a bad file changes nothing.
    """
    result = PriceImportResult(filename=filename)
    try:
        _, headers, body = read_table(read_bytes(file), filename)
    except FileProblem as exc:
        result.errors = [str(exc)]
        return result
    simple = [_simple(h) for h in headers]
    index = {}
    for name, synonyms in PRICE_COLUMNS.items():
        found = next((simple.index(s) for s in synonyms if s in simple), None)
        if found is not None:
            index[name] = found
    missing = [n.replace("_", " ") for n in ("product", "monthly_price") if n not in index]
    if missing:
        result.errors = [f"missing column(s): {', '.join(missing)} (found: {', '.join(headers)})"]
        return result
    rows: list[tuple[str, Decimal, str]] = []
    seen: dict[str, int] = {}
    for number, values in body:
        cells = {n: values[i] if i < len(values) else None for n, i in index.items()}
        try:
            product = required_text(cells["product"], 200)
        except ValueError as exc:
            result.errors.append(f"row {number}, column {headers[index['product']]}: {exc}")
            continue
        try:
            if not cell_text(cells["monthly_price"]):
                raise ValueError("is empty (write 0 for a free product)")
            price = parse_amount(cells["monthly_price"])
        except ValueError as exc:
            result.errors.append(f"row {number}, column {headers[index['monthly_price']]}: {exc}")
            continue
        try:
            currency = parse_currency(cells.get("currency"), client.currency)
        except ValueError as exc:
            result.errors.append(f"row {number}, column currency: {exc}")
            continue
        if product.casefold() in seen:
            result.errors.append(
                f"row {number}, column {headers[index['product']]}: “{product}” appears again "
                f"(first in row {seen[product.casefold()]})"
            )
            continue
        seen[product.casefold()] = number
        rows.append((product, price, currency))
    if not rows and not result.errors:
        result.errors = ["the file has a header row but no prices"]
    if result.errors:
        result.errors = _errors_capped(result.errors)
        return result
    result.rows = len(rows)
    actor = acting_as(user) if user is not None else nullcontext()
    with actor, scope(client), transaction.atomic():
        result.done = save_prices(rows)
    return result
