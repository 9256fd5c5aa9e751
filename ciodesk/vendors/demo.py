"""Demo vendors, contracts, SLA policies, tickets, reviews, escalations and an evaluation.

Running the demo twice changes nothing, on the same day or a later one:

* Contracts' end dates are computed from the day the demo is first loaded (notice deadlines
  30–120 days ahead) and written only when a contract is created; re-runs never move them.
* Tickets cover the year before an *anchor* day: the day the client's tickets were first
  loaded, recorded in the import's file name (``connectwise-tickets-<slug>-to-<date>.csv``).
  A re-run reads the anchor back, regenerates the identical file (fixed seed) and finds it
  already imported, so nothing is written. A fixed anchor in the code would leave the demo a
  year stale after a year; ``date.today()`` would change the file on every run.
* Reviews (the last full quarters before the anchor), escalations and the evaluation are
  created only when the vendor has none yet.
"""

from __future__ import annotations

import csv
import datetime
import hashlib
import io
import random
import re
import zoneinfo
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings

from ciodesk.core import demo
from ciodesk.core.scope import scope
from ciodesk.tenancy.models import Person
from ciodesk.vendors import services_reviews
from ciodesk.vendors.models import (
    Candidate,
    CandidateScore,
    Contract,
    Escalation,
    Evaluation,
    EvaluationCriterion,
    Holiday,
    SLAPolicy,
    Ticket,
    TicketImport,
    TransitionTask,
    Vendor,
    VendorReview,
)

SEED = 20_260_301
TZ = zoneinfo.ZoneInfo("America/Los_Angeles")
OPENS, CLOSES = datetime.time(8, 0), datetime.time(17, 0)
TARGETS = {"P1": (30, 240), "P2": (60, 480), "P3": (240, 960), "P4": (480, 2400)}
CW_PRIORITY = {
    "P1": "Priority 1 - Emergency Response",
    "P2": "Priority 2 - Quick Response",
    "P3": "Priority 3 - Normal Response",
    "P4": "Priority 4 - Scheduled Maintenance",
}
# Data tables: one record a line reads better than one value a line.
# fmt: off
CW_HEADERS = ["id", "summary", "board", "status", "company", "contact", "type", "priority",
              "dateEntered", "dateResponded", "dateResolved", "closedDate", "isInSla"]
FILENAME = re.compile(r"^connectwise-tickets-[a-z0-9-]+-to-(\d{4}-\d{2}-\d{2})\.csv$")
OPEN_STATUSES = ["New", "In Progress", "Waiting Customer", "Scheduled", "Waiting on Vendor"]
U = Decimal

# (weight, board, type, summary, usual priority)
COMMON_ISSUES = [
    (9, "Help Desk", "Email", "Outlook keeps asking for password", "P3"),
    (4, "Help Desk", "Email", "Shared mailbox not showing in Outlook", "P4"),
    (3, "Help Desk", "Email", "Can't send email to an outside address", "P3"),
    (5, "Help Desk", "Security", "Phishing email reported — please check", "P3"),
    (2, "Help Desk", "Email", "Calendar invites not syncing on iPhone", "P4"),
    (7, "Help Desk", "Printing", "Printer on 2nd floor offline", "P3"),
    (3, "Help Desk", "Printing", "Scanner not sending to network folder", "P3"),
    (3, "Help Desk", "Hardware", "Docking station not detecting monitors", "P4"),
    (2, "Help Desk", "Hardware", "Laptop battery drains in an hour", "P4"),
    (2, "Help Desk", "Hardware", "Monitor flickering", "P4"),
    (5, "Onboarding", "Onboarding", "New hire laptop setup", "P4"),
    (3, "Onboarding", "Onboarding", "Offboard departing employee", "P3"),
    (8, "Help Desk", "Accounts", "Password reset", "P3"),
    (4, "Help Desk", "Accounts", "Locked out of Microsoft 365", "P2"),
    (3, "Help Desk", "Accounts", "MFA prompt not arriving on phone", "P3"),
    (3, "Help Desk", "Accounts", "Add user to shared drive", "P4"),
    (4, "Help Desk", "Network", "Wi-Fi dropping in conference room", "P3"),
    (4, "Help Desk", "Network", "VPN won't connect from home", "P3"),
    (2, "Help Desk", "Network", "Internet slow at the office", "P2"),
    (1, "Help Desk", "Network", "Whole office lost internet", "P1"),
    (2, "Alerts", "Backup", "Backup job failed on file server", "P2"),
    (2, "Alerts", "Server", "Server disk space low", "P3"),
    (1, "Alerts", "Server", "File server unreachable", "P1"),
    (2, "Alerts", "Security", "Antivirus quarantined a file on workstation", "P3"),
    (1, "Help Desk", "Security", "User clicked a phishing link", "P2"),
    (4, "Help Desk", "Software", "Install Adobe Acrobat Pro", "P4"),
    (3, "Help Desk", "Software", "Teams camera not working", "P4"),
    (2, "Help Desk", "Software", "Windows updates stuck at restart", "P4"),
]
STAFF = ["Emily Chen", "Daniel Ortiz", "Sarah Johnson", "Michael Nguyen", "Jessica Lopez",
         "David Kim", "Ashley Brown", "Chris Patel", "Megan Davis", "Ryan Garcia", "Laura Wilson",
         "Brian Martinez", "Nicole Thompson", "Kevin Anderson", "Rachel Lee", "Jason Taylor",
         "Amanda White", "Eric Harris", "Stephanie Clark", "Justin Lewis", "Maria Rodriguez",
         "Andrew Walker", "Heather Young", "Tyler Hall", "Olivia Allen", "Jose Hernandez"]


@dataclass(frozen=True)
class Spec:
    msp: str
    msp_website: str
    account_manager: str
    it_owner: str  # the client's person who owns the MSP relationship
    money_owner: str
    msp_fee: Decimal
    tickets: int
    first_ticket: int
    breach: tuple[float, float]  # chance a response / resolution misses its target
    worsening: float  # how much the breach chance grows over the year
    vendor_claims: float  # share of breached tickets the MSP still flags "in SLA"
    busy_months: tuple[int, ...]
    issues: tuple[tuple, ...]
    # (vendor, category, website, title, term months, notice days, annual value, auto-renew,
    #  billing, cancellation, days from the first load to the notice deadline)
    others: tuple[tuple, ...]
    ratings: tuple[tuple[int, int, int, int, str], ...]  # oldest quarter first
    escalation: tuple[str, str, int, str]  # issue, severity, due in days, ticket keyword


SPECS = {
    "harbor-cpa": Spec(
        "Coastline Managed IT", "https://coastline-it.example", "Jordan Blake", "Tom Alvarez",
        "Helen Park", U("72000.00"), 520, 184_310, (0.07, 0.10), 0.6, 0.55, (2, 3, 4),
        (
            (5, "Help Desk", "Software", "CCH Axcess Tax won't launch", "P2"),
            (4, "Help Desk", "Software", "SmartVault sync error", "P3"),
            (3, "Help Desk", "Software", "QuickBooks Online Accountant login loop", "P3"),
            (2, "Alerts", "Backup", "Datto SIRIS backup screenshot failed", "P2"),
        ),
        (
            ("CloudPath Licensing", "saas", "https://cloudpath.example",
             "Microsoft 365 Business Premium — 42 seats", 12, 30, U("11088.00"), True,
             "annual", "Reduce seats in the cancellation window only", 30),
            ("Comcast Business", "isp", "https://business.comcast.com",
             "Fibre 500/500 with static IP", 36, 60, U("9540.00"), True, "monthly",
             "Written notice to account rep", 75),
            ("RingCentral", "telecom", "https://www.ringcentral.com", "RingCentral MVP — 40 lines",
             12, 60, U("14400.00"), True, "monthly", "Cancel through the admin portal", 100),
            ("Golden State Copier Leasing", "lease", "https://gscopier.example",
             "Canon imageRUNNER lease (2 devices)", 60, 90, U("6240.00"), True, "quarterly",
             "Certified letter 90 days before term end", 118),
            ("Coalition", "cyber_insurance", "https://www.coalitioninc.com",
             "Cyber insurance policy ($2M limit)", 12, 45, U("8900.00"), False, "annual",
             "Broker: Westland Insurance; renewal application due 45 days ahead", 52),
        ),
        ((4, 4, 3, 4, "Solid quarter; tax-season surge handled well."),
         (4, 3, 3, 3, "Slower updates on open tickets; asked for weekly status e-mails."),
         (3, 3, 2, 3, "Password prompts recurring for weeks; no root-cause analysis offered.")),
        ("Outlook password prompts recurring for several staff", "high", 5, "Outlook"),
    ),
    "pacific-fab": Spec(
        "Irvine Tech Partners", "https://irvinetech.example", "Dev Malhotra", "Kevin Tran",
        "Alicia Moreno", U("165600.00"), 1400, 512_040, (0.10, 0.14), 1.1, 0.6, (),
        (
            (6, "Help Desk", "Software", "Epicor client crashes on login", "P2"),
            (4, "Help Desk", "Software", "SolidWorks PDM vault not syncing", "P3"),
            (5, "Help Desk", "Hardware", "MES terminal frozen at shop-floor station", "P2"),
            (3, "Help Desk", "Hardware", "Label printer in shipping offline", "P2"),
            (2, "Alerts", "Server", "ERP SQL Server high CPU", "P2"),
        ),
        (
            ("Sherweb", "saas", "https://www.sherweb.com", "Microsoft 365 E3 — 95 seats", 12, 30,
             U("41040.00"), True, "annual", "Seat reductions only at term end", 45),
            ("AT&T Business", "isp", "https://www.business.att.com",
             "AT&T Dedicated Internet 1 Gbps", 36, 90, U("21600.00"), True, "monthly",
             "Written notice; early termination fee applies", 30),
            ("8x8", "telecom", "https://www.8x8.com", "8x8 X Series — 110 users", 36, 60,
             U("34320.00"), True, "monthly", "Written notice to account manager", 88),
            ("Valley Office Equipment", "lease", "https://valleyoffice.example",
             "Ricoh copier fleet lease (5 devices)", 48, 90, U("15600.00"), True, "quarterly",
             "Certified letter 90–120 days before term end", 110),
            ("Travelers", "cyber_insurance", "https://www.travelers.com",
             "CyberRisk policy ($5M limit)", 12, 60, U("23400.00"), False, "annual",
             "Broker: Alliant; renewal application due 60 days ahead", 64),
        ),
        ((3, 3, 2, 3, "Shop-floor tickets wait for the one on-site tech."),
         (3, 2, 2, 2, "ERP crashes escalated twice before anyone called back."),
         (2, 2, 1, 2, "Their monthly report says “in SLA”; their own timestamps say otherwise.")),
        ("Epicor crashes: no response within the P2 target three times in two weeks",
         "critical", -3, "Epicor"),
    ),
    "bright-smile": Spec(
        "Coastline Managed IT", "https://coastline-it.example", "Erin Walsh", "Linda Cho",
        "Dr. Priya Nair", U("34560.00"), 250, 184_420, (0.05, 0.09), 0.4, 0.5, (),
        (
            (6, "Help Desk", "Software", "Dentrix running slow at the front desk", "P2"),
            (4, "Help Desk", "Hardware", "DEXIS sensor not detected in operatory 2", "P2"),
            (3, "Help Desk", "Telecom", "Weave phones not ringing", "P1"),
        ),
        (
            ("CloudPath Licensing", "saas", "https://cloudpath.example",
             "Microsoft 365 Business Standard — 18 seats", 12, 30, U("2700.00"), True, "annual",
             "Reduce seats in the cancellation window only", 40),
            ("Cox Business", "isp", "https://www.cox.com/business", "Cox Business 150/20", 24, 30,
             U("2280.00"), True, "monthly", "Call retention line, then written confirmation",
             30),
            ("Weave", "telecom", "https://www.getweave.com", "Weave phones and texting — 2 sites",
             12, 60, U("7800.00"), True, "monthly", "Written notice 60 days before renewal", 95),
            ("Pacific Coast Copiers", "lease", "https://pccopiers.example",
             "Sharp MFP lease (1 device)", 36, 60, U("2100.00"), True, "monthly",
             "Written notice 60 days before term end", 120),
            ("At-Bay", "cyber_insurance", "https://www.at-bay.com", "Cyber policy ($1M limit)", 12,
             30, U("3900.00"), False, "annual", "Broker: Marsh & McLennan Agency", 70),
        ),
        ((4, 5, 3, 4, "Quick on Dentrix issues; good communication."),
         (5, 4, 4, 4, "Proposed the La Mesa network clean-up themselves."),
         (4, 4, 4, 4, "Steady.")),
        ("Weave phones dropped calls at La Mesa for two days", "high", 7, "Weave"),
    ),
}
MSP_TERMS = ("Managed services agreement", 36, 90, None, True, "monthly",
             "Written notice 90 days before the renewal date", 210)
EVALUATION_CRITERIA = [("Security practices", 5), ("Response times (references)", 4),
                       ("Price", 3), ("Manufacturing / ERP experience", 2),
                       ("On-site coverage in Fresno", 1)]
EVALUATION_CANDIDATES = [(None, U("165600.00"), (3, 2, 3, 4, 2)),  # None: the incumbent
                         ("Valley Systems Group", U("151200.00"), (4, 4, 3, 3, 4)),
                         ("Sierra Managed Services", U("138000.00"), (3, 3, 5, 2, 3))]
TRANSITION_TASKS = [
    ("Request admin credentials and documentation export", "Kevin Tran", 14, True),
    ("Confirm domain registrar and DNS ownership are in our name", "Kevin Tran", 21, False),
    ("Check termination clause and notice date with counsel", "Alicia Moreno", 30, False),
    ("Plan ERP server handover during the Sunday shutdown", "Sam Okafor", 75, False),
]
# fmt: on


# --- business time ------------------------------------------------------------------------


def us_holidays(year: int) -> list[tuple[datetime.date, str]]:
    def nth_weekday(month: int, weekday: int, n: int) -> datetime.date:
        first = datetime.date(year, month, 1)
        return first + datetime.timedelta(days=(weekday - first.weekday()) % 7 + 7 * (n - 1))

    last_may = datetime.date(year, 5, 31)
    return [
        (datetime.date(year, 1, 1), "New Year's Day"),
        (last_may - datetime.timedelta(days=last_may.weekday()), "Memorial Day"),
        (datetime.date(year, 7, 4), "Independence Day"),
        (nth_weekday(9, 0, 1), "Labor Day"),
        (nth_weekday(11, 3, 4), "Thanksgiving"),
        (datetime.date(year, 12, 25), "Christmas Day"),
    ]


def _working(day: datetime.date, holidays: set[datetime.date]) -> bool:
    return day.weekday() < 5 and day not in holidays


def add_business_minutes(
    start: datetime.datetime, minutes: float, holidays: set[datetime.date]
) -> datetime.datetime:
    """`start` (local) moved by `minutes` of Mon–Fri 08:00–17:00 time, holidays skipped."""
    at = start
    remaining = datetime.timedelta(minutes=minutes)
    while True:
        day = at.date()
        opens = datetime.datetime.combine(day, OPENS, TZ)
        closes = datetime.datetime.combine(day, CLOSES, TZ)
        if not _working(day, holidays) or at >= closes:
            at = datetime.datetime.combine(day + datetime.timedelta(days=1), OPENS, TZ)
            continue
        at = max(at, opens)
        if at + remaining <= closes:
            return at + remaining
        remaining -= closes - at
        at = closes


# --- tickets ------------------------------------------------------------------------------


def _utc(moment: datetime.datetime | None) -> str:
    if moment is None:
        return ""
    return moment.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _created(rng: random.Random, day: datetime.date, board: str) -> datetime.datetime:
    if board == "Alerts":
        minute = rng.randrange(24 * 60)
    elif day.weekday() >= 5:
        minute = rng.randrange(8 * 60, 20 * 60)
    elif rng.random() < 0.88:
        minute = rng.randrange(7 * 60 + 45, 17 * 60 + 15)
    else:
        minute = rng.choice([rng.randrange(6 * 60, 8 * 60), rng.randrange(17 * 60, 21 * 60)])
    return datetime.datetime.combine(day, datetime.time(minute // 60, minute % 60), TZ)


def _priority(rng: random.Random, usual: str) -> str:
    level = int(usual[1]) + rng.choices([-1, 0, 1], weights=[8, 72, 20])[0]
    return f"P{min(max(level, 1), 4)}"


def generate_tickets(
    spec: Spec,
    company: str,
    requesters: list[tuple[str, int]],
    anchor: datetime.date,
    holidays: set[datetime.date],
    seed: int,
) -> list[dict[str, str]]:
    """A year of ConnectWise-style tickets before `anchor`, the same every time."""
    rng = random.Random(seed)
    export_at = datetime.datetime.combine(anchor, datetime.time(0, 0), TZ)
    days = [anchor - datetime.timedelta(days=n) for n in range(365, 0, -1)]
    weights = [
        (0.06 if d.weekday() >= 5 else 0.15 if d in holidays else 1.0)
        * (1.6 if d.month in spec.busy_months else 1.0)
        for d in days
    ]
    issues = COMMON_ISSUES + list(spec.issues)
    names, who_weights = zip(*requesters, strict=True)
    drafts = []
    for day in sorted(rng.choices(days, weights=weights, k=spec.tickets)):
        if drafts and rng.random() < 0.1:  # the same problem again for the same person
            _at, issue, requester = drafts[-rng.randrange(1, min(len(drafts), 15) + 1)]
        else:
            issue = rng.choices(issues, weights=[i[0] for i in issues])[0]
            requester = rng.choices(names, weights=who_weights)[0]
        drafts.append((_created(rng, day, issue[1]), issue, requester))
    drafts.sort(key=lambda d: d[0])

    rows, number, forced_claim = [], spec.first_ticket, False
    for index, (created, (_w, board, kind, summary, usual), requester) in enumerate(drafts):
        number += rng.randrange(1, 7)  # other companies' tickets share the PSA's numbering
        priority = _priority(rng, usual)
        response_target, resolution_target = TARGETS[priority]
        age = index / max(len(drafts) - 1, 1)
        p_response = spec.breach[0] * (1 + spec.worsening * age)
        p_resolution = spec.breach[1] * (1 + spec.worsening * age)
        response_breached = rng.random() < p_response
        resolution_breached = rng.random() < p_resolution
        response = response_target * (
            rng.uniform(1.15, 4.0) if response_breached else rng.uniform(0.05, 0.9)
        )
        resolution = resolution_target * (
            rng.uniform(1.15, 4.5) if resolution_breached else rng.uniform(0.2, 0.92)
        )
        resolution = max(resolution, response + 5)
        responded = add_business_minutes(created, response, holidays)
        resolved = add_business_minutes(created, resolution, holidays)
        stuck = rng.random() < 0.012
        if stuck:
            resolved = None
        if responded > export_at:
            responded = None
        if resolved is not None and resolved > export_at:
            resolved = None
        closed = None
        if resolved is not None:
            closed = resolved + datetime.timedelta(hours=rng.uniform(0.1, 60))
            closed = closed if closed <= export_at else None
        ours_in_sla = not (response_breached or resolution_breached)
        if resolved is None:
            status = rng.choice(OPEN_STATUSES)
            vendor_flag = rng.random() < 0.7
        else:
            status = "Closed" if closed else "Resolved"
            claims = resolution_breached and not forced_claim  # at least one, for certain
            vendor_flag = ours_in_sla or claims or rng.random() < spec.vendor_claims
            forced_claim = forced_claim or (resolution_breached and vendor_flag)
        if resolved is not None and closed is not None and rng.random() < 0.03:
            resolved, closed = None, resolved  # some exports carry only the closed date
        times = [_utc(t) for t in (created, responded, resolved, closed)]
        values = [str(number), summary, board, status, company, requester, kind]
        values += [CW_PRIORITY[priority], *times, "True" if vendor_flag else "False"]
        rows.append(dict(zip(CW_HEADERS, values, strict=True)))
    return rows


def tickets_csv(rows: list[dict[str, str]]) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CW_HEADERS, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def _anchor(vendor: Vendor, today: datetime.date) -> datetime.date:
    """The day this vendor's demo tickets were first loaded, else today."""
    names = TicketImport.objects.filter(vendor=vendor, status=TicketImport.Status.DONE)
    for name in names.order_by("started_at").values_list("filename", flat=True):
        if match := FILENAME.match(name):
            return datetime.date.fromisoformat(match[1])
    return today


def load_tickets(
    client,
    vendor: Vendor,
    spec: Spec,
    requesters: list[tuple[str, int]],
    anchor: datetime.date,
    holidays: set[datetime.date],
) -> str:
    """Write the export file and load it through the importer; say what happened."""
    rows = generate_tickets(
        spec, client.name, requesters, anchor, holidays, SEED + sum(map(ord, client.slug))
    )
    data = tickets_csv(rows)
    filename = f"connectwise-tickets-{client.slug}-to-{anchor.isoformat()}.csv"
    folder = settings.DATA_DIR / "demo"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / filename).write_bytes(data)
    sha = hashlib.sha256(data).hexdigest()
    done = TicketImport.objects.filter(vendor=vendor, status=TicketImport.Status.DONE)
    if done.filter(sha256=sha).exists():
        return f"{len(rows)} tickets in {filename}, already imported"
    try:
        from ciodesk.vendors.importers.tickets import import_tickets
    except ImportError:
        return "tickets skipped: the ticket importer is not installed"
    result = import_tickets(
        client,
        vendor,
        io.BytesIO(data),
        filename=filename,
        fmt="connectwise",
        time_zone="America/Los_Angeles",
    )
    if result.status != TicketImport.Status.DONE:
        raise RuntimeError(f"Demo ticket import failed for {client.slug}: {result.error}")
    return f"{result.created_count} new tickets of {len(rows)} in {filename}"


# --- the loader ---------------------------------------------------------------------------


def _years_back(day: datetime.date, months: int) -> datetime.date:
    index = day.year * 12 + day.month - 1 - months
    year, month = divmod(index, 12)
    return datetime.date(year, month + 1, min(day.day, 28)) + datetime.timedelta(days=1)


def _contract(vendor: Vendor, owner: Person, today: datetime.date, terms: tuple) -> Contract:
    title, months, notice, value, auto_renew, billing, cancellation, days_to_deadline = terms
    end = today + datetime.timedelta(days=notice + days_to_deadline)
    contract, _ = Contract.objects.get_or_create(
        vendor=vendor,
        title=title,
        defaults={  # dates only when created: a re-run on a later day moves nothing
            "start_date": _years_back(end, months),
            "end_date": end,
            "auto_renew": auto_renew,
            "renewal_term_months": months,
            "notice_days": notice,
            "annual_value": value,
            "currency": "USD",
            "billing_frequency": billing,
            "cancellation_method": cancellation,
            "owner": owner,
        },
    )
    return contract


def _msp(client, spec: Spec, people: dict[str, Person], today: datetime.date):
    owner = people[spec.it_owner]
    vendor, _ = Vendor.objects.get_or_create(
        name=spec.msp,
        defaults={
            "category": Vendor.Category.MSP,
            "website": spec.msp_website,
            "account_manager": spec.account_manager,
            "owner": owner,
            "notes": "Managed services: help desk, patching, backups, security stack.",
        },
    )
    terms = (*MSP_TERMS[:3], spec.msp_fee, *MSP_TERMS[4:])
    contract = _contract(vendor, people[spec.money_owner], today, terms)
    policy, _ = SLAPolicy.objects.get_or_create(
        contract=contract,
        defaults={
            "calendar": SLAPolicy.Calendar.BUSINESS,
            "weekdays": "0,1,2,3,4",
            "opens_at": OPENS,
            "closes_at": CLOSES,
            "time_zone": "America/Los_Angeles",
        }
        | {
            f"{p.lower()}_{k}_minutes": TARGETS[p][i]
            for p in TARGETS
            for i, k in enumerate(("response", "resolution"))
        },
    )
    return vendor, policy


def _holidays(policy: SLAPolicy, anchor: datetime.date) -> set[datetime.date]:
    for year in (anchor.year - 1, anchor.year):
        for day, name in us_holidays(year):
            Holiday.objects.get_or_create(policy=policy, date=day, defaults={"name": name})
    return set(policy.holidays.values_list("date", flat=True))


def _reviews(client, vendor: Vendor, spec: Spec, owner: Person, anchor: datetime.date) -> None:
    if VendorReview.objects.filter(vendor=vendor).exists():
        return
    quarters = [services_reviews.last_full_quarter(anchor)]
    for _ in range(len(spec.ratings) - 1):
        start, _end = services_reviews.quarter_bounds(quarters[-1])
        quarters.append(services_reviews.quarter_of(start - datetime.timedelta(days=1)))
    for quarter, (*scores, comments) in zip(reversed(quarters), spec.ratings, strict=True):
        _start, end = services_reviews.quarter_bounds(quarter)
        reviewed_on = min(end + datetime.timedelta(days=12), anchor)
        ratings = dict(zip(services_reviews.RATINGS, scores, strict=True))
        services_reviews.create_review(
            client,
            vendor,
            quarter=quarter,
            comments=comments,
            owner=owner,
            reviewed_on=reviewed_on,
            **ratings,
        )


def _escalations(vendor: Vendor, spec: Spec, owner: Person, today: datetime.date) -> None:
    if Escalation.objects.filter(vendor=vendor).exists():
        return
    issue, severity, due_in, keyword = spec.escalation
    linked = Ticket.objects.filter(vendor=vendor, summary__icontains=keyword)
    numbers = list(linked.order_by("-created_at").values_list("number", flat=True)[:3])
    day = datetime.timedelta(days=1)
    common = {"vendor": vendor, "vendor_contact": spec.account_manager, "owner": owner}
    Escalation.objects.create(
        issue="Backups not verified for three weeks after the NAS swap",
        severity="high",
        raised_on=today - 130 * day,
        due=today - 116 * day,
        resolved_on=today - 118 * day,
        resolution="Backup job re-created and a weekly restore test added to the runbook.",
        **common,
    )
    Escalation.objects.create(
        issue=issue,
        severity=severity,
        raised_on=today - 9 * day,
        due=today + due_in * day,
        ticket_numbers=", ".join(numbers),
        **common,
    )


def _evaluation(vendor: Vendor, people: dict[str, Person], today: datetime.date) -> None:
    """Pacific Fabrication is checking the MSP market before its renewal."""
    evaluation, created = Evaluation.objects.get_or_create(
        title="MSP market check before renewal",
        defaults={
            "incumbent": vendor,
            "owner": people["Alicia Moreno"],
            "notes": "Scores from reference calls and the proposals received.",
        },
    )
    if not created:
        return
    criteria = [
        EvaluationCriterion.objects.create(evaluation=evaluation, name=name, weight=weight)
        for name, weight in EVALUATION_CRITERIA
    ]
    for name, cost, scores in EVALUATION_CANDIDATES:
        candidate = Candidate.objects.create(
            evaluation=evaluation, name=name or vendor.name, annual_cost=cost
        )
        for criterion, score in zip(criteria, scores, strict=True):
            CandidateScore.objects.create(candidate=candidate, criterion=criterion, score=score)
    for title, person, days, done in TRANSITION_TASKS:
        TransitionTask.objects.create(
            evaluation=evaluation,
            title=title,
            owner=people[person],
            due=today + datetime.timedelta(days=days),
            done=done,
        )


@demo.register("vendors: MSPs, contracts, SLAs, tickets, reviews", order=20)
def load(context) -> None:
    for slug, spec in SPECS.items():
        client = context.clients.get(slug)
        if client is None:
            continue
        with scope(client):
            today = client.today()
            people = {p.name: p for p in Person.objects.filter(client=client)}
            vendor, policy = _msp(client, spec, people, today)
            anchor = _anchor(vendor, today)
            holidays = _holidays(policy, anchor)
            for other in spec.others:
                name, category, website, *terms = other
                other_vendor, _ = Vendor.objects.get_or_create(
                    name=name,
                    defaults={
                        "category": category,
                        "website": website,
                        "owner": people[spec.money_owner],
                    },
                )
                _contract(other_vendor, people[spec.money_owner], today, tuple(terms))
            # The client's people ask most; the rest of the staff by common names.
            own = [(n, 4) for n in people if n not in (spec.account_manager, "Mike Ferris")]
            extra = max(min(client.employee_count - len(own), len(STAFF)), 4)
            requesters = own + [(n, 1) for n in STAFF[:extra]]
            note = load_tickets(client, vendor, spec, requesters, anchor, holidays)
            _reviews(client, vendor, spec, people[spec.it_owner], anchor)
            _escalations(vendor, spec, people[spec.it_owner], today)
            if slug == "pacific-fab":
                _evaluation(vendor, people, today)
            context.stdout.write(
                f"      {client.name}: {Vendor.objects.count()} vendors, "
                f"{Contract.objects.count()} contracts, {spec.msp}: {note}, "
                f"{VendorReview.objects.count()} reviews, "
                f"{Escalation.objects.filter(resolved_on__isnull=True).count()} open escalation(s)"
            )
