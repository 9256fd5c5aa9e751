"""The generated agenda: each source's line appears where its data exists, and only then.

A fresh client ("charlie") starts empty; each test adds one record per source. Dates are
relative to the client's today, so the tests hold on any day.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from ciodesk.core.scope import acting_as, scope
from ciodesk.core.templatetags.ciodesk import markdown
from ciodesk.delivery import services_agenda as agenda
from ciodesk.delivery.models import ActionItem, Decision, Meeting, Project, ProjectUpdate
from ciodesk.tenancy.models import Client, Person

D = datetime.timedelta


@pytest.fixture
def charlie(db):
    from ciodesk.accounts.models import User

    with acting_as("test setup"):
        client = Client.objects.create(
            slug="charlie",
            name="Charlie Co",
            employee_count=20,
            time_zone="America/Los_Angeles",
            meeting_cadence="biweekly",
        )
        with scope(client):
            person = Person.objects.create(client=client, name="Cleo Owner", email="c@x.test")
        decider = User.objects.create(email="ceo@charlie.test", full_name="Cy Decider")
    today = client.today()
    starts_at = datetime.datetime.combine(today, datetime.time(10), tzinfo=client.tz)
    return client, person, decider, today, starts_at


def sections(client, starts_at, today, meeting=None) -> dict[str, list[str]]:
    built = agenda.build(client, starts_at, meeting, today=today)
    return {s.key: [line.markdown() for line in s.lines] for s in built}


def test_an_empty_client_gets_no_sections_and_says_so(charlie):
    client, _person, _decider, today, starts_at = charlie
    assert sections(client, starts_at, today) == {}
    assert "Nothing is open" in agenda.generate(client, starts_at, today=today)


def test_delivery_sources_each_give_their_line(charlie):
    client, person, decider, today, starts_at = charlie
    with scope(client), acting_as("test setup"):
        earlier = Meeting.objects.create(starts_at=starts_at - D(days=14), owner=person)
        ActionItem.objects.create(title="Call the ISP", owner=person, meeting=earlier)
        ActionItem.objects.create(title="Order laptops", owner=person, due_on=today + D(days=5))
        ActionItem.objects.create(title="Far away", owner=person, due_on=today + D(days=40))
        Decision.objects.create(
            question="Renew the firewall?", decider=decider, owner=person, deadline=today
        )
        Decision.objects.create(
            question="Later question", decider=decider, owner=person, deadline=today + D(60)
        )
        Project.objects.create(
            name="Office move", owner=person, latest_update_on=today - D(days=30)
        )
        phones = Project.objects.create(name="Phones", owner=person, latest_update_on=today)
        ProjectUpdate.objects.create(project=phones, on=today, health="at_risk", text="Late")
        fine = Project.objects.create(name="Wi-Fi", owner=person, latest_update_on=today)
        ProjectUpdate.objects.create(project=fine, on=today, health="on_track", text="Good")

    got = sections(client, starts_at, today)
    url = agenda.url_for(client, ("delivery:action-list", None))
    earlier_on = f"{today - D(days=14):%Y-%m-%d}"
    expected = agenda.AgendaLine(
        "Call the ISP (Cleo Owner)", url, f"no due date; from the meeting of {earlier_on}"
    )
    assert got["carried_over"] == [expected.markdown()]
    assert len(got["actions_due"]) == 1 and "Order laptops" in got["actions_due"][0]
    assert f"due {today + D(days=5):%Y-%m-%d}" in got["actions_due"][0]
    assert len(got["decisions_due"]) == 1
    assert "Renew the firewall?" in got["decisions_due"][0]
    assert "Cy Decider decides" in got["decisions_due"][0]
    projects = " ".join(got["projects"])
    assert "Office move" in projects and "stalled: last update" in projects
    assert "Phones" in projects and "at risk" in projects
    assert "Wi-Fi" not in projects
    for absent in ("notice_deadlines", "controls", "new_risks", "sla", "roadmap", "budget"):
        assert absent not in got


def test_other_apps_sources_each_give_their_line(charlie):
    from ciodesk.budget.models import Budget, BudgetLine, Category, LedgerLine
    from ciodesk.roadmap.models import RoadmapItem
    from ciodesk.security.models import ClientControl, ControlDefinition, Risk
    from ciodesk.vendors.models import Contract, SLAPolicy, Ticket, Vendor

    client, person, _decider, today, starts_at = charlie
    # The current month is the third of the fiscal year, so two months have ended.
    client.fiscal_year_start_month = (today.month - 3) % 12 + 1
    client.save()
    last_month = (today.replace(day=1) - D(days=1)).replace(day=1)
    with scope(client), acting_as("test setup"):
        msp = Vendor.objects.create(name="Coastline IT", category="msp", owner=person)
        contract = Contract.objects.create(
            vendor=msp,
            title="Managed services",
            end_date=today + D(days=90),
            auto_renew=True,
            notice_days=60,
            annual_value=Decimal("54000.00"),
            owner=person,
        )
        SLAPolicy.objects.create(contract=contract, calendar="24x7", time_zone=client.time_zone)
        created = datetime.datetime.combine(last_month + D(days=3), datetime.time(9), client.tz)
        Ticket.objects.create(
            vendor=msp,
            number="1",
            priority="P1",
            created_at=created,
            first_response_at=created + D(hours=2),
            resolved_at=created + D(hours=3),
        )
        definition = ControlDefinition.objects.create(
            key="agenda-backup", title="Backups tested", interval_days=90
        )
        ClientControl.objects.create(
            definition=definition,
            owner=person,
            status="in_place",
            last_verified_on=today - D(days=200),
        )
        Risk.objects.create(
            title="Phishing", owner=person, likelihood=4, impact=4, created_on=today - D(2)
        )
        Risk.objects.create(title="Low one", owner=person, likelihood=2, impact=2)
        Risk.objects.create(
            title="Old high", owner=person, likelihood=5, impact=5, created_on=today - D(90)
        )
        year, quarter = agenda.fiscal_quarter(today, client.fiscal_year_start_month)
        RoadmapItem.objects.create(
            title="Enforce MFA", owner=person, fiscal_year=year, quarter=quarter, status="approved"
        )
        RoadmapItem.objects.create(
            title="Done already", owner=person, fiscal_year=year, quarter=quarter, status="done"
        )
        category = Category.objects.create(slug="it", name="IT")
        budget = Budget.objects.create(fiscal_year=year, owner=person)
        BudgetLine.objects.create(budget=budget, category=category, amount=Decimal("12000"))
        first_month = datetime.date(today.year, client.fiscal_year_start_month, 1)
        if first_month > today:
            first_month = first_month.replace(year=today.year - 1)
        LedgerLine.objects.create(
            date=first_month + D(days=4), amount=Decimal("3000"), category=category, natural_key="1"
        )

    got = sections(client, starts_at, today)
    assert got["notice_deadlines"] == [
        f"- [Coastline IT — Managed services](/c/charlie/vendors/contracts/{contract.pk}/) — give "
        f"notice by {today + D(days=30):%Y-%m-%d} (in 30 days); renews "
        f"{today + D(days=90):%Y-%m-%d}; $54,000.00 a year"
    ]
    assert len(got["controls"]) == 1 and "Backups tested" in got["controls"][0]
    assert "stale since" in got["controls"][0]
    assert len(got["new_risks"]) == 1
    assert "Phishing" in got["new_risks"][0] and "score 16 (High)" in got["new_risks"][0]
    assert len(got["sla"]) == 1
    assert "Coastline IT: first response within SLA 0 %" in got["sla"][0]
    assert f"target 90 %; 1 tickets in {last_month:%B %Y}" in got["sla"][0]
    assert len(got["roadmap"]) == 1 and "Enforce MFA" in got["roadmap"][0]
    assert f"FY{year} Q{quarter}" in got["roadmap"][0]
    assert len(got["budget"]) == 1
    assert "$3,000.00 against $2,000.00 budgeted" in got["budget"][0]
    assert "over by $1,000.00 (50 %) after 2 months" in got["budget"][0]


def test_open_tabletop_actions_due_before_the_next_meeting(charlie):
    from ciodesk.security.models import Tabletop, TabletopAction

    client, person, _decider, today, starts_at = charlie
    assert "tabletop_actions" not in sections(client, starts_at, today)  # none yet
    with scope(client), acting_as("test setup"):
        tabletop = Tabletop.objects.create(
            held_on=today - D(days=30), scenario="Ransomware on the file server", owner=person
        )
        TabletopAction.objects.create(
            tabletop=tabletop, title="Print the call list", owner=person, due_on=today - D(days=2)
        )
        TabletopAction.objects.create(
            tabletop=tabletop, title="Done already", owner=person, due_on=today, done=True
        )
        TabletopAction.objects.create(
            tabletop=tabletop, title="Next quarter", owner=person, due_on=today + D(days=90)
        )
    got = sections(client, starts_at, today)["tabletop_actions"]
    assert len(got) == 1
    assert "Print the call list (Cleo Owner)" in got[0]
    assert "Ransomware on the file server" in got[0]


def test_a_source_of_an_absent_app_is_simply_absent(charlie, monkeypatch):
    import builtins

    client, person, _decider, today, starts_at = charlie
    real_import = builtins.__import__

    def no_roadmap(name, *args, **kwargs):
        if name.startswith("ciodesk.roadmap"):
            raise ImportError(name)
        return real_import(name, *args, **kwargs)

    from ciodesk.roadmap.models import RoadmapItem

    with scope(client), acting_as("test setup"):
        year, quarter = agenda.fiscal_quarter(today, client.fiscal_year_start_month)
        RoadmapItem.objects.create(title="MFA", owner=person, fiscal_year=year, quarter=quarter)
    assert "roadmap" in sections(client, starts_at, today)
    monkeypatch.setattr(builtins, "__import__", no_roadmap)
    assert "roadmap" not in sections(client, starts_at, today)


def test_the_generated_agenda_is_markdown_with_headed_sections(charlie):
    client, person, decider, today, starts_at = charlie
    with scope(client), acting_as("test setup"):
        Decision.objects.create(
            question="Buy *two* [servers]?", decider=decider, owner=person, deadline=today
        )
    text = agenda.generate(client, starts_at, today=today)
    assert text.startswith("### Decisions due\n\n- [Buy \\*two\\* \\[servers\\]?](/c/charlie/")
    assert "### Any other business" in text
    html = markdown(text)
    assert "<h3>Decisions due</h3>" in html and "Buy *two* [servers]?</a>" in html


def test_the_next_meeting_is_due_by_the_cadence_from_the_last(charlie):
    client, person, _decider, today, starts_at = charlie
    assert agenda.next_meeting(client).due_on == today  # none yet: due now
    with scope(client), acting_as("test setup"):
        Meeting.objects.create(starts_at=starts_at - D(days=20), owner=person)
    assert agenda.next_meeting(client).due_on == today - D(days=6)
    assert agenda.next_meeting(client).overdue_days == 6
    client.meeting_cadence = "monthly"
    assert agenda.following(client, datetime.date(2027, 1, 31)) == datetime.date(2027, 2, 28)
    client.meeting_cadence = "weekly"
    assert agenda.following(client, datetime.date(2027, 1, 31)) == datetime.date(2027, 2, 7)
    with scope(client), acting_as("test setup"):
        planned = Meeting.objects.create(starts_at=timezone.now() + D(days=3), owner=person)
    upcoming = agenda.next_meeting(client)
    assert upcoming.planned == planned and upcoming.overdue_days == 0


def test_a_failing_source_leaves_the_rest_of_the_agenda(charlie, monkeypatch, caplog):
    client, person, decider, today, starts_at = charlie

    def broken(ctx):
        raise RuntimeError("the other app is mid-migration")

    monkeypatch.setitem(agenda._sources, "broken", agenda.Registered("broken", "Broken", 1, broken))
    with scope(client), acting_as("test setup"):
        Decision.objects.create(question="Still here?", decider=decider, owner=person)
        Decision.objects.filter(question="Still here?").update(deadline=today)
    got = sections(client, starts_at, today)
    assert "broken" not in got and "Still here?" in got["decisions_due"][0]
    assert "Agenda source broken failed for charlie" in caplog.text
