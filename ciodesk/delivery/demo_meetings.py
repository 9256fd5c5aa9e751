"""The meetings demo: four past meetings per client at its cadence, with agendas, minutes,
the decisions taken and the action items agreed — two of them still open, so they carry
into the next agenda, and one overdue.

Registered with ciodesk.core.demo after the decisions and projects (order 61), so the
decisions it links exist. Running the demo twice changes nothing: a client that already
has meetings is left alone. Dates are relative to the day the demo is first loaded; the
next meeting falls due a couple of days after it, so "Plan the next meeting" shows a fresh agenda
generated from the live data, carried-over actions first.
"""

from __future__ import annotations

import datetime
from typing import Any

from ciodesk.core import demo
from ciodesk.core.scope import scope
from ciodesk.delivery import ics_meetings
from ciodesk.delivery.models import ActionItem, Decision, Meeting
from ciodesk.tenancy.models import Client, ClientMembership, Person

DAY = datetime.timedelta(days=1)

# Oldest first: (agenda, minutes, [(action, owner index, due in days after the meeting,
# done in days after the meeting or None)]). Owner index 0 is the practice's CIO, 1 the
# client's executive, 2 the client's next person.
MEETINGS: list[tuple[str, str, list[tuple[str, int, int, int | None]]]] = [
    (
        "### Getting started\n\n- Who holds which admin passwords\n- The MSP's backup report\n"
        "\n### Any other business\n",
        "Went through the handover checklist. The previous IT contact still holds two admin "
        "accounts; **agreed** to collect them this week.\n\nThe MSP says backups run nightly "
        "but has not shown a restore test. We will ask for the report before the next "
        "review.",
        [
            ("Collect the admin passwords from the previous IT contact", 1, 7, 5),
            ("Ask the MSP for the last backup restore report", 0, 10, 9),
        ],
    ),
    (
        "### Carried over\n\n- Backup restore report from the MSP\n\n### Decisions due\n\n"
        "- Multi-factor sign-in for every account\n\n### Any other business\n",
        "The restore report arrived: one restore tested in the last year, and it worked.\n\n"
        "Multi-factor sign-in: the executive **approved** enforcing it with a two-week grace "
        "period. Staff to be told at the Monday meeting.\n\nThe firewall reaches end of "
        "support in a few months; quotes needed before we can decide.",
        [
            ("Draft the multi-factor roll-out note for staff", 0, 5, 4),
            ("Get three quotes for replacing the firewall", 0, 14, None),
        ],
    ),
    (
        "### Carried over\n\n- Firewall quotes\n\n### Stalled or at-risk projects\n\n"
        "- Office network refresh\n\n### Any other business\n",
        "Firewall quotes: one in, two promised by the end of next week. **Carried over.**\n\n"
        "The network project lost two weeks waiting for the ISP's survey; the MSP will book "
        "it. The cyber-insurance renewal questionnaire is due next quarter.",
        [
            ("Book the ISP's site survey for the network refresh", 2, 7, 6),
            ("Check the insurance renewal questions against the controls", 0, 30, None),
        ],
    ),
    (
        "### Carried over\n\n- Firewall quotes\n- Insurance questions against the controls\n\n"
        "### SLA attainment below target last month\n\n- The MSP's first response\n\n"
        "### Any other business\n",
        "The MSP missed its first-response target last month, mostly on printer tickets; "
        "we will go through the scorecard with them.\n\nThe MSP's three-year renewal offer "
        "was **deferred** until that review. Finance wants the laptop refresh list before "
        "budgeting.",
        [
            ("Review last month's SLA scorecard with the MSP", 0, 10, None),
            ("Send the laptop refresh list to finance", 2, 12, None),
        ],
    ),
]


def _people(client: Client) -> list[Person]:
    """[the CIO, the executive's person, one more of the client's people]."""
    cio = Person.practice_people.order_by("pk").first()
    staff = list(Person.objects.filter(client=client).order_by("pk"))
    membership = ClientMembership.objects.filter(role=ClientMembership.Role.EXECUTIVE).first()
    executive = None
    if membership is not None:
        email = membership.user.email.lower()
        executive = next((p for p in staff if p.email.lower() == email), None)
    executive = executive or (staff[0] if staff else cio)
    other = next((p for p in staff if p != executive), executive)
    return [cio or executive, executive, other]


def _start(client: Client, day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(10), client.tz)


def _link_decisions(meetings: list[Meeting], client: Client) -> None:
    """Each decided decision to the last meeting held on or before the day it was decided."""
    decided = Decision.objects.filter(decided_at__isnull=False).exclude(status="pending")
    for decision in decided:
        day = decision.decided_at.astimezone(client.tz).date()
        held = [m for m in meetings if m.starts_at.astimezone(client.tz).date() <= day]
        if held:
            held[-1].decisions.add(decision)


def load_meetings(ctx: Any, client: Client) -> int:
    """The client's meeting history (inside its scope); 0 when it already has meetings."""
    if Meeting.objects.exists():
        return 0
    people = _people(client)
    if people[0] is None:
        return 0  # no one to own a meeting
    today = client.today()
    cadence = client.cadence_days
    meetings = []
    for index, (agenda, minutes, actions) in enumerate(MEETINGS):
        periods = len(MEETINGS) - index  # 4 for the oldest … 1 for the latest
        held_on = today - (periods * cadence - 2) * DAY
        starts_at = _start(client, held_on)
        meeting = Meeting.objects.create(
            starts_at=starts_at,
            duration_minutes=60,
            title="IT review",
            location="Conference room and video call",
            owner=people[0],
            agenda=agenda,
            minutes=minutes,
            sent_at=starts_at - 3 * DAY,
            ics_uid=ics_meetings.new_uid(),
            ics_sequence=1 if index == 2 else 0,
        )
        meeting.attendees.add(*{p.pk: p for p in people}.values())
        for title, owner, due, done in actions:
            ActionItem.objects.create(
                title=title,
                owner=people[owner],
                due_on=held_on + due * DAY,
                meeting=meeting,
                status=ActionItem.Status.OPEN if done is None else ActionItem.Status.DONE,
                done_on=None if done is None else held_on + done * DAY,
            )
        meetings.append(meeting)
    _link_decisions(meetings, client)
    return len(meetings)


@demo.register("delivery: meetings with minutes and carried-over actions", order=61)
def load(context) -> None:
    for client in context.clients.values():
        with scope(client):
            made = load_meetings(context, client)
        context.stdout.write(f"      {client.name}: {made} meeting(s) added")
