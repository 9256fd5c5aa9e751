"""“Owned by”: one person's items across the apps, overdue first; nobody else's people."""

import csv
import datetime
import io

from django.db import connection
from django.test.utils import CaptureQueriesContext

from ciodesk.core.scope import acting_as, scope
from ciodesk.delivery import ownership
from ciodesk.delivery.models import ActionItem, Decision
from ciodesk.tenancy.models import Person

URL = "/c/alpha/delivery/owned/"


def days(world, n: int) -> datetime.date:
    return world.a.today() + datetime.timedelta(days=n)


def olgas_items(world):
    """A new person owning one thing in each app, some overdue."""
    from ciodesk.assessments.models import Finding
    from ciodesk.roadmap.models import RoadmapItem
    from ciodesk.security.models import Risk
    from ciodesk.vendors.models import Contract, Vendor

    records = world.records["a"]
    with scope(world.a), acting_as("test"):
        olga = Person.objects.create(client=world.a, name="Olga Owner")
        Decision.objects.create(
            question="Buy the new laptops?",
            decider=world.exec_a,
            owner=olga,
            deadline=days(world, 5),
        )
        ActionItem.objects.create(title="Call the ISP", owner=olga, due_on=days(world, -3))
        ActionItem.objects.create(title="Closed one", owner=olga, status="done")
        Risk.objects.create(
            title="Laptop theft", owner=olga, likelihood=3, impact=4, next_review_on=days(world, -1)
        )
        vendor = Vendor.objects.create(name="Paper Co", category="other", owner=olga)
        Contract.objects.create(
            vendor=vendor,
            title="Printers",
            start_date=days(world, -700),
            end_date=days(world, 10),
            auto_renew=True,
            renewal_term_months=12,
            notice_days=30,
            annual_value="1200.00",
            owner=olga,
        )
        control = records["controls"]
        control.owner, control.status = olga, "in_place"
        control.last_verified_on = days(world, -3000)
        control.save()
        RoadmapItem.objects.create(title="Wi-Fi upgrade", owner=olga, fiscal_year=2020, quarter=1)
        Finding.objects.create(assessment=records["assessments"], title="No asset list", owner=olga)
    return olga


def test_everything_a_person_owns_across_the_apps_overdue_first(world, as_user):
    olga = olgas_items(world)
    with scope(world.a):
        rows = ownership.owned_by(world.a, olga, world.a.today())
    kinds = {r.kind: r for r in rows}
    assert set(kinds) == {
        "Decision",
        "Action item",
        "Risk",
        "Vendor",
        "Contract",
        "Control",
        "Roadmap item",
        "Finding",
    }
    overdue = [r.kind for r in rows if r.overdue]
    # overdue first, the oldest due date first among them
    assert overdue == ["Control", "Roadmap item", "Contract", "Action item", "Risk"]
    assert [r.overdue for r in rows] == sorted((r.overdue for r in rows), reverse=True)
    assert kinds["Contract"].due == days(world, -20)  # notice deadline: 10 - 30 days
    assert not kinds["Decision"].overdue and kinds["Decision"].due == days(world, 5)
    assert kinds["Roadmap item"].due == datetime.date(2020, 3, 31)

    body = as_user(world.exec_a).get(f"{URL}?person={olga.pk}").content.decode()
    assert "Owned by Olga Owner" in body
    assert body.index("Call the ISP") < body.index("Buy the new laptops?")
    assert "Closed one" not in body
    assert "5 overdue" in body


def test_the_list_exports(world, as_user):
    olga = olgas_items(world)
    response = as_user(world.exec_a).get(f"{URL}export/?format=csv&person={olga.pk}")
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0]["Overdue"] == "yes" and rows[-1]["Overdue"] == "no"
    assert {"Call the ISP", "Paper Co"} <= {r["Item"] for r in rows}


def test_a_practice_person_is_listed_and_another_clients_person_is_not(world, as_user):
    with acting_as("test"):
        cio = Person.unscoped.create(name="Dana CIO")
    with scope(world.a), acting_as("test"):
        ActionItem.objects.create(title="Draft the roadmap", owner=cio, due_on=days(world, 2))
    client = as_user(world.exec_a)
    body = client.get(f"{URL}?person={cio.pk}").content.decode()
    assert "Draft the roadmap" in body
    foreign = world.records["b"]["people"]
    assert client.get(f"{URL}?person={foreign.pk}").status_code == 404
    assert client.get(f"{URL}export/?format=csv&person={foreign.pk}").status_code == 404
    assert client.get(f"{URL}?person=nonsense").status_code == 404


def test_without_a_person_the_page_offers_the_choice(world, as_user):
    body = as_user(world.exec_a).get(URL).content.decode()
    assert "Choose a person" in body and "Pat Owner" in body


def test_the_page_runs_a_constant_number_of_queries(world, as_user):
    from ciodesk.conftest import make_vendor_records
    from ciodesk.delivery.testing import make_delivery_records
    from ciodesk.roadmap.testing import make_roadmap_records

    person = world.records["a"]["people"]
    client = as_user(world.lead)
    url = f"{URL}?person={person.pk}"

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx)

    before = count()
    with acting_as("test"):
        for i in range(4):
            make_delivery_records(world.a, person, f" {i}")
            make_vendor_records(world.a, person, f" {i}")
            make_roadmap_records(world.a, person, f" {i}")
    assert count() == before
