"""Backup job reports: when each protected system last had a successful backup.

One row is one job run (or, in per-device reports such as Cove's or Datto's, one device
with its last session): the protected system, the job or plan, the result and when it
finished. A per-device report's "last successful" column counts as a success at that time.

Results are read from the words the tools use: success ("Success", "Succeeded",
"Completed", "OK"), warning ("Warning", "Completed with errors", "Succeeded with warnings"),
failed ("Failed", "Error", "Aborted", "Cancelled", "Missed", "Interrupted", "Over quota" …)
and other (running, queued, skipped). **Only a success counts as a backup**: a warning
often means files were left out.

"As of" is the report's time: the newest finish time it holds. Systems without a success
in the 24 hours (or 7 days) before it are the ones the coverage page lists. Runs still
going (or missed, with no finish time) are left out.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from ciodesk.security.importers.common import (
    Columns,
    Field,
    Format,
    Problems,
    Spec,
    compact,
    moment,
    required,
    text,
)

SUCCESS, WARNING, FAILED, OTHER = "success", "warning", "failed", "other"
DAY = datetime.timedelta(hours=24)
WEEK = datetime.timedelta(days=7)

FIELDS = (
    Field("system", "Protected system", required=True, help="the machine or workload"),
    Field("job", "Job or plan"),
    Field("result", "Status / result", required=True),
    Field("finished_at", "End / finish time", required=True),
    Field("last_success_at", "Last successful backup", help="in per-device reports"),
)

DATTO = Format(
    key="datto",
    label="Datto BCDR (SIRIS / ALTO / Endpoint Backup)",
    columns={
        "system": (
            "Protected Machine",
            "Protected System",
            "Agent",
            "Agent Name",
            "Asset",
            "Asset Name",
            "Hostname",
        ),
        "job": ("Backup Type", "Job", "Job Name"),
        "result": ("Backup Status", "Last Backup Status", "Status", "Result"),
        "finished_at": ("Backup Time", "Last Backup", "Last Backup Time", "End Time", "Time"),
        "last_success_at": (
            "Last Successful Backup",
            "Last Success",
            "Last Successful Backup Time",
        ),
    },
    extras=(
        "Appliance",
        "Device",
        "Screenshot Verification",
        "Screenshot Status",
        "Last Screenshot",
        "Local Verification",
        "Offsite Status",
        "Last Offsite",
        "Protected Volumes",
        "Snapshot",
        "Organization",
        "Client",
    ),
)

VEEAM = Format(
    key="veeam",
    label="Veeam Backup & Replication / Veeam ONE",
    columns={
        "system": ("VM Name", "Object", "Object Name", "Computer", "Machine", "Host", "Name"),
        "job": ("Job Name", "Job", "Backup Job"),
        "result": ("Status", "Result", "Session Result", "Last Result"),
        "finished_at": ("End Time", "Finished", "Stop Time", "Finish Time", "End"),
        "last_success_at": ("Last Successful Backup", "Last Success"),
    },
    extras=(
        "Start Time",
        "Duration",
        "Job Type",
        "Session Type",
        "Transferred",
        "Processed",
        "Read",
        "Backup Size",
        "Data Size",
        "Dedupe",
        "Compression",
        "Details",
        "Restore Points",
        "Backup Server",
        "Repository",
        "Processing Rate",
        "Bottleneck",
        "Warnings",
        "Errors",
    ),
)

ACRONIS = Format(
    key="acronis",
    label="Acronis Cyber Protect",
    columns={
        "system": (
            "Workload",
            "Device name",
            "Device",
            "Machine name",
            "Machine",
            "Resource name",
            "Resource",
        ),
        "job": ("Plan", "Plan name", "Protection plan", "Backup plan", "Activity"),
        "result": ("Status", "Result", "State"),
        "finished_at": ("Finish time", "Finished", "End time", "Completed", "Finish date"),
        "last_success_at": ("Last successful backup", "Last success"),
    },
    extras=(
        "Start time",
        "Duration",
        "Customer",
        "Tenant",
        "Unit",
        "Agent",
        "Agent version",
        "Backup size",
        "Last backup",
        "Next backup",
        "Initiated by",
        "Type",
    ),
)

COVE = Format(
    key="cove",
    label="N-able Cove Data Protection",
    columns={
        "system": ("Device name", "Device", "Computer name", "Computer", "Device alias"),
        "job": ("Data source", "Data sources", "Datasource", "Plugin", "Backup set"),
        "result": ("Last session status", "Session status", "Status"),
        "finished_at": (
            "Last session timestamp",
            "Last session time",
            "Last session end time",
            "Session end time",
            "End time",
            "Timestamp",
        ),
        "last_success_at": (
            "Last successful session timestamp",
            "Last successful session",
            "Last successful session time",
        ),
    },
    extras=(
        "Customer",
        "Partner",
        "Product",
        "Profile",
        "Storage location",
        "Selected size",
        "Used storage",
        "Last completed session timestamp",
        "Errors",
        "OS type",
        "Device ID",
        "Account ID",
        "Retention",
    ),
)

SPEC = Spec("backup", "backup job report", FIELDS, (DATTO, VEEAM, ACRONIS, COVE))

RUNNING = {
    "running",
    "inprogress",
    "inprocess",
    "pending",
    "queued",
    "waiting",
    "scheduled",
    "skipped",
    "idle",
    "notrun",
    "none",
    "working",
    "restarted",
    "paused",
    "never",
    "archived",
    "disabled",
}
FAILED_WORDS = {
    "overquota",
    "notstarted",
    "stopped",
    "timedout",
    "timeout",
    "noselection",
    "unsuccessful",
    "incomplete",
    "notcompleted",
}


def result_of(value) -> str:
    """The tool's word for a run's outcome → success / warning / failed / other."""
    word = compact(text(value, 100))
    if not word:
        raise ValueError("is empty (success, warning or failed)")
    if "warn" in word or "witherror" in word or "partial" in word:
        return WARNING
    if any(w in word for w in ("fail", "error", "abort", "cancel", "miss", "interrupt")):
        return FAILED
    if word in FAILED_WORDS:
        return FAILED
    if word in RUNNING:
        return OTHER
    if word == "ok" or word.startswith("success") or "succeed" in word or "complete" in word:
        return SUCCESS
    if word in ("passed", "finished", "done"):
        return SUCCESS
    raise ValueError(f"“{text(value, 100)}” is not a result we know (success, warning, failed)")


@dataclass(frozen=True)
class Run:
    system: str
    job: str
    result: str
    finished_at: datetime.datetime


@dataclass
class Parsed:
    runs: list[Run]
    as_of: datetime.datetime
    left_out: int  # runs without a finish time (still running, or missed)


def parse(columns: Columns, tz: datetime.tzinfo, day_first: bool = False) -> Parsed:
    problems = Problems()
    runs: list[Run] = []
    left_out = 0
    has_last_success = columns.has("last_success_at")
    for number, values in columns.body:
        before = problems.total
        system = ""
        try:
            system = required(columns.get(values, "system"), 255)
        except ValueError as exc:
            problems.add(number, columns.name("system"), str(exc))
        try:
            result = result_of(columns.get(values, "result"))
        except ValueError as exc:
            problems.add(number, columns.name("result"), str(exc))
            result = OTHER
        finished = last_success = None
        try:
            finished = moment(columns.get(values, "finished_at"), tz, day_first)
            if finished is None and result in (SUCCESS, WARNING):
                raise ValueError("is empty (when the backup finished)")
        except ValueError as exc:
            problems.add(number, columns.name("finished_at"), str(exc))
        if has_last_success:
            try:
                last_success = moment(columns.get(values, "last_success_at"), tz, day_first)
            except ValueError as exc:
                problems.add(number, columns.name("last_success_at"), str(exc))
        if problems.total > before:
            continue
        job = text(columns.get(values, "job"), 255)
        if finished is None:
            left_out += 1
        else:
            runs.append(Run(system, job, result, finished))
        if last_success is not None and not (finished == last_success and result == SUCCESS):
            runs.append(Run(system, job, SUCCESS, last_success))
    if not problems and not runs:
        problems.file("the report holds no finished backup runs")
    problems.raise_if_any()
    return Parsed(runs, max(r.finished_at for r in runs), left_out)


@dataclass(frozen=True)
class SystemState:
    """One protected system, as of the report's time."""

    name: str
    last_success: datetime.datetime | None
    last_run: datetime.datetime
    last_result: str
    runs: int
    ok_24h: bool
    ok_7d: bool


def systems(runs: Iterable, as_of: datetime.datetime) -> list[SystemState]:
    """Per system (names compared without case): last success, last run and its result.

    `runs` are objects with system, result and finished_at (parsed runs or BackupRun rows).
    """
    found: dict[str, dict] = {}
    for run in runs:
        key = run.system.casefold()
        state = found.setdefault(
            key,
            {"name": run.system, "last_success": None, "last_run": None, "result": "", "runs": 0},
        )
        state["runs"] += 1
        if state["last_run"] is None or run.finished_at > state["last_run"]:
            state["last_run"], state["result"] = run.finished_at, run.result
        if run.result == SUCCESS and (
            state["last_success"] is None or run.finished_at > state["last_success"]
        ):
            state["last_success"] = run.finished_at
    return sorted(
        (
            SystemState(
                name=s["name"],
                last_success=s["last_success"],
                last_run=s["last_run"],
                last_result=s["result"],
                runs=s["runs"],
                ok_24h=s["last_success"] is not None and s["last_success"] >= as_of - DAY,
                ok_7d=s["last_success"] is not None and s["last_success"] >= as_of - WEEK,
            )
            for s in found.values()
        ),
        key=lambda s: (s.ok_24h, s.ok_7d, s.name.casefold()),
    )


def summarise(states: list[SystemState], parsed_runs: int, left_out: int) -> dict:
    return {
        "systems": len(states),
        "ok_24h": sum(s.ok_24h for s in states),
        "without_24h": sum(not s.ok_24h for s in states),
        "without_7d": sum(not s.ok_7d for s in states),
        "never": sum(s.last_success is None for s in states),
        "runs": parsed_runs,
        "left_out": left_out,
    }


def model_rows(client, record, parsed: Parsed) -> list:
    from ciodesk.security.models import BackupRun

    return [
        BackupRun(
            client=client,
            coverage_import=record,
            system=r.system,
            job=r.job,
            result=r.result,
            finished_at=r.finished_at,
        )
        for r in parsed.runs
    ]
