"""Benchmark: the executive brief page's server time for a client with a year of data,
against the client's home page measured in the same run.

    .venv/bin/python bench/brief_page.py [--client pacific-fab] [--repeat 15]

It builds a throwaway data directory and SQLite database (CIODESK_DATA_DIR, DATABASE_URL),
migrates it and loads the demo — every app's demo loader that has landed, except the
reports' own (it would only queue PDFs) — then tops up, for each app whose demo has not
landed yet, a year of demo-like records: a budget with a year of ledger lines, projects
with fortnightly status updates and milestones, decisions pending and taken, roadmap items
over six quarters. Then it requests the brief and the client home through Django's test
client as the practice lead (the whole request: middleware, scope, view, template) and
prints the number of queries, the median and best server time of ``--repeat`` requests
after two warm-ups, the target (200 ms) and the ratio brief ÷ home. Not a test: timings
depend on the machine, whose load average is printed with them.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import statistics
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET_MS = 200.0
SEED = 20261122


def setup_django(workdir: Path) -> None:
    os.environ["CIODESK_DATA_DIR"] = str(workdir)
    os.environ["DATABASE_URL"] = f"sqlite:///{workdir / 'bench.sqlite3'}"
    os.environ["DJANGO_SETTINGS_MODULE"] = "ciodesk.settings"
    os.environ["CIODESK_TESTING"] = "1"  # plain HTTP and static files from the app folders
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command
    from django.test.utils import setup_test_environment

    call_command("migrate", verbosity=0)
    setup_test_environment()  # lets the test client's "testserver" host in


def load_demo() -> dict:
    """Every registered demo loader but the reports' (which only queues PDFs)."""
    from io import StringIO

    from django.core.management.color import no_style
    from django.db import transaction

    from ciodesk.core import demo
    from ciodesk.core.management.commands.demo import DemoContext
    from ciodesk.core.scope import acting_as

    context = DemoContext("bench-password-2026", StringIO(), no_style())
    context.explicit_password = True
    with acting_as("bench"), transaction.atomic():
        for key, loader in demo.loaders():
            if key.startswith("reports"):
                continue
            started = time.perf_counter()
            loader(context)
            print(f"  demo {key}: {time.perf_counter() - started:.1f} s", flush=True)
    return context.clients


# --- a year of demo-like records for the apps whose demo has not landed -----------------------


def _months_back(today: dt.date, n: int) -> dt.date:
    index = today.year * 12 + today.month - 1 - n
    return dt.date(index // 12, index % 12 + 1, 1)


def top_up(client, rnd: random.Random) -> list[str]:
    from ciodesk.core.scope import acting_as, scope
    from ciodesk.tenancy.models import Person

    added = []
    with scope(client), acting_as("bench"):
        people = list(Person.objects.filter(client=client).order_by("name"))
        owner = people[0]
        added += _budget(client, owner, rnd)
        added += _delivery(client, people, rnd)
        added += _roadmap(client, people, rnd)
    return added


def _budget(client, owner, rnd: random.Random) -> list[str]:
    import hashlib

    from ciodesk.budget.fiscal import fiscal_year
    from ciodesk.budget.models import Budget, BudgetLine, LedgerLine
    from ciodesk.budget.services_matching import ensure_categories
    from ciodesk.vendors.models import Vendor

    if Budget.objects.exists() or LedgerLine.objects.exists():
        return []
    categories = [c for c in ensure_categories() if c.is_spend]
    vendors = list(Vendor.objects.all()) or [None]
    monthly = {c.pk: Decimal(rnd.randrange(300, 6000)) for c in categories}
    fy = fiscal_year(client)
    for year in (fy.year - 1, fy.year):
        budget = Budget.objects.create(fiscal_year=year, owner=owner)
        for category in categories:
            BudgetLine.objects.create(
                budget=budget, category=category, amount=monthly[category.pk] * 12
            )
    today = client.today()
    lines = []
    day = today - dt.timedelta(days=365)
    while day <= today:
        if day.weekday() < 5:
            for n in range(rnd.randrange(1, 5)):
                category = rnd.choice(categories)
                amount = (monthly[category.pk] / 6 * Decimal(rnd.uniform(0.6, 1.5))).quantize(
                    Decimal("0.01")
                )
                key = hashlib.sha256(f"{client.pk}-{day}-{n}".encode()).hexdigest()
                lines.append(
                    LedgerLine(
                        client=client,
                        date=day,
                        payee=f"Payee {rnd.randrange(40)}",
                        memo="bench",
                        amount=amount,
                        currency=client.currency,
                        category=category,
                        vendor=rnd.choice(vendors),
                        natural_key=key,
                    )
                )
        day += dt.timedelta(days=1)
    LedgerLine.objects.bulk_create(lines, batch_size=2000)
    return [f"budget: 2 years' budgets, {len(lines)} ledger lines"]


def _delivery(client, people, rnd: random.Random) -> list[str]:
    from django.utils import timezone

    from ciodesk.accounts.models import User
    from ciodesk.delivery.models import Decision, DecisionOption, Milestone, Project, ProjectUpdate
    from ciodesk.tenancy.models import ClientMembership

    out = []
    today = client.today()
    if not Project.objects.exists():
        updates = 0
        for i in range(8):
            start = today - dt.timedelta(days=rnd.randrange(60, 330))
            project = Project.objects.create(
                name=f"Project {i + 1}: {rnd.choice(['Wi-Fi', 'Backup', 'Laptops', 'VoIP'])}",
                objective="Bench project",
                owner=rnd.choice(people),
                budget=Decimal(rnd.randrange(2, 40) * 1000),
                start_on=start,
                target_on=start + dt.timedelta(days=rnd.randrange(90, 300)),
                status="done" if i >= 6 else "active",
            )
            on = start
            while on < today - dt.timedelta(days=rnd.choice([3, 10, 30])):
                ProjectUpdate.objects.create(
                    project=project,
                    on=on,
                    health=rnd.choice(["on_track", "on_track", "at_risk", "off_track"]),
                    text="Progress as planned",
                    next_steps="Next milestone",
                )
                updates += 1
                project.latest_update_on = on
                on += dt.timedelta(days=14)
            project.save()
            for m in range(5):
                due = start + dt.timedelta(days=30 * (m + 1))
                Milestone.objects.create(
                    project=project,
                    title=f"Milestone {m + 1}",
                    due_on=due,
                    done_on=due if due < today else None,
                )
        out.append(f"delivery: 8 projects, {updates} status updates, 40 milestones")
    if not Decision.objects.exists():
        executive = ClientMembership.objects.filter(role="executive").select_related("user").first()
        decider = executive.user if executive else User.objects.order_by("pk").first()
        for i in range(12):
            decided = i >= 4
            decision = Decision.objects.create(
                question=f"Decision {i + 1}: renew, replace or retire?",
                recommendation="Replace",
                recommendation_why="Lower cost over three years",
                deadline=today + dt.timedelta(days=rnd.randrange(-20, 60)),
                decider=decider,
                owner=rnd.choice(people),
                status=rnd.choice(["approved", "rejected", "deferred"]) if decided else "pending",
                decided_by=decider if decided else None,
                decided_at=timezone.now() - dt.timedelta(days=rnd.randrange(1, 360))
                if decided
                else None,
            )
            for n in range(3):
                DecisionOption.objects.create(
                    decision=decision, title=f"Option {n + 1}", cost=Decimal(1000 * (n + 1))
                )
        out.append("delivery: 12 decisions (4 pending)")
    return out


def _roadmap(client, people, rnd: random.Random) -> list[str]:
    from ciodesk.reports.periods import current_quarter
    from ciodesk.roadmap.models import RoadmapItem

    if RoadmapItem.objects.exists():
        return []
    quarter = current_quarter(client).previous().previous().previous()
    statuses = ["done", "done", "in_progress", "approved", "proposed"]
    count = 0
    for _ in range(6):
        for n in range(3):
            RoadmapItem.objects.create(
                title=f"Roadmap item {quarter.key}-{n + 1}",
                why="Reduces the risk of a long outage",
                owner=rnd.choice(people),
                fiscal_year=quarter.fiscal_year,
                quarter=quarter.quarter,
                status=rnd.choice(statuses),
                one_time_cost=Decimal(rnd.randrange(1, 30) * 500),
                recurring_cost=Decimal(rnd.randrange(0, 10) * 300),
                risk_reduced=rnd.randrange(1, 6),
                business_value=rnd.randrange(1, 6),
            )
            count += 1
        quarter = quarter.next()
    return [f"roadmap: {count} items over six quarters"]


def build(workdir: Path) -> dict:
    setup_django(workdir)
    started = time.perf_counter()
    clients = load_demo()
    rnd = random.Random(SEED)
    for client in clients.values():
        for line in top_up(client, rnd):
            print(f"  {client.slug}: {line}", flush=True)
    print(f"  data ready in {time.perf_counter() - started:.0f} s", flush=True)
    return clients


def signed_in_lead():
    from django.test import Client as HttpClient

    from ciodesk.accounts.models import User

    lead = User.objects.filter(practice_membership__role="lead").order_by("pk").first()
    http = HttpClient()
    http.force_login(lead)
    session = http.session
    session["otp_verified"] = True
    session.save()
    return http


def measure(http, url: str, repeat: int) -> tuple[float, float, float, int]:
    """(median ms, best ms, median CPU ms, queries) of GET url, after two warm-ups.

    The CPU time of this process leaves out the time spent waiting for a processor that
    other programs hold: on a busy machine it is the fairer measure of the work."""
    from django.db import connection

    for _ in range(2):
        assert http.get(url).status_code == 200, url
    queries = []

    def counted(execute, sql, params, many, context):
        queries.append(sql)
        return execute(sql, params, many, context)

    # An execute wrapper rather than CaptureQueriesContext: it leaves the cursor as in
    # production (the debug cursor formats every statement, and costs time of its own).
    with connection.execute_wrapper(counted):
        http.get(url)
    times, cpus = [], []
    for _ in range(repeat):
        started, cpu = time.perf_counter(), time.process_time()
        response = http.get(url)
        times.append((time.perf_counter() - started) * 1000)
        cpus.append((time.process_time() - cpu) * 1000)
        assert response.status_code == 200
    return statistics.median(times), min(times), statistics.median(cpus), len(queries)


def describe(client) -> str:
    from ciodesk.core.scope import scope
    from ciodesk.delivery.models import Decision, Project
    from ciodesk.security.models import ClientControl, Evidence, Risk
    from ciodesk.vendors.models import Contract, Ticket

    with scope(client):
        counts = {
            "tickets": Ticket.objects.count(),
            "contracts": Contract.objects.count(),
            "controls": ClientControl.objects.count(),
            "evidence items": Evidence.objects.count(),
            "risks": Risk.objects.count(),
            "projects": Project.objects.count(),
            "decisions": Decision.objects.count(),
        }
    return ", ".join(f"{n} {name}" for name, n in counts.items())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--client", default="pacific-fab", help="a demo client's slug")
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="ciodesk-bench-") as tmp:
        print("Building a year of demo data …", flush=True)
        clients = build(Path(tmp))
        client = clients[args.client]
        http = signed_in_lead()
        print(f"\nClient {client.slug}: {describe(client)}")
        brief = measure(http, f"/c/{client.slug}/reports/brief/", args.repeat)
        home = measure(http, f"/c/{client.slug}/", args.repeat)
        print(f"\n{'page':<28}{'median':>10}{'best':>10}{'CPU':>10}{'queries':>9}")
        for name, (median, best, cpu, queries) in (
            ("executive brief", brief),
            ("client home (baseline)", home),
        ):
            print(f"{name:<28}{median:>8.1f}ms{best:>8.1f}ms{cpu:>8.1f}ms{queries:>9}")
        verdict = "within" if brief[0] <= TARGET_MS else "OVER"
        target = f"target ≤ {TARGET_MS:.0f} ms: {verdict}"
        print(f"\nBrief, median server time {brief[0]:.1f} ms ({target})")
        print(f"Ratio brief ÷ client home (baseline, same run): {brief[0] / home[0]:.2f}")
        print(
            f"Load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())} "
            f"on {os.cpu_count()} processors"
        )


if __name__ == "__main__":
    main()
