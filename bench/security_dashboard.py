"""Benchmark: the security dashboard and roll-ups for a large client, against a small one
measured in the same run.

    .venv/bin/python bench/security_dashboard.py [--controls 200] [--evidence 5000]
                                                 [--mfa-users 10000] [--repeat 15]

It builds a throwaway data directory and SQLite database (CIODESK_DATA_DIR, DATABASE_URL),
migrates it and writes two clients:

* "big": the 32 built-in controls plus extra catalogue controls up to ``--controls``
  (each mapped to CSF / CPG / CIS IDs), ``--evidence`` evidence items spread over the
  controls and the last 400 days, and an MFA import of ``--mfa-users`` accounts
  (MfaAccount rows plus the import's kept summary);
* "small": the 32 built-in controls only, no evidence, no import — the baseline.

Then it requests each page through Django's test client as the signed-in lead (the whole
request: middleware, scope, views, templates) and prints, per page and client, the number
of queries and the server time (median and best of ``--repeat`` after one warm-up), the
target (150 ms) and the ratio big ÷ small. Not a test: it prints numbers, and the machine's
load average with them because other work on the machine skews the timings.
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
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET_MS = 150.0
PAGES = [("dashboard", ""), ("roll-ups", "rollups/"), ("controls list", "controls/")]


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


def make_client(slug: str):
    from ciodesk.core.scope import acting_as, scope
    from ciodesk.security import services_controls
    from ciodesk.tenancy.models import Client, Person

    with acting_as("bench"):
        client = Client.objects.create(
            slug=slug, name=f"{slug.title()} Co", employee_count=120, time_zone="America/Chicago"
        )
        with scope(client):
            Person.objects.create(client=client, name="Pat Owner")
            services_controls.ensure_client_controls(client)
    return client


def fill_big(client, controls: int, evidence: int, mfa_users: int, seed: int) -> None:
    """Extra catalogue controls, evidence and an MFA import, bulk-inserted like an import."""
    from django.utils import timezone

    from ciodesk.security import reference
    from ciodesk.security.models import (
        ClientControl,
        ControlDefinition,
        CoverageImport,
        Evidence,
        MfaAccount,
    )
    from ciodesk.tenancy.models import Person

    rnd = random.Random(seed)
    owner = Person.unscoped.get(client=client)
    csf = sorted(reference.ids("csf"))
    cpg = sorted(reference.ids("cpg"))
    cis = sorted(reference.ids("cis"))
    have = ClientControl.unscoped.filter(client=client).count()
    extra = ControlDefinition.objects.bulk_create(
        [
            ControlDefinition(
                key=f"bench-{i:03d}",
                baseline="bench-extra",
                title=f"Extra control {i:03d}",
                area="Bench",
                interval_days=rnd.choice([30, 90, 180, 365]),
                csf=rnd.sample(csf, 2),
                cpg=rnd.sample(cpg, 1),
                cis=rnd.sample(cis, rnd.choice([0, 1, 2])),
                order=1000 + i,
            )
            for i in range(max(0, controls - have))
        ]
    )
    ClientControl.unscoped.bulk_create(
        [ClientControl(client=client, definition=d, owner=owner) for d in extra]
    )
    rows = list(ClientControl.unscoped.filter(client=client))
    today = client.today()
    items = []
    newest: dict[int, dt.date] = {}
    for i in range(evidence):
        control = rows[i % len(rows)]
        day = today - dt.timedelta(days=rnd.randrange(400))
        newest[control.pk] = max(day, newest.get(control.pk, day))
        items.append(
            Evidence(
                client=client,
                control=control,
                kind="note",
                title=f"Check {i}",
                note="Seen in the console.",
                verified_on=day,
                verified_by_name="Bench",
            )
        )
    Evidence.objects.bulk_create(items, batch_size=1000)
    statuses = ["in_place"] * 6 + ["partial", "not_in_place", "not_applicable", "not_assessed"]
    for control in rows:
        control.status = rnd.choice(statuses)
        control.not_applicable_reason = "n/a" if control.status == "not_applicable" else ""
        control.last_verified_on = newest.get(control.pk)
    ClientControl.unscoped.bulk_update(
        rows, ["status", "not_applicable_reason", "last_verified_on"], batch_size=500
    )
    registered = 0
    accounts = []
    imp = CoverageImport.unscoped.create(
        client=client,
        kind="mfa",
        filename="entra-registration.csv",
        sha256="0" * 64,
        source_format="entra",
        as_of=timezone.now(),
        rows=mfa_users,
    )
    for i in range(mfa_users):
        ok = rnd.random() < 0.93
        registered += ok
        accounts.append(
            MfaAccount(
                client=client,
                coverage_import=imp,
                user_principal_name=f"user{i}@big.example",
                display_name=f"User {i}",
                is_admin=i % 200 == 0,
                is_mfa_registered=ok,
            )
        )
    MfaAccount.objects.bulk_create(accounts, batch_size=2000)
    admins = sum(1 for a in accounts if a.is_admin)
    imp.summary = {  # the figures the MFA import keeps (see importers/mfa.py)
        "members": mfa_users,
        "members_registered": registered,
        "percent": round(registered * 100 / mfa_users),
        "admins": admins,
        "admins_without": sum(1 for a in accounts if a.is_admin and not a.is_mfa_registered),
    }
    imp.save(update_fields=["summary"])


def signed_in(user):
    from django.test import Client as Browser

    browser = Browser()
    browser.force_login(user)
    session = browser.session
    session["otp_verified"] = True
    session.save()
    return browser


def measure(browser, url: str, repeat: int) -> tuple[int, float, float, float]:
    """Queries of one request; median and best wall time, median CPU time (ms).

    CPU time is printed because a loaded machine stretches wall time: on an idle one they
    are close (one process, SQLite in-process, no network).
    """
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext

    response = browser.get(url)  # warm-up (templates, caches)
    assert response.status_code == 200, (url, response.status_code)
    reset_queries()  # each request clears the log; start from an empty one
    with CaptureQueriesContext(connection) as ctx:
        browser.get(url)
    queries = len(ctx)  # read now: the next request clears the log it points into
    wall, cpu = [], []
    for _ in range(repeat):
        began, began_cpu = time.perf_counter(), time.process_time()
        response = browser.get(url)
        wall.append((time.perf_counter() - began) * 1000)
        cpu.append((time.process_time() - began_cpu) * 1000)
        assert response.status_code == 200
    return queries, statistics.median(wall), min(wall), statistics.median(cpu)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--controls", type=int, default=200)
    parser.add_argument("--evidence", type=int, default=5000)
    parser.add_argument("--mfa-users", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="ciodesk-bench-") as tmp:
        setup_django(Path(tmp))
        from ciodesk.accounts.models import User
        from ciodesk.core.scope import acting_as
        from ciodesk.security.models import ClientControl, Evidence, MfaAccount
        from ciodesk.tenancy.models import Practice, PracticeMembership

        began = time.perf_counter()
        with acting_as("bench"):
            Practice.objects.create(name="Bench Practice")
            lead = User.objects.create(email="lead@bench.example", full_name="Lena Lead")
            PracticeMembership.objects.create(user=lead, role="lead")
        small = make_client("small")
        big = make_client("big")
        fill_big(big, args.controls, args.evidence, args.mfa_users, args.seed)
        built = time.perf_counter() - began
        for client in (small, big):
            print(
                f"{client.slug:>5}: {ClientControl.unscoped.filter(client=client).count()} "
                f"controls, {Evidence.unscoped.filter(client=client).count()} evidence, "
                f"{MfaAccount.unscoped.filter(client=client).count()} MFA accounts"
            )
        print(f"data written in {built:.1f} s; load average {os.getloadavg()[0]:.2f}\n")

        browser = signed_in(lead)
        head = f"{'page':<14} {'client':>6} {'queries':>8} {'wall median':>12} {'wall best':>10}"
        print(f"{head} {'CPU median':>11}   (ms)")
        worst_wall = worst_cpu = 0.0
        for label, path in PAGES:
            base = measure(browser, f"/c/small/security/{path}", args.repeat)
            result = measure(browser, f"/c/big/security/{path}", args.repeat)
            for slug, (queries, median, best, cpu) in (("small", base), ("big", result)):
                print(
                    f"{label:<14} {slug:>6} {queries:>8} {median:>12.1f} {best:>10.1f} {cpu:>11.1f}"
                )
            print(
                f"{'':<14} big ÷ small: {result[1] / base[1]:.2f}× wall, "
                f"{result[3] / base[3]:.2f}× CPU; queries {result[0]} vs {base[0]}"
            )
            if label != "controls list":
                worst_wall = max(worst_wall, result[1])
                worst_cpu = max(worst_cpu, result[3])
        print(
            f"\ndashboard and roll-ups, big client, slowest median: wall {worst_wall:.1f} ms, "
            f"CPU {worst_cpu:.1f} ms; target ≤ {TARGET_MS:.0f} ms: "
            + ("met" if worst_wall <= TARGET_MS else f"wall over (load {os.getloadavg()[0]:.1f})")
        )


if __name__ == "__main__":
    main()
