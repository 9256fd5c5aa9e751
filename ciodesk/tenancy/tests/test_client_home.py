from django.urls import reverse

from ciodesk.conftest import CANARY


def test_it_shows_the_dossier(world, as_user):
    response = as_user(world.exec_a).get(reverse("tenancy:client-home", args=["alpha"]))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Microsoft 365" in body
    assert "$4,500.00 a month" in body
    assert CANARY not in body


def test_it_hides_another_clients_home(world, as_user):
    response = as_user(world.exec_a).get(reverse("tenancy:client-home", args=["bravo"]))
    assert response.status_code == 404


def test_it_requires_login(world, client):
    response = client.get(reverse("tenancy:client-home", args=["alpha"]))
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_practice_users_see_the_edit_and_members_links(world, as_user):
    body = as_user(world.consultant).get(reverse("tenancy:client-home", args=["alpha"])).content
    assert b"/c/alpha/edit/" in body
    assert b"/c/alpha/members/" in body


def test_executives_do_not(world, as_user):
    body = as_user(world.exec_a).get(reverse("tenancy:client-home", args=["alpha"])).content
    assert b"/c/alpha/edit/" not in body
    assert b"/c/alpha/members/" not in body
