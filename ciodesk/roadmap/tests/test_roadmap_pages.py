"""The board, a finding in one click, moving items, the exports, and who may do what."""

from __future__ import annotations

import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from ciodesk.assessments.models import Finding
from ciodesk.core.scope import acting_as, scope
from ciodesk.roadmap import planning
from ciodesk.roadmap.models import RoadmapItem, RoadmapItemVersion


def from_finding_url(finding):
    return f"/c/alpha/roadmap/from-finding/{finding.pk}/"


def test_a_finding_becomes_an_item_in_one_click_and_stays_linked(world, as_user):
    finding = world.records["a"]["findings"]
    with scope(world.a), acting_as("test"):
        Finding.objects.filter(pk=finding.pk).update(
            cost_low="1000.00", cost_high="3000.00", status="open"
        )
    client = as_user(world.consultant)
    response = client.post(from_finding_url(finding))
    assert response.status_code == 302
    with scope(world.a):
        item = RoadmapItem.objects.get(findings=finding)
        assert response["Location"] == f"/c/alpha/roadmap/items/{item.pk}/"
        assert item.title == finding.title
        assert item.disposition == finding.disposition
        assert str(item.one_time_cost) == "2000.00"  # the middle of the range
        assert RoadmapItemVersion.objects.filter(item_id_ref=item.pk).count() == 1
        finding.refresh_from_db()
        assert finding.status == "planned"
    again = client.post(from_finding_url(finding))
    assert again["Location"] == f"/c/alpha/roadmap/items/{item.pk}/"
    with scope(world.a):
        assert RoadmapItem.objects.filter(findings=finding).count() == 1
    page = client.get(again["Location"]).content.decode()
    assert finding.title in page


def test_the_findings_list_shows_the_button(world, as_user):
    finding = world.records["a"]["findings"]
    with scope(world.a), acting_as("test"):
        Finding.objects.filter(pk=finding.pk).update(status="open")
    page = as_user(world.lead).get("/c/alpha/assessments/findings/?assessment=all")
    assert from_finding_url(finding) in page.content.decode()


def move(client, item, to, json=True):
    headers = {"HTTP_ACCEPT": "application/json"} if json else {}
    return client.post(f"/c/alpha/roadmap/items/{item.pk}/move/", {"to": to}, **headers)


def test_moving_an_item_to_another_quarter_keeps_the_change(world, as_user):
    item = world.records["a"]["roadmap_items"]
    client = as_user(world.consultant)
    target = planning.board_quarters(world.a)[2].key
    board = client.get("/c/alpha/roadmap/").content.decode()
    assert f'data-slot="{target}"' in board
    response = move(client, item, target)
    assert response.status_code == 200
    assert response.json()["ok"] is True
    with scope(world.a):
        item.refresh_from_db()
        assert f"{item.fiscal_year}Q{item.quarter}" == target
        assert RoadmapItemVersion.objects.filter(item_id_ref=item.pk).count() == 2
    # Without script: the Move button posts a form and comes back to the board.
    response = move(client, item, "", json=False)
    assert response.status_code == 302
    with scope(world.a):
        item.refresh_from_db()
        assert item.quarter is None


def test_a_move_to_nowhere_is_refused(world, as_user):
    item = world.records["a"]["roadmap_items"]
    response = move(as_user(world.lead), item, "1999Q1")
    assert response.status_code == 400
    assert "quarters" in response.json()["error"]


def test_moving_another_clients_item_is_404(world, as_user):
    foreign = world.records["b"]["roadmap_items"]
    response = move(as_user(world.lead), foreign, "2027Q2")
    assert response.status_code == 404
    with scope(world.b):
        foreign.refresh_from_db()
        assert (foreign.fiscal_year, foreign.quarter) == (2027, 1)


@pytest.mark.parametrize("persona", ["exec_a", "contrib_a"])
def test_read_only_users_cannot_move(world, as_user, persona):
    item = world.records["a"]["roadmap_items"]
    client = as_user(getattr(world, persona))
    assert move(client, item, "2027Q2").status_code == 403
    page = client.get("/c/alpha/roadmap/").content.decode()
    assert "Enforce MFA" in page
    assert 'draggable="true"' not in page and "roadmap.js" not in page


def test_the_exports_contain_the_rows(world, as_user):
    client = as_user(world.exec_a)
    text = client.get("/c/alpha/roadmap/items/export/?format=csv").content.decode("utf-8-sig")
    assert text.splitlines()[0].startswith("Item,Why,Disposition,Status,Owner")
    assert "Enforce MFA,Stolen passwords,Fix,Proposed,Pat Owner,2027,1,1200.00,600.00" in text
    data = client.get("/c/alpha/roadmap/items/export/?format=xlsx").content
    sheet = load_workbook(io.BytesIO(data)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[1][0] == "Enforce MFA" and rows[1][-1] == "Open a second office in Q3"


def test_the_views_by_goal_and_disposition(world, as_user):
    client = as_user(world.exec_a)
    page = client.get("/c/alpha/roadmap/by-goal/").content.decode()
    assert "Open a second office in Q3" in page and "Enforce MFA" in page
    page = client.get("/c/alpha/roadmap/by-disposition/").content.decode()
    assert "Fix <span" in page and "Nothing to retire." in page


def test_an_empty_roadmap_says_what_to_do_next(world, as_user):
    with scope(world.a), acting_as("test"):
        RoadmapItem.objects.all().delete()
    page = as_user(world.lead).get("/c/alpha/roadmap/").content.decode()
    assert "Nothing on the roadmap yet." in page
    assert "/c/alpha/assessments/findings/" in page


PAGES = [
    "/c/alpha/roadmap/",
    "/c/alpha/roadmap/items/",
    "/c/alpha/roadmap/by-goal/",
    "/c/alpha/roadmap/by-disposition/",
    "/c/alpha/roadmap/costs/",
    "/c/alpha/roadmap/changes/",
    "/c/alpha/roadmap/as-of/",
    "/c/alpha/roadmap/items/export/?format=csv",
]


@pytest.mark.parametrize("url", PAGES)
def test_the_page_runs_a_constant_number_of_queries(world, as_user, make_item, url):
    client = as_user(world.lead)
    goal = world.records["a"]["goals"]

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx)

    before = count()
    for i in range(5):
        made = make_item(f"Item {i}", fiscal_year=2027, quarter=1 + i % 4)
        with scope(world.a):
            made.goals.add(goal)
    assert count() == before
