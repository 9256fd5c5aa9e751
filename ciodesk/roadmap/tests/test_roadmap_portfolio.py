"""The roadmap figure on the portfolio: this quarter's items not started, and overdue ones."""

from __future__ import annotations

from ciodesk.core.scope import acting_as, scope
from ciodesk.roadmap import planning
from ciodesk.roadmap.models import RoadmapItem
from ciodesk.roadmap.portfolio import this_quarter


def unschedule_the_records(world):
    with scope(world.a), acting_as("test"):  # whatever today is, the record is not overdue
        RoadmapItem.objects.update(fiscal_year=None, quarter=None)


def test_the_figure_counts_this_quarter_and_flags_the_overdue(world, make_item):
    unschedule_the_records(world)
    now = planning.current_quarter(world.a)
    before = now.previous()
    make_item("Started", fiscal_year=now.fiscal_year, quarter=now.quarter, status="in_progress")
    make_item("Waiting", fiscal_year=now.fiscal_year, quarter=now.quarter, status="approved")
    figures = this_quarter([world.a, world.b])
    figure = figures[world.a.pk]
    assert figure.label == f"Roadmap {now.label}"
    assert figure.value == "1 of 2 not started"
    assert not figure.attention
    assert figure.url == "/c/alpha/roadmap/"
    make_item("Slipped", fiscal_year=before.fiscal_year, quarter=before.quarter)
    figure = this_quarter([world.a])[world.a.pk]
    assert figure.attention and figure.detail == "1 overdue from earlier quarters"
    with scope(world.a), acting_as("test"):
        RoadmapItem.objects.filter(title="Slipped").update(status="done")
    assert not this_quarter([world.a])[world.a.pk].attention


def test_the_portfolio_shows_it(world, as_user, make_item):
    unschedule_the_records(world)
    now = planning.current_quarter(world.a)
    make_item("Waiting", fiscal_year=now.fiscal_year, quarter=now.quarter, status="approved")
    body = as_user(world.lead).get("/").content.decode()
    assert f"Roadmap {now.label}" in body and "1 of 1 not started" in body
