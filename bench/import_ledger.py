"""Benchmark: import a QuickBooks Online ledger export end to end.

    .venv/bin/python bench/import_ledger.py --lines 200000

Writes a "Transaction Detail by Account" CSV of N lines as QuickBooks writes it (title
rows, a leading blank column, account sections, "Total for" rows, the footer) over five
years, in a temporary directory; migrates a throwaway SQLite database there; creates a
client with a vendor and a few matching rules; and times `import_spend` from the file to
the committed lines (reading, checking every row, natural keys, matching, inserting).
The baseline, measured in the same run: Python's csv module reading the same file into
lists, the least any importer of this file must do. Prints lines/s, the target and the
ratio. A second import of an overlapping export (the last year again plus new lines)
is timed too, to show that re-imports skip what is already there.

The issue's target: ≥ 20,000 lines/s for 200,000 lines.
"""

from __future__ import annotations

import argparse
import csv
import datetime
import os
import random
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET = 20_000
ACCOUNTS = {
    "6100 IT Services": [
        ("Bill", "Coastline Managed IT", "Monthly managed services", "4500.00"),
        ("Bill", "Coastline Managed IT", "Onsite project hours", None),
        ("Bill", "Harborview Consulting", "Network assessment", None),
    ],
    "6200 Software Subscriptions": [
        ("Expense", "Microsoft", "Microsoft 365 Business Standard", "525.00"),
        ("Expense", "Zoom Video Communications", "Zoom Workplace Pro", "149.90"),
        ("Expense", "Adobe", "Acrobat Pro seats", "119.95"),
        ("Credit Card Credit", "Adobe", "Refund: unused seat", "-23.99"),
        ("Expense", "Dropbox", "Business plan", None),
    ],
    "6300 Telephone & Internet": [
        ("Bill", "Comcast Business", "Business fiber 500", "289.00"),
        ("Bill", "RingCentral", "MVP phones", None),
    ],
    "6400 Computer Equipment": [
        ("Expense", "Dell Marketing, L.P.", "OptiPlex 7020", None),
        ("Expense", "CDW", "Monitors and docks", None),
    ],
    "6500 Insurance": [("Bill", "Coalition Insurance", "Cyber policy premium", None)],
}


def write_qbo_csv(path: Path, lines: int, start: datetime.date, seed: int = 7) -> Decimal:
    """A QuickBooks Online export of `lines` lines from `start` over five years; returns
    the total of its amounts."""
    rng = random.Random(seed)
    names = list(ACCOUNTS)
    per_account = [lines // len(names)] * len(names)
    per_account[0] += lines - sum(per_account)
    total = Decimal("0")
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["Bench Dental"] + [""] * 8)
        writer.writerow(["Transaction Detail by Account"] + [""] * 8)
        writer.writerow(["January 1, 2022 - December 31, 2026"] + [""] * 8)
        writer.writerow([""] * 9)
        writer.writerow(
            ["", "Date", "Transaction Type", "Num", "Name", "Memo/Description", "Split"]
            + ["Amount", "Balance"]
        )
        for account, count in zip(names, per_account, strict=True):
            writer.writerow([account] + [""] * 8)
            balance = Decimal("0")
            step = 5 * 365 / max(count, 1)
            for i in range(count):
                kind, payee, memo, fixed = rng.choice(ACCOUNTS[account])
                amount = Decimal(fixed) if fixed else Decimal(rng.randrange(1000, 900000)) / 100
                balance += amount
                day = start + datetime.timedelta(days=int(i * step))
                writer.writerow(
                    [
                        "",
                        day.strftime("%m/%d/%Y"),
                        kind,
                        str(1000 + i) if kind == "Bill" else "",
                        payee,
                        f"{memo} #{i}",
                        "Accounts Payable (A/P)" if kind == "Bill" else "Amex Business",
                        f"{amount:,.2f}",
                        f"{balance:,.2f}",
                    ]
                )
            writer.writerow([f"Total for {account}"] + [""] * 6 + [f"${balance:,.2f}", ""])
            total += balance
        writer.writerow(["TOTAL"] + [""] * 6 + [f"${total:,.2f}", ""])
        writer.writerow([""] * 9)
        writer.writerow(["Accrual Basis Sunday, November 22, 2026 09:14 AM GMT-08:00"] + [""] * 8)
    return total


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


def make_client():
    from ciodesk.budget.models import Category, MatchRule
    from ciodesk.budget.services_matching import ensure_categories
    from ciodesk.core.scope import acting_as, scope
    from ciodesk.tenancy.models import Client, Person
    from ciodesk.vendors.models import Vendor

    with acting_as("bench"):
        client = Client.objects.create(
            slug="bench", name="Bench Dental", employee_count=40, time_zone="America/Los_Angeles"
        )
        with scope(client):
            owner = Person.objects.create(name="Pat Owner")
            msp = Vendor.objects.create(name="Coastline Managed IT", category="msp", owner=owner)
            ensure_categories()
            saas = Category.objects.get(slug="saas")
            telecom = Category.objects.get(slug="telecom-internet")
            MatchRule.objects.create(
                field="payee",
                match_type="exact",
                pattern="Coastline Managed IT",
                vendor=msp,
                owner=owner,
                priority=10,
            )
            MatchRule.objects.create(
                field="account",
                match_type="contains",
                pattern="Software",
                category=saas,
                owner=owner,
                priority=20,
            )
            MatchRule.objects.create(
                field="account",
                match_type="regex",
                pattern=r"^63\d\d ",
                category=telecom,
                owner=owner,
                priority=30,
            )
    return client


def csv_seconds(path: Path) -> float:
    started = time.perf_counter()
    with open(path, newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    seconds = time.perf_counter() - started
    assert rows
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--lines", type=int, default=200_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="ciodesk-bench-") as tmp:
        folder = Path(tmp)
        export = folder / "ledger.csv"
        expected = write_qbo_csv(export, args.lines, datetime.date(2022, 1, 1))
        setup_django(folder)
        from ciodesk.budget.importers import import_spend
        from ciodesk.budget.models import LedgerLine
        from ciodesk.budget.money import cents_sum, from_cents
        from ciodesk.core.scope import scope

        client = make_client()
        size_mb = export.stat().st_size / 1024 / 1024
        started, started_cpu = time.perf_counter(), time.process_time()
        record = import_spend(client, export, filename=export.name)
        seconds = time.perf_counter() - started
        cpu = time.process_time() - started_cpu
        with scope(client):
            stored = LedgerLine.objects.count()
            total = from_cents(LedgerLine.objects.aggregate(total=cents_sum())["total"])
            matched = LedgerLine.objects.filter(category__isnull=False).count()
        assert stored == args.lines == record.created_count, (stored, record.created_count)
        assert total == expected, (total, expected)
        baseline = csv_seconds(export)
        rate = args.lines / seconds
        print(f"file: {args.lines:,} lines, {size_mb:.1f} MB (QuickBooks Online CSV)")
        print(f"import_spend: {seconds:.2f} s = {rate:,.0f} lines/s (target ≥ {TARGET:,})")
        print(
            f"  process CPU {cpu:.2f} s = {args.lines / cpu:,.0f} lines/s; machine load "
            f"(1 min) {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs"
        )
        print(f"  {matched:,} lines classified by 3 rules; total {total} = the file's total")
        print(
            f"baseline, csv.reader into lists: {baseline:.2f} s = "
            f"{args.lines / baseline:,.0f} lines/s; import/baseline time ratio "
            f"{seconds / baseline:.1f}×"
        )
        overlap = folder / "ledger-again.csv"
        write_qbo_csv(overlap, args.lines, datetime.date(2022, 1, 1))
        with overlap.open("a", encoding="utf-8") as handle:
            handle.write("\n")  # another file (another sha256), the same lines
        started = time.perf_counter()
        again = import_spend(client, overlap, filename=overlap.name)
        seconds = time.perf_counter() - started
        print(
            f"re-import of the same lines in another file: {seconds:.2f} s, "
            f"{again.created_count} added, {again.skipped_count:,} already there"
        )
        status = "PASS" if rate >= TARGET else "FAIL"
        print(f"{status}: {rate:,.0f} lines/s against the target of {TARGET:,}")


if __name__ == "__main__":
    main()
