"""The roadmap demo: registered with ciodesk.core.demo after the assessments (order 50).

For each demo client: two or three business goals in the client's words; the latest
assessment's findings turned into roadmap items (one click each, the same service as the
button) and planned across six fiscal quarters, from the last one to four ahead, with
one-time and recurring costs; a roadmap review held in the last quarter; and, since that
review, the kind of history a roadmap gathers — items moved to a later quarter, items
re-costed, one dropped, one added — so "what changed since the last review" has something
to say. The versions are back-dated: planned 30 days before the review, changed a week ago.

Idempotent: a client that already has goals or roadmap items is left alone, whatever day
the demo is run again.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.contrib.auth import get_user_model

from ciodesk.assessments.models import Assessment, Finding
from ciodesk.core import demo
from ciodesk.core.scope import scope
from ciodesk.reports.periods import Quarter
from ciodesk.roadmap import planning, services
from ciodesk.roadmap.models import Goal, RoadmapItem, RoadmapReview
from ciodesk.roadmap.services_history import end_of_day
from ciodesk.tenancy.models import Person

LEAD_EMAIL = "lead@practice.example"
GOALS = {
    "harbor-cpa": [
        ("Open a second office in Q3", "Ten staff in the new office from day one."),
        (
            "Get through tax season with no outage",
            "January to April: e-mail and the tax software must stay up.",
        ),
        ("Pass the cyber-insurance renewal without surcharges", ""),
    ],
    "bright-smile": [
        ("Add two chairs at the Elm Street practice", "Imaging and scheduling for both."),
        ("Keep patient records safe and available", "HIPAA, backups that restore."),
    ],
    "pacific-fab": [
        ("Run a second shift on the CNC line", "Shop-floor PCs and network must keep up."),
        ("Win the aerospace supplier contract (CMMC level 1)", ""),
        ("Stop paying for what nobody uses", "Licences and old contracts."),
    ],
}
DEFAULT_COST = {"fix": Decimal("2500.00"), "fund": Decimal("12000.00")}
RECURRING_SHARE = {"fund": Decimal("0.25"), "fix": Decimal("0.10")}
NEW_ITEM = "Network and phones for the new site"


PLANNED_FINDINGS = 18


def _at(client, day: datetime.date, hour: int) -> datetime.datetime:
    return end_of_day(client, day).replace(hour=hour, minute=0, second=0, microsecond=0)


def _plan(client, findings: list[Finding], goals: list[Goal], owner, user, when) -> list:
    """The findings as items across six quarters: the last one (done) to four ahead."""
    now = planning.current_quarter(client)
    quarters = [now.previous()]
    while len(quarters) < 6:
        quarters.append(quarters[-1].next())
    items = []
    for index, finding in enumerate(findings):
        item, _ = services.from_finding(client, finding, user, when)
        quarter = quarters[index % 6]
        one_time = item.one_time_cost or DEFAULT_COST.get(item.disposition, Decimal("1500.00"))
        recurring = (one_time * RECURRING_SHARE.get(item.disposition, Decimal(0))).quantize(
            Decimal("1.00")
        )
        item.goals.set([goals[index % len(goals)]])
        services.update_item(
            item,
            user,
            when + datetime.timedelta(minutes=5),
            fiscal_year=quarter.fiscal_year,
            quarter=quarter.quarter,
            one_time_cost=one_time,
            recurring_cost=recurring,
            status=RoadmapItem.Status.APPROVED if index % 6 < 3 else RoadmapItem.Status.PROPOSED,
            business_value=3 + index % 3,
            owner=owner,
        )
        items.append(item)
    return items


def _since_the_review(client, items: list, goals: list[Goal], owner, user, when) -> None:
    """Moved, re-costed, dropped, done and added since the last review."""
    now = planning.current_quarter(client)
    future = [i for i in items if (i.fiscal_year, i.quarter) >= (now.fiscal_year, now.quarter)]
    past = [i for i in items if i not in future]
    for item in past[:-1]:  # the last quarter's work is done, but for one item
        services.update_item(item, user, when, status=RoadmapItem.Status.DONE)
    for item in past[-1:]:
        services.update_item(item, user, when, status=RoadmapItem.Status.IN_PROGRESS)
    current = [i for i in future if (i.fiscal_year, i.quarter) == (now.fiscal_year, now.quarter)]
    for item in current[2:4]:  # started this quarter
        services.update_item(item, user, when, status=RoadmapItem.Status.IN_PROGRESS)
    for item in future[:2]:  # slipped a quarter
        nxt = Quarter(item.fiscal_year, item.quarter, now.start_month).next()
        services.move_item(item, nxt.fiscal_year, nxt.quarter, user, when)
    for item in future[2:4]:  # the quotes came in higher
        services.update_item(
            item,
            user,
            when + datetime.timedelta(minutes=1),
            one_time_cost=(item.one_time_cost * Decimal("1.2")).quantize(Decimal("1.00")),
        )
    if len(future) > 5:
        services.update_item(
            future[-1], user, when + datetime.timedelta(minutes=2), status="dropped"
        )
    nxt = now.next()
    added = RoadmapItem.objects.create(
        client=client,
        title=NEW_ITEM,
        why="The second site needs a firewall, Wi-Fi and phones before people move in.",
        disposition="fund",
        owner=owner,
        fiscal_year=nxt.fiscal_year,
        quarter=nxt.quarter,
        one_time_cost=Decimal("18500.00"),
        recurring_cost=Decimal("2400.00"),
        currency=client.currency,
        business_value=5,
        risk_reduced=2,
    )
    added.goals.set(goals[:1])
    services.record_version(added, user, when + datetime.timedelta(minutes=3))


@demo.register("roadmap: goals, items from findings over six quarters, history", order=50)
def load(context) -> None:
    user = get_user_model().objects.filter(email=LEAD_EMAIL).first()
    for slug, goal_texts in GOALS.items():
        client = context.clients.get(slug)
        if client is None:
            continue
        with scope(client):
            if Goal.objects.exists() or RoadmapItem.objects.exists():
                continue
            owner = (
                Person.practice_people.filter(email=LEAD_EMAIL).first()
                or Person.objects.order_by("pk").first()
            )
            client_person = Person.objects.filter(client=client).order_by("pk").first() or owner
            if owner is None:
                continue
            goals = [
                Goal.objects.create(text=text, detail=detail, owner=client_person, order=i)
                for i, (text, detail) in enumerate(goal_texts)
            ]
            today = client.today()
            now = planning.current_quarter(client)
            reviewed_on = now.start - datetime.timedelta(days=14)  # in the last quarter
            planned_at = _at(client, reviewed_on - datetime.timedelta(days=30), 10)
            changed_at = _at(client, today - datetime.timedelta(days=7), 15)
            latest = Assessment.objects.filter(status="complete").order_by("-completed_on")
            # The most severe findings make the plan (three a quarter); the rest stay findings.
            findings = list(
                Finding.objects.filter(assessment__in=latest[:1]).order_by("-severity", "pk")[
                    :PLANNED_FINDINGS
                ]
            )
            items = _plan(client, findings, goals, owner, user, planned_at)
            RoadmapReview.objects.create(
                reviewed_on=reviewed_on,
                owner=owner,
                note="Quarterly roadmap review with the owners: plan approved as shown.",
            )
            _since_the_review(client, items, goals, owner, user, changed_at)
            context.stdout.write(
                f"      {client.name}: {len(goals)} goals, {len(items) + 1} roadmap items"
            )
