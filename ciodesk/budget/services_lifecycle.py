"""Hardware lifecycle: replacement dates, the replacements due per quarter and fiscal year,
warranties ending, operating systems past their end of support.

For the forecast helper (call anywhere; it opens the client's scope itself):

    lifecycle_forecast(client, years=5, *, overdue_now=True, today=None) -> LifecycleForecast
        .currency               the client's currency
        .quarters, .years       [Bucket(label, start, end, count, cost, unpriced)] from the
                                current fiscal quarter / year, `years` fiscal years long
        .overdue                Bucket of the devices already past their replacement date
        .unknown                devices without a replacement date (no purchase date, no
                                policy for their type) — never guessed, never counted
        With overdue_now (the default) the overdue devices are counted in the current
        quarter (the money is needed now) and also reported in .overdue; with
        overdue_now=False (the lifecycle page) they are shown separately only.

Rules (docs/budget-licences-lifecycle.md says the same for readers):

* replacement date = purchase (or ship) date + the policy's replacement age for the
  device's type; a device without a purchase date, or of a type without a policy, has none
  and is listed as such;
* an overdue device is assumed replaced today; every replacement is replaced again after
  the same age, so a five-year horizon can hold two replacements of one device;
* a replacement costs the policy's unit cost in the client's currency; a policy with no
  unit cost (0.00) or another currency is listed as "no unit cost", not counted as zero;
* quarters are fiscal quarters of the client's fiscal year (Q1 = its first three months).
"""

from __future__ import annotations

import calendar
import datetime
import functools
import json
import re
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from ciodesk.budget.fiscal import FiscalYear, add_months, fiscal_year_of
from ciodesk.budget.models import Device, DeviceImport, LifecyclePolicy
from ciodesk.core.scope import scope

BENCHMARKS = Path(__file__).parent / "data" / "benchmarks.json"
ZERO = Decimal("0.00")
WARRANTY_WINDOW_DAYS = 90
OS_SOON_DAYS = 365
D = datetime.date
W11_NOTE = "update to a current Windows 11 release"
ESU_NOTE = "paid Extended Security Updates can run to 13 October 2026"

# Operating systems by end of support (the vendor's last security update). Patterns are
# tried in order on the lower-cased OS name, so specific editions come before the family.
# Microsoft: its lifecycle pages (extended end dates; Windows 11 by feature update).
# Apple publishes no end dates; it patches the current macOS and the two before it, so a
# version is counted out of support on the day the third version after it was released.
OS_END_OF_SUPPORT: list[tuple[str, str, datetime.date, str]] = [
    (
        r"windows 10\b.*\biot\b.*ltsc 2021",
        "Windows 10 IoT Enterprise LTSC 2021",
        D(2032, 1, 13),
        "",
    ),
    (
        r"windows 10\b.*ltsc 2021|windows 10\b.*21h2.*ltsc",
        "Windows 10 Enterprise LTSC 2021",
        D(2027, 1, 12),
        "",
    ),
    (r"windows 10\b.*ltsc", "Windows 10 Enterprise LTSC 2019", D(2029, 1, 9), ""),
    (r"windows 10\b.*ltsb", "Windows 10 Enterprise LTSB 2016", D(2026, 10, 13), ""),
    (r"windows 10\b", "Windows 10", D(2025, 10, 14), ESU_NOTE),
    *(
        (
            rf"windows 11\b(?=.*\b(?:enterprise|education)\b)(?=.*\b{version}\b)",
            f"Windows 11 Enterprise {version.upper()}",
            ends,
            W11_NOTE,
        )
        for version, ends in (
            ("21h2", D(2024, 10, 8)),
            ("22h2", D(2025, 10, 14)),
            ("23h2", D(2026, 11, 10)),
            ("24h2", D(2027, 10, 12)),
        )
    ),
    *(
        (
            rf"windows 11\b(?=.*\b{version}\b)",
            f"Windows 11 {version.upper()} (Home, Pro)",
            ends,
            W11_NOTE,
        )
        for version, ends in (
            ("21h2", D(2023, 10, 10)),
            ("22h2", D(2024, 10, 8)),
            ("23h2", D(2025, 11, 11)),
            ("24h2", D(2026, 10, 13)),
        )
    ),
    (r"windows 8\.1", "Windows 8.1", D(2023, 1, 10), ""),
    (r"windows 8\b", "Windows 8", D(2016, 1, 12), ""),
    (r"windows 7\b", "Windows 7", D(2020, 1, 14), ""),
    (r"windows vista", "Windows Vista", D(2017, 4, 11), ""),
    (r"windows xp", "Windows XP", D(2014, 4, 8), ""),
    (r"server 2025", "Windows Server 2025", D(2034, 10, 10), ""),
    (r"server 2022", "Windows Server 2022", D(2031, 10, 14), ""),
    (r"server 2019", "Windows Server 2019", D(2029, 1, 9), ""),
    (r"server 2016", "Windows Server 2016", D(2027, 1, 12), ""),
    (r"server 2012 r2", "Windows Server 2012 R2", D(2023, 10, 10), ""),
    (r"server 2012", "Windows Server 2012", D(2023, 10, 10), ""),
    (r"small business server 2011|sbs 2011", "Small Business Server 2011", D(2020, 1, 14), ""),
    (r"server 2008", "Windows Server 2008 / 2008 R2", D(2020, 1, 14), ""),
    (r"server 2003", "Windows Server 2003", D(2015, 7, 14), ""),
]
MACOS = {  # major version → (name, the day Apple released the third version after it)
    (10, 13): ("macOS 10.13 High Sierra", D(2020, 11, 12)),
    (10, 14): ("macOS 10.14 Mojave", D(2021, 10, 25)),
    (10, 15): ("macOS 10.15 Catalina", D(2022, 10, 24)),
    (11, 0): ("macOS 11 Big Sur", D(2023, 9, 26)),
    (12, 0): ("macOS 12 Monterey", D(2024, 9, 16)),
    (13, 0): ("macOS 13 Ventura", D(2025, 9, 15)),
}
MACOS_NAMES = {
    "high sierra": (10, 13),
    "mojave": (10, 14),
    "catalina": (10, 15),
    "big sur": (11, 0),
    "monterey": (12, 0),
    "ventura": (13, 0),
    "sierra": (10, 12),
    "el capitan": (10, 11),
    "yosemite": (10, 10),
}
_MAC = re.compile(r"\b(?:mac ?os(?: x)?|os x)\b\D{0,20}?(\d{2})(?:\.(\d{1,2}))?")
_COMPILED = [(re.compile(p), name, end, note) for p, name, end, note in OS_END_OF_SUPPORT]


@dataclass(frozen=True)
class OsSupport:
    name: str
    ends: datetime.date
    note: str = ""

    def past(self, today: datetime.date) -> bool:
        return self.ends <= today

    def soon(self, today: datetime.date) -> bool:
        return today < self.ends <= today + datetime.timedelta(days=OS_SOON_DAYS)


@functools.cache
def os_support(os_name: str) -> OsSupport | None:
    """The end of support of an operating system named as an RMM writes it, when known."""
    text = " ".join(os_name.casefold().split())
    if not text:
        return None
    for pattern, name, ends, note in _COMPILED:
        if pattern.search(text):
            return OsSupport(name, ends, note)
    version = None
    if m := _MAC.search(text):
        major, minor = int(m[1]), int(m[2] or 0)
        version = (major, minor if major == 10 else 0)
    elif "mac" in text or "os x" in text:
        version = next((v for word, v in MACOS_NAMES.items() if word in text), None)
    if version is None:
        return None
    if version in MACOS:
        return OsSupport(*MACOS[version], "")
    if version[0] == 10 and version[1] < 13:
        return OsSupport(f"macOS 10.{version[1]}", D(2019, 10, 7), "or earlier")
    return None


# --- policies --------------------------------------------------------------------------------


@functools.cache
def benchmarks() -> dict:
    return json.loads(BENCHMARKS.read_text())


def benchmark_for(device_type: str) -> dict | None:
    key = device_type.casefold()
    return next(
        (b for b in benchmarks()["replacement_years"] if b["device_type"].casefold() == key), None
    )


def ensure_default_policies(client, types: set[str] | None = None) -> int:
    """Create the benchmark policies the client lacks (for `types`, or every benchmark type).

    Never changes a policy already there; unit costs start at 0.00 (not set): the reference
    data has none. Returns how many were created.
    """
    wanted = [
        b
        for b in benchmarks()["replacement_years"]
        if types is None or b["device_type"].casefold() in {t.casefold() for t in types}
    ]
    created = 0
    with scope(client):
        have = {p.device_type.casefold() for p in LifecyclePolicy.objects.all()}
        for bench in wanted:
            if bench["device_type"].casefold() in have:
                continue
            LifecyclePolicy.objects.create(
                device_type=bench["device_type"],
                replacement_years=Decimal(str(bench["years"])),
                unit_cost=ZERO,
                currency=client.currency,
                source=f"{bench['source']} (range {bench['range']} years)"[:500],
                source_year=bench["year"],
            )
            created += 1
    return created


# --- dates -------------------------------------------------------------------------------------


def add_years(day: datetime.date, years: Decimal) -> datetime.date:
    """`day` plus a replacement age in years (4.5 → 4 years 6 months), same day of month."""
    months = int((years * 12).to_integral_value())
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


@dataclass
class Bucket:
    label: str
    start: datetime.date
    end: datetime.date
    count: int = 0
    cost: Decimal = ZERO
    unpriced: int = 0

    def add(self, cost: Decimal | None) -> None:
        self.count += 1
        if cost is None:
            self.unpriced += 1
        else:
            self.cost += cost


def fiscal_quarters(start_month: int, today: datetime.date, years: int) -> list[Bucket]:
    """The fiscal quarters from the one holding `today` to the end of `years` fiscal years."""
    fy = FiscalYear(fiscal_year_of(today, start_month), start_month)
    buckets = []
    for offset in range(years):
        year = FiscalYear(fy.year + offset, start_month)
        for q in range(4):
            start = add_months(year.start, 3 * q)
            end = add_months(start, 3) - datetime.timedelta(days=1)
            if end >= today:
                buckets.append(Bucket(f"{year.label} Q{q + 1}", start, end))
    return buckets


def fiscal_years(start_month: int, today: datetime.date, years: int) -> list[Bucket]:
    first = fiscal_year_of(today, start_month)
    return [
        Bucket(fy.label, fy.start, fy.end)
        for fy in (FiscalYear(first + i, start_month) for i in range(years))
    ]


# --- devices ------------------------------------------------------------------------------------


@dataclass
class DevicePlan:
    device: Device
    policy: LifecyclePolicy | None
    replacement_date: datetime.date | None
    unknown_reason: str = ""
    cost: Decimal | None = None
    os: OsSupport | None = None
    overdue: bool = False

    @property
    def status(self) -> str:
        if self.replacement_date is None:
            return "unknown"
        return "overdue" if self.overdue else "planned"


def _policy_cost(policy: LifecyclePolicy | None, currency: str) -> Decimal | None:
    if policy is None or policy.unit_cost <= 0 or policy.currency != currency:
        return None
    return policy.unit_cost


def plan(device: Device, policies: dict[str, LifecyclePolicy], today, currency) -> DevicePlan:
    policy = policies.get(device.device_type.casefold()) if device.device_type else None
    result = DevicePlan(device, policy, None, os=os_support(device.os))
    result.cost = _policy_cost(policy, currency)
    if not device.device_type:
        result.unknown_reason = "no device type"
    elif policy is None:
        result.unknown_reason = f"no lifecycle policy for “{device.device_type}”"
    elif device.purchase_date is None:
        result.unknown_reason = "no purchase date in the export"
    else:
        result.replacement_date = add_years(device.purchase_date, policy.replacement_years)
        result.overdue = result.replacement_date < today
    return result


@dataclass
class LifecycleForecast:
    currency: str
    today: datetime.date
    quarters: list[Bucket]
    years: list[Bucket]
    overdue: Bucket
    unknown: list[DevicePlan] = field(default_factory=list)

    @property
    def total(self) -> Decimal:
        return sum((y.cost for y in self.years), ZERO)


def _forecast(plans, currency, start_month, today, years, overdue_now) -> LifecycleForecast:
    quarters = fiscal_quarters(start_month, today, years)
    year_buckets = fiscal_years(start_month, today, years)
    overdue = Bucket("Overdue", today, today)
    horizon = year_buckets[-1].end
    for item in plans:
        due = item.replacement_date
        if due is None:
            continue
        if due < today:
            overdue.add(item.cost)
            # Replaced today: counted now, or (page) shown apart and next due after one age.
            due = today if overdue_now else add_years(today, item.policy.replacement_years)
        while due <= horizon:
            next(q for q in quarters if q.start <= due <= q.end).add(item.cost)
            next(y for y in year_buckets if y.start <= due <= y.end).add(item.cost)
            due = add_years(due, item.policy.replacement_years)
    unknown = [p for p in plans if p.replacement_date is None]
    return LifecycleForecast(currency, today, quarters, year_buckets, overdue, unknown)


def _plans(client, today) -> tuple[list[DevicePlan], list[LifecyclePolicy]]:
    with scope(client):
        policies = list(LifecyclePolicy.objects.all())
        devices = list(Device.objects.all())
    by_type = {p.device_type.casefold(): p for p in policies}
    return [plan(d, by_type, today, client.currency) for d in devices], policies


def lifecycle_forecast(
    client, years: int = 5, *, overdue_now: bool = True, today: datetime.date | None = None
) -> LifecycleForecast:
    """Replacements due per fiscal quarter and year, with cost (see the module's docstring)."""
    today = today or client.today()
    plans, _ = _plans(client, today)
    start = client.fiscal_year_start_month or 1
    return _forecast(plans, client.currency, start, today, max(years, 1), overdue_now)


@dataclass
class LifecycleOverview:
    """Everything the lifecycle page shows, in a constant number of queries."""

    today: datetime.date
    currency: str
    plans: list[DevicePlan]
    policies: list[LifecyclePolicy]
    forecast: LifecycleForecast
    latest_import: DeviceImport | None

    @property
    def warranties_ending(self) -> list[DevicePlan]:
        until = self.today + datetime.timedelta(days=WARRANTY_WINDOW_DAYS)
        rows = [
            p
            for p in self.plans
            if p.device.warranty_end and self.today <= p.device.warranty_end <= until
        ]
        return sorted(rows, key=lambda p: p.device.warranty_end)

    @property
    def warranties_ended(self) -> int:
        return sum(
            1 for p in self.plans if p.device.warranty_end and p.device.warranty_end < self.today
        )

    @property
    def os_past(self) -> list[DevicePlan]:
        rows = [p for p in self.plans if p.os and p.os.past(self.today)]
        return sorted(rows, key=lambda p: (p.os.ends, p.device.name))

    @property
    def os_soon(self) -> list[DevicePlan]:
        rows = [p for p in self.plans if p.os and p.os.soon(self.today)]
        return sorted(rows, key=lambda p: (p.os.ends, p.device.name))

    @property
    def overdue(self) -> list[DevicePlan]:
        return sorted((p for p in self.plans if p.overdue), key=lambda p: p.replacement_date)

    @property
    def unknown(self) -> list[DevicePlan]:
        return [p for p in self.plans if p.replacement_date is None]

    @property
    def unpriced_types(self) -> list[str]:
        types = {p.device.device_type for p in self.plans if p.policy and p.cost is None}
        return sorted(types, key=str.casefold)

    @property
    def not_in_latest(self) -> int:
        if self.latest_import is None:
            return 0
        return sum(1 for p in self.plans if p.device.device_import_id != self.latest_import.pk)


def lifecycle_overview(client, years: int = 5, today: datetime.date | None = None):
    today = today or client.today()
    plans, policies = _plans(client, today)
    start = client.fiscal_year_start_month or 1
    forecast = _forecast(plans, client.currency, start, today, years, overdue_now=False)
    with scope(client):
        latest = DeviceImport.objects.filter(status="done").order_by("-started_at").first()
    plans.sort(key=lambda p: (p.replacement_date or datetime.date.max, p.device.name.casefold()))
    return LifecycleOverview(today, client.currency, plans, policies, forecast, latest)


def remove_devices_not_in_latest_export(client) -> int:
    """Delete the devices the latest RMM export no longer lists (retired machines), one by
    one so that each deletion has its audit record. Returns how many were removed."""
    with scope(client):
        latest = DeviceImport.objects.filter(status="done").order_by("-started_at").first()
        if latest is None:
            return 0
        gone = list(Device.objects.exclude(device_import=latest))
        for device in gone:
            device.delete()
    return len(gone)
