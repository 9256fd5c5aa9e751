"""Action items: overdue first, filters, export, marking done in place, constant queries."""

import csv
import datetime
import io

from django.db import connection
from django.test.utils import CaptureQueriesContext

from ciodesk.core.scope import acting_as, scope
from ciodesk.delivery.models import ActionItem
from ciodesk.tenancy.models import Person

LIST = "/c/alpha/delivery/actions/"


def make_items(world):
    today = world.a.today()
    owner = world.records["a"]["people"]
    with scope(world.a), acting_as("test"):
        other = Person.objects.create(client=world.a, name="Olga Office")
        ActionItem.objects.all().delete()
        items = {
            "later": ActionItem.objects.create(
                title="Later", owner=owner, due_on=today + datetime.timedelta(days=5)
            ),
            "undated": ActionItem.objects.create(title="Undated", owner=owner),
            "late": ActionItem.objects.create(
                title="Late", owner=other, due_on=today - datetime.timedelta(days=2)
            ),
            "done": ActionItem.objects.create(
                title="Finished",
                owner=owner,
                due_on=today - datetime.timedelta(days=9),
                status="done",
                done_on=today,
            ),
            "today": ActionItem.objects.create(title="Due today", owner=other, due_on=today),
        }
    return items, other


def titles(body: str, names) -> list[str]:
    return sorted(names, key=lambda n: body.index(f"<strong>{n}</strong>"))


def test_overdue_items_come_first(world, as_user):
    make_items(world)
    body = as_user(world.exec_a).get(LIST).content.decode()
    shown = ["Late", "Due today", "Later", "Undated"]
    assert titles(body, shown) == shown
    assert "<strong>Finished</strong>" not in body  # open ones by default
    assert "1 overdue" in body
    body = as_user(world.exec_a).get(LIST + "?status=all").content.decode()
    assert titles(body, shown + ["Finished"]) == shown + ["Finished"]


def test_filter_by_owner_and_export(world, as_user):
    _, other = make_items(world)
    client = as_user(world.exec_a)
    body = client.get(f"{LIST}?owner={other.pk}").content.decode()
    assert "<strong>Late</strong>" in body and "<strong>Later</strong>" not in body
    response = client.get(f"{LIST}export/?format=csv&status=all&owner={other.pk}")
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert [(r["Action"], r["Overdue"]) for r in rows] == [("Late", "yes"), ("Due today", "no")]


def test_marking_done_swaps_the_row_and_records_the_day(world, as_user):
    items, _ = make_items(world)
    late = items["late"]
    response = as_user(world.contrib_a).post(
        f"/c/alpha/delivery/actions/{late.pk}/done/", HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    assert response.content.decode().strip().startswith(f'<tr id="action-{late.pk}"')
    late.refresh_from_db()
    assert (late.status, late.done_on) == ("done", world.a.today())
    # and back again
    as_user(world.contrib_a).post(f"/c/alpha/delivery/actions/{late.pk}/done/")
    late.refresh_from_db()
    assert (late.status, late.done_on) == ("open", None)


def test_an_executive_cannot_mark_done(world, as_user):
    items, _ = make_items(world)
    response = as_user(world.exec_a).post(f"/c/alpha/delivery/actions/{items['late'].pk}/done/")
    assert response.status_code == 403


def test_the_action_list_runs_a_constant_number_of_queries(world, as_user):
    client = as_user(world.lead)
    urls = [LIST + "?status=all", LIST + "export/?format=csv&status=all"]

    def count(url):
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx)

    before = [count(u) for u in urls]
    with scope(world.a), acting_as("test"):
        for i in range(4):
            ActionItem.objects.create(
                title=f"Item {i}",
                owner=world.records["a"]["people"],
                project=world.records["a"]["projects"],
                meeting=world.records["a"]["meetings"],
            )
    assert [count(u) for u in urls] == before
