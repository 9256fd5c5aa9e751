"""The meetings pages: the list with the next meeting due, planning one with a generated
agenda, the minutes, the action items taken and carried over until done, the export."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from ciodesk.core.scope import acting_as, scope
from ciodesk.delivery.models import ActionItem, Meeting

D = datetime.timedelta
BASE = "/c/alpha/delivery/meetings/"


def agenda_field(page: str) -> str:
    """The text of the agenda textarea of a form page."""
    start = page.index('name="agenda"')
    return page[page.index(">", start) + 1 : page.index("</textarea>", start)]


@pytest.fixture
def world(world):
    """The shared world with its fixed-date sweep meeting moved out of the way (a year
    ago): these tests date their own meetings relative to today."""
    with scope(world.a), acting_as("test setup"):
        Meeting.objects.update(starts_at=timezone.now() - D(days=365))
    return world


def _meeting(world, days_ago: int, **extra) -> Meeting:
    person = world.records["a"]["people"]
    with scope(world.a), acting_as("test setup"):
        meeting = Meeting.objects.create(
            starts_at=timezone.now() - D(days=days_ago), owner=person, **extra
        )
        meeting.attendees.add(person)
    return meeting


def test_the_list_shows_the_meetings_and_when_the_next_is_due(world, as_user):
    last = _meeting(world, 20, title="Autumn review")
    page = as_user(world.exec_a).get(BASE).content.decode()
    assert "Autumn review" in page
    due = timezone.localtime(last.starts_at, world.a.tz).date() + D(days=14)  # biweekly
    assert f"Due <strong>{due:%A %-d %B %Y}</strong>" in page
    assert "6 days overdue" in page
    assert "Plan the next meeting" not in page  # the executive reads only
    assert "Plan the next meeting" in as_user(world.lead).get(BASE).content.decode()


def test_planning_prefills_the_cadence_date_and_a_generated_agenda(world, as_user):
    earlier = _meeting(world, 14, title="Fortnightly", location="Zoom")
    with scope(world.a), acting_as("test setup"):
        ActionItem.objects.create(
            title="Renew the domain", owner=world.records["a"]["people"], meeting=earlier
        )
    page = as_user(world.lead).get(BASE + "new/").content.decode()
    assert "### Carried over" in agenda_field(page) and "Renew the domain" in agenda_field(page)
    assert 'value="Fortnightly"' in page and 'value="Zoom"' in page
    due = timezone.localtime(earlier.starts_at, world.a.tz) + D(days=14)
    assert f'value="{due:%Y-%m-%dT%H:%M}"' in page


def test_a_planned_meeting_is_saved_with_its_agenda_and_a_uid(world, as_user):
    person = world.records["a"]["people"]
    response = as_user(world.lead).post(
        BASE + "new/",
        {
            "title": "IT review",
            "starts_at": "2027-01-12T09:30",
            "duration_minutes": "60",
            "location": "",
            "owner": person.pk,
            "attendees": [person.pk],
            "agenda": "### Edited\n\n- one thing",
        },
    )
    assert response.status_code == 302
    with scope(world.a):
        meeting = Meeting.objects.get(title="IT review", agenda__startswith="### Edited")
    assert response["Location"] == f"{BASE}{meeting.pk}/"
    assert meeting.ics_uid.startswith("meeting-") and meeting.ics_sequence == 0
    local = timezone.localtime(meeting.starts_at, world.a.tz)
    assert (local.date(), local.hour, local.minute) == (datetime.date(2027, 1, 12), 9, 30)
    with scope(world.a):
        assert list(meeting.attendees.all()) == [person]


def test_minutes_and_decisions_taken_are_recorded(world, as_user):
    meeting = _meeting(world, 1, agenda="old agenda")
    person = world.records["a"]["people"]
    decision = world.records["a"]["decisions"]
    response = as_user(world.lead).post(
        f"{BASE}{meeting.pk}/edit/",
        {
            "title": "IT review",
            "starts_at": timezone.localtime(meeting.starts_at, world.a.tz).strftime(
                "%Y-%m-%dT%H:%M"
            ),
            "duration_minutes": "60",
            "owner": person.pk,
            "attendees": [person.pk],
            "agenda": "old agenda",
            "minutes": "We agreed on **option B**.",
            "decisions": [decision.pk],
        },
    )
    assert response.status_code == 302
    page = as_user(world.exec_a).get(f"{BASE}{meeting.pk}/").content.decode()
    assert "<strong>option B</strong>" in page
    assert decision.question in page


def test_regenerate_replaces_the_agenda_in_the_form_only(world, as_user):
    meeting = _meeting(world, 1, agenda="stale text")
    page = as_user(world.lead).get(f"{BASE}{meeting.pk}/edit/?regenerate=1").content.decode()
    assert "stale text" not in agenda_field(page)
    assert "Send quotes" in agenda_field(page)  # the sweep meeting's open action, carried over
    with scope(world.a):
        meeting.refresh_from_db()
    assert meeting.agenda == "stale text"


def test_an_action_taken_in_the_meeting_carries_over_until_done(world, as_user):
    lead = as_user(world.lead)
    first = _meeting(world, 28)
    person = world.records["a"]["people"]
    url = f"{BASE}{first.pk}/actions/new/"
    assert lead.post(url, {"title": "", "owner": person.pk}).status_code == 400
    due = (world.a.today() - D(days=3)).isoformat()
    response = lead.post(url, {"title": "Test the restore", "owner": person.pk, "due_on": due})
    assert response.status_code == 302
    with scope(world.a):
        item = ActionItem.objects.get(title="Test the restore")
    assert item.meeting == first and item.status == "open"

    second = _meeting(world, 14)
    page = lead.get(f"{BASE}{second.pk}/").content.decode()
    assert "Carried over from earlier meetings" in page and "Test the restore" in page
    assert "Test the restore" in agenda_field(lead.get(BASE + "new/").content.decode())

    done = f"{BASE}actions/{item.pk}/done/"
    assert as_user(world.exec_a).post(done).status_code == 403
    lead = as_user(world.lead)  # the test client is shared: sign the lead in again
    response = lead.post(done, {"meeting": second.pk})
    assert response["Location"] == f"{BASE}{second.pk}/#actions"
    with scope(world.a):
        item.refresh_from_db()
    assert item.status == "done" and item.done_on == world.a.today()
    assert "Test the restore" not in agenda_field(lead.get(BASE + "new/").content.decode())


def test_the_export_has_one_row_per_meeting(world, as_user):
    _meeting(world, 3, title="Export me", minutes="Minuted")
    response = as_user(world.exec_a).get(BASE + "export/?format=csv")
    text = response.content.decode("utf-8-sig")
    header, *rows = text.strip().splitlines()
    assert header.startswith("Date and time,Minutes long,Title,Location,Organiser,Attendees")
    assert any("Export me" in row and "Pat Owner" in row for row in rows)
    assert len(rows) == 2  # the sweep record's meeting and this one


@pytest.mark.parametrize("page", ["list", "detail"])
def test_the_pages_run_a_constant_number_of_queries(world, as_user, page):
    lead = as_user(world.lead)
    meeting = world.records["a"]["meetings"]
    url = BASE if page == "list" else f"{BASE}{meeting.pk}/"

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert lead.get(url).status_code == 200
        return len(ctx)

    before = count()
    person = world.records["a"]["people"]
    decision = world.records["a"]["decisions"]
    with scope(world.a), acting_as("test setup"):
        for i in range(4):
            other = Meeting.objects.create(
                starts_at=meeting.starts_at - D(days=14 * (i + 1)), owner=person
            )
            other.attendees.add(person)
            other.decisions.add(decision)
            ActionItem.objects.create(title=f"Carried {i}", owner=person, meeting=other)
            ActionItem.objects.create(title=f"Taken {i}", owner=person, meeting=meeting)
            meeting.attendees.add(
                type(person).objects.create(client=world.a, name=f"Guest {i}", email="g@x.test")
            )
    assert count() == before


def test_with_a_meeting_planned_the_next_one_is_planned_after_it(world, as_user):
    planned = _meeting(world, -3)  # three days ahead
    page = as_user(world.lead).get(BASE).content.decode()
    assert "— planned, invitation not sent yet" in page
    page = as_user(world.lead).get(BASE + "new/").content.decode()
    after = timezone.localtime(planned.starts_at, world.a.tz) + D(days=14)
    assert f'value="{after:%Y-%m-%dT%H:%M}"' in page
