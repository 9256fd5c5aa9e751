"""Demo security posture: controls with fresh, stale and missing evidence, the MFA, EDR and
backup exports loaded through the importers, risks, a cyber policy, an IR plan and (for one
client) an answered customer questionnaire.

Running the demo twice changes nothing, on the same day or a later one: the exports are
dated from an *anchor* day kept in the MFA export's file name
(``entra-mfa-<slug>-<date>.csv``); a re-run regenerates identical files, which the importer
recognises as already imported. Evidence, risks and the policy are written only where the
client has none yet, so the posture then ages as a real one would (the MFA evidence goes
stale 30 days after the anchor).
"""

from __future__ import annotations

import csv
import datetime
import io
import random
import zlib

from ciodesk.core import demo
from ciodesk.core.scope import scope
from ciodesk.security import services_controls
from ciodesk.security.demo_data import COMMON, MFA_FILENAME, POLICY, RISKS, SPECS, SecuritySpec
from ciodesk.security.models import (
    ClientControl,
    CoverageImport,
    Evidence,
    InsurancePolicy,
    Risk,
    RiskAcceptance,
)
from ciodesk.security.services_coverage import AlreadyImported, import_coverage
from ciodesk.tenancy.models import ClientMembership

FIRST = [
    "Emily",
    "Daniel",
    "Sarah",
    "Michael",
    "Jessica",
    "David",
    "Ashley",
    "Chris",
    "Megan",
    "Ryan",
    "Laura",
    "Brian",
    "Nicole",
    "Kevin",
    "Rachel",
    "Jason",
    "Amanda",
    "Eric",
]
LAST = [
    "Chen",
    "Ortiz",
    "Johnson",
    "Nguyen",
    "Lopez",
    "Kim",
    "Brown",
    "Patel",
    "Davis",
    "Garcia",
    "Wilson",
    "Martinez",
    "Thompson",
    "Anderson",
    "Lee",
    "Taylor",
]


def _anchor(slug: str, today: datetime.date) -> datetime.date:
    for name in CoverageImport.objects.filter(kind="mfa").values_list("filename", flat=True):
        if (match := MFA_FILENAME.fullmatch(name)) and match["slug"] == slug:
            return datetime.date.fromisoformat(match["anchor"])
    return today


def _csv(header: list[str], rows: list[list[str]], bom: bool = False) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return (("\ufeff" if bom else "") + out.getvalue()).encode()


def _us(moment: datetime.datetime, seconds: bool = True) -> str:
    hour = moment.hour % 12 or 12
    clock = f"{hour}:{moment.minute:02d}" + (f":{moment.second:02d}" if seconds else "")
    return f"{moment.month}/{moment.day}/{moment.year} {clock} {'AM' if moment.hour < 12 else 'PM'}"


def mfa_export(spec: SecuritySpec, anchor: datetime.date, rng: random.Random) -> bytes:
    """An Entra "User registration details" download, as the portal writes it."""
    updated = datetime.datetime.combine(anchor, datetime.time(6, 12, 44))
    rows = []
    names = [f"{f} {last}" for last in LAST for f in FIRST]
    rng.shuffle(names)
    for i, name in enumerate(names[: spec.staff]):
        admin = i < 3  # the first three are admins; `without_mfa` counts admins too
        if admin:
            registered = i >= spec.admins_without_mfa
        else:
            registered = i - 3 >= spec.without_mfa - spec.admins_without_mfa
        upn = name.lower().replace(" ", ".") + "@" + spec.domain
        methods = "microsoftAuthenticatorPush, mobilePhone" if registered else ""
        rows.append(
            [
                upn,
                name,
                "Member",
                str(admin),
                str(registered),
                "True",
                str(registered),
                str(registered),
                str(registered),
                "False",
                methods,
                "microsoftAuthenticatorPush" if registered else "",
                _us(updated),
            ]
        )
    rows.append(
        [
            f"auditor_ext#EXT#@{spec.domain}",
            "External Auditor",
            "Guest",
            "False",
            "False",
            "False",
            "False",
            "False",
            "False",
            "False",
            "",
            "",
            _us(updated),
        ]
    )
    header = [
        "User principal name",
        "User display name",
        "User type",
        "Is admin",
        "SSPR registered",
        "SSPR enabled",
        "SSPR capable",
        "MFA registered",
        "MFA capable",
        "Passwordless capable",
        "Methods registered",
        "Default MFA method",
        "Last updated time",
    ]
    return _csv(header, rows, bom=True)


def _device_names(spec: SecuritySpec) -> list[str]:
    prefix = spec.domain.split("-")[0].upper()[:6]
    desks = [f"{prefix}-WS{n:03d}" for n in range(1, spec.devices - len(spec.servers) + 1)]
    return desks + list(spec.servers)


def rmm_export(spec: SecuritySpec, anchor: datetime.date) -> bytes:
    """A NinjaOne device list."""
    seen = datetime.datetime.combine(anchor, datetime.time(7, 30))
    rows = [
        [
            name,
            spec.domain,
            "Main office",
            "Windows Server" if name in spec.servers else "Windows Desktop",
            "Windows Server 2019" if name in spec.servers else "Windows 11 Pro",
            f"SN{zlib.crc32(name.encode()) % 10**8:08d}",
            (seen - datetime.timedelta(minutes=i)).strftime("%Y-%m-%d %H:%M:%S"),
            "",
        ]
        for i, name in enumerate(_device_names(spec))
    ]
    header = [
        "Name",
        "Organization",
        "Location",
        "Type",
        "OS Name",
        "Serial Number",
        "Last Contact",
        "Last Logged In User",
    ]
    return _csv(header, rows)


def edr_export(spec: SecuritySpec, anchor: datetime.date) -> bytes:
    """A SentinelOne agent list: every RMM device but the ones left without EDR."""
    seen = datetime.datetime.combine(anchor, datetime.time(7, 41, 9))
    names = _device_names(spec)
    covered = names[: len(names) - len(spec.servers) - spec.without_edr] + list(spec.servers)
    rows = [
        [
            name,
            "Coastline MSP",
            spec.domain,
            "Default Group",
            "CORP",
            "203.0.113.10",
            "24.1.4.257",
            seen.strftime("%b %d, %Y %H:%M:%S"),
            "Windows",
            "Windows 11 Pro",
            "",
            "desktop",
            "Connected",
            "Healthy",
        ]
        for name in covered
    ]
    header = [
        "Endpoint Name",
        "Account",
        "Site",
        "Group",
        "Domain",
        "Console Visible IP",
        "Agent Version",
        "Last Active",
        "OS",
        "OS Version",
        "Serial Number",
        "Machine Type",
        "Network Status",
        "Health Status",
    ]
    return _csv(header, rows)


def backup_export(spec: SecuritySpec, anchor: datetime.date) -> bytes:
    """A Datto BCDR protected-machine report."""
    run = datetime.datetime.combine(anchor, datetime.time(5, 0))
    rows = []
    for name in spec.servers:
        days = spec.stale_backup_days.get(name, 0)
        last = run - datetime.timedelta(days=days)
        status = "Failed" if days else "Success"
        rows.append(
            [
                name,
                f"SIRIS-{spec.domain.split('.')[0].upper()}",
                status,
                _us(run, seconds=False),
                _us(last, seconds=False),
                "Success",
                "Synced",
            ]
        )
    header = [
        "Protected Machine",
        "Appliance",
        "Backup Status",
        "Backup Time",
        "Last Successful Backup",
        "Screenshot Verification",
        "Offsite Status",
    ]
    return _csv(header, rows)


def _import(client, data: bytes, filename: str, kind: str) -> str:
    try:
        outcome = import_coverage(client, data, filename, kind)
    except AlreadyImported:
        return f"{kind}: already loaded"
    return f"{kind}: {getattr(outcome, 'rows', '') or 'loaded'}"


def _posture(client, spec: SecuritySpec, anchor: datetime.date) -> None:
    controls = {c.definition.key: c for c in services_controls.ensure_client_controls(client)}
    with_evidence = set(Evidence.objects.values_list("control__definition__key", flat=True))
    for key, (status, days, title) in (COMMON | spec.posture).items():
        control = controls.get(key)
        if control is None or key in with_evidence:
            continue
        if days is None:
            if control.status == ClientControl.Status.NOT_ASSESSED and status != "not_assessed":
                control.status = status
                control.save()
            continue
        services_controls.add_evidence(
            control,
            kind="note",
            title=title,
            verified_on=anchor - datetime.timedelta(days=days),
            note="Checked with the MSP during the quarterly review.",
            status=status,
        )


def _risks(spec: SecuritySpec, client, owner, anchor: datetime.date) -> None:
    if Risk.objects.exists():
        return
    executive = (
        ClientMembership.objects.filter(role=ClientMembership.Role.EXECUTIVE)
        .select_related("user")
        .first()
    )
    for n, row in enumerate(RISKS[: spec.risks]):
        (
            title,
            description,
            category,
            likelihood,
            impact,
            treatment,
            actions,
            cost,
            keys,
            residual_l,
            residual_i,
            review_days,
        ) = row
        risk = Risk.objects.create(
            title=title,
            description=description,
            category=category,
            owner=owner,
            likelihood=likelihood,
            impact=impact,
            treatment=treatment,
            planned_actions=actions,
            cost_estimate=cost,
            currency=client.currency,
            residual_likelihood=residual_l,
            residual_impact=residual_i,
            # Two risks are past their review date, so the portfolio has something to say.
            next_review_on=anchor + datetime.timedelta(days=review_days if n > 1 else -5 - n),
            created_on=anchor - datetime.timedelta(days=30 + 7 * n),
        )
        risk.controls.set([services_controls.control_for(key) for key in keys])
        if treatment == "accept" and executive is not None:
            RiskAcceptance.objects.create(
                risk=risk,
                decided_by=executive.user,
                reason="The practice-management add-in needs macros; revisit at the upgrade.",
                review_by=anchor + datetime.timedelta(days=180),
            )


def _policy(client, owner, anchor: datetime.date) -> None:
    if InsurancePolicy.objects.exists():
        return
    carrier, broker, number, days, limit, retention, premium, hotline = POLICY[client.slug]
    InsurancePolicy.objects.create(
        carrier=carrier,
        broker=broker,
        policy_number=number,
        renewal_date=anchor + datetime.timedelta(days=days),
        coverage_limit=limit,
        retention=retention,
        premium=premium,
        currency=client.currency,
        claims_hotline=hotline,
        owner=owner,
        notes="Renewal application asks about MFA, EDR, backups and training.",
    )


@demo.register("security: controls, evidence, coverage, risks, insurance, IR", order=30)
def load(context) -> None:
    from ciodesk.security.demo_questionnaires import load_ir_demo, load_questionnaire_demo

    for slug, spec in SPECS.items():
        client = context.clients.get(slug)
        if client is None:
            continue
        with scope(client):
            today = client.today()
            anchor = _anchor(slug, today)
            rng = random.Random(f"security-{slug}")
            notes = [
                _import(
                    client,
                    mfa_export(spec, anchor, rng),
                    f"entra-mfa-{slug}-{anchor.isoformat()}.csv",
                    "mfa",
                ),
                _import(client, rmm_export(spec, anchor), f"ninjaone-{slug}-{anchor}.csv", "rmm"),
                _import(
                    client, edr_export(spec, anchor), f"sentinelone-{slug}-{anchor}.csv", "edr"
                ),
                _import(
                    client, backup_export(spec, anchor), f"datto-bcdr-{slug}-{anchor}.csv", "backup"
                ),
            ]
            owner = services_controls.default_owner(client)
            _posture(client, spec, anchor)
            _risks(spec, client, owner, anchor)
            _policy(client, owner, anchor)
            load_ir_demo(client, owner, today)
            if spec.questionnaire:
                load_questionnaire_demo(client, owner, today)
            summary = services_controls.summary(today)
            context.stdout.write(
                f"      {client.name}: {'; '.join(notes)}; {Risk.objects.count()} risks; "
                f"{summary.in_place} of {summary.applicable} controls in place, "
                f"{len(summary.stale)} stale"
            )
