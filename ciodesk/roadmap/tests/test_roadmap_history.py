"""Every change is kept: the roadmap as of a past date, and what changed since then."""

from __future__ import annotations

import datetime
from decimal import Decimal

from ciodesk.core.scope import acting_as, scope
from ciodesk.roadmap import planning, services
from ciodesk.roadmap.models import RoadmapReview
from ciodesk.roadmap.services_history import changes_since, default_since, roadmap_as_of
from ciodesk.roadmap.tests.conftest import moment


def story(world, make_item):
    """Sixty days ago four items; thirty days ago a move, a new cost, a drop; now a new one."""
    firewall = make_item("Replace the firewall", moment(60), fiscal_year=2027, quarter=1)
    backup = make_item("Offsite backup", moment(60), fiscal_year=2027, quarter=2)
    printers = make_item("Retire the old printers", moment(60), fiscal_year=2027, quarter=2)
    phones = make_item("New phone system", moment(60), fiscal_year=2027, quarter=3)
    phones_pk = phones.pk
    with scope(world.a), acting_as("test"):
        services.move_item(firewall, 2027, 3, when=moment(30))
        services.update_item(backup, when=moment(30), one_time_cost=Decimal("1500.00"))
        services.update_item(printers, when=moment(30), status="dropped")
        services.delete_item(phones)
    phones.pk = phones_pk
    wifi = make_item("Guest Wi-Fi", fiscal_year=2027, quarter=4)
    return firewall, backup, printers, phones, wifi


def test_the_roadmap_as_of_a_past_date(world, make_item):
    firewall, backup, printers, phones, wifi = story(world, make_item)
    with scope(world.a):
        then = roadmap_as_of(world.a, moment(45))
        now = roadmap_as_of(world.a, moment(0))
    planned_long_ago = world.records["a"]["roadmap_items"].pk
    assert set(then) == {planned_long_ago, firewall.pk, backup.pk, printers.pk, phones.pk}
    assert (then[firewall.pk].fiscal_year, then[firewall.pk].quarter) == (2027, 1)
    assert then[backup.pk].one_time_cost == Decimal("1000.00")
    assert then[printers.pk].status == "proposed"
    assert phones.pk not in now  # deleted
    assert now[firewall.pk].when == "Q3 FY2027"
    assert now[printers.pk].dropped
    with scope(world.a):
        assert set(roadmap_as_of(world.a, moment(90))) == {planned_long_ago}


def test_what_changed_since_a_date(world, make_item):
    firewall, backup, printers, phones, wifi = story(world, make_item)
    with scope(world.a):
        diff = changes_since(world.a, moment(45))
    assert [c.now.title for c in diff.added] == ["Guest Wi-Fi"]
    assert sorted(c.then.title for c in diff.dropped) == [
        "New phone system",
        "Retire the old printers",
    ]
    assert [(c.then.when, c.now.when) for c in diff.moved] == [("Q1 FY2027", "Q3 FY2027")]
    assert [c.one_time_delta for c in diff.recosted] == [Decimal("500.00")]
    with scope(world.a):
        later = changes_since(world.a, moment(20))
    assert [c.now.title for c in later.added] == ["Guest Wi-Fi"]
    assert not later.moved and not later.recosted
    assert [c.then.title for c in later.dropped] == ["New phone system"]


def test_the_last_review_is_the_default_comparison_point(world, make_item):
    with scope(world.a):
        RoadmapReview.objects.all().delete()
        since, review = default_since(world.a)
    assert review is None  # without a review: 90 days back
    assert (world.a.today() - since.astimezone(world.a.tz).date()).days == 90
    story(world, make_item)
    with scope(world.a), acting_as("test"):
        review = RoadmapReview.objects.create(
            reviewed_on=world.a.today() - datetime.timedelta(days=45),
            owner=world.records["a"]["people"],
        )
        since, found = default_since(world.a)
        diff = changes_since(world.a, since)
    assert found == review
    assert len(diff.moved) == 1 and len(diff.recosted) == 1 and len(diff.added) == 1


def test_the_pages_show_the_past_and_the_changes(world, make_item, as_user):
    story(world, make_item)
    client = as_user(world.exec_a)
    day = (world.a.today() - datetime.timedelta(days=45)).isoformat()
    page = client.get(f"/c/alpha/roadmap/as-of/?on={day}").content.decode()
    assert "New phone system" in page and "Guest Wi-Fi" not in page
    page = client.get(f"/c/alpha/roadmap/changes/?since={day}").content.decode()
    assert "Q1 FY2027 → Q3 FY2027" in page
    assert "Guest Wi-Fi" in page
    csv = client.get(f"/c/alpha/roadmap/changes/export/?format=csv&since={day}")
    text = csv.content.decode("utf-8-sig")
    assert "Moved,Replace the firewall,Q1 FY2027,Q3 FY2027" in text
    assert "Re-costed,Offsite backup" in text


def test_every_save_through_the_pages_keeps_a_version(world, as_user):
    from ciodesk.roadmap.models import RoadmapItem, RoadmapItemVersion

    client = as_user(world.lead)
    owner = world.records["a"]["people"]
    response = client.post(
        "/c/alpha/roadmap/items/new/",
        {
            "title": "Password manager",
            "disposition": "fund",
            "status": "proposed",
            "owner": owner.pk,
            "plan": "",
            "one_time_cost": "500.00",
            "recurring_cost": "1200.00",
            "currency": "USD",
            "effort": "s",
            "risk_reduced": 4,
            "business_value": 3,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    with scope(world.a):
        item = RoadmapItem.objects.get(title="Password manager")
        assert RoadmapItemVersion.objects.filter(item_id_ref=item.pk).count() == 1
    goal = world.records["a"]["goals"]
    target = planning.current_quarter(world.a).next()
    edit = client.get(f"/c/alpha/roadmap/items/{item.pk}/edit/").content.decode()
    assert f'value="{target.key}"' in edit  # the target quarter is one of the fiscal quarters
    data = {
        "title": "Password manager",
        "disposition": "fund",
        "status": "approved",
        "owner": owner.pk,
        "plan": target.key,
        "goals": [goal.pk],
        "one_time_cost": "650.00",
        "recurring_cost": "1200.00",
        "currency": "USD",
        "effort": "s",
        "risk_reduced": 4,
        "business_value": 3,
    }
    response = client.post(f"/c/alpha/roadmap/items/{item.pk}/edit/", data)
    assert response.status_code == 302
    with scope(world.a):
        item.refresh_from_db()
        assert (item.fiscal_year, item.quarter) == (target.fiscal_year, target.quarter)
        assert item.status == "approved"
        latest = RoadmapItemVersion.objects.filter(item_id_ref=item.pk).last()
        assert latest.data["goal_names"] == [goal.text]
        assert latest.data["one_time_cost"] == "650.00"
        assert latest.changed_by == world.lead
    assert client.post(f"/c/alpha/roadmap/items/{item.pk}/delete/").status_code == 302
    with scope(world.a):
        versions = list(RoadmapItemVersion.objects.filter(item_id_ref=item.pk))
    assert [v.deleted for v in versions] == [False, False, True]
