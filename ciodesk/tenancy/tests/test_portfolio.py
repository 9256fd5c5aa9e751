from django.db import connection
from django.test.utils import CaptureQueriesContext

from ciodesk.conftest import make_client, make_records
from ciodesk.core import figures
from ciodesk.core.scope import acting_as


def queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx), response


def test_the_portfolio_lists_every_client_with_its_figures(world, as_user):
    _, response = queries(as_user(world.lead), "/")
    body = response.content.decode()
    assert "Alpha Dental" in body and "Bravo Fab" in body
    assert 'Key systems: <span class="value">1</span>' in body


def test_a_consultant_sees_only_assigned_clients(world, as_user):
    _, response = queries(as_user(world.consultant), "/")
    body = response.content.decode()
    assert "Alpha Dental" in body
    assert "Bravo Fab" not in body


def test_an_executive_goes_straight_to_their_client(world, as_user):
    response = as_user(world.exec_a).get("/")
    assert response.status_code == 302
    assert response["Location"] == "/c/alpha/"


def test_clients_needing_attention_come_first(world, as_user):
    with acting_as("test"):
        make_client("zulu", "Aardvark Empty Co")  # no systems: needs attention
    body = as_user(world.lead).get("/").content.decode()
    assert body.index("Aardvark Empty Co") < body.index("Alpha Dental")
    assert "none yet" in body


def test_the_portfolio_runs_a_constant_number_of_queries(world, as_user):
    client = as_user(world.lead)
    before, _ = queries(client, "/")
    with acting_as("test"):
        for i in range(6):
            make_records(make_client(f"extra-{i}", f"Extra {i}"))
    after, response = queries(client, "/")
    assert "Extra 5" in response.content.decode()
    assert after == before


def test_the_client_home_runs_a_constant_number_of_queries(world, as_user):
    client = as_user(world.exec_a)
    before, _ = queries(client, "/c/alpha/")
    with acting_as("test"):
        for i in range(5):
            make_records(world.a, f" {i}")
    after, _ = queries(client, "/c/alpha/")
    assert after == before


def test_figures_come_from_registered_providers(world, as_user):
    @figures.register("test.canned", order=1)
    def canned(clients):
        return {c.pk: figures.Figure("Open decisions", "3", attention=True) for c in clients}

    try:
        body = as_user(world.lead).get("/c/alpha/").content.decode()
        assert 'Open decisions: <span class="value">3</span>' in body
    finally:
        figures._providers.pop("test.canned")


def test_the_portfolio_filters_by_status(world, as_user):
    world.b.status = "former"
    world.b.save()
    client = as_user(world.lead)
    card = f'id="client-{world.b.pk}"'
    assert card not in client.get("/").content.decode()
    assert card in client.get("/?status=all").content.decode()
    fragment = client.get("/?status=former", HTTP_HX_REQUEST="true").content.decode()
    assert card in fragment and "<html" not in fragment
