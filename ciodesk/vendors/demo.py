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

from django.conf import settings

from ciodesk.core import demo
from ciodesk.core.scope import scope
from ciodesk.tenancy.models import Person
from ciodesk.vendors import services_reviews
from ciodesk.vendors.demo_data import (
    CLOSES,
    COMMON_ISSUES,
    CW_HEADERS,
    CW_PRIORITY,
    EVALUATION_CANDIDATES,
    EVALUATION_CRITERIA,
    FILENAME,
    MSP_TERMS,
    OPEN_STATUSES,
    OPENS,
    SEED,
    SPECS,
    STAFF,
    TARGETS,
    TRANSITION_TASKS,
    TZ,
    Spec,
)
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
