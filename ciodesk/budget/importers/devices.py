"""Import an RMM device export (NinjaOne, Datto RMM, N-able N-sight / N-central, or mapped).

The export is recognised from its headers (FORMATS lists the names each vendor writes;
docs/budget-licences-lifecycle.md has the same table). A file whose headers name the
device under a known synonym imports as "recognised columns"; otherwise the columns are
mapped by hand (the page's mapping step, or `--map field=Header` on the command line).

Fields: name (required), device type, manufacturer, model, serial number, operating system,
purchase or ship date, warranty end, user, last seen. Dates may be ISO, month-first or
day-first (the order is told from the column's own values, month first when it cannot
be), "14 Mar 2027", or carry a time; last seen keeps its time, read in the client's time
zone unless it carries an offset.

A device is the same device in a later export when its serial number matches (or, without
a usable serial, its name): the later export updates it. A serial repeated within one file
(a re-enrolled machine) keeps the row seen most recently. The whole file is validated
first; any error names the row and column and nothing is written. A file imported before
(same sha256) adds nothing. Devices are written in bulk; the DeviceImport row records who
imported what.
"""

from __future__ import annotations

import datetime
import hashlib
import re
from contextlib import nullcontext
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from django.db import transaction
from django.utils import timezone

from ciodesk.budget.importers.cells import MDY, DateReader, date_order_of
from ciodesk.budget.importers.licences import TIME_PART
from ciodesk.budget.models import Device, DeviceImport, ImportStatus
from ciodesk.core.importing import ImportResult
from ciodesk.core.scope import acting_as, scope
from ciodesk.core.tabular import MAX_ERRORS, FileProblem, cell_text, read_bytes, read_table
from ciodesk.tenancy.models import Client

FIELDS = {
    "name": "Device name",
    "device_type": "Device type",
    "manufacturer": "Manufacturer",
    "model": "Model",
    "serial": "Serial number",
    "os": "Operating system",
    "purchase_date": "Purchase or ship date",
    "warranty_end": "Warranty end",
    "assigned_user": "User",
    "last_seen": "Last seen",
}
LIMITS = {
    "name": 255,
    "device_type": 60,
    "manufacturer": 120,
    "model": 200,
    "serial": 120,
    "os": 200,
    "assigned_user": 200,
}
GENERIC = "generic"
AUTO = "auto"

_COMMON = {
    "manufacturer": ("manufacturer", "system_manufacturer", "make", "vendor"),
    "model": ("model", "system_model", "model_name"),
    "serial": ("serial_number", "serial", "serial_no", "bios_serial_number", "service_tag"),
    "purchase_date": (
        "purchase_date",
        "date_purchased",
        "ship_date",
        "manufacture_fulfillment_date",
        "manufacture_date",
        "warranty_start_date",
        "warranty_start",
    ),
}


@dataclass(frozen=True)
class Format:
    key: str
    label: str
    columns: dict[str, tuple[str, ...]]
    marks: tuple[str, ...]  # headers only this vendor's export writes, to recognise it


FORMATS: dict[str, Format] = {
    "ninjaone": Format(
        "ninjaone",
        "NinjaOne",
        {
            **_COMMON,
            "name": ("display_name", "system_name", "dns_name", "device_name", "name"),
            "device_type": ("device_type", "role", "class", "node_class", "device_role"),
            "os": ("os_name", "operating_system", "os"),
            "warranty_end": (
                "warranty_end_date",
                "warranty_expiration",
                "warranty_expiration_date",
                "warranty_end",
            ),
            "assigned_user": ("last_logged_in_user", "last_login_user", "assigned_user", "user"),
            "last_seen": ("last_contact", "last_seen", "last_online", "last_update"),
        },
        ("display_name", "system_name", "last_contact", "os_name", "node_class", "role", "class"),
    ),
    "datto": Format(
        "datto",
        "Datto RMM",
        {
            **_COMMON,
            "name": ("hostname", "device_hostname", "device_name", "name"),
            "device_type": ("device_type", "type", "device_class"),
            "os": ("operating_system", "os", "os_name"),
            "warranty_end": ("warranty_expiry", "warranty_date", "warranty_expiry_date"),
            "assigned_user": ("last_user", "last_logged_in_user", "user"),
            "last_seen": ("last_seen", "last_audit_date", "last_contact"),
        },
        ("hostname", "last_user", "warranty_expiry", "warranty_date", "last_audit_date"),
    ),
    "nable": Format(
        "nable",
        "N-able N-sight / N-central",
        {
            **_COMMON,
            "name": ("device_name", "customer_device_name", "device", "name"),
            "device_type": ("device_class", "device_type", "class"),
            "os": ("os", "operating_system", "os_name"),
            "warranty_end": ("warranty_expiry_date", "warranty_expiry", "warranty_end_date"),
            "assigned_user": ("last_logged_in_user", "last_user", "user"),
            "last_seen": ("last_check_in", "last_response", "last_seen", "last_boot_time"),
        },
        (
            "customer_device_name",
            "device_class",
            "last_check_in",
            "last_response",
            "warranty_expiry_date",
        ),
    ),
}
# Every vendor's names together: a file of recognised headers from no single vendor.
SYNONYMS = {
    name: tuple(dict.fromkeys(h for f in FORMATS.values() for h in f.columns.get(name, ())))
    for name in FIELDS
}
SYNONYMS["name"] += ("computer_name", "computer", "hostname", "host_name", "asset_name")
SYNONYMS["device_type"] += ("asset_type", "category")
SYNONYMS["assigned_user"] += ("assigned_to", "owner")

# Serial numbers that are really "unknown" (a white-box PC's firmware placeholder).
JUNK_SERIALS = {
    "",
    "0",
    "none",
    "n/a",
    "na",
    "unknown",
    "default string",
    "to be filled by o.e.m.",
    "system serial number",
    "chassis serial number",
    "0123456789",
    "123456789",
}
_TIME = re.compile(
    r"(\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?\s*([AaPp])?\.?[Mm]?\.?\s*(Z|UTC|GMT|[+-]\d{2}:?\d{2})?$"
)


class NeedsMapping(Exception):
    """The device name column is not recognised: the columns must be named by hand."""

    def __init__(self, headers: list[str]):
        self.headers = headers
        super().__init__("the device name column is not recognised: map the columns")


class ImportFailed(Exception):
    pass


@dataclass
class DeviceImportResult(ImportResult):
    source_format: str = ""
    merged: int = 0
    record: DeviceImport | None = None

    def counted(self) -> str:
        text = (
            f"{self.filename} ({label(self.source_format)}): {self.rows} device(s) read — "
            f"{self.created} added, {self.updated} updated, {self.unchanged} unchanged"
        )
        if self.merged:
            text += f"; {self.merged} row(s) repeated a serial number (the latest seen kept)"
        return text


def label(key: str) -> str:
    if key in FORMATS:
        return FORMATS[key].label
    return "recognised columns" if key == GENERIC else "mapped columns"


# --- recognising the export ----------------------------------------------------------------------


def _resolve(headers: list[str], columns: dict[str, tuple[str, ...]]) -> dict[str, str]:
    found: dict[str, str] = {}
    for name in FIELDS:
        for candidate in columns.get(name, ()):
            if candidate in headers and candidate not in found.values():
                found[name] = candidate
                break
    return found


def detect(headers: list[str]) -> tuple[str, dict[str, str]] | None:
    """(format key, {field: header}) for a known export, or None when it must be mapped."""
    best, best_score = None, 1
    for fmt in FORMATS.values():
        score = sum(1 for h in fmt.marks if h in headers)
        if score > best_score and "name" in _resolve(headers, fmt.columns):
            best, best_score = fmt, score
    if best is not None:
        return best.key, _resolve(headers, best.columns)
    generic = _resolve(headers, SYNONYMS)
    return (GENERIC, generic) if "name" in generic else None


def suggest_mapping(headers: list[str]) -> dict[str, str]:
    return _resolve(headers, SYNONYMS)


# --- cells ---------------------------------------------------------------------------------------


_CATEGORIES = [
    (category, re.compile(pattern))
    for category, pattern in (
        ("Laptop", r"\b(?:laptop|notebook)s?\b"),
        ("Server", r"\b(?:servers?|esxi|hyper v host|vmware host|domain controller)\b"),
        ("Firewall", r"\b(?:firewall|utm|security appliance)s?\b"),
        ("Switch", r"\bswitch(?:es)?\b"),
        ("Wireless access point", r"\b(?:access points?|waps?|aps?|wireless)\b"),
        ("Storage", r"\b(?:nas|san|storage)\b"),
        ("UPS", r"\b(?:ups|power supply)\b"),
        ("Printer", r"\b(?:printers?|mfp|copier)\b"),
        ("Mobile", r"\b(?:mobile|phones?|tablets?|ios|ipados|android|ipad)\b"),
        ("Workstation", r"\b(?:workstations?|desktops?|pc|computer|mac|macos)\b"),
    )
]


def device_category(raw: str, os: str = "", model: str = "") -> str:
    """The lifecycle type of a device from its RMM type (and OS and model when the type is
    vague): Laptop, Workstation, Server, Firewall, Switch, Wireless access point, Storage,
    UPS, Printer, Mobile; another type is kept as written."""
    text = raw.casefold().replace("_", " ").replace("-", " ")
    context = f"{os} {model}".casefold()
    for category, pattern in _CATEGORIES:
        if pattern.search(text):
            if category == "Workstation" and _looks_portable(context):
                return "Laptop"
            return category
    if not raw.strip():
        if "server" in context:
            return "Server"
        if any(w in context for w in ("windows", "mac")):
            return "Laptop" if _looks_portable(context) else "Workstation"
        return ""
    return raw.strip()[:60]


def _looks_portable(context: str) -> bool:
    portable = ("macbook", "latitude", "thinkpad", "elitebook", "probook", "surface laptop",
                "surface pro", "xps 13", "xps 15", "zbook", "vostro 14", "vostro 15")  # fmt: skip
    return any(word in context for word in portable)


def clean_serial(value: Any) -> str:
    text = cell_text(value)
    return "" if text.casefold() in JUNK_SERIALS else text


def natural_key(serial: str, name: str) -> str:
    return f"serial:{serial.upper()}" if serial else f"name:{name.casefold()}"


def _date_text(value: Any) -> str:
    return TIME_PART.sub("", cell_text(value))


def parse_seen(value: Any, reader: DateReader, tz) -> datetime.datetime | None:
    """A last-seen timestamp: date (any form DateReader reads) and an optional time."""
    if isinstance(value, datetime.datetime):
        return value if timezone.is_aware(value) else timezone.make_aware(value, tz)
    if isinstance(value, datetime.date):
        return timezone.make_aware(datetime.datetime.combine(value, datetime.time()), tz)
    text = cell_text(value)
    if text.casefold() in {"", "never", "-", "n/a", "online", "offline"}:
        return None
    text = text.replace("T", " ").replace(",", " ")
    text = " ".join(text.split())
    when = datetime.time()
    zone = tz
    m = re.search(r"\s(\d{1,2}:\d{2}.*)$", text)
    if m:
        t = _TIME.fullmatch(m[1].strip())
        if t is None:
            raise ValueError(f"“{cell_text(value)}” has a time that cannot be read")
        hour = int(t[1])
        if t[4]:
            hour = hour % 12 + (12 if t[4].lower() == "p" else 0)
        if hour > 23 or int(t[2]) > 59:
            raise ValueError(f"“{cell_text(value)}” is not a real time")
        when = datetime.time(hour, int(t[2]), int(t[3] or 0))
        if t[5] in ("Z", "UTC", "GMT"):
            zone = datetime.UTC
        elif t[5]:
            sign = -1 if t[5][0] == "-" else 1
            digits = t[5][1:].replace(":", "")
            offset = datetime.timedelta(hours=int(digits[:2]), minutes=int(digits[2:]))
            zone = datetime.timezone(sign * offset)
        text = text[: m.start()]
    day = reader(text)
    moment = datetime.datetime.combine(day, when)
    return timezone.make_aware(moment, zone) if zone is tz else moment.replace(tzinfo=zone)


# --- reading the file ----------------------------------------------------------------------------


def read_devices(
    data: bytes,
    filename: str,
    client: Client,
    fmt: str = AUTO,
    mapping: dict[str, str] | None = None,
) -> tuple[str, list[dict[str, Any]], list[str], int]:
    """(format, device rows, problems, rows merged). Raises NeedsMapping when the device
    name column is not recognised and no mapping is given."""
    try:
        _, headers, body = read_table(data, filename)
    except FileProblem as exc:
        return fmt, [], [str(exc)], 0
    if mapping:
        columns = {k: v.lower() for k, v in mapping.items() if v}
        fmt = "mapped"
        unknown = [h for h in columns.values() if h not in headers]
        if unknown:
            return fmt, [], [f"no column “{h}” in the file" for h in unknown], 0
        if "name" not in columns:
            return fmt, [], ["map the column that holds the device name"], 0
    elif fmt in FORMATS:
        columns = _resolve(headers, FORMATS[fmt].columns)
        if "name" not in columns:
            wanted = " or ".join(FORMATS[fmt].columns["name"])
            return fmt, [], [f"missing column: the device name ({wanted}) is not in the file"], 0
    else:
        found = detect(headers)
        if found is None:
            raise NeedsMapping(headers)
        fmt, columns = found
    if not body:
        return fmt, [], ["the file has a header row but no devices"], 0
    index = {name: headers.index(h) for name, h in columns.items()}
    titles = {name: h.replace("_", " ") for name, h in columns.items()}

    def cell(values: list[Any], name: str) -> Any:
        i = index.get(name)
        return values[i] if i is not None and i < len(values) else None

    readers = {
        name: DateReader(
            date_order_of([_date_text(cell(v, name)) for _, v in body if name in index], MDY)
        )
        for name in ("purchase_date", "warranty_end", "last_seen")
    }
    errors: list[str] = []
    by_key: dict[str, dict[str, Any]] = {}
    merged = 0
    for number, values in body:
        row: dict[str, Any] = {}
        before = len(errors)
        for name in FIELDS:
            raw = cell(values, name)
            try:
                row[name] = _parse(name, raw, readers, client)
            except ValueError as exc:
                errors.append(f"row {number}, column {titles[name]}: {exc}")
        if len(errors) > before:
            continue
        row["device_type"] = device_category(row["device_type"], row["os"], row["model"])
        row["natural_key"] = natural_key(row["serial"], row["name"])
        row["_row"] = number
        earlier = by_key.get(row["natural_key"])
        if earlier is not None:
            merged += 1
            if _seen(row) < _seen(earlier):
                continue
        by_key[row["natural_key"]] = row
    if len(errors) > MAX_ERRORS:
        errors = [*errors[:MAX_ERRORS], f"… and {len(errors) - MAX_ERRORS} more errors"]
    return fmt, list(by_key.values()), errors, merged


def _seen(row: dict[str, Any]) -> datetime.datetime:
    return row["last_seen"] or datetime.datetime.min.replace(tzinfo=datetime.UTC)


def _parse(name: str, raw: Any, readers: dict[str, DateReader], client: Client) -> Any:
    if name == "serial":
        text = clean_serial(raw)
    elif name in ("purchase_date", "warranty_end"):
        if isinstance(raw, datetime.date):
            return readers[name](raw)
        text = _date_text(raw)
        return readers[name](text) if text.casefold() not in {"", "n/a", "unknown", "-"} else None
    elif name == "last_seen":
        return parse_seen(raw, readers[name], client.tz)
    else:
        text = cell_text(raw)
    if name == "name" and not text:
        raise ValueError("is empty (every device needs a name)")
    if len(text) > LIMITS[name]:
        raise ValueError(f"is longer than {LIMITS[name]} characters")
    return text


# --- writing -------------------------------------------------------------------------------------

WRITTEN = [*FIELDS, "natural_key"]


def _write(client: Client, rows: list[dict[str, Any]], record, result) -> None:
    existing = {d.natural_key: d for d in Device.objects.all()}
    compared = list(FIELDS)
    new, changed = [], []
    for row in rows:
        values = {k: v for k, v in row.items() if k in WRITTEN}
        device = existing.get(row["natural_key"])
        if device is None:
            new.append(Device(client=client, device_import=record, **values))
            continue
        if any(getattr(device, n) != values[n] for n in compared):
            result.updated += 1
        else:
            result.unchanged += 1
        for name, value in values.items():
            setattr(device, name, value)
        device.device_import = record
        changed.append(device)
    Device.objects.bulk_create(new, batch_size=500)
    Device.objects.bulk_update(changed, [*compared, "device_import"], batch_size=500)
    result.created = len(new)


def import_devices(
    client: Client,
    file: bytes | str | Path | IO[bytes],
    filename: str,
    *,
    fmt: str = AUTO,
    mapping: dict[str, str] | None = None,
    user: Any = None,
) -> DeviceImportResult:
    """Validate the whole export, then write it atomically (see the module's docstring).

    Raises NeedsMapping when the export is not recognised and no mapping is given. The
    lifecycle policies of the device types found are created from the benchmarks when
    the client has none for them yet.
    """
    from ciodesk.budget.services_lifecycle import ensure_default_policies

    result = DeviceImportResult(filename=filename)
    try:
        data = read_bytes(file)
    except FileProblem as exc:
        result.errors = [str(exc)]
        return result
    digest = hashlib.sha256(data).hexdigest()
    with scope(client):
        result.already = DeviceImport.objects.filter(sha256=digest, status="done").first()
    if result.already is not None:
        return result
    fmt, rows, errors, merged = read_devices(data, filename, client, fmt, mapping)
    result.source_format, result.rows, result.merged = fmt, len(rows), merged
    if errors:
        result.errors = errors
        return result
    actor = acting_as(user) if user is not None else nullcontext()
    with actor, scope(client), transaction.atomic():
        record = DeviceImport.objects.create(
            filename=filename[:255],
            sha256=digest,
            source_format=fmt,
            status=ImportStatus.RUNNING,
            rows_total=len(rows),
            imported_by=user if getattr(user, "is_authenticated", False) else None,
        )
        _write(client, rows, record, result)
        ensure_default_policies(client, {r["device_type"] for r in rows})
        record.status = ImportStatus.DONE
        record.rows_done = len(rows)
        record.created_count = result.created
        record.updated_count = result.updated
        record.skipped_count = result.unchanged + merged
        record.finished_at = timezone.now()
        record.save()
    result.record = record
    return result
