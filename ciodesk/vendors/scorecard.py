"""The SLA scorecard of a vendor over a period, computed from the MSP's raw tickets.

The period is the tickets created from ``since`` to ``until`` inclusive, dates in the
client's time zone. Elapsed times count only the SLA calendar's time (business_time).
Response = first response − created; resolution = resolved − created, or closed − created
when there is no resolved time. With the timestamp a ticket is met (elapsed ≤ target) or
breached; without it, it is judged as of the end of the period (the end of ``until`` in the
client's time zone, or now if earlier): breached when more than its target has elapsed,
else pending. Tickets whose priority is not mapped to P1–P4 have no targets: they are
counted apart (``unmapped_priority`` in ``scorecard_details``) and left out of the
per-priority rows and of ``overall``; they do count in ``open_at_end``.

How it stays fast
-----------------
Both engines reduce the tickets to a ``Tally``: tickets per status code (priority,
response and resolution met / breached with the timestamp / breached without it / pending,
disagreement with the vendor's flag, age bucket when open at the end) and the business
seconds the percentiles are read from. On SQLite (the default database) the work is done
inside the database in one pass (``scorecard_sql``); elsewhere ``values_list`` is read in
chunks and each ticket is judged in Python. Both give the same figures (tested).
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import numpy as np
from django.utils import timezone

from ciodesk.core.scope import scope
from ciodesk.vendors import scorecard_sql
from ciodesk.vendors.business_time import DAY, BusinessCalendar, epoch_seconds
from ciodesk.vendors.models import PRIORITIES, Contract, SLAPolicy, Ticket, Vendor
from ciodesk.vendors.scorecard_sql import CAP, RESOL, RESP, P, Tally

CODES = {code: index for index, (code, _) in enumerate(PRIORITIES, start=1)}
OPEN_BUCKETS = ("0-7", "8-14", "15-30", ">30")  # ages in whole days: ≤ 7, ≤ 14, ≤ 30, more
MET, BREACHED, LATE_UNANSWERED, PENDING = range(4)  # LATE_UNANSWERED: breached, no timestamp
STATUS_NAMES = ("met", "breached", "breached", "pending")


class ScorecardError(ValueError):
    """The scorecard cannot be computed; the message says why in one line."""


@dataclass(frozen=True)
class Period:
    since: dt.date
    until: dt.date
    start: dt.datetime  # first moment of `since` in the client's time zone
    end: dt.datetime  # first moment after `until`
    as_of: dt.datetime  # the end, or now if earlier: when missing timestamps are judged

    @classmethod
    def of(cls, client, since: dt.date, until: dt.date, now: dt.datetime | None = None) -> Period:
        if since > until:
            raise ScorecardError(f"The period starts ({since}) after it ends ({until}).")
        start = dt.datetime.combine(since, dt.time(0), tzinfo=client.tz).astimezone(dt.UTC)
        end = dt.datetime.combine(until + dt.timedelta(days=1), dt.time(0), tzinfo=client.tz)
        end = end.astimezone(dt.UTC)
        return cls(since, until, start, end, min(end, now or timezone.now()))


def sla_policy_for(vendor: Vendor, since: dt.date, until: dt.date) -> SLAPolicy:
    """The SLA policy of the vendor's contract: the only one, or the one whose term covers
    the period (else the one overlapping it most, then the latest)."""
    contracts = list(
        Contract.objects.filter(vendor=vendor, sla__isnull=False).select_related("sla")
    )
    if not contracts:
        raise ScorecardError(
            f"{vendor.name} has no contract with an SLA policy: add the targets to its contract."
        )

    def rank(contract: Contract) -> tuple:
        first = contract.start_date or dt.date.min
        covers = first <= since and contract.end_date >= until
        overlap = (min(contract.end_date, until) - max(first, since)).days
        return (covers, overlap, contract.end_date, contract.pk)

    return max(contracts, key=rank).sla


def calendar_of(policy: SLAPolicy) -> BusinessCalendar:
    try:
        return BusinessCalendar.from_policy(policy)
    except (ValueError, zoneinfo.ZoneInfoNotFoundError) as exc:
        raise ScorecardError(f"The SLA policy of {policy.contract}: {exc}") from exc


def _minutes(seconds: int | None) -> float | None:
    if seconds is None:
        return None
    return float((Decimal(seconds) / 60).quantize(Decimal("0.1"), ROUND_HALF_UP))


def _pct(met: int, breached: int) -> float | None:
    if met + breached == 0:
        return None
    value = Decimal(met * 100) / Decimal(met + breached)
    return float(value.quantize(Decimal("0.1"), ROUND_HALF_UP))


# --- judging one ticket (the Python engine, the ticket list) -------------------------------
def status_code(p: int, response: int, resolution: int, disagrees: bool, age: int) -> int:
    """The status of a ticket as one small integer (the SQLite engine computes the same)."""
    return (((p * 4 + response) * 4 + resolution) * 2 + int(disagrees)) * 5 + age


@dataclass(frozen=True)
class Judged:
    response: int | None  # business seconds, when the ticket has the timestamp
    resolution: int | None
    response_state: int  # MET, BREACHED, LATE_UNANSWERED or PENDING (MET without priority)
    resolution_state: int
    disagrees: bool
    age: int  # 0 when not open at the end, else 1–4: the OPEN_BUCKETS

    @property
    def response_status(self) -> str:
        return STATUS_NAMES[self.response_state]

    @property
    def resolution_status(self) -> str:
        return STATUS_NAMES[self.resolution_state]


def judge(
    p: int,
    vendor_in_sla: bool | None,
    c: int,
    r: int | None,
    s: int | None,
    cum: Callable[[int], float],
    targets: list[tuple[int, int]],
    end_ts: int,
    end_cum: float,
) -> Judged:
    """One ticket, priority code p (0 = unmapped), times as epoch seconds (s = resolved, or
    closed)."""
    cc = cum(c)
    er = None if r is None else (0 if r <= c else int(cum(r) - cc))
    es = None if s is None else (0 if s <= c else int(cum(s) - cc))
    age = 0
    if c <= end_ts and (s is None or s > end_ts):
        days = (end_ts - c) // DAY
        age = 1 + (days >= 8) + (days >= 15) + (days >= 31)
    if p == 0:
        return Judged(er, es, MET, MET, False, age)
    elapsed = max(0, end_cum - cc)
    states = []
    for value, target in zip((er, es), targets[p - 1], strict=True):
        if value is not None:
            states.append(BREACHED if value > target * 60 else MET)
        else:
            states.append(LATE_UNANSWERED if elapsed > target * 60 else PENDING)
    rs, ss = states
    decided = rs != PENDING and ss != PENDING
    disagrees = vendor_in_sla is not None and decided and bool(vendor_in_sla) != (rs == ss == MET)
    return Judged(er, es, rs, ss, disagrees, age)


def _tickets(vendor: Vendor, period: Period, order: tuple[str, ...], *fields: str):
    """The period's tickets as tuples (no model instances), read in chunks."""
    return (
        Ticket.objects.filter(
            vendor=vendor, created_at__gte=period.start, created_at__lt=period.end
        )
        .order_by(*order)
        .values_list(*fields)
        .iterator(chunk_size=20_000)
    )


def _judged_rows(vendor, calendar, targets, period, *extra: str):
    end_ts = epoch_seconds(period.as_of)
    end_cum = calendar.cum_seconds(end_ts)
    fields = (
        "priority",
        "vendor_in_sla",
        "created_at",
        "first_response_at",
        "resolved_at",
        "closed_at",
        *extra,
    )
    order = ("created_at", "number") if extra else ()
    for priority, flag, created, responded, resolved, closed, *more in _tickets(
        vendor, period, order, *fields
    ):
        done = resolved or closed
        j = judge(
            CODES.get(priority, 0),
            flag,
            epoch_seconds(created),
            None if responded is None else epoch_seconds(responded),
            None if done is None else epoch_seconds(done),
            calendar.cum_seconds,
            targets,
            end_ts,
            end_cum,
        )
        yield priority, j, (flag, created, responded, done, *more)


def _python_tally(vendor, calendar, targets, period) -> Tally:
    tally = Tally()
    for priority, j, _ in _judged_rows(vendor, calendar, targets, period):
        p = CODES.get(priority, 0)
        tally.status[status_code(p, j.response_state, j.resolution_state, j.disagrees, j.age)] += 1
        if p:
            for metric, value in ((RESP, j.response), (RESOL, j.resolution)):
                if value is not None:
                    tally.add_value(metric, p * P + min(value, CAP))
    return tally.finish()


def period_tally(client, vendor, calendar, targets, period, engine: str = "auto") -> Tally:
    if engine == "sqlite" or (engine == "auto" and scorecard_sql.available()):
        tally = scorecard_sql.sqlite_tally(client, vendor, calendar, targets, period)
        if tally is not None:
            return tally
    return _python_tally(vendor, calendar, targets, period)


# --- reading the figures off a tally --------------------------------------------------------
class _Figures:
    def __init__(self, tally: Tally) -> None:
        self.tally = tally
        self.states = {p: [[0] * 4, [0] * 4] for p in range(5)}  # p → [response, resolution]
        self.disagreements = 0
        self.flag_kinder = 0  # the vendor's flag says "in SLA"; by the contract, breached
        self.open = [0] * 5
        for code, n in tally.status.items():
            rest, age = divmod(code, 5)
            rest, disagrees = divmod(rest, 2)
            rest, resolution = divmod(rest, 4)
            p, response = divmod(rest, 4)
            self.states[p][0][response] += n
            self.states[p][1][resolution] += n
            self.disagreements += n * disagrees
            self.flag_kinder += n * disagrees * (response != MET or resolution != MET)
            self.open[age] += n

    def tickets(self, p: int) -> int:
        return sum(self.states[p][0])

    def present(self, metric: int, priorities: Sequence[int]) -> int:
        return sum(
            self.states[p][metric][MET] + self.states[p][metric][BREACHED] for p in priorities
        )

    def rank(self, metric: int, priorities: Sequence[int], percent: int) -> int | None:
        """The nearest-rank percentile (seconds) of the priorities' values together."""
        n = self.present(metric, priorities)
        if n == 0:
            return None
        k = (percent * n + 99) // 100
        tokens = self.tally.values[metric]  # sorted: each priority's tokens are one run
        runs = [
            (p * P, *np.searchsorted(tokens, [p * P, (p + 1) * P], side="left").tolist())
            for p in priorities
        ]
        if len(runs) == 1:
            base, first, _ = runs[0]
            return int(tokens[first + k - 1]) - base
        merged = np.concatenate([tokens[i:j] - base for base, i, j in runs])
        return int(np.partition(merged, k - 1)[k - 1])


ROW_KEYS = (
    "priority",
    "tickets",
    "response_target_minutes",
    "response_met",
    "response_breached",
    "response_pending",
    "response_attainment_pct",
    "resolution_target_minutes",
    "resolution_met",
    "resolution_breached",
    "resolution_pending",
    "resolution_attainment_pct",
    "median_response_minutes",
    "p90_response_minutes",
    "median_resolution_minutes",
    "p90_resolution_minutes",
)
OVERALL_KEYS = tuple(k for k in ROW_KEYS if not k.endswith("_target_minutes"))


def _row(f: _Figures, priorities: Sequence[int]) -> dict[str, Any]:
    row: dict[str, Any] = {"tickets": sum(f.tickets(p) for p in priorities)}
    for metric, name in ((RESP, "response"), (RESOL, "resolution")):
        met, breached, late, pending = (
            sum(f.states[p][metric][i] for p in priorities) for i in range(4)
        )
        row[f"{name}_met"], row[f"{name}_breached"] = met, breached + late
        row[f"{name}_pending"] = pending
        row[f"{name}_attainment_pct"] = _pct(met, breached + late)
    for metric, name in ((RESP, "response"), (RESOL, "resolution")):
        row[f"median_{name}_minutes"] = _minutes(f.rank(metric, priorities, 50))
        row[f"p90_{name}_minutes"] = _minutes(f.rank(metric, priorities, 90))
    return row


@dataclass
class Computed:
    policy: SLAPolicy
    calendar: BusinessCalendar
    period: Period
    targets: list[tuple[int, int]]
    card: dict[str, Any]
    figures: _Figures


def _card(client, vendor, period, calendar, targets, f: _Figures) -> dict[str, Any]:
    present = [p for p in range(1, 5) if f.tickets(p)]
    rows = []
    for p in present:
        row = {"priority": PRIORITIES[p - 1][0], **_row(f, [p])}
        row["response_target_minutes"], row["resolution_target_minutes"] = targets[p - 1]
        rows.append({key: row[key] for key in ROW_KEYS})
    overall = {"priority": "all", **_row(f, present)}
    return {
        "client": client.slug,
        "vendor": vendor.name,
        "since": period.since.isoformat(),
        "until": period.until.isoformat(),
        "calendar": calendar.describe(),
        "priorities": rows,
        "overall": {key: overall[key] for key in OVERALL_KEYS},
        "open_at_end": dict(zip(OPEN_BUCKETS, f.open[1:], strict=True)),
        "vendor_flag_disagreements": f.disagreements,
    }


def _compute(client, vendor, since, until, now, engine: str = "auto") -> Computed:
    period = Period.of(client, since, until, now)
    policy = sla_policy_for(vendor, since, until)
    calendar = calendar_of(policy)
    targets = [policy.targets()[code] for code, _ in PRIORITIES]
    f = _Figures(period_tally(client, vendor, calendar, targets, period, engine))
    card = _card(client, vendor, period, calendar, targets, f)
    return Computed(policy, calendar, period, targets, card, f)


def compute_scorecard(
    client,
    vendor: Vendor,
    since: dt.date,
    until: dt.date,
    now: dt.datetime | None = None,
    *,
    engine: str = "auto",
) -> dict[str, Any]:
    """The scorecard exactly as ``ciodesk sla --json`` prints it. Raises ScorecardError
    (one line) when there is no SLA policy or the dates are reversed."""
    with scope(client):
        return _compute(client, vendor, since, until, now, engine).card


# --- more for the web page ------------------------------------------------------------------
def _month_weights(period: Period) -> float:
    """How many calendar months the period spans, counting part months by their days."""
    total, day = 0.0, period.since
    while day <= period.until:
        nxt = (day.replace(day=1) + dt.timedelta(days=32)).replace(day=1)
        last = min(period.until, nxt - dt.timedelta(days=1))
        total += ((last - day).days + 1) / (nxt - day.replace(day=1)).days
        day = nxt
    return total


def _months(period: Period) -> list[str]:
    months, day = [], period.since.replace(day=1)
    while day <= period.until:
        months.append(f"{day:%Y-%m}")
        day = (day + dt.timedelta(days=32)).replace(day=1)
    return months


def _extras(client, vendor: Vendor, period: Period) -> dict[str, Any]:
    tz = client.tz
    months = _months(period)
    volume = {m: dict.fromkeys([*CODES, "unmapped"], 0) for m in months}
    reopen_known = reopened = repeats = total = 0
    groups: dict[tuple[str, str], int] = {}
    previous: tuple[str, str, dt.datetime] | None = None
    rows = Ticket.objects.filter(
        vendor=vendor, created_at__gte=period.start, created_at__lt=period.end
    ).order_by("category", "requester", "created_at")
    for created, priority, category, requester, reopen_count in rows.values_list(
        "created_at", "priority", "category", "requester", "reopen_count"
    ).iterator(chunk_size=20_000):
        total += 1
        month = f"{created.astimezone(tz):%Y-%m}"
        if month in volume:
            volume[month][priority if priority in CODES else "unmapped"] += 1
        if reopen_count is not None:
            reopen_known += 1
            reopened += reopen_count > 0
        key = (category.strip().lower(), requester.strip().lower())
        if (
            all(key)
            and previous
            and previous[:2] == key
            and created - previous[2] <= dt.timedelta(days=14)
        ):
            repeats += 1
            label = (category.strip(), requester.strip())
            groups[label] = groups.get(label, 0) + 1
        previous = (*key, created)
    per_employee = None
    if client.employee_count:
        value = Decimal(total) / Decimal(client.employee_count) / Decimal(_month_weights(period))
        per_employee = float(value.quantize(Decimal("0.01"), ROUND_HALF_UP))
    top = sorted(groups.items(), key=lambda kv: (-kv[1], kv[0]))[:10]
    return {
        "tickets_total": total,
        "volume_by_month": [
            {"month": m, **volume[m], "total": sum(volume[m].values())} for m in months
        ],
        "reopen_rate_pct": _pct(reopened, reopen_known - reopened),
        "reopen_known": reopen_known,
        "recurring_issues": repeats,
        "recurring_top": [{"category": c, "requester": r, "repeats": n} for (c, r), n in top],
        "tickets_per_employee_per_month": per_employee,
    }


def scorecard_details(
    client, vendor: Vendor, since: dt.date, until: dt.date, now: dt.datetime | None = None
) -> dict[str, Any]:
    """The scorecard plus what the web page also shows: the unmapped-priority count, the
    policy's targets, volume by priority and month, reopen rate, recurring issues and
    tickets per employee per month."""
    with scope(client):
        computed = _compute(client, vendor, since, until, now)
        data = dict(computed.card)
        data["unmapped_priority"] = computed.figures.tickets(0)
        data["flag_in_sla_but_breached"] = computed.figures.flag_kinder
        data["flag_breached_but_met"] = (
            computed.figures.disagreements - computed.figures.flag_kinder
        )
        data["as_of"] = computed.period.as_of
        data["policy"] = computed.policy
        data.update(_extras(client, vendor, computed.period))
        return data


def ticket_rows(
    client, vendor: Vendor, since: dt.date, until: dt.date, now: dt.datetime | None = None
) -> list[dict[str, Any]]:
    """Every ticket of the period with its computed business minutes and status."""
    with scope(client):
        period = Period.of(client, since, until, now)
        policy = sla_policy_for(vendor, since, until)
        calendar = calendar_of(policy)
        targets = [policy.targets()[code] for code, _ in PRIORITIES]
        rows = []
        for priority, j, (flag, created, responded, done, number, summary, label) in _judged_rows(
            vendor, calendar, targets, period, "number", "summary", "priority_label"
        ):
            judged = priority in CODES
            decided = judged and PENDING not in (j.response_state, j.resolution_state)
            rows.append(
                {
                    "number": number,
                    "summary": summary,
                    "priority_label": label,
                    "priority": priority,
                    "created_at": created,
                    "first_response_at": responded,
                    "resolved_at": done,
                    "response_minutes": _minutes(j.response),
                    "response_status": j.response_status if judged else "",
                    "resolution_minutes": _minutes(j.resolution),
                    "resolution_status": j.resolution_status if judged else "",
                    "vendor_in_sla": flag,
                    "in_sla_by_contract": (j.response_state == j.resolution_state == MET)
                    if decided
                    else None,
                    "flag_disagrees": j.disagrees,
                }
            )
        return rows
