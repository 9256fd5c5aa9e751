"""Benchmark: the SLA scorecard over N tickets (default 1,000,000) on SQLite, against DuckDB
computing the same figures from the same data in the same run.

    .venv/bin/python bench/sla_scorecard.py [--rows 1000000] [--repeat 3] [--keep]

It builds a throwaway data directory and SQLite database (CIODESK_DATA_DIR, DATABASE_URL),
migrates it, writes one client, one MSP with the demo's SLA policy (Mon–Fri 08:00–17:00
America/Los_Angeles, US holidays; P1 30/240 … P4 480/2400 minutes) and a year of
tickets sorted by creation time, as an import leaves them (bulk insert with executemany).
The same tickets go to a CSV file. Then:

* ciodesk: ``compute_scorecard`` for the whole year (wall and CPU seconds, first run and
  best of ``--repeat``);
* DuckDB: the same figures (per priority: met / breached / pending, attainment, nearest-rank
  median and p90 of business minutes; open at the end; flag disagreements) with the same
  cumulative-business-seconds table joined in SQL, from the CSV file (read + compute) and
  from an in-memory table (compute only). The figures are checked equal to ciodesk's.

Not a test: it prints numbers. The machine's load average is printed with them because
other work on the machine skews the timings.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import os
import random
import sqlite3
import sys
import tempfile
import time
import zoneinfo
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LA = zoneinfo.ZoneInfo("America/Los_Angeles")
YEAR = 2025
HOLIDAYS = [
    dt.date(2025, 1, 1),
    dt.date(2025, 1, 20),
    dt.date(2025, 2, 17),
    dt.date(2025, 5, 26),
    dt.date(2025, 7, 4),
    dt.date(2025, 9, 1),
    dt.date(2025, 11, 27),
    dt.date(2025, 11, 28),
    dt.date(2025, 12, 25),
]
PRIORITY_MIX = [("P1", 5), ("P2", 20), ("P3", 50), ("P4", 20), ("", 5)]
TARGETS = {"P1": (30, 240), "P2": (60, 480), "P3": (240, 960), "P4": (480, 2400)}
CATEGORIES = ["Email", "Printing", "Network", "Accounts", "Laptop", "Phone", "Backup", "VPN"]


def setup_django(workdir: Path) -> None:
    os.environ["CIODESK_DATA_DIR"] = str(workdir)
    os.environ["DATABASE_URL"] = f"sqlite:///{workdir / 'bench.sqlite3'}"
    os.environ["DJANGO_SETTINGS_MODULE"] = "ciodesk.settings"
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def make_msp():
    from ciodesk.core.scope import acting_as, scope
    from ciodesk.tenancy.models import Client, Person
    from ciodesk.vendors.models import Contract, Holiday, SLAPolicy, Vendor

    with acting_as("bench"):
        client = Client.objects.create(
            slug="bench", name="Bench Co", employee_count=250, time_zone="America/Los_Angeles"
        )
        with scope(client):
            person = Person.objects.create(client=client, name="Pat Owner")
            vendor = Vendor.objects.create(
                name="Coastline Managed IT", category="msp", owner=person
            )
            contract = Contract.objects.create(
                vendor=vendor,
                title="Managed services",
                start_date=dt.date(YEAR, 1, 1),
                end_date=dt.date(YEAR, 12, 31),
                owner=person,
            )
            policy = SLAPolicy.objects.create(contract=contract)
            for day in HOLIDAYS:
                Holiday.objects.create(policy=policy, date=day)
    return client, vendor


def utc_text(moment: dt.datetime | None) -> str | None:
    if moment is None:
        return None
    return moment.astimezone(dt.UTC).replace(tzinfo=None).isoformat(sep=" ")


def generate(n: int, seed: int):
    """Tickets over the year, mostly in business hours, sorted by creation time."""
    rnd = random.Random(seed)
    first = dt.date(YEAR, 1, 1)
    workdays = [
        first + dt.timedelta(d) for d in range(365) if (first + dt.timedelta(d)).weekday() < 5
    ]
    alldays = [first + dt.timedelta(d) for d in range(365)]

    def moment() -> float:  # four in five in business hours, the rest at any time
        if rnd.random() < 0.8:
            day, seconds = rnd.choice(workdays), 8 * 3600 + rnd.random() * 9 * 3600
        else:
            day, seconds = rnd.choice(alldays), rnd.random() * 86400
        midnight = dt.datetime.combine(day, dt.time(0), tzinfo=LA)
        return midnight.timestamp() + seconds

    created = sorted(moment() for _ in range(n))
    labels, weights = zip(*PRIORITY_MIX, strict=True)
    priorities = rnd.choices(labels, weights, k=n)
    for i, (ts, priority) in enumerate(zip(created, priorities, strict=True)):
        c = dt.datetime.fromtimestamp(int(ts), dt.UTC)
        target_r, target_s = TARGETS.get(priority, (240, 960))
        r = c + dt.timedelta(seconds=int(rnd.expovariate(1 / (target_r * 60 * 1.2))))
        s = c + dt.timedelta(seconds=int(rnd.expovariate(1 / (target_s * 60 * 2.5))))
        response = None if rnd.random() < 0.03 else r
        resolved = None if rnd.random() < 0.15 else s
        closed = s + dt.timedelta(hours=rnd.randrange(1, 72)) if rnd.random() < 0.5 else None
        if resolved is None and rnd.random() < 0.5:
            closed = None
        flag = None if rnd.random() < 0.1 else rnd.random() < 0.92
        yield (
            str(100000 + i),
            f"Ticket {i}: {rnd.choice(CATEGORIES)} issue for user {i % 997}",
            "Help Desk",
            "Closed" if (resolved or closed) else "In Progress",
            priority or "Whatever",
            priority,
            rnd.choice(CATEGORIES),
            f"user{rnd.randrange(250)}",
            utc_text(c),
            utc_text(response),
            utc_text(resolved),
            utc_text(closed),
            None if flag is None else int(flag),
            rnd.choice([None, 0, 0, 0, 1]),
        )


COLUMNS = [
    "number",
    "summary",
    "board",
    "status",
    "priority_label",
    "priority",
    "category",
    "requester",
    "created_at",
    "first_response_at",
    "resolved_at",
    "closed_at",
    "vendor_in_sla",
    "reopen_count",
]


def write_tickets(db_path: Path, csv_path: Path, client, vendor, n: int, seed: int) -> float:
    began = time.perf_counter()
    db = sqlite3.connect(db_path)
    db.execute("PRAGMA synchronous = OFF")
    placeholders = ", ".join("?" * (len(COLUMNS) + 2))
    sql = (
        f"INSERT INTO vendors_ticket (client_id, vendor_id, {', '.join(COLUMNS)}) "  # noqa: S608
        f"VALUES ({placeholders})"
    )
    with csv_path.open("w", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(COLUMNS)
        batch = []
        for row in generate(n, seed):
            writer.writerow(["" if v is None else v for v in row])
            batch.append((client.pk, vendor.pk, *row))
            if len(batch) == 50_000:
                db.executemany(sql, batch)
                batch.clear()
        db.executemany(sql, batch)
    db.commit()
    db.close()
    return time.perf_counter() - began


def time_ciodesk(client, vendor, repeat: int):
    from django.db import connection

    from ciodesk.vendors.scorecard import compute_scorecard

    runs = []
    card = None
    for _ in range(repeat):
        wall, cpu = time.perf_counter(), time.process_time()
        card = compute_scorecard(client, vendor, dt.date(YEAR, 1, 1), dt.date(YEAR, 12, 31))
        runs.append((time.perf_counter() - wall, time.process_time() - cpu))
    connection.close()
    return card, runs


def duckdb_figures(con, source: str, client, vendor) -> dict:
    """The same figures in DuckDB, with the same table of cumulative business seconds."""
    from ciodesk.core.scope import scope
    from ciodesk.vendors.business_time import BusinessCalendar, epoch_seconds
    from ciodesk.vendors.scorecard import Period, sla_policy_for

    with scope(client):
        period = Period.of(client, dt.date(YEAR, 1, 1), dt.date(YEAR, 12, 31))
        calendar = BusinessCalendar.from_policy(sla_policy_for(vendor, period.since, period.until))
    width = 3600
    start, end = epoch_seconds(period.start), epoch_seconds(period.end)
    end_ts = epoch_seconds(period.as_of)
    lo = start // width * width - width
    hi = max(end, end_ts) + 3 * 366 * 86400  # generous: no rerun logic in the benchmark
    rows = calendar.windows(lo, hi, width)
    end_cum = int(calendar.cum_seconds(end_ts))
    con.execute("CREATE OR REPLACE TABLE cal (h BIGINT PRIMARY KEY, k BIGINT, st BIGINT, l BIGINT)")
    con.execute(
        "INSERT INTO cal SELECT * FROM (SELECT unnest($1) AS h, unnest($2), unnest($3), "
        "unnest($4))",
        [list(col) for col in zip(*rows, strict=True)],
    )
    tr = " ".join(f"WHEN '{p}' THEN {r * 60}" for p, (r, _) in TARGETS.items())
    ts = " ".join(f"WHEN '{p}' THEN {s * 60}" for p, (_, s) in TARGETS.items())

    def cum(a, x):
        return f"({a}.k + greatest(0, least({x} - {a}.st, {a}.l)))"

    sql = f"""
    WITH t AS (
      SELECT coalesce(priority, '') AS p, vendor_in_sla AS v,
        epoch(created_at)::BIGINT AS c, epoch(first_response_at)::BIGINT AS r,
        epoch(coalesce(resolved_at, closed_at))::BIGINT AS s
      FROM {source}
      WHERE created_at >= to_timestamp({start})::TIMESTAMP
        AND created_at < to_timestamp({end})::TIMESTAMP),
    j AS (
      SELECT p, v, c, r, s, {cum("k1", "c")} AS cc,
        CASE WHEN r IS NULL THEN NULL WHEN r <= c THEN 0 ELSE {cum("k2", "r")} - {cum("k1", "c")}
        END AS er,
        CASE WHEN s IS NULL THEN NULL WHEN s <= c THEN 0 ELSE {cum("k3", "s")} - {cum("k1", "c")}
        END AS es
      FROM t JOIN cal k1 ON k1.h = (c - {lo}) // {width}
      LEFT JOIN cal k2 ON k2.h = (r - {lo}) // {width}
      LEFT JOIN cal k3 ON k3.h = (s - {lo}) // {width}),
    d AS (
      SELECT *, greatest(0, {end_cum} - cc) AS ee, CASE p {tr} END AS tr, CASE p {ts} END AS ts
      FROM j),
    e AS (
      SELECT *,
        CASE WHEN er IS NOT NULL THEN (er > tr)::INT WHEN ee > tr THEN 1 ELSE 2 END AS rst,
        CASE WHEN es IS NOT NULL THEN (es > ts)::INT WHEN ee > ts THEN 1 ELSE 2 END AS sst
      FROM d)
    SELECT p, count(*) AS tickets,
      count(*) FILTER (rst = 0), count(*) FILTER (rst = 1), count(*) FILTER (rst = 2),
      count(*) FILTER (sst = 0), count(*) FILTER (sst = 1), count(*) FILTER (sst = 2),
      list_sort(list(er) FILTER (er IS NOT NULL))[ceil(0.5 * count(er))::BIGINT],
      list_sort(list(er) FILTER (er IS NOT NULL))[ceil(0.9 * count(er))::BIGINT],
      list_sort(list(es) FILTER (es IS NOT NULL))[ceil(0.5 * count(es))::BIGINT],
      list_sort(list(es) FILTER (es IS NOT NULL))[ceil(0.9 * count(es))::BIGINT],
      count(*) FILTER (v IS NOT NULL AND rst < 2 AND sst < 2
                       AND v::BOOLEAN <> (rst = 0 AND sst = 0))
    FROM e WHERE p <> '' GROUP BY p ORDER BY p"""  # noqa: S608 — the benchmark's own values
    result = {}
    for row in con.execute(sql).fetchall():
        result[row[0]] = row[1:]
    return result


def compare(card: dict, duck: dict) -> list[str]:
    from ciodesk.vendors.scorecard import _minutes

    problems = []
    for row in card["priorities"]:
        d = duck.get(row["priority"])
        ours = (
            row["tickets"],
            row["response_met"],
            row["response_breached"],
            row["response_pending"],
            row["resolution_met"],
            row["resolution_breached"],
            row["resolution_pending"],
            row["median_response_minutes"],
            row["p90_response_minutes"],
            row["median_resolution_minutes"],
            row["p90_resolution_minutes"],
        )
        theirs = None if d is None else (*d[:7], *(_minutes(v) for v in d[7:11]))
        if ours != theirs:
            problems.append(f"{row['priority']}: ciodesk {ours} != duckdb {theirs}")
    disagreements = sum(d[11] for d in duck.values())
    if disagreements != card["vendor_flag_disagreements"]:
        problems.append(
            f"flag disagreements {card['vendor_flag_disagreements']} != {disagreements}"
        )
    return problems


def time_duckdb(csv_path: Path, client, vendor, repeat: int):
    import duckdb

    con = duckdb.connect()
    read = (
        f"read_csv('{csv_path}', header = true, types = {{'priority': 'VARCHAR', "
        "'created_at': 'TIMESTAMP', 'first_response_at': 'TIMESTAMP', "
        "'resolved_at': 'TIMESTAMP', 'closed_at': 'TIMESTAMP', 'vendor_in_sla': 'INTEGER'})"
    )
    from_csv, in_memory, figures = [], [], None
    for _ in range(repeat):
        wall = time.perf_counter()
        figures = duckdb_figures(con, read, client, vendor)
        from_csv.append(time.perf_counter() - wall)
    con.execute(f"CREATE TABLE tickets AS SELECT * FROM {read}")  # noqa: S608
    for _ in range(repeat):
        wall = time.perf_counter()
        duckdb_figures(con, "tickets", client, vendor)
        in_memory.append(time.perf_counter() - wall)
    return figures, from_csv, in_memory, duckdb.__version__


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory")
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="ciodesk-bench-sla-"))
    setup_django(workdir)
    client, vendor = make_msp()
    seconds = write_tickets(
        workdir / "bench.sqlite3", workdir / "tickets.csv", client, vendor, args.rows, args.seed
    )
    print(f"{args.rows:,} tickets written to SQLite and CSV in {seconds:.1f} s ({workdir})")
    card, runs = time_ciodesk(client, vendor, args.repeat)
    duck, from_csv, in_memory, version = time_duckdb(
        workdir / "tickets.csv", client, vendor, args.repeat
    )
    problems = compare(card, duck)
    best = min(w for w, _ in runs)
    print(f"load average before the runs: {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs")
    print(f"calendar: {card['calendar']}; SQLite {sqlite3.sqlite_version}; DuckDB {version}")
    print(
        "ciodesk compute_scorecard (SQLite), wall / CPU seconds per run: "
        + ", ".join(f"{w:.3f} / {c:.3f}" for w, c in runs)
    )
    print(
        f"  first run {runs[0][0]:.3f} s, best {best:.3f} s "
        f"({args.rows / best:,.0f} tickets/s); target ≤ 1 s for 1,000,000"
    )
    print(
        "DuckDB same figures from the CSV (read + compute), seconds: "
        + ", ".join(f"{s:.3f}" for s in from_csv)
    )
    print(
        "DuckDB same figures from an in-memory table (compute only), seconds: "
        + ", ".join(f"{s:.3f}" for s in in_memory)
    )
    print(
        f"ratio ciodesk best / DuckDB best from CSV: {best / min(from_csv):.2f}; "
        f"/ DuckDB best in memory: {best / min(in_memory):.2f}"
    )
    print("figures agree: " + ("yes" if not problems else "NO\n  " + "\n  ".join(problems)))
    overall = card["overall"]
    print(
        f"overall: {overall['tickets']:,} tickets, response {overall['response_attainment_pct']}"
        f" %, resolution {overall['resolution_attainment_pct']} %, median response "
        f"{overall['median_response_minutes']} min, p90 resolution "
        f"{overall['p90_resolution_minutes']} min; open at end {card['open_at_end']}; "
        f"flag disagreements {card['vendor_flag_disagreements']:,}"
    )
    if not args.keep:
        for path in sorted(workdir.rglob("*"), reverse=True):
            path.rmdir() if path.is_dir() else path.unlink()
        workdir.rmdir()


if __name__ == "__main__":
    main()
