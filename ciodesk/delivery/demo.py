"""The delivery demo: decisions, projects, action items and a month of time per client.

Registered with ciodesk.core.demo as one loader that calls one function per part
(``_decisions``, ``_projects``, ``_time``; the meetings add theirs), each with the same
``DemoClient`` context. Running the demo twice changes nothing:

* decisions, projects and action items are found by their title; dates, updates, milestones
  and scope changes are written only when the record is created, relative to that day;
* time entries are written only when the client has none yet.

So a demo loaded weeks ago shows its projects drifting into “stalled” — as a real one would.
"""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model

from ciodesk.core import demo
from ciodesk.core.scope import scope
from ciodesk.delivery import services_projects
from ciodesk.delivery.models import (
    ActionItem,
    Decision,
    DecisionOption,
    Milestone,
    Project,
    ProjectUpdate,
    ScopeChange,
    TimeEntry,
)
from ciodesk.tenancy.models import ClientMembership, Person

User = get_user_model()
DAY = datetime.timedelta(days=1)
# Share of the retainer's hours used so far this month, per demo client: one over.
UTILISATION = {"harbor-cpa": Decimal("0.78"), "pacific-fab": Decimal("1.08")}


@dataclass
class DemoClient:
    context: Any  # the demo command's DemoContext (stdout, clients, …)
    client: Any
    today: datetime.date
    people: list  # the client's people, first the executive's own person
    cio: Person  # the practice's person who owns what the practice prepares
    executive: Any  # the executive user who decides (None when the client has none)
    lead_user: Any  # the practice user who logs time

    def person(self, index: int) -> Person:
        return self.people[index % len(self.people)] if self.people else self.cio

    def at(self, days_ago: int, hour: int = 10) -> datetime.datetime:
        day = self.today - days_ago * DAY
        return datetime.datetime.combine(day, datetime.time(hour), self.client.tz)


# --- decisions --------------------------------------------------------------------------------

OPTION_FIELDS = ("title", "cost", "risk", "pros", "cons")

DECISIONS = [
    {
        "question": "Replace the end-of-support firewall this quarter?",
        "context": "The office firewall reaches the vendor's end of support in four months: "
        "no more security updates after that. The cyber-insurance questionnaire asks about it.",
        "recommendation": "Replace it now with a managed firewall from the MSP.",
        "why": "Same cost over three years as extending support, and the MSP then watches "
        "the alerts around the clock.",
        "deadline": 10,
        "options": [
            (
                "Replace now, managed by the MSP",
                "4800",
                "Low: supported, monitored",
                "Alerts watched 24×7; fixed monthly fee",
                "One evening of downtime to swap",
            ),
            (
                "Extend support one year",
                "1200",
                "Medium: still end of life next year",
                "Cheapest this year",
                "Same decision again in twelve months",
            ),
            ("Do nothing", "0", "High: unpatched edge device", "No spend", "Insurance may object"),
        ],
    },
    {
        "question": "Move the file shares to SharePoint and retire the file server?",
        "context": "The file server is six years old and its backup fails about once a month.",
        "recommendation": "Move in two waves over one month-end-free fortnight.",
        "why": "Removes the oldest machine in the office and its backup problem; staff "
        "already use Microsoft 365.",
        "deadline": -3,
        "options": [
            (
                "Move to SharePoint in two waves",
                "2600",
                "Medium: staff habits",
                "No server to replace; files reachable from anywhere",
                "Training time",
            ),
            (
                "Replace the server like for like",
                "9500",
                "Low",
                "Nothing changes for staff",
                "Another server to patch and back up",
            ),
        ],
    },
    {
        "question": "Enforce multi-factor sign-in for every account, shared mailboxes included?",
        "context": "Eleven accounts can still sign in with a password alone.",
        "recommendation": "Enforce now with a two-week grace period.",
        "why": "The most common way in for attackers; required by the insurer at renewal.",
        "deadline": -30,
        "outcome": ("approved", 20, "Yes — and tell staff at Monday's meeting.", 0),
        "options": [
            ("Enforce now with a two-week grace period", "0", "Low", "Fast; free", "Some calls"),
            ("Enforce after tax season", "0", "Medium", "No disruption now", "Exposed for months"),
        ],
    },
    {
        "question": "Renew the MSP contract for three years for an 8 % discount?",
        "context": "The MSP offers 8 % off for a three-year term instead of one.",
        "recommendation": "Defer until the next quarter's SLA scorecard is in.",
        "why": "Response times slipped last quarter; a long term removes our leverage.",
        "deadline": -14,
        "outcome": ("deferred", 10, "Ask me again after the Q3 scorecard.", None),
        "options": [],
    },
    {
        "question": "Take the broker's cheaper cyber-insurance quote?",
        "context": "The second quote is 15 % cheaper but excludes social-engineering fraud.",
        "recommendation": "Keep the current carrier.",
        "why": "Invoice fraud is the likeliest claim for a business this size.",
        "deadline": -45,
        "outcome": ("rejected", 40, "Agreed with the recommendation: fraud cover matters.", None),
        "options": [],
    },
]


def _links(ctx: DemoClient, decision: Decision) -> None:
    """Link the first contract and open risk, when those apps have demo data."""
    try:
        from ciodesk.vendors.models import Contract

        contract = Contract.objects.order_by("pk").first()
        if contract is not None:
            decision.contracts.add(contract)
    except ImportError:
        pass
    try:
        from ciodesk.security.models import Risk

        risk = Risk.objects.filter(status="open").order_by("pk").first()
        if risk is not None:
            decision.risks.add(risk)
    except ImportError:
        pass


def _decisions(ctx: DemoClient) -> int:
    if ctx.executive is None:
        return 0
    created = 0
    for index, spec in enumerate(DECISIONS):
        decision, new = Decision.objects.get_or_create(
            question=spec["question"],
            defaults={
                "context": spec["context"],
                "recommendation": spec["recommendation"],
                "recommendation_why": spec["why"],
                "deadline": ctx.today + spec["deadline"] * DAY,
                "decider": ctx.executive,
                "owner": ctx.cio if index % 2 == 0 else ctx.person(1),
            },
        )
        if not new:
            continue
        created += 1
        options = [
            DecisionOption.objects.create(
                decision=decision, order=n, **dict(zip(OPTION_FIELDS, values, strict=True))
            )
            for n, values in enumerate(spec["options"])
        ]
        if index == 0:
            _links(ctx, decision)
        if "outcome" in spec:
            status, days_ago, comment, option = spec["outcome"]
            decision.status = status
            decision.decided_by = ctx.executive
            decision.decided_at = ctx.at(days_ago, 16)
            decision.decision_comment = comment
            decision.chosen_option = options[option] if option is not None else None
            decision.save()
    return created


# --- projects and action items ----------------------------------------------------------------

# name, objective, in scope, out of scope, start (days ago), target (days ahead),
# updates [(days ago, health, text, next steps)], milestones [(title, due in days, done)]
PROJECTS = [
    (
        "Microsoft 365 security hardening",
        "Close the gaps the insurer and the baseline assessment found in Microsoft 365.",
        "MFA for every account; conditional access; mailbox auditing; external sharing rules",
        "Licence changes; the phone system",
        60,
        30,
        [
            (33, "on_track", "Conditional access policies drafted.", "Pilot with partners."),
            (19, "on_track", "Pilot done: two issues, both fixed.", "Roll out to all staff."),
            (5, "on_track", "MFA enforced for 38 of 40 accounts.", "Shared mailboxes next."),
        ],
        [
            ("Policies drafted", -35, True),
            ("Partner pilot", -20, True),
            ("All staff enforced", 7, False),
            ("Auditing and sharing rules", 25, False),
        ],
    ),
    (
        "Office network refresh",
        "Replace the eight-year-old switches and Wi-Fi before they fail.",
        "Switches, wireless access points, cabling of the server closet",
        "Phones; the second office",
        45,
        40,
        [
            (30, "on_track", "Order placed with the MSP.", "Survey the closet."),
            (9, "at_risk", "Switch delivery slipped three weeks.", "Ask the MSP for loaners."),
        ],
        [
            ("Site survey", -25, True),
            ("Hardware delivered", -4, False),
            ("Weekend cut-over", 30, False),
        ],
    ),
    (
        "File server retirement",
        "Move every share to SharePoint and switch the server off.",
        "All departmental shares; permissions clean-up",
        "Archive older than seven years (stays on the backup appliance)",
        70,
        20,
        [(25, "on_track", "Wave one (admin shares) moved.", "Schedule wave two.")],
        [
            ("Permissions map", -50, True),
            ("Wave one moved", -25, True),
            ("Wave two moved", 5, False),
        ],
    ),
]

ACTIONS = [
    ("Send the firewall quotes to the executive", 1, -6),
    ("Confirm the loaner switches with the MSP", 0, -2),
    ("Book the partner training session", 2, 5),
    ("Collect the insurer's renewal questionnaire", 1, 12),
    ("List shared mailboxes still without MFA", 0, None),
]


def _vendor():
    try:
        from ciodesk.vendors.models import Vendor

        return Vendor.objects.filter(category="msp").order_by("pk").first()
    except ImportError:
        return None


def _projects(ctx: DemoClient) -> int:
    created = 0
    vendor = _vendor()
    for index, (name, objective, scope_in, scope_out, start, target, updates, stones) in enumerate(
        PROJECTS
    ):
        project, new = Project.objects.get_or_create(
            name=name,
            defaults={
                "objective": objective,
                "scope_in": scope_in,
                "scope_out": scope_out,
                "owner": ctx.cio if index != 1 else ctx.person(1),
                "budget": Decimal(("6500", "18400", "2600")[index]),
                "currency": ctx.client.currency,
                "start_on": ctx.today - start * DAY,
                "target_on": ctx.today + target * DAY,
            },
        )
        if not new:
            continue
        created += 1
        if vendor is not None:
            project.vendors.add(vendor)
        for days_ago, health, text, next_steps in updates:
            update = ProjectUpdate(
                on=ctx.today - days_ago * DAY, health=health, text=text, next_steps=next_steps
            )
            services_projects.add_update(project, update, ctx.lead_user)
        for title, due, done in stones:
            due_on = ctx.today + due * DAY
            Milestone.objects.create(
                project=project, title=title, due_on=due_on, done_on=due_on if done else None
            )
        if index == 1:
            ScopeChange.objects.create(
                project=project,
                on=ctx.today - 20 * DAY,
                change="In scope: added the server closet's cabling.",
                reason="The survey found unlabelled, failing patch cables.",
            )
    for title, owner, due in ACTIONS:
        due_on = ctx.today + due * DAY if due is not None else None
        ActionItem.objects.get_or_create(
            title=title, defaults={"owner": ctx.person(owner), "due_on": due_on}
        )
    ActionItem.objects.get_or_create(
        title="Share the MFA roll-out note with staff",
        defaults={
            "owner": ctx.cio,
            "due_on": ctx.today - 8 * DAY,
            "status": ActionItem.Status.DONE,
            "done_on": ctx.today - 9 * DAY,
        },
    )
    return created


# --- time -------------------------------------------------------------------------------------

NOTES = {
    "meeting": ["Bi-weekly IT review", "Prep for the IT review", "Call with the owner"],
    "strategy": ["Roadmap update", "Budget scenarios for next year"],
    "vendor": ["MSP scorecard review", "Renewal call with the MSP"],
    "security": ["Insurance questionnaire answers", "MFA roll-out follow-up"],
    "project": ["Network refresh status", "File server wave planning"],
    "admin": ["Monthly report"],
}


def _time(ctx: DemoClient) -> int:
    """The last 30 days of time; this month's share lands on the client's target use."""
    if ctx.lead_user is None or TimeEntry.objects.exists():
        return 0
    rng = random.Random(f"ciodesk-demo-time-{ctx.client.slug}")
    days = [ctx.today - n * DAY for n in range(29, -1, -1)]
    work = [d for d in days if d.weekday() < 5] or [ctx.today]
    this_month = [d for d in work if d.month == ctx.today.month] or [ctx.today]
    earlier = [d for d in work if d.month != ctx.today.month]
    included = ctx.client.retainer_included_hours or Decimal("10")
    share = UTILISATION.get(ctx.client.slug, Decimal("0.55"))
    target = int((included * share * 4).to_integral_value()) * 15  # whole quarter hours
    elapsed = Decimal(ctx.today.day) / 30
    plan = [(this_month, target)]
    if earlier:
        plan.append((earlier, int(included * 60 * Decimal("0.9") * (1 - min(elapsed, 1)))))
    entries = []
    for pool, minutes in plan:
        chosen = sorted(rng.sample(pool, k=min(len(pool), max(1, minutes // 90))))
        each = [minutes // len(chosen)] * len(chosen)
        each[-1] += minutes - sum(each)
        for day, spent in zip(chosen, each, strict=True):
            category = rng.choice(list(NOTES))
            entries.append(
                TimeEntry(
                    on=day,
                    minutes=max(spent, 1),
                    category=category,
                    note=rng.choice(NOTES[category]),
                    user=ctx.lead_user,
                )
            )
    for entry in entries:
        entry.save()  # one by one, so the audit log records each
    return len(entries)


# --- the loader -------------------------------------------------------------------------------


def _context(context, client) -> DemoClient:
    membership = (
        ClientMembership.objects.filter(role=ClientMembership.Role.EXECUTIVE)
        .select_related("user")
        .order_by("pk")
        .first()
    )
    lead = User.objects.filter(practice_membership__role="lead").order_by("pk").first()
    people = list(Person.objects.filter(client=client).order_by("pk"))
    cio = Person.practice_people.order_by("pk").first() or (people[0] if people else None)
    return DemoClient(
        context=context,
        client=client,
        today=client.today(),
        people=people,
        cio=cio,
        executive=membership.user if membership else None,
        lead_user=lead,
    )


@demo.register("delivery: decisions, projects, action items, time", order=60)
def load(context) -> None:
    for client in context.clients.values():
        with scope(client):
            ctx = _context(context, client)
            if ctx.cio is None:
                continue  # no one could own anything
            decisions = _decisions(ctx)
            projects = _projects(ctx)
            entries = _time(ctx)
            context.stdout.write(
                f"      {client.name}: {decisions} decision(s), {projects} project(s), "
                f"{entries} time entr{'y' if entries == 1 else 'ies'} added"
            )


from ciodesk.delivery import demo_meetings  # noqa: E402, F401  registers the meetings loader
