"""Sample exports for the demo, written as the real tools write them, dated from `today`.

    m365_active_users(today, domain, seed) -> bytes   a Microsoft 365 "Active users" CSV
    rmm_devices(today, client_name, seed) -> bytes    a NinjaOne device export CSV

The demo loads them through the importers (import_licences, import_devices), so the demo
exercises the same path as a real client's files. Deterministic for a given seed.
"""

from __future__ import annotations

import csv
import datetime
import io
import random

from ciodesk.budget.importers.licences import SERVICES

M365_PLANS = [
    ("MICROSOFT 365 BUSINESS PREMIUM", 10),
    ("MICROSOFT 365 BUSINESS STANDARD", 8),
    ("MICROSOFT 365 BUSINESS BASIC", 4),
    ("MICROSOFT 365 BUSINESS STANDARD+MICROSOFT 365 BUSINESS PREMIUM", 1),
    ("MICROSOFT 365 BUSINESS PREMIUM+EXCHANGE ONLINE (PLAN 1)", 1),
    ("EXCHANGE ONLINE (PLAN 1)", 2),
]
FIRST = ["Ana", "Ben", "Cleo", "Dev", "Eli", "Fay", "Gus", "Hana", "Ivo", "Jade", "Kai", "Lia"]
LAST = ["Park", "Quinn", "Reyes", "Shaw", "Tran", "Usman", "Vega", "Wong", "Young", "Zimmer"]
DEVICES = [  # type, manufacturer, model, OS, age in years
    ("Windows Desktop", "Dell Inc.", "OptiPlex 7070", "Windows 10 Pro", 6.5),
    ("Windows Desktop", "Dell Inc.", "OptiPlex 7090", "Windows 10 Pro", 4.6),
    ("Windows Laptop", "LENOVO", "ThinkPad T14 Gen 2", "Windows 11 Pro", 3.8),
    ("Windows Laptop", "LENOVO", "ThinkPad T14 Gen 4", "Windows 11 Pro", 1.5),
    ("Windows Laptop", "HP", "EliteBook 840 G8", "Windows 10 Pro", 4.2),
    ("Windows Desktop", "HP", "EliteDesk 800 G6", "Windows 11 Pro", 2.9),
    ("Mac", "Apple Inc.", "MacBook Air (M1, 2020)", "macOS 13.6.7 Ventura", 5.0),
    ("Windows Server", "Dell Inc.", "PowerEdge T340", "Windows Server 2016 Standard", 6.2),
]


def _day(day: datetime.date | None) -> str:
    return day.isoformat() if day else ""


def m365_active_users(today: datetime.date, domain: str, seed: int = 1) -> bytes:
    """About 26 users: most active, some inactive 30–200 days, two never active, two deleted,
    two with overlapping products; refreshed two days before `today`."""
    rng = random.Random(seed)
    refreshed = today - datetime.timedelta(days=2)
    headers = [
        "Report Refresh Date",
        "User Principal Name",
        "Display Name",
        "Is Deleted",
        "Deleted Date",
        *(f"Has {s} License" for s in SERVICES.values()),
        *(f"{s} Last Activity Date" for s in SERVICES.values()),
        *(f"{s} License Assign Date" for s in SERVICES.values()),
        "Assigned Products",
        "Report Period",
    ]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(headers)
    plans = [plan for plan, count in M365_PLANS for _ in range(count)]
    for i, plan in enumerate(plans):
        name = f"{FIRST[i % len(FIRST)]} {LAST[(i * 7) % len(LAST)]}"
        upn = f"{name.lower().replace(' ', '.')}@{domain}"
        deleted = i in (5, 17)
        idle = rng.choice([0, 0, 0, 1, 2, 3, 45, 75, 120, 200]) if i % 3 == 0 else rng.randint(0, 5)
        last = None if i in (9, 21) else refreshed - datetime.timedelta(days=idle)
        assigned = refreshed - datetime.timedelta(days=rng.randint(200, 1500))
        activity = [_day(last) if k in ("exchange", "teams") else "" for k in SERVICES]
        writer.writerow(
            [
                refreshed.isoformat(),
                upn,
                name,
                "True" if deleted else "False",
                _day(refreshed - datetime.timedelta(days=9)) if deleted else "",
                *("True" if k != "skype" else "False" for k in SERVICES),
                *activity,
                *(_day(assigned) if k != "skype" else "" for k in SERVICES),
                plan,
                "30",
            ]
        )
    return ("\ufeff" + out.getvalue()).encode()


def rmm_devices(today: datetime.date, client_name: str, seed: int = 1) -> bytes:
    """A NinjaOne export of ageing devices, some on Windows 10, one past warranty soon."""
    rng = random.Random(seed)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(
        [
            "Display Name",
            "Organization",
            "Device Type",
            "Manufacturer",
            "Model",
            "Serial Number",
            "OS Name",
            "Last Contact",
            "Last Logged In User",
            "Warranty Start Date",
            "Warranty End Date",
        ]
    )
    for i, (kind, make, model, os, age) in enumerate(DEVICES * 2):
        bought = today - datetime.timedelta(days=int(age * 365) + rng.randint(0, 60))
        years = 5 if "Server" in kind else 3
        warranty = bought.replace(year=bought.year + years) if bought.day < 29 else bought
        if i == 3:
            warranty = today + datetime.timedelta(days=40)  # a warranty ending soon
        seen = datetime.datetime.combine(today, datetime.time(8, 0)) - datetime.timedelta(
            hours=rng.randint(1, 90)
        )
        writer.writerow(
            [
                f"{'SRV' if 'Server' in kind else 'WS'}-{i + 1:02d}",
                client_name,
                kind,
                make,
                model,
                f"SN{seed:02d}{i:03d}{rng.randint(1000, 9999)}",
                os,
                seen.strftime("%Y-%m-%d %H:%M:%S"),
                "" if "Server" in kind else f"user{i + 1}",
                bought.isoformat(),
                warranty.isoformat(),
            ]
        )
    return ("\ufeff" + out.getvalue()).encode()
