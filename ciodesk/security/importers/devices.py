"""Device lists: the RMM's (what the MSP manages) and the EDR's (what is protected).

Endpoint protection coverage = RMM devices that have an EDR agent ÷ RMM devices that can
run one. Devices are matched one to one, in three passes:

1. same normalised name and same serial number;
2. same normalised name (when two agents share a name, the one seen last wins);
3. same serial number (a machine renamed in one console but not in the other).

The normalised name is the host name in lower case, without its domain ("PC-01.contoso.local"
and "CONTOSO\\PC-01" are "pc-01"). Serial numbers that firmware leaves as placeholders
("To be filled by O.E.M.", "System Serial Number", "0" …) are never used.

RMM entries that cannot run an EDR agent — printers, switches, routers, firewalls, access
points, UPSs, NAS boxes, hypervisor hosts, phones and tablets, as the RMM's device type says —
are listed but not counted.
"""

from __future__ import annotations

import datetime
import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from ciodesk.security.importers.common import (
    Columns,
    Problems,
    moment,
    percent,
    required,
    text,
)
from ciodesk.security.importers.device_formats import EDR, FIELDS, RMM  # noqa: F401

PLACEHOLDER_SERIALS = {
    "",
    "0",
    "none",
    "null",
    "na",
    "unknown",
    "defaultstring",
    "tobefilledbyoem",
    "systemserialnumber",
    "chassisserialnumber",
    "notspecified",
    "notapplicable",
    "invalid",
    "0123456789",
    "123456789",
}
NO_AGENT_WORDS = {
    "printer",
    "switch",
    "router",
    "firewall",
    "nms",
    "snmp",
    "ups",
    "nas",
    "esx",
    "esxi",
    "hypervisor",
    "mdm",
    "mobile",
    "phone",
    "tablet",
    "ios",
    "android",
    "network",
}
NO_AGENT_PHRASES = ("accesspoint", "vmhost", "vmwarevmhost", "cloudmonitor")


def match_key(name: str) -> str:
    """ "PC-01.contoso.local", "CONTOSO\\PC-01", " pc-01 " → "pc-01" (IP addresses stay whole)."""
    found = name.strip().casefold()
    if "\\" in found:
        found = found.rsplit("\\", 1)[1]
    if not re.fullmatch(r"\d{1,3}(?:\.\d{1,3}){3}", found):
        found = found.split(".", 1)[0]
    return found.strip()[:255]


def serial_key(serial: str) -> str:
    """The serial as compared; "" when it is a placeholder firmware leaves."""
    found = re.sub(r"\s+", "", serial).upper()
    plain = re.sub(r"[^A-Z0-9]", "", found).casefold()
    if plain in PLACEHOLDER_SERIALS or len(plain) < 4 or set(plain) <= {"0"}:
        return ""
    return found


def runs_agent(device_type: str) -> bool:
    """False for RMM entries that cannot run an EDR agent (printers, switches, phones …)."""
    lowered = device_type.casefold()
    words = set(re.split(r"[^a-z0-9]+", lowered))
    joined = re.sub(r"[^a-z0-9]", "", lowered)
    return not (words & NO_AGENT_WORDS or any(p in joined for p in NO_AGENT_PHRASES))


@dataclass(frozen=True)
class Device:
    name: str
    match_key: str
    serial: str
    device_type: str
    os: str
    last_seen: datetime.datetime | None


@dataclass
class Parsed:
    devices: list[Device]
    as_of: datetime.datetime | None  # the newest "last seen", when the file has one


def parse(columns: Columns, tz: datetime.tzinfo, day_first: bool = False) -> Parsed:
    problems = Problems()
    devices: list[Device] = []
    newest: datetime.datetime | None = None
    has_seen = columns.has("last_seen")
    for number, values in columns.body:
        try:
            name = required(columns.get(values, "name"), 255)
            key = match_key(name)
            if not key:
                raise ValueError(f"“{name}” has no host name")
        except ValueError as exc:
            problems.add(number, columns.name("name"), str(exc))
            continue
        seen = None
        if has_seen:
            try:
                seen = moment(columns.get(values, "last_seen"), tz, day_first)
            except ValueError as exc:
                problems.add(number, columns.name("last_seen"), str(exc))
                continue
        if seen and (newest is None or seen > newest):
            newest = seen
        devices.append(
            Device(
                name=name,
                match_key=key,
                serial=text(columns.get(values, "serial"), 100),
                device_type=text(columns.get(values, "device_type"), 100),
                os=text(columns.get(values, "os"), 200),
                last_seen=seen,
            )
        )
    problems.raise_if_any()
    return Parsed(devices, newest)


# --- matching ------------------------------------------------------------------------------------


class DeviceLike(Protocol):
    name: str
    match_key: str
    serial: str
    device_type: str
    last_seen: datetime.datetime | None


@dataclass
class Match:
    covered: list[tuple[DeviceLike, DeviceLike, str]]  # (RMM device, EDR agent, "name"/"serial")
    without_edr: list[DeviceLike]
    without_rmm: list[DeviceLike]
    excluded: list[DeviceLike]  # RMM entries that cannot run an agent

    @property
    def population(self) -> int:
        return len(self.covered) + len(self.without_edr)


def _order(device: DeviceLike) -> tuple:
    seen = device.last_seen.timestamp() if device.last_seen else 0.0
    return (device.match_key, serial_key(device.serial), -seen, device.name)


def match_devices(rmm: Sequence[DeviceLike], edr: Sequence[DeviceLike]) -> Match:
    """Pair RMM devices with EDR agents one to one (see the module's docstring)."""
    agents = sorted(edr, key=_order)
    population = sorted((d for d in rmm if runs_agent(d.device_type)), key=_order)
    excluded = [d for d in rmm if not runs_agent(d.device_type)]
    by_name: dict[str, list[int]] = defaultdict(list)
    by_serial: dict[str, list[int]] = defaultdict(list)
    for i, agent in enumerate(agents):
        by_name[agent.match_key].append(i)
        if serial := serial_key(agent.serial):
            by_serial[serial].append(i)
    taken: set[int] = set()
    paired: dict[int, tuple[int, str]] = {}

    def take(candidates: list[int]) -> int | None:
        for i in candidates:  # agents are sorted newest first within a name
            if i not in taken:
                taken.add(i)
                return i
        return None

    for d, device in enumerate(population):  # 1. name and serial
        serial = serial_key(device.serial)
        if serial:
            same = [i for i in by_name[device.match_key] if serial_key(agents[i].serial) == serial]
            if (i := take(same)) is not None:
                paired[d] = (i, "name")
    for d, device in enumerate(population):  # 2. name
        if d not in paired and (i := take(by_name[device.match_key])) is not None:
            paired[d] = (i, "name")
    for d, device in enumerate(population):  # 3. serial
        serial = serial_key(device.serial)
        if d not in paired and serial and (i := take(by_serial[serial])) is not None:
            paired[d] = (i, "serial")
    covered = [
        (device, agents[paired[d][0]], paired[d][1])
        for d, device in enumerate(population)
        if d in paired
    ]
    return Match(
        covered=covered,
        without_edr=[device for d, device in enumerate(population) if d not in paired],
        without_rmm=[agent for i, agent in enumerate(agents) if i not in taken],
        excluded=sorted(excluded, key=_order),
    )


def summarise(parsed: Parsed, kind: str) -> dict:
    devices = parsed.devices
    summary: dict = {"devices": len(devices)}
    if kind == "rmm":
        summary["excluded"] = sum(not runs_agent(d.device_type) for d in devices)
    return summary


def compare(match: Match) -> dict:
    """The endpoint-protection figures of one RMM list against one EDR list."""
    return {
        "devices": match.population,
        "covered": len(match.covered),
        "without_edr": len(match.without_edr),
        "percent": percent(len(match.covered), match.population),
        "agents": len(match.covered) + len(match.without_rmm),
        "without_rmm": len(match.without_rmm),
        "by_serial": sum(how == "serial" for _, _, how in match.covered),
        "excluded": len(match.excluded),
    }


def model_rows(client, record, parsed: Parsed) -> list:
    from ciodesk.security.models import DeviceRecord

    return [
        DeviceRecord(
            client=client,
            coverage_import=record,
            name=d.name,
            match_key=d.match_key,
            serial=d.serial,
            device_type=d.device_type,
            os=d.os,
            last_seen=d.last_seen,
        )
        for d in parsed.devices
    ]
