"""Security pages run the same number of queries with one control's evidence or five."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ciodesk.core.figures import figures_for
from ciodesk.core.scope import acting_as, scope
from ciodesk.security import services_controls as services

KEYS = ["backups", "mfa-email", "restore-test", "endpoint-protection", "mfa-admins"]
PAGES = [
    "/c/alpha/security/",
    "/c/alpha/security/controls/",
    "/c/alpha/security/controls/?status=in_place",
    "/c/alpha/security/controls/export/?format=csv",
    "/c/alpha/security/rollups/",
    "/c/alpha/security/rollups/export/?table=cis&format=csv",
]


def add_evidence(world, keys, times=1):
    with scope(world.a), acting_as("test setup"):
        for key in keys:
            for i in range(times):
                services.add_evidence(
                    services.control_for(key),
                    kind="note",
                    title=f"check {i}",
                    note="seen",
                    verified_on=world.a.today(),
                    status="in_place",
                )


def counter(page, url):
    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert page.get(url).status_code == 200
        return len(ctx)

    return count


@pytest.mark.parametrize("url", PAGES)
def test_the_page_runs_a_constant_number_of_queries(world, as_user, url):
    add_evidence(world, KEYS[:1])
    count = counter(as_user(world.consultant), url)
    before = count()
    add_evidence(world, KEYS[1:], times=2)
    assert count() == before


def test_a_controls_page_runs_a_constant_number_of_queries(world, as_user):
    add_evidence(world, KEYS[:1])
    with scope(world.a):
        pk = services.control_for("backups").pk
    count = counter(as_user(world.consultant), f"/c/alpha/security/controls/{pk}/")
    before = count()
    add_evidence(world, KEYS[:1], times=4)
    assert count() == before


def test_the_portfolio_figure_is_one_query_for_any_number_of_clients(world):
    from ciodesk.security.portfolio import stale_controls

    for key, client in (("a", world.a), ("b", world.b)):
        with scope(client):  # the URL sweep's control would go stale as the calendar moves
            world.records[key]["controls"].status = "not_in_place"
            world.records[key]["controls"].save()
    with scope(world.a), acting_as("test setup"):
        c = services.control_for("mfa-email")
        c.status = "in_place"  # never verified: stale
        c.save()
    with scope(world.b), acting_as("test setup"):
        services.control_for("backups")
    with CaptureQueriesContext(connection) as one:
        stale_controls([world.a])
    with CaptureQueriesContext(connection) as two:
        figures = stale_controls([world.a, world.b])
    assert len(one) == len(two) == 1
    assert figures[world.a.pk].value == "1 stale control"
    assert figures[world.a.pk].attention
    assert figures[world.a.pk].url == "/c/alpha/security/"
    assert world.b.pk not in figures  # nothing to say: no stale control
    assert any(f.label == "Security" for f in figures_for([world.a])[world.a.pk])
