"""The scorecard's SQLite engine: the per-ticket work done inside the database.

One pass over the period's tickets (the index on client, vendor and creation time) turns
each ticket into business seconds and a status and returns three strings:

* the calendar is a temporary table of cumulative business seconds per UTC hour
  (``BusinessCalendar.windows``): a timestamp's business clock is one integer-key lookup
  and a CASE — ``k`` before the hour's open segment, ``k + length`` after it, ``x + b``
  inside it;
* each ticket's status (priority; response and resolution met, breached or pending;
  disagreement with the vendor's flag; age bucket when open at the end) is one character
  of a string that Python counts;
* the response and resolution times, as ``priority · 10⁹ + seconds``, from which Python
  reads the nearest-rank percentiles once sorted.

From 100,000 tickets, when the database is a file and no transaction is open, the period
is cut in two and a second connection in a worker thread computes the later part: SQLite
releases the GIL, so both cores work. The values come back as text and are parsed and
sorted by NumPy (``Tally.finish``).

(Tried and dropped: sorting in SQLite — its sorter costs about 1 µs a value, three times
Python's sort; and sampling the period to return only the values near each percentile —
the band tests in SQL cost about as much as the sort they save.)

Only integers computed here and generated table names are formatted into the SQL; the
client, vendor and dates are parameters.
"""

from __future__ import annotations

import datetime as dt
import json
import secrets
import sqlite3
import threading
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
from django.db import connection, connections

from ciodesk.vendors.business_time import DAY, epoch_seconds
from ciodesk.vendors.models import Ticket

SPLIT_MIN_TICKETS = 100_000  # from this, two connections share the work
_MAX_WINDOWS = 2_000_000
P = 1_000_000_000  # value token = priority · P + seconds
CAP = P - 1
_CODE0 = 256  # status characters start here, clear of ASCII and of the separators
RESP, RESOL = 0, 1


@dataclass
class Tally:
    """What an engine returns: tickets per status code, and for responses and resolutions
    the sorted tokens ``priority · P + seconds`` the percentiles are read from (``values``,
    NumPy arrays once ``finish`` has run: parsing and sorting a million tokens there takes
    a few hundredths of a second, against half a second in Python lists)."""

    status: Counter = field(default_factory=Counter)
    values: dict[int, np.ndarray] = field(default_factory=dict)
    _chunks: dict[int, list] = field(default_factory=lambda: {RESP: [], RESOL: []})
    _loose: dict[int, list[int]] = field(default_factory=lambda: {RESP: [], RESOL: []})

    def add_tokens(self, metric: int, text: str | None) -> None:
        """Comma-separated tokens, as the SQLite engine returns them."""
        if text:
            self._chunks[metric].append(np.fromstring(text, dtype=np.int64, sep=","))

    def add_value(self, metric: int, token: int) -> None:
        self._loose[metric].append(token)

    def finish(self) -> Tally:
        for metric in (RESP, RESOL):
            parts = [*self._chunks[metric], np.array(self._loose[metric], dtype=np.int64)]
            self.values[metric] = np.sort(np.concatenate(parts))
        return self


def available() -> bool:
    return connection.vendor == "sqlite" and sqlite3.sqlite_version_info >= (3, 38, 0)


@dataclass
class _Plan:
    table: str
    rows: list[tuple[int, ...]] | None  # the calendar table; None for 24×7
    lo: int
    width: int
    top: int  # the calendar table covers [lo, top)
    end_ts: int  # when missing timestamps are judged
    end_cum: int
    tr: str  # CASE branches: target seconds by priority code
    ts: str


def _plan(calendar, targets: list[tuple[int, int]], period, top: int) -> _Plan | None:
    start = epoch_seconds(period.start)
    tr = " ".join(f"WHEN {i} THEN {int(r) * 60}" for i, (r, _) in enumerate(targets, 1))
    ts = " ".join(f"WHEN {i} THEN {int(s) * 60}" for i, (_, s) in enumerate(targets, 1))
    table = connection.ops.quote_name(Ticket._meta.db_table)
    end_ts = epoch_seconds(period.as_of)
    end_cum = int(calendar.cum_seconds(end_ts))
    if calendar.always_open:
        return _Plan(table, None, start, 3600, 2**62, end_ts, end_cum, tr, ts)
    for width in (3600, 900, 300, 60):
        lo = start // width * width - width
        if (top - lo) // width > _MAX_WINDOWS:
            return None
        windows = calendar.windows(lo, top, width)
        if windows is not None:
            rows = [(h, k, st, st + n, k + n, k - st) for h, k, st, n in windows]
            top = lo + len(rows) * width
            return _Plan(table, rows, lo, width, top, end_ts, end_cum, tr, ts)
    return None


def _timed_sql(plan: _Plan, cal: str | None) -> str:
    """Per ticket: priority, flag, created, resolution time, business seconds."""
    picked = f"""SELECT CASE t.priority WHEN 'P1' THEN 1 WHEN 'P2' THEN 2 WHEN 'P3' THEN 3
          WHEN 'P4' THEN 4 ELSE 0 END AS pi, t.vendor_in_sla AS v,
        unixepoch(t.created_at) AS c, unixepoch(t.first_response_at) AS r,
        unixepoch(COALESCE(t.resolved_at, t.closed_at)) AS s
        FROM {plan.table} AS t WHERE t.client_id = %s AND t.vendor_id = %s
        AND t.created_at >= %s AND t.created_at < %s LIMIT -1"""  # noqa: S608 — integers and names only
    if cal is None:
        return f"""SELECT pi, v, c, s, c AS cc, max(coalesce(r, 0), coalesce(s, 0)) AS mx,
            CASE WHEN r IS NULL THEN NULL WHEN r <= c THEN 0 ELSE r - c END AS er,
            CASE WHEN s IS NULL THEN NULL WHEN s <= c THEN 0 ELSE s - c END AS es
            FROM ({picked}) LIMIT -1"""  # noqa: S608 — integers and names only
    last = len(plan.rows) - 1

    def key(x: str) -> str:
        return f"CASE WHEN {x} > c THEN min(({x} - {plan.lo}) / {plan.width}, {last}) ELSE 0 END"

    def cum(a: str, x: str) -> str:
        return (
            f"CASE WHEN {x} <= {a}.st THEN {a}.k WHEN {x} >= {a}.en THEN {a}.ke "
            f"ELSE {x} + {a}.b END"
        )

    return f"""SELECT pi, v, c, s, {cum("k1", "c")} AS cc,
        max(coalesce(r, 0), coalesce(s, 0)) AS mx,
        CASE WHEN r IS NULL THEN NULL WHEN r <= c THEN 0
          ELSE {cum("k2", "r")} - ({cum("k1", "c")}) END AS er,
        CASE WHEN s IS NULL THEN NULL WHEN s <= c THEN 0
          ELSE {cum("k3", "s")} - ({cum("k1", "c")}) END AS es
        FROM ({picked}) AS x
        CROSS JOIN {cal} AS k1 ON k1.h = (c - {plan.lo}) / {plan.width}
        CROSS JOIN {cal} AS k2 ON k2.h = {key("r")}
        CROSS JOIN {cal} AS k3 ON k3.h = {key("s")}
        LIMIT -1"""  # noqa: S608 — integers and names only


def _main_sql(plan: _Plan, cal: str | None) -> str:
    judged = f"""SELECT pi, v, c, s, er, es, mx,
        CASE WHEN pi = 0 THEN 0 WHEN er IS NOT NULL THEN er > tr WHEN ee > tr THEN 2 ELSE 3 END
          AS r4,
        CASE WHEN pi = 0 THEN 0 WHEN es IS NOT NULL THEN es > ts WHEN ee > ts THEN 2 ELSE 3 END
          AS s4
        FROM (SELECT *, max(0, {plan.end_cum} - cc) AS ee, CASE pi {plan.tr} ELSE 0 END AS tr,
              CASE pi {plan.ts} ELSE 0 END AS ts FROM ({_timed_sql(plan, cal)}))
        LIMIT -1"""  # noqa: S608 — integers and names only
    end = plan.end_ts
    age = (
        f"CASE WHEN c <= {end} AND (s IS NULL OR s > {end}) THEN 1 + ({end} - c >= {8 * DAY})"
        f" + ({end} - c >= {15 * DAY}) + ({end} - c >= {31 * DAY}) ELSE 0 END"
    )
    code = (
        f"((((pi * 4 + r4) * 4 + s4) * 2 + (pi > 0 AND v IS NOT NULL AND r4 < 3 AND s4 < 3"
        f" AND v <> (r4 = 0 AND s4 = 0))) * 5 + {age})"
    )
    return f"""SELECT group_concat(char({_CODE0} + {code}), ''),
        group_concat(pi * {P} + min(er, {CAP})) FILTER (WHERE pi > 0 AND er IS NOT NULL),
        group_concat(pi * {P} + min(es, {CAP})) FILTER (WHERE pi > 0 AND es IS NOT NULL),
        max(mx)
        FROM ({judged})"""  # noqa: S608 — integers and names only


def _execute(conn, plan: _Plan, make_sql: Callable[[str | None], str], params: list):
    """Run one query on a connection, with the calendar as a temporary table there."""
    name = None
    with conn.cursor() as cursor:
        try:
            if plan.rows is not None:
                name = f"temp.ciodesk_sla_{secrets.token_hex(6)}"
                cursor.execute(
                    f"CREATE TABLE {name} (h INTEGER PRIMARY KEY, k INTEGER, st INTEGER,"
                    " en INTEGER, ke INTEGER, b INTEGER)"
                )
                # one statement, one implicit transaction (executemany would commit each row)
                cursor.execute(
                    f"INSERT INTO {name} SELECT value ->> 0, value ->> 1, value ->> 2,"  # noqa: S608
                    " value ->> 3, value ->> 4, value ->> 5 FROM json_each(%s)",
                    [json.dumps(plan.rows, separators=(",", ":"))],
                )
            cursor.execute(make_sql(name), params)
            return cursor.fetchone()
        finally:
            if name:
                cursor.execute(f"DROP TABLE IF EXISTS {name}")


def _dbtext(moment: dt.datetime) -> str:
    return connection.ops.adapt_datetimefield_value(moment)


def _absorb(tally: Tally, row) -> int:
    status, responses, resolutions, furthest = row
    status = status or ""
    for ch in set(status):
        tally.status[ord(ch) - _CODE0] += status.count(ch)
    tally.add_tokens(RESP, responses)
    tally.add_tokens(RESOL, resolutions)
    return furthest or 0


def _parts(plan: _Plan, period, ids: list) -> list[tuple[str, str]]:
    """The period as database text bounds: whole, or cut in two when it holds many tickets
    (counted no further than the threshold, on the index). The cut is at half the time:
    reading a part's values (NumPy) costs little next to the query, so both threads get
    the same share."""
    whole = [(_dbtext(period.start), _dbtext(period.end))]
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT count(*) FROM (SELECT 1 FROM {plan.table} WHERE client_id = %s"  # noqa: S608
            " AND vendor_id = %s AND created_at >= %s AND created_at < %s LIMIT %s)",
            [*ids, *whole[0], SPLIT_MIN_TICKETS],
        )
        if cursor.fetchone()[0] < SPLIT_MIN_TICKETS:
            return whole
    cut = _dbtext(period.start + (period.end - period.start) / 2)
    return [(whole[0][0], cut), (cut, whole[0][1])]


def _run_parts(plan: _Plan, parts: list, ids: list, absorb: Callable) -> None:
    """The main query over each part of the period, each result handed to ``absorb`` as
    soon as it is in. The second part runs in a worker thread on its own connection (SQLite
    releases the GIL while it works) unless a transaction is open — the other connection
    would not see its writes — or the database is in memory."""
    results: list = [None] * len(parts)
    errors: list[BaseException] = []

    def run(index: int, conn) -> None:
        results[index] = _execute(
            conn, plan, lambda cal: _main_sql(plan, cal), [*ids, *parts[index]]
        )

    def worker() -> None:
        try:
            run(1, connections["default"])
        except BaseException as exc:  # noqa: BLE001 — re-raised in the caller's thread
            errors.append(exc)
        finally:
            connections["default"].close()

    thread = None
    if len(parts) > 1 and not (connection.in_atomic_block or connection.is_in_memory_db()):
        thread = threading.Thread(target=worker, name="ciodesk-sla")
        thread.start()
    try:
        for index in range(1 if thread else len(parts)):
            run(index, connection)
            absorb(results[index])
    finally:
        if thread:
            thread.join()
    if errors:
        raise errors[0]
    if thread:
        absorb(results[1])


def sqlite_tally(client, vendor, calendar, targets, period) -> Tally | None:
    """The period's tally computed by SQLite, or None when this calendar or these tickets
    need the Python engine (a table of more than two million windows)."""
    end_ts = epoch_seconds(period.as_of)
    top = max(epoch_seconds(period.end), end_ts) + 400 * DAY
    ids = [client.pk, vendor.pk]
    for _attempt in range(3):
        plan = _plan(calendar, targets, period, top)
        if plan is None:
            return None
        tally, furthest = Tally(), [0]

        def absorb(row, tally=tally, furthest=furthest) -> None:
            furthest.append(_absorb(tally, row))

        _run_parts(plan, _parts(plan, period, ids), ids, absorb)
        if max(furthest) < plan.top:
            return tally.finish()
        top = max(furthest) + 2 * DAY  # a timestamp beyond the calendar table: widen it
    return None
