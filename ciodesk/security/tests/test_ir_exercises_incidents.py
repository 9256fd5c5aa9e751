"""Tabletop exercises with their action items, incidents with a timeline in the client's
time zone, their exports, and their pages' query counts."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from ciodesk.conftest import CANARY
from ciodesk.core.scope import acting_as, scope
from ciodesk.security.models import Incident, IncidentEvent, Tabletop, TabletopAction

BASE = "/c/alpha/security/incident-response/"


def test_an_exercise_its_findings_and_actions(world, as_user):
    client = as_user(world.consultant)
    owner = world.records["a"]["people"]
    response = client.post(
        BASE + "exercises/new/",
        {
            "held_on": "2026-10-14",
            "scenario": "Ransomware on a Friday afternoon",
            "participants": "Owner, office manager, MSP",
            "findings": "- Nobody knew the **insurer's** number\n- Backups untested",
            "owner": owner.pk,
        },
    )
    with scope(world.a):
        tabletop = Tabletop.objects.get(scenario="Ransomware on a Friday afternoon")
    assert response["Location"] == f"{BASE}exercises/{tabletop.pk}/"

    form = client.get(f"{BASE}actions/new/?tabletop={tabletop.pk}").content.decode()
    assert f'<option value="{tabletop.pk}" selected>' in form
    response = client.post(
        BASE + "actions/new/",
        {
            "tabletop": tabletop.pk,
            "title": "Print the plan and pin it by the phone",
            "owner": owner.pk,
            "due_on": "2026-11-01",
        },
    )
    assert response["Location"] == f"{BASE}exercises/{tabletop.pk}/"
    page = client.get(response["Location"]).content.decode()
    assert "<strong>insurer&#x27;s</strong>" in page or "<strong>insurer's</strong>" in page
    assert "Print the plan and pin it by the phone" in page and "Overdue" in page

    with scope(world.a):
        action = TabletopAction.objects.get(title__startswith="Print the plan")
    fragment = client.post(f"{BASE}actions/{action.pk}/toggle/", HTTP_HX_REQUEST="true")
    row = fragment.content.decode()
    assert row.lstrip().startswith(f'<tr id="action-{action.pk}" class="done">')
    assert "✓ Done" in row and "Overdue" not in row

    listing = client.get(BASE + "exercises/").content.decode()
    assert "Ransomware on a Friday afternoon" in listing and "0 of 1" in listing
    export = client.get(BASE + "actions/export/?format=csv").content.decode()
    assert "Print the plan and pin it by the phone," in export and ",yes" in export


def test_the_action_toggle_is_the_practices(world, as_user):
    action = world.records["a"]["tabletop_actions"]
    url = f"{BASE}actions/{action.pk}/toggle/"
    assert as_user(world.contrib_a).post(url).status_code == 403
    assert as_user(world.consultant).get(url).status_code == 405


def test_an_incident_and_its_timeline_are_in_the_clients_time_zone(world, as_user):
    client = as_user(world.consultant)
    response = client.post(
        BASE + "incidents/new/",
        {
            "title": "Invoice fraud attempt",
            "detected_at": "2026-11-20T09:30",
            "severity": "high",
            "status": "open",
            "owner": world.records["a"]["people"].pk,
            "summary": "A supplier's bank details 'changed' by e-mail.",
        },
    )
    with scope(world.a):
        incident = Incident.objects.get(title="Invoice fraud attempt")
    assert response["Location"] == f"{BASE}incidents/{incident.pk}/"
    # 09:30 in Los Angeles is 17:30 UTC in November
    assert incident.detected_at == datetime.datetime(2026, 11, 20, 17, 30, tzinfo=datetime.UTC)

    contributor = as_user(world.contrib_a)
    response = contributor.post(
        f"{BASE}incidents/{incident.pk}/timeline/",
        {"at": "2026-11-20T09:45", "entry": "Called the bank: payment stopped."},
    )
    assert response.status_code == 302
    page = contributor.get(f"{BASE}incidents/{incident.pk}/").content.decode()
    assert "2026-11-20 09:30" in page and "2026-11-20 09:45" in page
    assert "Called the bank: payment stopped." in page and "Cory Contributor" in page
    assert "Not yet" in page  # the insurer has not been notified

    export = client.get(f"{BASE}incidents/{incident.pk}/timeline/export/?format=csv")
    text = export.content.decode()
    assert "2026-11-20 09:45:00,Called the bank: payment stopped.,Cory Contributor" in text

    listing = client.get(BASE + "incidents/export/?format=csv").content.decode()
    assert "Invoice fraud attempt,High,Open" in listing


def test_an_empty_timeline_entry_is_refused(world, as_user):
    incident = world.records["a"]["incidents"]
    response = as_user(world.consultant).post(
        f"{BASE}incidents/{incident.pk}/timeline/", {"at": "2026-11-20T10:00", "entry": ""}
    )
    assert response.status_code == 400
    assert "The entry was not added" in response.content.decode()
    with scope(world.a):
        assert IncidentEvent.objects.filter(incident=incident).count() == 1


def test_an_executive_reads_the_incident_but_does_not_write_to_it(world, as_user):
    incident = world.records["a"]["incidents"]
    client = as_user(world.exec_a)
    page = client.get(f"{BASE}incidents/{incident.pk}/").content.decode()
    assert "Mailbox locked" in page and "Add to the timeline" not in page
    assert CANARY not in page
    response = client.post(
        f"{BASE}incidents/{incident.pk}/timeline/", {"at": "2026-11-20T10:00", "entry": "x"}
    )
    assert response.status_code == 403


def test_empty_lists_say_what_to_do(world, as_user):
    with scope(world.a), acting_as("test"):
        Tabletop.objects.all().delete()
        Incident.objects.all().delete()
    client = as_user(world.lead)
    assert "Record the first one" in client.get(BASE + "exercises/").content.decode()
    assert "record it</a>" in client.get(BASE + "incidents/").content.decode()


def _add_records(world, n: int):
    owner = world.records["a"]["people"]
    now = timezone.now()
    with scope(world.a), acting_as("test"):
        tabletop = world.records["a"]["tabletops"]
        incident = world.records["a"]["incidents"]
        for i in range(n):
            other = Tabletop.objects.create(held_on=now.date(), scenario=f"S{i}", owner=owner)
            TabletopAction.objects.create(tabletop=other, title=f"A{i}", owner=owner)
            TabletopAction.objects.create(tabletop=tabletop, title=f"B{i}", owner=owner)
            Incident.objects.create(title=f"I{i}", detected_at=now, owner=owner)
            IncidentEvent.objects.create(
                incident=incident, at=now, entry=f"E{i}", author=world.consultant
            )


@pytest.mark.parametrize(
    "page",
    [
        "",
        "print/",
        "exercises/",
        "exercises/{tabletop}/",
        "actions/",
        "incidents/",
        "incidents/{incident}/",
        "incidents/{incident}/timeline/export/?format=xlsx",
    ],
)
def test_the_pages_run_a_constant_number_of_queries(world, as_user, page):
    url = BASE + page.format(
        tabletop=world.records["a"]["tabletops"].pk, incident=world.records["a"]["incidents"].pk
    )
    client = as_user(world.lead)

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx)

    before = count()
    _add_records(world, 5)
    assert count() == before
