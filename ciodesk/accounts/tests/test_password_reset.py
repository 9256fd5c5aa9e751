import re

from django.conf import settings
from django.core import mail

from ciodesk.accounts import totp
from ciodesk.accounts.models import User
from ciodesk.conftest import PASSWORD

RESET = "/accounts/password/reset/"
LOGIN = "/accounts/login/"
NEW_PASSWORD = "lantern-orbit-quartz-91"
LINK = re.compile(r"https?://testserver(/accounts/password/reset/[^/\s]+/[^/\s]+/)")


def ask_for_a_link(client, email):
    response = client.post(RESET, {"email": email})
    assert response.status_code == 302
    assert response["Location"] == "/accounts/password/reset/sent/"
    return response


def link_from_mail() -> str:
    assert len(mail.outbox) == 1
    match = LINK.search(mail.outbox[0].body)
    assert match, mail.outbox[0].body
    return match.group(1)


def set_new_password(client, link, password=NEW_PASSWORD):
    form = client.get(link, follow=True)
    assert form.status_code == 200
    assert "Choose a new password" in form.content.decode()
    set_password_url = form.redirect_chain[-1][0]
    return client.post(set_password_url, {"new_password1": password, "new_password2": password})


def test_the_reset_page_renders(world, client):
    response = client.get(RESET)
    assert response.status_code == 200
    assert "Reset your password" in response.content.decode()
    sent = client.get("/accounts/password/reset/sent/")
    assert "Check your e-mail" in sent.content.decode()


def test_it_mails_a_link_that_sets_a_new_password(world, client):
    ask_for_a_link(client, "exec-a@example.com")
    assert mail.outbox[0].to == ["exec-a@example.com"]
    assert mail.outbox[0].subject == "Choose a new ciodesk password"

    response = set_new_password(client, link_from_mail())

    assert response.status_code == 302
    done = client.get(response["Location"])
    assert "Password changed" in done.content.decode()
    assert client.session.get("_auth_user_id") is None  # the reset itself signs nobody in
    user = User.objects.get(pk=world.exec_a.pk)
    assert user.check_password(NEW_PASSWORD)
    assert user.password.startswith("argon2")

    old = client.post(LOGIN, {"email": "exec-a@example.com", "password": PASSWORD})
    assert old.status_code == 200
    new = client.post(LOGIN, {"email": "exec-a@example.com", "password": NEW_PASSWORD})
    assert new.status_code == 302
    assert client.session.get("_auth_user_id") == str(world.exec_a.pk)


def test_the_link_works_once(world, client):
    ask_for_a_link(client, "exec-a@example.com")
    link = link_from_mail()
    set_new_password(client, link)

    again = client.get(link, follow=True)

    assert "This link is no longer valid" in again.content.decode()


def test_it_refuses_a_weak_new_password(world, client):
    ask_for_a_link(client, "exec-a@example.com")
    response = set_new_password(client, link_from_mail(), password="12345678")
    assert response.status_code == 200
    assert "too short" in response.content.decode()
    assert User.objects.get(pk=world.exec_a.pk).check_password(PASSWORD)


def test_an_unknown_address_gets_no_mail_and_the_same_answer(world, client):
    ask_for_a_link(client, "nobody@example.com")
    assert mail.outbox == []


def test_a_reset_does_not_bypass_two_factor(world, client):
    totp.confirm(totp.pending_device(world.lead))
    ask_for_a_link(client, "lead@example.com")
    set_new_password(client, link_from_mail())

    response = client.post(LOGIN, {"email": "lead@example.com", "password": NEW_PASSWORD})

    assert response["Location"].startswith("/accounts/two-factor/")
    assert client.session.get("_auth_user_id") is None
    assert client.get("/")["Location"].startswith(LOGIN)


def test_a_reset_does_not_bypass_enrolment(world, client):
    ask_for_a_link(client, "consultant@example.com")
    set_new_password(client, link_from_mail())

    response = client.post(LOGIN, {"email": "consultant@example.com", "password": NEW_PASSWORD})

    assert response["Location"].startswith("/accounts/two-factor/setup/")
    assert client.get("/c/alpha/")["Location"].startswith("/accounts/two-factor/setup/")


def test_a_reset_lifts_the_lock_on_the_account(world, client):
    for _ in range(settings.LOGIN_FAILURE_LIMIT):
        client.post(LOGIN, {"email": "exec-a@example.com", "password": "wrong-password-123"})
    locked = client.post(LOGIN, {"email": "exec-a@example.com", "password": PASSWORD})
    assert locked.status_code == 429
    assert "reset it below" in locked.content.decode()

    ask_for_a_link(client, "exec-a@example.com")
    set_new_password(client, link_from_mail())
    response = client.post(LOGIN, {"email": "exec-a@example.com", "password": NEW_PASSWORD})

    assert response.status_code == 302
