from urllib.parse import quote

from django.urls import reverse

from ciodesk.accounts.models import User
from ciodesk.conftest import PASSWORD

LOGIN = "/accounts/login/"


def signed_in_user_id(client):
    return client.session.get("_auth_user_id")


def test_it_hashes_passwords_with_argon2(world):
    user = User.objects.get(email="exec-a@example.com")
    assert user.password.startswith("argon2")
    assert PASSWORD not in user.password
    assert user.check_password(PASSWORD)


def test_it_shows_the_sign_in_page(world, client):
    response = client.get(LOGIN)
    assert response.status_code == 200
    body = response.content.decode()
    assert "Sign in to Test Practice" in body
    assert 'name="email"' in body
    assert 'name="password"' in body
    assert reverse("accounts:password-reset") in body


def test_it_signs_in_with_email_and_password(world, client):
    response = client.post(LOGIN, {"email": "exec-a@example.com", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert signed_in_user_id(client) == str(world.exec_a.pk)
    home = client.get("/", follow=True)
    assert home.redirect_chain[-1][0] == "/c/alpha/"
    assert "Alpha Dental" in home.content.decode()


def test_it_ignores_the_case_of_the_email(world, client):
    response = client.post(LOGIN, {"email": "Exec-A@Example.COM", "password": PASSWORD})
    assert response.status_code == 302
    assert signed_in_user_id(client) == str(world.exec_a.pk)


def test_it_refuses_a_wrong_password(world, client):
    response = client.post(LOGIN, {"email": "exec-a@example.com", "password": "not-it-at-all"})
    assert response.status_code == 200
    assert "do not match an account" in response.content.decode()
    assert signed_in_user_id(client) is None


def test_it_says_the_same_for_an_unknown_email(world, client):
    response = client.post(LOGIN, {"email": "nobody@example.com", "password": PASSWORD})
    assert response.status_code == 200
    assert "do not match an account" in response.content.decode()
    assert signed_in_user_id(client) is None


def test_it_refuses_a_deactivated_user(world, client):
    User.objects.filter(pk=world.exec_a.pk).update(is_active=False)
    response = client.post(LOGIN, {"email": "exec-a@example.com", "password": PASSWORD})
    assert response.status_code == 200
    assert signed_in_user_id(client) is None


def test_it_goes_to_the_page_asked_for(world, client):
    response = client.post(
        LOGIN, {"email": "exec-a@example.com", "password": PASSWORD, "next": "/c/alpha/people/"}
    )
    assert response["Location"] == "/c/alpha/people/"


def test_it_does_not_send_anyone_off_site(world, client):
    response = client.post(
        LOGIN,
        {"email": "exec-a@example.com", "password": PASSWORD, "next": "https://evil.example/"},
    )
    assert response["Location"] == "/"


def test_it_keeps_a_next_address_with_a_query_through_two_factor_setup(world, client):
    target = "/c/alpha/people/?sort=name&page=2"
    response = client.post(
        LOGIN, {"email": "lead@example.com", "password": PASSWORD, "next": target}
    )
    assert response["Location"] == "/accounts/two-factor/setup/?next=" + quote(target, safe="")
    setup = client.get(response["Location"])
    assert 'value="/c/alpha/people/?sort=name&amp;page=2"' in setup.content.decode()


def test_a_client_page_sends_a_visitor_to_sign_in_and_back(world, client):
    response = client.get("/c/alpha/people/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/c/alpha/people/"
    page = client.get(response["Location"])
    assert 'value="/c/alpha/people/"' in page.content.decode()


def test_sign_out_ends_the_session(world, as_user):
    client = as_user(world.exec_a)
    response = client.post("/accounts/logout/")
    assert response.status_code == 302
    assert signed_in_user_id(client) is None
    assert client.get("/c/alpha/").status_code == 302
