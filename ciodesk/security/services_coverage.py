"""Coverage from exports: import a file, keep its figures, record them as control evidence.

An import reads the whole file first (importers/), then writes in one transaction: the
CoverageImport with its computed figures (``summary`` — the coverage page reads only that),
its rows (bulk-created; the import row itself is the audited record), and dated evidence on
the mapped control through services_controls.add_evidence. The same file twice (same
client, kind and SHA-256) adds nothing.

The status rules are in RULES below (the coverage page and docs/security.md show them).

Evidence is dated with the export's date in the client's time zone (for endpoint
protection, the older of the two lists). Only the newest export of a kind sets a status; an
older file adds its dated evidence and nothing else.
"""

from __future__ import annotations

import datetime
import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from django.db import IntegrityError, transaction
from django.db.models import Case, IntegerField, Value, When
from django.utils import timezone

from ciodesk.core.scope import scope
from ciodesk.core.tabular import MAX_BYTES, FileProblem, read_bytes
from ciodesk.security.importers import SPECS, backups, devices, mfa
from ciodesk.security.importers.common import (
    CoverageFailed,
    UnknownColumns,
    open_export,
    signature,
    zone,
)
from ciodesk.security.models import (
    BackupRun,
    CoverageImport,
    CoverageMapping,
    DeviceRecord,
    MfaAccount,
)
from ciodesk.security.state import IN_PLACE, LABELS, NOT_IN_PLACE, PARTIAL

MFA_PARTIAL = 80
EDR_IN_PLACE = 98
EDR_PARTIAL = 80
CONTROL_KEYS = {
    "mfa": "mfa-email",
    "rmm": "endpoint-protection",
    "edr": "endpoint-protection",
    "backup": "backups",
}
OTHER_LIST = {"rmm": "edr", "edr": "rmm"}
BATCH = 1000
RULES = [
    (
        "MFA registration",
        "mfa-email",
        "The population is the member users of the export (guests are counted apart; Entra "
        "lists enabled accounts only, and rows marked disabled are left out). In place when "
        f"every member user is registered for MFA, partial at {MFA_PARTIAL} % or more, "
        "otherwise not in place. Admin accounts (any user type): in place when every one is "
        "registered (control mfa-admins), otherwise not in place.",
    ),
    (
        "Endpoint protection",
        "endpoint-protection",
        "The newest RMM device list against the newest EDR agent list, matched on the host "
        "name (any case, domain suffix ignored), the serial number breaking ties and catching "
        "renamed machines. Printers, network gear, hypervisor hosts and phones are not "
        f"counted. In place at {EDR_IN_PLACE} % or more of the devices with an agent, partial "
        f"at {EDR_PARTIAL} % or more, otherwise not in place.",
    ),
    (
        "Backups",
        "backups",
        "As of the report's time (its newest finish time): in place when every protected "
        "system had a successful backup in the 24 hours before it, partial when every one had "
        "one within 7 days, otherwise not in place. A warning is not a success.",
    ),
]


class AlreadyImported(Exception):
    """This very file (same bytes) was imported before for this client and kind."""

    def __init__(self, record: CoverageImport, tz):
        self.record = record
        when = timezone.localtime(record.imported_at, tz)
        super().__init__(
            f"{record.filename} was already imported on {when:%Y-%m-%d at %H:%M} "
            f"({record.get_kind_display()}); nothing was added"
        )


# --- the rules ---------------------------------------------------------------------------------


def mfa_status(registered: int, members: int) -> str:
    if members and registered == members:
        return IN_PLACE
    if members and registered * 100 >= MFA_PARTIAL * members:
        return PARTIAL
    return NOT_IN_PLACE


def admins_status(admins: int | None, without: int | None) -> str | None:
    if not admins:
        return None
    return IN_PLACE if not without else NOT_IN_PLACE


def endpoint_status(covered: int, devices_total: int) -> str | None:
    if not devices_total:
        return None
    if covered * 100 >= EDR_IN_PLACE * devices_total:
        return IN_PLACE
    if covered * 100 >= EDR_PARTIAL * devices_total:
        return PARTIAL
    return NOT_IN_PLACE


def backup_status(systems: int, without_24h: int, without_7d: int) -> str:
    if systems and not without_24h:
        return IN_PLACE
    if systems and not without_7d:
        return PARTIAL
    return NOT_IN_PLACE


# --- importing ---------------------------------------------------------------------------------


@dataclass
class Outcome:
    record: CoverageImport
    notes: list[str] = field(default_factory=list)


def file_bytes(source: bytes | str | Path | IO[bytes]) -> bytes:
    try:
        data = read_bytes(source)
    except FileProblem as exc:
        raise CoverageFailed([str(exc)]) from None
    if len(data) > MAX_BYTES:
        raise CoverageFailed([f"the file is larger than {MAX_BYTES // (1024 * 1024)} MB"])
    return data


def import_coverage(
    client,
    source: bytes | str | Path | IO[bytes],
    filename: str,
    kind: str,
    *,
    time_zone: str | None = None,
    day_first: bool = False,
    mapping: dict[str, str] | None = None,
    save_mapping: bool = False,
    user=None,
) -> Outcome:
    """Import one export. Raises CoverageFailed (nothing written), UnknownColumns (the
    columns need mapping) or AlreadyImported (the same file was imported before)."""
    if kind not in SPECS:
        raise CoverageFailed([f"unknown kind “{kind}” (use one of {', '.join(SPECS)})"])
    data = file_bytes(source)
    digest = hashlib.sha256(data).hexdigest()
    try:
        tz = zone(time_zone or client.time_zone)
    except ValueError as exc:
        raise CoverageFailed([str(exc)]) from None
    with scope(client):
        _refuse_repeat(kind, digest, client)
        columns = _columns(data, filename, kind, mapping)
        parser = {"mfa": mfa.parse, "rmm": devices.parse, "edr": devices.parse}
        parsed = parser.get(kind, backups.parse)(columns, tz, day_first)
        try:
            with transaction.atomic():
                outcome = _write(client, kind, parsed, columns, filename, digest, user)
                if save_mapping and mapping:
                    CoverageMapping.objects.update_or_create(
                        kind=kind,
                        headers_signature=signature(columns.headers),
                        defaults={"headers": columns.headers, "mapping": mapping},
                    )
        except IntegrityError:
            _refuse_repeat(kind, digest, client)
            raise
    return outcome


def _refuse_repeat(kind: str, digest: str, client) -> None:
    earlier = CoverageImport.objects.filter(kind=kind, sha256=digest).first()
    if earlier is not None:
        raise AlreadyImported(earlier, client.tz)


def _columns(data: bytes, filename: str, kind: str, mapping: dict[str, str] | None):
    spec = SPECS[kind]
    try:
        return open_export(data, filename, spec, mapping)
    except UnknownColumns as exc:
        saved = CoverageMapping.objects.filter(
            kind=kind, headers_signature=signature(exc.headers)
        ).first()
        if saved is None:
            raise
        return open_export(data, filename, spec, saved.mapping)


def saved_mapping(kind: str, headers: list[str]) -> CoverageMapping | None:
    return CoverageMapping.objects.filter(kind=kind, headers_signature=signature(headers)).first()


def _write(client, kind, parsed, columns, filename, digest, user) -> Outcome:
    now = timezone.now()
    as_of = parsed.as_of or now
    newest = not CoverageImport.objects.filter(kind=kind, as_of__gt=as_of).exists()
    if kind == "mfa":
        summary = mfa.summarise(parsed)
        summary["status"] = mfa_status(summary["members_registered"], summary["members"])
        summary["admins_status"] = admins_status(summary["admins"], summary["admins_without"])
        rows = len(parsed.accounts)
    elif kind == "backup":
        states = backups.systems(parsed.runs, parsed.as_of)
        summary = backups.summarise(states, len(parsed.runs), parsed.left_out)
        summary["status"] = backup_status(
            summary["systems"], summary["without_24h"], summary["without_7d"]
        )
        rows = len(parsed.runs)
    else:
        summary = devices.summarise(parsed, kind)
        if newest:
            summary.update(_pair(kind, parsed.devices, as_of))
        rows = len(parsed.devices)
    record = CoverageImport(
        client=client,
        kind=kind,
        filename=Path(filename).name[:255] or "export",
        sha256=digest,
        source_format=columns.source_format,
        as_of=as_of,
        rows=rows,
        summary=summary,
        imported_by=user if getattr(user, "pk", None) else None,
    )
    record.save()
    _bulk_rows(client, record, kind, parsed)
    outcome = Outcome(record)
    if parsed.as_of is None:
        outcome.notes.append("the file has no dates: its figures are dated with today")
    if not newest:
        outcome.notes.append(
            "a newer export of this kind was imported before: this one is kept as dated "
            "evidence and changes no status"
        )
    _record_evidence(record, newest, user, outcome)
    return outcome


def _pair(kind: str, listed: list, as_of: datetime.datetime) -> dict:
    """This list against the newest list of the other kind, when there is one."""
    other = latest(OTHER_LIST[kind])
    if other is None:
        return {}
    theirs = list(DeviceRecord.objects.filter(coverage_import=other))
    rmm, edr = (listed, theirs) if kind == "rmm" else (theirs, listed)
    figures = pair_figures(devices.match_devices(rmm, edr))
    figures.update(
        other=other.pk,
        other_file=other.filename,
        other_as_of=other.as_of.isoformat(),
        as_of=min(as_of, other.as_of).isoformat(),
    )
    return {"endpoint": figures}


def pair_figures(match: devices.Match) -> dict:
    figures = devices.compare(match)
    figures["status"] = endpoint_status(figures["covered"], figures["devices"])
    return figures


def _bulk_rows(client, record: CoverageImport, kind: str, parsed) -> None:
    module = {"mfa": mfa, "backup": backups}.get(kind, devices)
    rows = module.model_rows(client, record, parsed)
    if rows:
        type(rows[0]).objects.bulk_create(rows, batch_size=BATCH)


# --- evidence on the controls ------------------------------------------------------------------


def _local_date(moment: datetime.datetime, client) -> datetime.date:
    return timezone.localtime(moment, client.tz).date()


def evidence_items(record: CoverageImport) -> list[dict[str, Any]]:
    """What an import proves: (control key, title, note, status, date) per control."""
    s = record.summary
    client = record.client
    items = []
    if record.kind == "mfa":
        items.append(
            {
                "key": "mfa-email",
                "title": f"MFA registration {s['percent']} % "
                f"({s['members_registered']} of {s['members']} member users)",
                "note": f"{s['members_without']} member user(s) without MFA; guests: "
                f"{s['guests']} ({s['guests_registered']} registered). Rule: in place when "
                f"every member user is registered, partial at {MFA_PARTIAL} % or more.",
                "status": s["status"],
                "on": _local_date(record.as_of, client),
            }
        )
        if s.get("admins_status"):
            items.append(
                {
                    "key": "mfa-admins",
                    "title": f"Admins without MFA: {s['admins_without']} of {s['admins']}",
                    "note": "Rule: in place when every admin account is registered for MFA.",
                    "status": s["admins_status"],
                    "on": _local_date(record.as_of, client),
                }
            )
    elif record.kind == "backup":
        items.append(
            {
                "key": "backups",
                "title": f"Backups: {s['ok_24h']} of {s['systems']} systems succeeded in 24 h",
                "note": f"No success in 24 hours: {s['without_24h']}; in 7 days: "
                f"{s['without_7d']}. Rule: in place when every system succeeded in the last "
                "24 hours, partial when all within 7 days.",
                "status": s["status"],
                "on": _local_date(record.as_of, client),
            }
        )
    elif (pair := s.get("endpoint")) and pair.get("status"):
        items.append(
            {
                "key": "endpoint-protection",
                "title": f"EDR on {pair['percent']} % of devices "
                f"({pair['covered']} of {pair['devices']})",
                "note": f"{pair['without_edr']} device(s) without EDR; compared with "
                f"{pair['other_file']}. Rule: in place at {EDR_IN_PLACE} % or more, partial "
                f"at {EDR_PARTIAL} %.",
                "status": pair["status"],
                "on": _local_date(datetime.datetime.fromisoformat(pair["as_of"]), client),
            }
        )
    return items


def _record_evidence(record: CoverageImport, newest: bool, user, outcome: Outcome) -> None:
    from ciodesk.security.services_controls import NoOwnerError, add_evidence, control_for

    source = f"Coverage import #{record.pk}: {record.filename}"[:200]
    try:
        with transaction.atomic():
            for item in evidence_items(record):
                add_evidence(
                    control_for(item["key"]),
                    kind="coverage",
                    title=item["title"],
                    verified_on=item["on"],
                    source=source,
                    note=item["note"],
                    user=user,
                    status=item["status"] if newest else None,
                )
    except NoOwnerError as exc:
        outcome.notes.append(f"no control evidence recorded: {exc}")


# --- reading back ------------------------------------------------------------------------------


def latest(kind: str) -> CoverageImport | None:
    """The newest export of a kind (by the export's own time), in the active scope."""
    return (
        CoverageImport.objects.filter(kind=kind)
        .select_related("imported_by")
        .order_by("-as_of", "-pk")
        .first()
    )


def endpoint_figures(
    rmm: CoverageImport | None, edr: CoverageImport | None
) -> tuple[dict | None, CoverageImport | None]:
    """The comparison of the newest RMM and EDR lists, read from whichever holds it."""
    for holder, other in ((edr, rmm), (rmm, edr)):
        pair = (holder.summary or {}).get("endpoint") if holder else None
        if pair and other is not None and pair.get("other") == other.pk:
            return pair, holder
    return None, None


def counterpart(record: CoverageImport) -> CoverageImport | None:
    """The list an RMM or EDR import was compared with (either side of the pair)."""
    pair = (record.summary or {}).get("endpoint")
    if pair:
        return CoverageImport.objects.filter(pk=pair.get("other")).first()
    return (
        CoverageImport.objects.filter(
            kind=OTHER_LIST.get(record.kind, ""), summary__endpoint__other=record.pk
        )
        .order_by("-as_of", "-pk")
        .first()
    )


def endpoint_match(record: CoverageImport) -> tuple[CoverageImport | None, devices.Match | None]:
    other = counterpart(record)
    if other is None:
        return None, None
    pairs = {record.kind: record, other.kind: other}
    listed = {
        kind: list(DeviceRecord.objects.filter(coverage_import=item))
        for kind, item in pairs.items()
    }
    return other, devices.match_devices(listed["rmm"], listed["edr"])


def mfa_without(record: CoverageImport):
    """Accounts of an MFA import that have not registered: members first, then guests."""
    return (
        MfaAccount.objects.filter(coverage_import=record, is_mfa_registered=False)
        .annotate(
            guest=Case(
                When(user_type__iexact="guest", then=Value(1)),
                default=Value(0),
                output_field=IntegerField(),
            )
        )
        .order_by("guest", "user_principal_name")
    )


def backup_systems(record: CoverageImport) -> list[backups.SystemState]:
    runs = BackupRun.objects.filter(coverage_import=record).only("system", "result", "finished_at")
    return backups.systems(runs, record.as_of)


# --- the figures the coverage page shows -------------------------------------------------------


@dataclass
class Figure:
    """One of the three coverage figures, read from the summaries of the newest imports."""

    key: str
    title: str
    control_key: str
    record: CoverageImport | None = None  # the import the figure links to
    value: str = "—"
    detail: str = ""
    status: str | None = None
    as_of: datetime.datetime | None = None
    sources: list[CoverageImport] = field(default_factory=list)
    missing: str = ""  # what to import when the figure cannot be given
    upload_kind: str = ""
    control: Any = None  # the client's control, when the page looks it up

    @property
    def status_label(self) -> str:
        return LABELS.get(self.status or "", "")


def headline(record: CoverageImport) -> str:
    """One line for an import: its main figure, or what it holds when it has none."""
    s = record.summary or {}
    if record.kind == "mfa" and "members" in s:
        text = (
            f"{s['members_registered']} of {s['members']} member users registered "
            f"({_pct(s.get('percent'))})"
        )
        if s.get("admins_without"):
            text += f"; {s['admins_without']} admin(s) without MFA"
        return text
    if record.kind == "backup" and "systems" in s:
        return (
            f"{s['ok_24h']} of {s['systems']} systems backed up in 24 h; "
            f"{s['without_7d']} without a success in 7 days"
        )
    if record.kind in OTHER_LIST and "devices" in s:
        text = f"{s['devices']} device(s) listed"
        if pair := s.get("endpoint"):
            text += f"; EDR on {_pct(pair.get('percent'))} of devices"
        return text
    return f"{record.rows} row(s)"


def _pct(value) -> str:
    return "—" if value is None else f"{value} %"


def overview() -> list[Figure]:
    """MFA, endpoint protection and backups, from four queries whatever the data's size."""
    newest = {kind: latest(kind) for kind in SPECS}
    return [_mfa_figure(newest["mfa"]), _endpoint_figure(newest), _backup_figure(newest["backup"])]


def _mfa_figure(record: CoverageImport | None) -> Figure:
    figure = Figure("mfa", "MFA registration", "mfa-email", upload_kind="mfa")
    if record is None:
        figure.missing = "Import the Entra “User registration details” export."
        return figure
    s = record.summary or {}
    figure.record, figure.as_of, figure.sources = record, record.as_of, [record]
    if "members" not in s:
        figure.detail = "This import holds no figures."
        return figure
    figure.value = _pct(s.get("percent"))
    figure.status = s.get("status")
    parts = [f"{s['members_registered']} of {s['members']} member users registered"]
    if s.get("admins") is not None:
        parts.append(f"admins without MFA: {s.get('admins_without', 0)} of {s['admins']}")
    parts.append(f"guests listed apart: {s.get('guests', 0)}")
    figure.detail = " · ".join(parts)
    return figure


def _endpoint_figure(newest: dict) -> Figure:
    figure = Figure("endpoint", "Endpoint protection (EDR)", "endpoint-protection")
    rmm, edr = newest["rmm"], newest["edr"]
    figure.sources = [r for r in (rmm, edr) if r is not None]
    pair, holder = endpoint_figures(rmm, edr)
    if pair is None:
        figure.record = rmm or edr
        figure.upload_kind = "edr" if rmm else "rmm"
        if rmm is None and edr is None:
            figure.missing = "Import the RMM device list and the EDR agent list."
        else:
            lacking = "EDR agent list" if rmm else "RMM device list"
            figure.missing = f"Import the {lacking} to compare the two."
        return figure
    figure.record = holder
    figure.as_of = datetime.datetime.fromisoformat(pair["as_of"])
    figure.value = _pct(pair.get("percent"))
    figure.status = pair.get("status")
    figure.detail = (
        f"{pair['covered']} of {pair['devices']} devices have an EDR agent · "
        f"{pair['without_rmm']} EDR agent(s) with no RMM device"
    )
    return figure


def _backup_figure(record: CoverageImport | None) -> Figure:
    figure = Figure("backup", "Backups", "backups", upload_kind="backup")
    if record is None:
        figure.missing = "Import a backup job report."
        return figure
    s = record.summary or {}
    figure.record, figure.as_of, figure.sources = record, record.as_of, [record]
    if "systems" not in s:
        figure.detail = "This import holds no figures."
        return figure
    figure.value = f"{s['ok_24h']} of {s['systems']}"
    figure.status = s.get("status")
    figure.detail = (
        f"systems with a success in the 24 h before the report · no success in 7 days: "
        f"{s['without_7d']}"
    )
    return figure
