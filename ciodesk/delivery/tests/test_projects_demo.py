"""The delivery demo: what it shows, and that running it twice changes nothing."""

import io
from types import SimpleNamespace

from ciodesk.core.scope import acting_as, scope
from ciodesk.delivery import demo, portfolio
from ciodesk.delivery.models import ActionItem, Decision, Project, TimeEntry


def counts(client):
    with scope(client):
        return {
            model.__name__: model.objects.count()
            for model in (Decision, Project, ActionItem, TimeEntry)
        }


def test_the_demo_shows_each_state_and_is_idempotent(world):
    context = SimpleNamespace(clients={"alpha": world.a}, stdout=io.StringIO())
    with acting_as("test"):
        TimeEntry.unscoped.filter(client=world.a).delete()
        demo.load(context)
    first = counts(world.a)
    with acting_as("test"):
        demo.load(context)
    assert counts(world.a) == first

    with scope(world.a):
        statuses = set(Decision.objects.values_list("status", flat=True))
        overdue = ActionItem.objects.filter(status="open", due_on__lt=world.a.today()).count()
        assert TimeEntry.objects.exists()
    assert {"pending", "approved", "deferred", "rejected"} <= statuses
    assert overdue >= 2
    projects = portfolio.project_health([world.a])[world.a.pk]
    assert "stalled" in projects.value and "at risk" in projects.value
    retainer = portfolio.retainer([world.a])[world.a.pk]
    assert retainer.value == "8.75 / 16 h (55 %)"  # the demo's 55 % of 16 hours, this month
