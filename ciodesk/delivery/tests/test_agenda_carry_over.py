"""An open action item from an earlier meeting is on every next agenda until it is done."""

from __future__ import annotations

import datetime

from ciodesk.core.scope import acting_as, scope
from ciodesk.delivery import services_agenda as agenda
from ciodesk.delivery.models import ActionItem, Meeting
from ciodesk.delivery.tests.test_agenda_sources import charlie  # noqa: F401  the fixture

D = datetime.timedelta


def carried(client, starts_at, today, meeting=None) -> list[str]:
    sections = {s.key: s for s in agenda.build(client, starts_at, meeting, today=today)}
    section = sections.get("carried_over")
    return [line.text for line in section.lines] if section else []


def test_an_open_item_carries_over_until_done(charlie):  # noqa: F811
    client, person, _decider, today, start = charlie
    with scope(client), acting_as("test setup"):
        first = Meeting.objects.create(starts_at=start - D(days=28), owner=person)
        second = Meeting.objects.create(starts_at=start - D(days=14), owner=person)
        quotes = ActionItem.objects.create(title="Get quotes", owner=person, meeting=first)
        restore = ActionItem.objects.create(title="Test a restore", owner=person, meeting=first)
        ActionItem.objects.create(
            title="Dropped idea", owner=person, meeting=first, status="dropped"
        )

    # At the second meeting, both open items of the first are carried over.
    assert carried(client, second.starts_at, today, second) == [
        "Get quotes (Cleo Owner)",
        "Test a restore (Cleo Owner)",
    ]
    # One is done before the third: only the other is still carried, two meetings on.
    with scope(client), acting_as("test setup"):
        restore.status = "done"
        restore.done_on = today
        restore.save()
    assert carried(client, start, today) == ["Get quotes (Cleo Owner)"]
    # Items taken in the meeting itself are not "carried over" into its own agenda.
    with scope(client), acting_as("test setup"):
        ActionItem.objects.create(title="Own item", owner=person, meeting=second)
    assert "Own item (Cleo Owner)" not in carried(client, second.starts_at, today, second)
    # Done: gone from the next agenda, and the section with it.
    with scope(client), acting_as("test setup"):
        quotes.status = "done"
        quotes.save()
        ActionItem.objects.filter(title="Own item").update(status="done")
    assert carried(client, start, today) == []
