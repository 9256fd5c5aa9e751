"""Stall detection at its boundary, percent complete, the latest update, scope changes."""

import datetime

import pytest

from ciodesk.core.scope import acting_as, scope
from ciodesk.delivery import services_projects as sp
from ciodesk.delivery.models import Milestone, Project, ProjectUpdate, ScopeChange

D = datetime.date(2026, 3, 2)


def day(n: int) -> datetime.date:
    return D + datetime.timedelta(days=n)


@pytest.mark.parametrize(
    ("today", "stalled"),
    [(day(0), False), (day(13), False), (day(14), False), (day(15), True), (day(40), True)],
)
def test_an_update_on_d_with_cadence_14_is_fine_through_d14_and_stalled_from_d15(today, stalled):
    assert sp.stalled("active", D, day(-30), 14, today) is stalled


def test_the_cadence_is_the_projects_own():
    assert sp.stalled("active", D, None, 7, day(7)) is False
    assert sp.stalled("active", D, None, 7, day(8)) is True


def test_no_update_since_the_start_counts_from_the_start():
    # never updated: fine through start + 14, stalled from start + 15
    assert sp.stalled("active", None, D, 14, day(14)) is False
    assert sp.stalled("active", None, D, 14, day(15)) is True
    # updated only before the start (planning): still counted from the start
    assert sp.stalled("active", day(-20), D, 14, day(14)) is False
    assert sp.stalled("active", day(-20), D, 14, day(15)) is True


def test_projects_not_started_or_not_active_do_not_stall():
    assert sp.stalled("active", None, day(10), 14, D) is False
    for status in ("on_hold", "done", "cancelled"):
        assert sp.stalled(status, day(-100), day(-200), 14, D) is False


def test_an_active_project_never_reported_on_counts_as_stalled():
    assert sp.stalled("active", None, None, 14, D) is True


@pytest.mark.parametrize(
    ("done", "total", "expected"), [(0, 3, 0), (1, 3, 33), (2, 3, 66), (3, 3, 100), (0, 0, None)]
)
def test_percent_complete_is_done_over_all_rounded_down(done, total, expected):
    assert sp.percent(done, total) == expected


def make_project(world, **extra):
    with scope(world.a), acting_as("test"):
        return Project.objects.create(
            name=extra.pop("name", "Network refresh"),
            owner=world.records["a"]["people"],
            start_on=extra.pop("start_on", world.a.today() - datetime.timedelta(days=60)),
            **extra,
        )


def test_percent_complete_from_the_milestones(world):
    project = make_project(world)
    with scope(world.a), acting_as("test"):
        for i, done in enumerate([True, True, False]):
            Milestone.objects.create(
                project=project, title=f"M{i}", due_on=D, done_on=D if done else None
            )
        assert sp.percent_complete(project) == 66
        annotated = sp.with_facts(Project.objects.filter(pk=project.pk)).get()
        assert (annotated.milestones_done, annotated.milestones_total) == (2, 3)
        assert sp.percent_complete(annotated) == 66


def test_latest_update_on_follows_the_newest_update(world, as_user):
    project = make_project(world)
    client = as_user(world.consultant)
    url = f"/c/alpha/delivery/projects/{project.pk}/updates/new/"
    for on, health in [
        ("2026-11-02", "on_track"),
        ("2026-11-16", "at_risk"),
        ("2026-11-09", "on_track"),
    ]:
        response = client.post(url, {"on": on, "health": health, "text": "Progress"})
        assert response.status_code == 302
    project.refresh_from_db()
    assert project.latest_update_on == datetime.date(2026, 11, 16)
    with scope(world.a):
        newest = ProjectUpdate.objects.get(project=project, on=datetime.date(2026, 11, 16))
        row = sp.rows(Project.objects.filter(pk=project.pk), datetime.date(2026, 11, 20))[0]
    assert row.health == "at_risk" and row.needs_attention
    client.post(f"/c/alpha/delivery/projects/updates/{newest.pk}/delete/")
    project.refresh_from_db()
    assert project.latest_update_on == datetime.date(2026, 11, 9)


def test_the_project_page_says_it_is_stalled(world, as_user):
    today = world.a.today()
    project = make_project(world, latest_update_on=today - datetime.timedelta(days=15))
    body = as_user(world.exec_a).get(f"/c/alpha/delivery/projects/{project.pk}/").content.decode()
    assert "Stalled:" in body
    project.latest_update_on = today - datetime.timedelta(days=14)
    with scope(world.a), acting_as("test"):
        project.save()
    body = as_user(world.exec_a).get(f"/c/alpha/delivery/projects/{project.pk}/").content.decode()
    assert "Stalled:" not in body


def edit_data(project, **changes):
    data = {
        "name": project.name,
        "objective": "",
        "scope_in": "Switches\r\nWi-Fi",
        "scope_out": "Phones",
        "owner": project.owner_id,
        "budget": "1000.00",
        "currency": "USD",
        "start_on": "2026-09-01",
        "target_on": "2026-12-31",
        "update_cadence_days": "14",
        "status": "active",
    }
    data.update(changes)
    return data


def test_a_scope_change_needs_a_reason_and_is_logged(world, as_user):
    project = make_project(world, scope_in="Switches\nWi-Fi", scope_out="Phones")
    client = as_user(world.consultant)
    url = f"/c/alpha/delivery/projects/{project.pk}/edit/"

    # Saving without changing the scope (browsers send CRLF) needs no reason and logs nothing.
    assert client.post(url, edit_data(project, budget="1500.00")).status_code == 302
    # Changing it without a reason is refused.
    response = client.post(url, edit_data(project, scope_out="Phones\r\nPrinters"))
    assert response.status_code == 200
    assert "Say why the scope changes." in response.content.decode()
    # With a reason, it is saved and logged.
    response = client.post(
        url,
        edit_data(project, scope_out="Phones\r\nPrinters", scope_change_reason="Lease ends"),
    )
    assert response.status_code == 302
    with scope(world.a):
        changes = list(ScopeChange.objects.filter(project=project))
    assert len(changes) == 1
    assert changes[0].reason == "Lease ends"
    assert changes[0].change == "Out of scope: “Phones” → “Phones\nPrinters”"
    assert changes[0].author == world.consultant
