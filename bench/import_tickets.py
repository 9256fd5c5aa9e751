"""Benchmark: import a ConnectWise-format ticket export end to end.

    .venv/bin/python bench/import_tickets.py --rows 1000000

Writes a ConnectWise PSA CSV of N rows (the REST API's field names and its UTC timestamps;
`--variant ui` writes the list export's headers and US local times instead) in a temporary
directory, migrates a throwaway SQLite database there, creates a client and a vendor,
and times `import_tickets` from the file to the committed rows. Then DuckDB loads the same
CSV into a typed table, for the ratio. Prints rows/s, peak memory (maximum resident set of
this process, which includes Django and the SQLite page cache, plus that of the child that
checks half of the file) and the ratio. CIODESK_IMPORT_PROCESSES=1 checks in one process.

The issue's target on a 2-core machine: ≥ 50,000 rows/s, peak ≤ 500 MB.
"""

from __future__ import annotations

import argparse
import csv
import datetime
import os
import random
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
API_HEADERS = [
    "id",
    "summary",
    "board",
    "status",
    "company",
    "contact",
    "type",
    "priority",
    "dateEntered",
    "dateResponded",
    "dateResolved",
    "closedDate",
    "isInSla",
]
UI_HEADERS = [
    "Ticket #",
    "Summary Description",
    "Board",
    "Status",
    "Company",
    "Contact",
    "Type",
    "Priority",
    "Date Entered",
    "Date Responded",
    "Date Resolved",
    "Closed Date",
    "Is In SLA",
]
PRIORITIES = [
    "Priority 1 - Emergency Response",
    "Priority 2 - Quick Response",
    "Priority 3 - Normal Response",
    "Priority 4 - Scheduled Maintenance",
]
SUMMARIES = [
    "Outlook keeps asking for password",
    "Printer on 2nd floor offline",
    "New hire laptop setup",
    "VPN disconnects every hour",
    "Phishing email reported",
    "Shared drive mapping missing",
    "Teams calls drop",
    "Reset MFA for user",
    "Scanner not sending to folder",
    "Server disk space warning",
]
BOARDS = ["Help Desk", "Projects", "Onboarding", "Alerts"]
TYPES = ["Email", "Printing", "Hardware", "Network", "Security", "Accounts"]
STATUSES = ["Closed", "Closed", "Closed", "Completed", "In Progress", "New"]
PEOPLE = [
    f"{first} {last}"
    for first in ("Ana", "Ben", "Cleo", "Dev", "Eli", "Fay", "Gus")
    for last in ("Nguyen", "Garcia", "Smith", "Okafor", "Kim")
]


def write_csv(path: Path, rows: int, variant: str) -> None:
    rng = random.Random(42)
    start = datetime.datetime(2024, 1, 1, tzinfo=datetime.UTC)
    span = 2 * 365 * 24 * 3600
    us = variant == "ui"

    def stamp(moment: datetime.datetime | None) -> str:
        if moment is None:
            return ""
        if us:
            local = moment - datetime.timedelta(hours=8)
            return local.strftime("%m/%d/%Y %I:%M:%S %p")
        return moment.strftime("%Y-%m-%dT%H:%M:%SZ")

    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\r\n")
        writer.writerow(UI_HEADERS if us else API_HEADERS)
        # Ticket numbers are handed out as tickets are entered: the export, ordered by
        # number, is ordered by entry time too, with a little jitter.
        step = span / max(rows, 1)
        for i in range(rows):
            jitter = rng.uniform(0, step)
            created = start + datetime.timedelta(seconds=int(i * step + jitter))
            responded = created + datetime.timedelta(minutes=rng.randrange(5, 600))
            resolved = responded + datetime.timedelta(minutes=rng.randrange(10, 6000))
            is_open = rng.random() < 0.04
            writer.writerow(
                [
                    100000 + i,
                    rng.choice(SUMMARIES),
                    rng.choice(BOARDS),
                    "New" if is_open else rng.choice(STATUSES[:4]),
                    "Harbor CPA LLP",
                    rng.choice(PEOPLE),
                    rng.choice(TYPES),
                    rng.choice(PRIORITIES),
                    stamp(created),
                    stamp(None if rng.random() < 0.05 else responded),
                    stamp(None if is_open else resolved),
                    stamp(None if is_open else resolved + datetime.timedelta(minutes=30)),
                    "" if is_open else rng.choice(["True", "True", "True", "False"]),
                ]
            )


def setup_django(data_dir: Path) -> None:
    os.environ["CIODESK_DATA_DIR"] = str(data_dir)
    os.environ["DATABASE_URL"] = f"sqlite:///{data_dir / 'bench.sqlite3'}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ciodesk.settings")
    os.environ.setdefault("SECRET_KEY", "bench-only-" + "x" * 40)
    sys.path.insert(0, str(ROOT))
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)


def make_vendor():
    from ciodesk.core.scope import acting_as, scope
    from ciodesk.tenancy.models import Client, Person
    from ciodesk.vendors.models import Vendor

    with acting_as("bench"):
        client = Client.objects.create(
            slug="bench",
            name="Bench Dental",
            industry="Dental",
            employee_count=40,
            time_zone="America/Los_Angeles",
        )
        with scope(client):
            owner = Person.objects.create(name="Pat Owner")
            vendor = Vendor.objects.create(name="Coastline Managed IT", category="msp", owner=owner)
    return client, vendor


def peak_mb() -> tuple[float, float]:
    """Peak resident memory (MB) of this process and of its largest child: the importer
    checks the second half of a big CSV in a forked child, at the same time."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    child = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return own, child


def duckdb_seconds(path: Path, variant: str) -> float:
    import duckdb

    fmt = "%m/%d/%Y %I:%M:%S %p" if variant == "ui" else "%Y-%m-%dT%H:%M:%SZ"
    con = duckdb.connect()
    started = time.perf_counter()
    con.execute(
        "CREATE TABLE ticket (number VARCHAR, summary VARCHAR, board VARCHAR, "
        "status VARCHAR, company VARCHAR, contact VARCHAR, type VARCHAR, priority VARCHAR, "
        "created_at TIMESTAMP, first_response_at TIMESTAMP, resolved_at TIMESTAMP, "
        "closed_at TIMESTAMP, vendor_in_sla BOOLEAN)"
    )
    con.execute(
        "INSERT INTO ticket SELECT * FROM read_csv(?, header = true, all_varchar = false, "
        "timestampformat = ?, columns = {'number': 'VARCHAR', 'summary': 'VARCHAR', "
        "'board': 'VARCHAR', 'status': 'VARCHAR', 'company': 'VARCHAR', "
        "'contact': 'VARCHAR', 'type': 'VARCHAR', 'priority': 'VARCHAR', "
        "'created_at': 'TIMESTAMP', 'first_response_at': 'TIMESTAMP', "
        "'resolved_at': 'TIMESTAMP', 'closed_at': 'TIMESTAMP', 'vendor_in_sla': 'BOOLEAN'})",
        [str(path), fmt],
    )
    count = con.execute("SELECT count(*) FROM ticket").fetchone()[0]
    seconds = time.perf_counter() - started
    con.close()
    assert count > 0
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--variant", choices=["api", "ui"], default="api")
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="ciodesk-bench-"))
    csv_path = work / "connectwise-tickets.csv"
    print(f"writing {args.rows:,} rows ({args.variant} variant) to {csv_path} …", flush=True)
    write_csv(csv_path, args.rows, args.variant)
    print(f"  {csv_path.stat().st_size / 1e6:.1f} MB", flush=True)
    setup_django(work)
    client, vendor = make_vendor()
    before, _ = peak_mb()

    from ciodesk.vendors.importers.tickets import import_tickets

    started = time.perf_counter()
    result = import_tickets(client, vendor, csv_path, filename=csv_path.name, fmt="auto")
    seconds = time.perf_counter() - started
    rate = args.rows / seconds
    own, child = peak_mb()
    peak = own + child
    print(
        f"ciodesk import: {seconds:.2f} s, {rate:,.0f} rows/s "
        f"(created {result.created_count:,}, updated {result.updated_count:,}); "
        f"peak memory {peak:.0f} MB = {own:.0f} MB this process + {child:.0f} MB the "
        f"checking child (before the import {before:.0f} MB)"
    )
    again = time.perf_counter()
    second = import_tickets(client, vendor, csv_path, filename=csv_path.name, fmt="auto")
    print(
        f"same file again: {time.perf_counter() - again:.2f} s, created "
        f"{second.created_count}, updated {second.updated_count}"
    )
    duck = duckdb_seconds(csv_path, args.variant)
    print(f"duckdb read_csv into a typed table: {duck:.2f} s, {args.rows / duck:,.0f} rows/s")
    print(f"ratio ciodesk / duckdb: {seconds / duck:.1f}× the time")
    verdict = "meets" if rate >= 50_000 and peak <= 500 else "misses"
    print(f"target ≥ 50,000 rows/s and ≤ 500 MB: {verdict} it")
    if not args.keep:
        import shutil

        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
