"""The project pages, the milestone toggle, and the projects' figures on the portfolio."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ciodesk.core.scope import acting_as, scope
from ciodesk.delivery import portfolio
from ciodesk.delivery.models import Milestone, Project, ProjectUpdate


def ago(world, days: int) -> datetime.date:
    return world.a.today() - datetime.timedelta(days=days)


def make_project(world, name, health=None, updated=None, client=None, **extra):
    client = client or world.a
    person = world.records["a" if client == world.a else "b"]["people"]
    with scope(client), acting_as("test"):
        project = Project.objects.create(
            name=name,
            owner=person,
            start_on=client.today() - datetime.timedelta(days=90),
            latest_update_on=updated,
            **extra,
        )
        if health:
            ProjectUpdate.objects.create(project=project, on=updated, health=health, text="t")
        Milestone.objects.create(
            project=project, title=f"{name} M", due_on=updated or ago(world, 1)
        )
    return project


def test_the_list_puts_projects_needing_attention_first(world, as_user):
    make_project(world, "Calm project", "on_track", ago(world, 2))
    make_project(world, "Quiet project", "on_track", ago(world, 20))
    body = as_user(world.exec_a).get("/c/alpha/delivery/projects/").content.decode()
    # the stalled one and the at-risk one from the sweep records come before the calm one
    assert body.index("Quiet project") < body.index("Calm project")
    assert body.index("Office move") < body.index("Calm project")
    assert "2 need attention" in body


def test_a_milestone_is_marked_done_in_place(world, as_user):
    project = make_project(world, "Toggle me", "on_track", ago(world, 2))
    with scope(world.a):
        milestone = Milestone.objects.get(project=project)
    url = f"/c/alpha/delivery/projects/milestones/{milestone.pk}/toggle/"
    response = as_user(world.consultant).post(url, HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert response.status_code == 200
    assert body.strip().startswith(f'<tr id="milestone-{milestone.pk}"')
    assert "✓ " + world.a.today().isoformat() in body
    milestone.refresh_from_db()
    assert milestone.done_on == world.a.today()
    page = as_user(world.exec_a).get(f"/c/alpha/delivery/projects/{project.pk}/").content.decode()
    assert "100 % complete" in page


def count(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx)


def test_the_project_pages_run_a_constant_number_of_queries(world, as_user):
    client = as_user(world.lead)
    project = world.records["a"]["projects"]
    urls = [
        "/c/alpha/delivery/projects/",
        "/c/alpha/delivery/projects/export/?format=xlsx",
        f"/c/alpha/delivery/projects/{project.pk}/",
    ]
    before = [count(client, url) for url in urls]
    for i in range(4):
        make_project(world, f"Project {i}", "at_risk", ago(world, i * 10))
    with scope(world.a), acting_as("test"):
        for i in range(4):
            Milestone.objects.create(project=project, title=f"M{i}", due_on=ago(world, i))
            ProjectUpdate.objects.create(
                project=project, on=ago(world, i), health="on_track", text="t"
            )
    assert [count(client, url) for url in urls] == before


def test_the_portfolio_counts_stalled_off_track_and_at_risk_projects(world):
    with scope(world.a), acting_as("test"):  # the sweep record: at risk, updated recently
        Project.objects.filter(name="Office move").update(latest_update_on=ago(world, 3))
    make_project(world, "Stalled", "on_track", ago(world, 15))
    make_project(world, "Fine on the boundary", "on_track", ago(world, 14))
    make_project(world, "Off", "off_track", ago(world, 1))
    make_project(world, "Paused and old", "on_track", ago(world, 99), status="on_hold")
    figures = portfolio.project_health([world.a])
    figure = figures[world.a.pk]
    # the sweep record "Office move" (at risk, updated 3 days ago) is the at-risk one
    assert figure.value == "1 stalled · 1 off track · 1 at risk"
    assert figure.attention is True
    assert figure.detail == "of 4 active projects"


def test_calm_projects_are_shown_without_attention(world):
    with scope(world.b), acting_as("test"):
        Project.objects.all().delete()
    make_project(world, "Calm", "on_track", world.b.today(), client=world.b)
    figure = portfolio.project_health([world.b])[world.b.pk]
    assert (figure.value, figure.attention) == ("1 on track", False)


@pytest.mark.parametrize("extra_clients", [0, 5])
def test_the_portfolio_figures_run_one_query_each(world, extra_clients):
    from ciodesk.conftest import make_client

    with acting_as("test"):
        clients = [world.a, world.b] + [
            make_client(f"x{i}", f"X {i}") for i in range(extra_clients)
        ]
    for provider in (portfolio.project_health, portfolio.waiting_decisions, portfolio.retainer):
        with CaptureQueriesContext(connection) as ctx:
            provider(clients)
        assert len(ctx) == 1, provider.__name__
