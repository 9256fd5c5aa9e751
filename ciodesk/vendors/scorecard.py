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
Each ticket becomes a few integer tokens ``1·m·p·value`` (kind ``m``, priority ``p``, the
value in seconds, or in days for ages) — a response time, a resolution time or the time
elapsed by the end of the period, an open ticket's age, a disagreement with the vendor's
own flag. Sorted, the tokens answer every figure by binary search: met = tokens of the
segment ≤ target, the p90 = the token at rank ⌈0.9·n⌉ of the segment, and so on.
On SQLite (the default database) the tokens are computed, sorted and concatenated inside
the database in one pass over the tickets, the calendar being a temporary table of
cumulative business seconds per hour (``BusinessCalendar.windows``): Python only bisects
the fixed-width result. Elsewhere, the same tokens are computed in Python from
``values_list`` in chunks. Both engines give the same tokens (tested).
"""

from __future__ import annotations

import bisect
import datetime as dt
import secrets
import sqlite3
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db import connection
from django.utils import timezone

from ciodesk.core.scope import scope
from ciodesk.vendors.business_time import DAY, BusinessCalendar, epoch_seconds
from ciodesk.vendors.models import PRIORITIES, Contract, SLAPolicy, Ticket, Vendor

CODES = {code: index for index, (code, _) in enumerate(PRIORITIES, start=1)}
OPEN_BUCKETS = (("0-7", 0, 7), ("8-14", 8, 14), ("15-30", 15, 30), (">30", 31, None))
# token = _B + kind·_M + priority·_P + value; 12 digits whatever the value
_B, _M, _P = 100_000_000_000, 10_000_000_000, 1_000_000_000
_CAP = _P - 1
RESP, RESOL, RESP_OPEN, RESOL_OPEN, OPEN_AGE, DISAGREE, UNMAPPED, OUT_OF_RANGE = range(8)
_WIDTH = 12
_MAX_WINDOWS = 2_000_000


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
            raise ScorecardError(f"--since {since} is after --until {until}.")
        start = dt.datetime.combine(since, dt.time(0), tzinfo=client.tz).astimezone(dt.UTC)
        end = dt.datetime.combine(until + dt.timedelta(days=1), dt.time(0), tzinfo=client.tz)
        end = end.astimezone(dt.UTC)
        return cls(since, until, start, end, min(end, now or timezone.now()))


def sla_policy_for(vendor: Vendor, since: dt.date, until: dt.date) -> SLAPolicy:
    """The SLA policy of the vendor's contract: the only one, or the one whose term covers
    the period (else the one overlapping it most, then the latest)."""
    contracts = list(Contract.objects.filter(vendor=vendor, sla__isnull=False).select_related("sla"))
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
@dataclass(frozen=True)
class Judged:
    response: int | None  # business seconds, when the ticket has the timestamp
    resolution: int | None
    elapsed_by_end: int  # business seconds from creation to the end of the period
    response_status: str | None  # met / breached / pending; None without a priority
    resolution_status: str | None
    disagrees: bool
    open_age_days: int | None


_STATUS = ("met", "breached", "pending")


def judge(
    priority: str, vendor_in_sla: bool | None, c: int, r: int | None, s: int | None,
    cum: Callable[[int], float], targets: dict[str, tuple[int, int]], end_ts: int, end_cum: float,
) -> Judged:
    """One ticket, its times as epoch seconds (s = resolved, or closed)."""
    cc = cum(c)
    er = None if r is None else (0 if r <= c else int(cum(r) - cc))
    es = None if s is None else (0 if s <= c else int(cum(s) - cc))
    ee = int(max(0, end_cum - cc))
    open_age = (end_ts - c) // DAY if c <= end_ts and (s is None or s > end_ts) else None
    if priority not in targets:
        return Judged(er, es, ee, None, None, False, open_age)
    tr, ts = (minutes * 60 for minutes in targets[priority])
    rst = (1 if er > tr else 0) if er is not None else (1 if ee > tr else 2)
    sst = (1 if es > ts else 0) if es is not None else (1 if ee > ts else 2)
    ours = rst == 0 and sst == 0
    disagrees = vendor_in_sla is not None and rst < 2 and sst < 2 and bool(vendor_in_sla) != ours
    return Judged(er, es, ee, _STATUS[rst], _STATUS[sst], disagrees, open_age)


def _tokens_of(j: Judged, priority: str) -> list[int]:
    p = CODES.get(priority, 0)
    out = []
    if p == 0:
        out.append(_B + UNMAPPED * _M)
    else:
        pp = p * _P
        if j.response is not None:
            out.append(_B + RESP * _M + pp + min(j.response, _CAP))
        else:
            out.append(_B + RESP_OPEN * _M + pp + min(j.elapsed_by_end, _CAP))
        if j.resolution is not None:
            out.append(_B + RESOL * _M + pp + min(j.resolution, _CAP))
        else:
            out.append(_B + RESOL_OPEN * _M + pp + min(j.elapsed_by_end, _CAP))
        if j.disagrees:
            out.append(_B + DISAGREE * _M + pp)
    if j.open_age_days is not None:
        out.append(_B + OPEN_AGE * _M + min(j.open_age_days, _CAP))
    return out


def _ticket_times(vendor: Vendor, period: Period, *fields: str):
    """The period's tickets as tuples (no model instances), in chunks."""
    return (
        Ticket.objects.filter(
            vendor=vendor, created_at__gte=period.start, created_at__lt=period.end
        )
        .order_by()
        .values_list(*fields)
        .iterator(chunk_size=20_000)
    )


def _python_tokens(vendor, calendar, targets, period) -> list[int]:
    end_ts = epoch_seconds(period.as_of)
    end_cum = calendar.cum_seconds(end_ts)
    tokens: list[int] = []
    fields = ("priority", "vendor_in_sla", "created_at", "first_response_at", "resolved_at",
              "closed_at")
    for priority, flag, created, responded, resolved, closed in _ticket_times(
        vendor, period, *fields
    ):
        done = resolved or closed
        j = judge(
            priority, flag, epoch_seconds(created),
            None if responded is None else epoch_seconds(responded),
            None if done is None else epoch_seconds(done),
            calendar.cum_seconds, targets, end_ts, end_cum,
        )
        tokens.extend(_tokens_of(j, priority))
    tokens.sort()
    return tokens


# --- the SQLite engine -------------------------------------------------------------------
class _TokenString(Sequence):
    """The database's sorted, concatenated 12-digit tokens, read in place."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.n = len(text) // _WIDTH

    def __len__(self) -> int:
        return self.n

    def __getitem__(self, i):  # bisect calls this with ints only
        if i < 0:
            i += self.n
        return int(self.text[i * _WIDTH : (i + 1) * _WIDTH])

    def looks_sorted(self) -> bool:
        step = max(1, self.n // 1024)
        sample = [self[i] for i in range(0, self.n, step)] + ([self[self.n - 1]] if self.n else [])
        return all(a <= b for a, b in zip(sample, sample[1:], strict=False))


def _cum_sql(alias: str, x: str) -> str:
    return f"({alias}.k + max(0, min({x} - {alias}.st, {alias}.l)))"


def _token_sql(table: str, calendar, targets, end_ts: int, end_cum: int, cal: str | None,
               lo: int, width: int) -> str:
    codes = " ".join(f"WHEN '{code}' THEN {n}" for code, n in CODES.items())
    picked = f"""SELECT CASE t.priority {codes} ELSE 0 END AS pi, t.vendor_in_sla AS v,
        unixepoch(t.created_at) AS c, unixepoch(t.first_response_at) AS r,
        unixepoch(COALESCE(t.resolved_at, t.closed_at)) AS s
        FROM {table} AS t WHERE t.client_id = %s AND t.vendor_id = %s
        AND t.created_at >= %s AND t.created_at < %s LIMIT -1"""
    if cal is None:  # 24×7: business seconds are seconds
        timed = f"""SELECT pi, v, c, r, s, c AS cc,
            CASE WHEN r IS NULL THEN NULL WHEN r <= c THEN 0 ELSE r - c END AS er,
            CASE WHEN s IS NULL THEN NULL WHEN s <= c THEN 0 ELSE s - c END AS es, 0 AS oor
            FROM ({picked}) AS x LIMIT -1"""
    else:
        cc = _cum_sql("k1", "c")
        timed = f"""SELECT pi, v, c, r, s, {cc} AS cc,
            CASE WHEN r IS NULL THEN NULL WHEN r <= c THEN 0 ELSE {_cum_sql("k2", "r")} - {cc} END
              AS er,
            CASE WHEN s IS NULL THEN NULL WHEN s <= c THEN 0 ELSE {_cum_sql("k3", "s")} - {cc} END
              AS es,
            coalesce(r > c AND k2.h IS NULL, 0) OR coalesce(s > c AND k3.h IS NULL, 0) AS oor
            FROM ({picked}) AS x
            CROSS JOIN {cal} AS k1 ON k1.h = (c - {lo}) / {width}
            LEFT JOIN {cal} AS k2 ON r > c AND k2.h = (r - {lo}) / {width}
            LEFT JOIN {cal} AS k3 ON s > c AND k3.h = (s - {lo}) / {width}
            LIMIT -1"""
    tr = " ".join(f"WHEN {CODES[p]} THEN {int(r) * 60}" for p, (r, _) in targets.items())
    ts = " ".join(f"WHEN {CODES[p]} THEN {int(s) * 60}" for p, (_, s) in targets.items())
    judged = f"""SELECT pi, v, c, r, s, er, es, ee, oor,
        CASE WHEN er IS NOT NULL THEN er > tr WHEN ee > tr THEN 1 ELSE 2 END AS rst,
        CASE WHEN es IS NOT NULL THEN es > ts WHEN ee > ts THEN 1 ELSE 2 END AS sst
        FROM (SELECT *, max(0, {int(end_cum)} - cc) AS ee, CASE pi {tr} ELSE 0 END AS tr,
              CASE pi {ts} ELSE 0 END AS ts FROM ({timed})) LIMIT -1"""

    def tok(kind: int, value: str, with_priority: bool = True) -> str:
        p = f" + pi * {_P}" if with_priority else ""
        return f"{_B + kind * _M}{p} + min({value}, {_CAP})"

    tokens = f"""SELECT CASE x.slot
        WHEN 0 THEN CASE WHEN pi = 0 THEN {_B + UNMAPPED * _M}
                         WHEN er IS NOT NULL THEN {tok(RESP, "er")}
                         ELSE {tok(RESP_OPEN, "ee")} END
        WHEN 1 THEN CASE WHEN pi = 0 THEN NULL
                         WHEN es IS NOT NULL THEN {tok(RESOL, "es")}
                         ELSE {tok(RESOL_OPEN, "ee")} END
        WHEN 2 THEN CASE WHEN c <= {end_ts} AND (s IS NULL OR s > {end_ts})
                         THEN {tok(OPEN_AGE, f"({end_ts} - c) / {DAY}", False)} END
        ELSE CASE WHEN oor THEN {tok(OUT_OF_RANGE, f"max(coalesce(r, 0), coalesce(s, 0)) - {lo}",
                                     False)}
                  WHEN pi > 0 AND v IS NOT NULL AND rst < 2 AND sst < 2
                       AND v <> (rst = 0 AND sst = 0) THEN {_B + DISAGREE * _M} + pi * {_P}
                  END
        END AS tok
        FROM ({judged}) AS d
        CROSS JOIN (SELECT 0 AS slot UNION ALL SELECT 1 UNION ALL SELECT 2 UNION ALL SELECT 3)
          AS x"""
    return f"""SELECT group_concat(tok, '') FROM (SELECT tok FROM ({tokens})
        WHERE tok IS NOT NULL ORDER BY tok LIMIT 9223372036854775807)"""


def _sqlite_tokens(client, vendor, calendar, targets, period) -> Sequence[int] | None:
    """The sorted tokens computed by SQLite, or None when this calendar or these tickets
    need the Python engine."""
    end_ts = epoch_seconds(period.as_of)
    end_cum = int(calendar.cum_seconds(end_ts))
    start_ts, stop_ts = epoch_seconds(period.start), epoch_seconds(period.end)
    width = 3600
    lo = start_ts // width * width - width
    hi = max(stop_ts, end_ts) + 400 * DAY
    params = [client.pk, vendor.pk, connection.ops.adapt_datetimefield_value(period.start),
              connection.ops.adapt_datetimefield_value(period.end)]
    table = connection.ops.quote_name(Ticket._meta.db_table)
    for _attempt in range(3):
        name = None
        with connection.cursor() as cursor:
            try:
                if not calendar.always_open:
                    rows = None
                    for width in (3600, 900, 300, 60):
                        lo = start_ts // width * width - width
                        if (hi - lo) // width > _MAX_WINDOWS:
                            return None
                        rows = calendar.windows(lo, hi, width)
                        if rows is not None:
                            break
                    if rows is None:
                        return None
                    name = f"temp.ciodesk_sla_cal_{secrets.token_hex(6)}"
                    cursor.execute(
                        f"CREATE TABLE {name} (h INTEGER PRIMARY KEY, k INTEGER, st INTEGER,"
                        " l INTEGER)"
                    )
                    cursor.executemany(f"INSERT INTO {name} VALUES (%s, %s, %s, %s)", rows)
                sql = _token_sql(table, calendar, targets, end_ts, end_cum, name, lo, width)
                cursor.execute(sql, params)
                text = cursor.fetchone()[0] or ""
            finally:
                if name:
                    cursor.execute(f"DROP TABLE IF EXISTS {name}")
        tokens = _TokenString(text)
        first = bisect.bisect_left(tokens, _B + OUT_OF_RANGE * _M)
        if first == len(tokens):
            return tokens if tokens.looks_sorted() else sorted(tokens)
        furthest = tokens[len(tokens) - 1] - _B - OUT_OF_RANGE * _M
        if furthest >= _CAP:
            return None
        hi = lo + furthest + 2 * DAY
    return None


def _use_sqlite() -> bool:
    return connection.vendor == "sqlite" and sqlite3.sqlite_version_info >= (3, 38, 0)


def period_tokens(client, vendor, calendar, targets, period, engine: str = "auto"):
    if engine == "sqlite" or (engine == "auto" and _use_sqlite()):
        tokens = _sqlite_tokens(client, vendor, calendar, targets, period)
        if tokens is not None:
            return tokens
    return _python_tokens(vendor, calendar, targets, period)


# --- reading the figures off the sorted tokens ---------------------------------------------
class _Figures:
    def __init__(self, tokens: Sequence[int]) -> None:
        self.t = tokens

    def segment(self, kind: int, p: int = 0) -> tuple[int, int, int]:
        base = _B + kind * _M + p * _P
        return base, bisect.bisect_left(self.t, base), bisect.bisect_left(self.t, base + _P)

    def count(self, kind: int, p: int = 0) -> int:
        _, i0, i1 = self.segment(kind, p)
        return i1 - i0

    def kind_count(self, kind: int) -> int:
        base = _B + kind * _M
        return bisect.bisect_left(self.t, base + _M) - bisect.bisect_left(self.t, base)

    def at_most(self, kind: int, p: int, value: int) -> int:
        base, i0, i1 = self.segment(kind, p)
        return bisect.bisect_right(self.t, base + value, i0, i1) - i0

    def rank(self, kind: int, priorities: Sequence[int], percent: int) -> int | None:
        """The nearest-rank percentile (seconds) over the priorities' segments together."""
        segments = [self.segment(kind, p) for p in priorities]
        n = sum(i1 - i0 for _, i0, i1 in segments)
        if n == 0:
            return None
        k = (percent * n + 99) // 100
        if len(segments) == 1:
            base, i0, _ = segments[0]
            return self.t[i0 + k - 1] - base
        lo, hi = 0, _CAP  # the smallest value v with k tokens ≤ v
        while lo < hi:
            mid = (lo + hi) // 2
            below = sum(bisect.bisect_right(self.t, b + mid, i0, i1) - i0 for b, i0, i1 in segments)
            if below >= k:
                hi = mid
            else:
                lo = mid + 1
        return lo


def _figures_for(f: _Figures, priorities: Sequence[int], targets) -> dict[str, Any]:
    row: dict[str, Any] = {"tickets": 0}
    for kind, missing, index, name in ((RESP, RESP_OPEN, 0, "response"),
                                       (RESOL, RESOL_OPEN, 1, "resolution")):
        met = breached = pending = 0
        for p in priorities:
            target = targets[PRIORITIES[p - 1][0]][index] * 60
            present = f.count(kind, p)
            ok = f.at_most(kind, p, target)
            late = f.count(missing, p) - f.at_most(missing, p, target)
            met += ok
            breached += present - ok + late
            pending += f.count(missing, p) - late
        if index == 0:
            row["tickets"] = met + breached + pending
        row[f"{name}_met"], row[f"{name}_breached"] = met, breached
        row[f"{name}_pending"], row[f"{name}_attainment_pct"] = pending, _pct(met, breached)
    for name, kind in (("response", RESP), ("resolution", RESOL)):
        row[f"median_{name}_minutes"] = _minutes(f.rank(kind, priorities, 50))
        row[f"p90_{name}_minutes"] = _minutes(f.rank(kind, priorities, 90))
    return row


ROW_KEYS = (
    "priority", "tickets", "response_target_minutes", "response_met", "response_breached",
    "response_pending", "response_attainment_pct", "resolution_target_minutes",
    "resolution_met", "resolution_breached", "resolution_pending", "resolution_attainment_pct",
    "median_response_minutes", "p90_response_minutes", "median_resolution_minutes",
    "p90_resolution_minutes",
)
OVERALL_KEYS = tuple(k for k in ROW_KEYS if not k.endswith("_target_minutes"))


def _open_buckets(f: _Figures) -> dict[str, int]:
    buckets = {}
    for label, low, high in OPEN_BUCKETS:
        base, i0, i1 = f.segment(OPEN_AGE)
        upto = i1 if high is None else bisect.bisect_right(f.t, base + high, i0, i1)
        buckets[label] = upto - bisect.bisect_left(f.t, base + low, i0, i1)
    return buckets


@dataclass
class Computed:
    policy: SLAPolicy
    calendar: BusinessCalendar
    period: Period
    figures: _Figures
    targets: dict[str, tuple[int, int]]


def _compute(client, vendor, since, until, now, engine: str = "auto") -> Computed:
    period = Period.of(client, since, until, now)
    policy = sla_policy_for(vendor, since, until)
    calendar = BusinessCalendar.from_policy(policy)
    targets = policy.targets()
    tokens = period_tokens(client, vendor, calendar, targets, period, engine)
    return Computed(policy, calendar, period, _Figures(tokens), targets)


def _as_dict(client, vendor, c: Computed) -> dict[str, Any]:
    f = c.figures
    present = [p for p in range(1, 5) if f.count(RESP, p) + f.count(RESP_OPEN, p)]
    rows = []
    for p in present:
        code = PRIORITIES[p - 1][0]
        row = {"priority": code, **_figures_for(f, [p], c.targets)}
        row["response_target_minutes"], row["resolution_target_minutes"] = c.targets[code]
        rows.append({key: row[key] for key in ROW_KEYS})
    overall = {"priority": "all", **_figures_for(f, present, c.targets)}
    return {
        "client": client.slug,
        "vendor": vendor.name,
        "since": c.period.since.isoformat(),
        "until": c.period.until.isoformat(),
        "calendar": c.calendar.describe(),
        "priorities": rows,
        "overall": {key: overall[key] for key in OVERALL_KEYS},
        "open_at_end": _open_buckets(f),
        "vendor_flag_disagreements": f.kind_count(DISAGREE),
    }


def compute_scorecard(
    client, vendor: Vendor, since: dt.date, until: dt.date, now: dt.datetime | None = None,
    *, engine: str = "auto",
) -> dict[str, Any]:
    """The scorecard exactly as ``ciodesk sla --json`` prints it. Raises ScorecardError
    (one line) when there is no SLA policy or the dates are reversed."""
    with scope(client):
        return _as_dict(client, vendor, _compute(client, vendor, since, until, now, engine))


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
        if all(key) and previous and previous[:2] == key:
            if created - previous[2] <= dt.timedelta(days=14):
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
        "volume_by_month": [{"month": m, **volume[m], "total": sum(volume[m].values())}
                            for m in months],
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
        data = _as_dict(client, vendor, computed)
        data["unmapped_priority"] = computed.figures.kind_count(UNMAPPED)
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
        calendar = BusinessCalendar.from_policy(policy)
        targets = policy.targets()
        end_ts = epoch_seconds(period.as_of)
        end_cum = calendar.cum_seconds(end_ts)
        fields = ("number", "summary", "priority_label", "priority", "created_at",
                  "first_response_at", "resolved_at", "closed_at", "vendor_in_sla")
        rows = []
        qs = Ticket.objects.filter(
            vendor=vendor, created_at__gte=period.start, created_at__lt=period.end
        ).order_by("created_at", "number")
        for number, summary, label, priority, created, responded, resolved, closed, flag in (
            qs.values_list(*fields).iterator(chunk_size=20_000)
        ):
            done = resolved or closed
            j = judge(
                priority, flag, epoch_seconds(created),
                None if responded is None else epoch_seconds(responded),
                None if done is None else epoch_seconds(done),
                calendar.cum_seconds, targets, end_ts, end_cum,
            )
            ours = None
            if j.response_status and "pending" not in (j.response_status, j.resolution_status):
                ours = j.response_status == j.resolution_status == "met"
            rows.append({
                "number": number, "summary": summary, "priority_label": label,
                "priority": priority, "created_at": created, "first_response_at": responded,
                "resolved_at": done, "response_minutes": _minutes(j.response),
                "response_status": j.response_status or "",
                "resolution_minutes": _minutes(j.resolution),
                "resolution_status": j.resolution_status or "",
                "vendor_in_sla": flag, "in_sla_by_contract": ours,
                "flag_disagrees": j.disagrees,
            })
        return rows
