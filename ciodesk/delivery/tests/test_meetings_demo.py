"""The meetings demo: a history at the client's cadence, with open actions carried over."""

from __future__ import annotations

from itertools import pairwise

from ciodesk.core.scope import acting_as, scope
from ciodesk.delivery import demo_meetings
from ciodesk.delivery import services_agenda as agenda
from ciodesk.delivery.models import ActionItem, Meeting


def test_the_demo_history_is_at_the_cadence_and_loads_once(world):
    client = world.a
    with scope(client), acting_as("ciodesk demo"):
        ActionItem.objects.update(meeting=None)  # the sweep record's meeting goes
        Meeting.objects.all().delete()
        assert demo_meetings.load_meetings(None, client) == 4
        assert demo_meetings.load_meetings(None, client) == 0  # twice changes nothing
        meetings = list(Meeting.objects.order_by("starts_at"))
        days = [agenda.local_date(client, m.starts_at) for m in meetings]
        gaps = {(later - earlier).days for earlier, later in pairwise(days)}
        assert gaps == {client.cadence_days}
        assert all(m.minutes and m.agenda and m.sent_at and m.ics_uid for m in meetings)
        open_items = ActionItem.objects.filter(status="open", meeting__isnull=False)
        assert open_items.count() == 4
    due = agenda.next_meeting(client)
    assert (due.due_on - client.today()).days == 2
    text = agenda.generate(client, agenda.default_start(client, due.due_on, due.last))
    assert "### Carried over" in text and "Get three quotes for replacing the firewall" in text
