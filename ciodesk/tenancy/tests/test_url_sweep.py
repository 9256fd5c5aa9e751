"""Every URL, present and future: another client's objects are 404, forbidden writes 403.

The sweep reads each client view's mark (@client_view(level, model)); a client URL without
the mark, or with a URL argument the sweep cannot fill, fails here rather than in production.
"""

import pytest

from ciodesk.conftest import sweep_object
from ciodesk.core.testing import routes
from ciodesk.tenancy.access import Level

CLIENT_ROUTES = [r for r in routes() if r.is_client_url]
OTHER_ROUTES = [r for r in routes() if not r.is_client_url]


def fill(route, world, client, owner_client=None):
    values = {"client_slug": client.slug}
    for name in route.kwargs:
        if name == "client_slug":
            continue
        assert name == "pk" and route.model is not None, (
            f"{route.name}: the sweep cannot fill <{name}>; mark the view with "
            "@client_view(level, model) or teach ciodesk/tenancy/tests/test_url_sweep.py"
        )
        values["pk"] = sweep_object(world, route.model, owner_client or client).pk
    return route.path(**values)


def test_the_sweep_sees_the_client_urls():
    names = {r.name for r in CLIENT_ROUTES}
    assert {"tenancy:client-home", "tenancy:systems-edit", "tenancy:activity"} <= names
    assert len(CLIENT_ROUTES) >= 30


@pytest.mark.parametrize("route", CLIENT_ROUTES, ids=lambda r: r.name)
def test_every_client_view_declares_its_level(route):
    assert isinstance(route.level, Level), f"{route.name} lacks @client_view(level=...)"


@pytest.mark.parametrize("route", CLIENT_ROUTES, ids=lambda r: r.name)
def test_another_clients_url_is_404(world, as_user, route):
    """A member of Bravo only, on Alpha's addresses: nothing exists there for them."""
    client = as_user(world.exec_b)
    for method in ("get", "post"):
        response = getattr(client, method)(fill(route, world, world.a))
        assert response.status_code == 404, (route.name, method, response.status_code)


@pytest.mark.parametrize(
    "route", [r for r in CLIENT_ROUTES if r.model is not None], ids=lambda r: r.name
)
def test_another_clients_object_is_404_even_for_the_lead(world, as_user, route):
    """The lead may open both clients, but Bravo's object under Alpha's address is not there."""
    client = as_user(world.lead)
    url = fill(route, world, world.a, owner_client=world.b)
    response = client.get(url)
    assert response.status_code in (404, 405), (route.name, response.status_code)
    response = client.post(url)
    assert response.status_code == 404, (route.name, response.status_code)


@pytest.mark.parametrize("route", CLIENT_ROUTES, ids=lambda r: r.name)
def test_an_executive_reads_but_does_not_write(world, as_user, route):
    client = as_user(world.exec_a)
    url = fill(route, world, world.a)
    if route.level <= Level.READ:
        response = client.get(url)
        assert response.status_code in (200, 405), (route.name, response.status_code)
    else:
        for method in ("get", "post"):
            response = getattr(client, method)(url)
            assert response.status_code == 403, (route.name, method, response.status_code)


@pytest.mark.parametrize(
    "route", [r for r in CLIENT_ROUTES if r.level > Level.CONTRIBUTOR], ids=lambda r: r.name
)
def test_a_contributor_cannot_do_the_practices_work(world, as_user, route):
    response = as_user(world.contrib_a).post(fill(route, world, world.a))
    assert response.status_code == 403, (route.name, response.status_code)


@pytest.mark.parametrize(
    "route", [r for r in CLIENT_ROUTES if r.level > Level.PRACTICE], ids=lambda r: r.name
)
def test_a_consultant_cannot_do_the_leads_work(world, as_user, route):
    response = as_user(world.consultant).post(fill(route, world, world.a))
    assert response.status_code == 403, (route.name, response.status_code)


def test_a_consultant_sees_only_assigned_clients(world, as_user):
    client = as_user(world.consultant)
    assert client.get("/c/alpha/").status_code == 200
    assert client.get("/c/bravo/").status_code == 404


LEAD_ONLY = ["client-create", "practice-settings", "practice-person-create"]


@pytest.mark.parametrize("name", LEAD_ONLY)
def test_practice_pages_refuse_client_users(world, as_user, name):
    route = next(r for r in OTHER_ROUTES if r.name == name)
    for user in (world.exec_a, world.contrib_a, world.consultant):
        response = as_user(user).get(route.path())
        assert response.status_code == 403, (name, user.email, response.status_code)


def test_the_admin_is_for_the_lead_only(world, as_user):
    assert as_user(world.exec_a).get("/admin/").status_code == 302
    assert as_user(world.consultant).get("/admin/").status_code == 302
    assert as_user(world.lead).get("/admin/").status_code == 200


def test_no_page_is_open_without_login(world, client):
    open_names = {
        "accounts:login",
        "accounts:password-reset",
        "accounts:password-reset-done",
        "accounts:password-reset-complete",
        "accounts:password-reset-confirm",
        "accounts:two-factor-verify",
        "accept-invitation",
        "healthz",
        "intake:review",  # the public free risk review
        "practice-logo",
    }
    for route in routes():
        if route.name in open_names or route.name.startswith("admin:"):
            continue
        values = dict.fromkeys(route.kwargs, 1)
        values.update({"client_slug": "alpha"} if route.is_client_url else {})
        if route.model is not None:
            values["pk"] = sweep_object(world, route.model, world.a).pk
        response = client.get(route.path(**values))
        assert response.status_code in (302, 404, 405), (route.name, response.status_code)
        if response.status_code == 302:
            assert "/accounts/login/" in response["Location"], route.name


def test_the_admin_signs_in_through_ciodesk(client, world):
    response = client.get("/admin/login/?next=/admin/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=%2Fadmin%2F"
    response = client.post("/admin/login/", {"username": "lead@example.com", "password": "x"})
    assert response.status_code == 302
