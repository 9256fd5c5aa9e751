import datetime
import re
from unittest import mock

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import Client as Browser
from django.utils import timezone

from ciodesk.accounts.models import User
from ciodesk.conftest import CANARY, PASSWORD, sign_in
from ciodesk.tenancy import services
from ciodesk.tenancy.models import ClientMembership, Invitation

INVITE = "/c/alpha/members/invite/"
LINK = re.compile(r"https?://[^/\s]+(/invite/[^/\s]+/)")
OWNER_PASSWORD = "violet-harbour-kettle-58"


def invite(client, email="owner@x.example", role="executive"):
    return client.post(INVITE, {"email": email, "role": role})


def link_from_mail() -> str:
    assert len(mail.outbox) == 1
    match = LINK.search(mail.outbox[0].body)
    assert match, mail.outbox[0].body
    return match.group(1)


def accept(browser, link, name="Olive Owner", password=OWNER_PASSWORD):
    return browser.post(link, {"full_name": name, "password1": password, "password2": password})


@pytest.fixture
def link(world, as_user):
    response = invite(as_user(world.lead))
    assert response.status_code == 302
    return link_from_mail()


def test_the_invite_page_renders_for_the_lead(world, as_user):
    response = as_user(world.lead).get(INVITE)
    assert response.status_code == 200
    assert "Invite someone to Alpha Dental" in response.content.decode()


def test_the_lead_invites_by_email(world, as_user):
    client = as_user(world.lead)
    response = invite(client, email="Owner@X.example")

    assert response.status_code == 302
    assert response["Location"] == "/c/alpha/members/"
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["owner@x.example"]
    assert "Alpha Dental" in mail.outbox[0].subject
    assert "valid 7 days" in mail.outbox[0].body
    assert LINK.search(mail.outbox[0].body)
    members = client.get(response["Location"]).content.decode()
    assert "Invitation sent to owner@x.example" in members
    assert "owner@x.example" in members


def test_a_new_person_accepts_and_sees_only_their_client(world, link):
    browser = Browser()
    page = browser.get(link)
    assert page.status_code == 200
    body = page.content.decode()
    assert "Join Alpha Dental" in body
    assert "owner@x.example" in body
    assert "Lena Lead" in body

    response = accept(browser, link)

    assert response.status_code == 302
    assert response["Location"] == "/c/alpha/"
    user = User.objects.get(email="owner@x.example")
    assert user.full_name == "Olive Owner"
    assert user.password.startswith("argon2")
    assert user.check_password(OWNER_PASSWORD)
    memberships = ClientMembership.unscoped.filter(user=user)
    assert [(m.client.slug, m.role) for m in memberships] == [("alpha", "executive")]
    assert browser.session.get("_auth_user_id") == str(user.pk)
    home = browser.get("/c/alpha/")
    assert home.status_code == 200
    assert "Welcome to Alpha Dental" in home.content.decode()
    assert CANARY not in home.content.decode()
    assert browser.get("/c/bravo/").status_code == 404
    assert browser.get("/").status_code == 302  # straight to their one client


def test_the_new_person_can_sign_in_again_later(world, link):
    accept(Browser(), link)
    browser = Browser()
    response = browser.post(
        "/accounts/login/", {"email": "owner@x.example", "password": OWNER_PASSWORD}
    )
    assert response.status_code == 302
    assert browser.get("/c/alpha/").status_code == 200


def test_it_asks_for_matching_and_strong_passwords(world, link):
    browser = Browser()
    differ = browser.post(
        link, {"full_name": "Olive", "password1": OWNER_PASSWORD, "password2": "other-words-12"}
    )
    assert differ.status_code == 200
    assert "The two passwords differ." in differ.content.decode()
    weak = accept(browser, link, password="owner123")
    assert weak.status_code == 200
    assert "too short" in weak.content.decode()
    assert not User.objects.filter(email="owner@x.example").exists()


def test_an_accepted_link_cannot_be_used_again(world, link):
    accept(Browser(), link)
    browser = Browser()

    page = browser.get(link)
    again = accept(browser, link, name="Mallory", password="mallory-password-77")

    assert page.status_code == 410
    assert "This invitation is accepted" in page.content.decode()
    assert again.status_code == 410
    assert User.objects.get(email="owner@x.example").full_name == "Olive Owner"
    assert browser.session.get("_auth_user_id") is None


def test_the_link_expires_after_seven_days(world, link):
    browser = Browser()
    now = timezone.now()
    with mock.patch("django.utils.timezone.now", return_value=now + datetime.timedelta(days=6)):
        assert browser.get(link).status_code == 200
    later = now + datetime.timedelta(days=7, minutes=1)
    with mock.patch("django.utils.timezone.now", return_value=later):
        page = browser.get(link)
        response = accept(browser, link)
    assert page.status_code == 410
    assert "This invitation is expired" in page.content.decode()
    assert response.status_code == 410
    assert not User.objects.filter(email="owner@x.example").exists()


def test_a_revoked_link_is_closed(world, as_user, link):
    lead = as_user(world.lead)
    invitation = Invitation.unscoped.get(email="owner@x.example")
    revoked = lead.post(f"/c/alpha/members/invitations/{invitation.pk}/revoke/", follow=True)
    assert "Invitation for owner@x.example revoked." in revoked.content.decode()

    browser = Browser()
    page = browser.get(link)
    response = accept(browser, link)

    assert page.status_code == 410
    assert "This invitation is revoked" in page.content.decode()
    assert response.status_code == 410
    assert not User.objects.filter(email="owner@x.example").exists()


def test_an_accepted_invitation_cannot_be_revoked(world, as_user, link):
    accept(Browser(), link)
    invitation = Invitation.unscoped.get(email="owner@x.example")
    as_user(world.lead).post(f"/c/alpha/members/invitations/{invitation.pk}/revoke/")
    invitation.refresh_from_db()
    assert invitation.status == "accepted"
    assert invitation.revoked_at is None


def test_a_made_up_link_is_not_found(world, client):
    assert client.get("/invite/not-a-real-token/").status_code == 404


@pytest.mark.parametrize("persona", ["exec_a", "contrib_a", "consultant"])
def test_only_the_lead_invites(world, as_user, persona):
    client = as_user(getattr(world, persona))
    assert client.get(INVITE).status_code == 403
    assert invite(client).status_code == 403
    assert mail.outbox == []
    assert not Invitation.unscoped.exists()


def test_only_the_lead_revokes(world, as_user, client, link):
    invitation = Invitation.unscoped.get(email="owner@x.example")
    client.logout()
    response = sign_in(client, world.consultant).post(
        f"/c/alpha/members/invitations/{invitation.pk}/revoke/"
    )
    assert response.status_code == 403
    invitation.refresh_from_db()
    assert invitation.status == "pending"


def test_another_clients_invitation_cannot_be_revoked_from_here(world, as_user):
    lead = as_user(world.lead)
    lead.post("/c/bravo/members/invite/", {"email": "boss@bravo.example", "role": "executive"})
    invitation = Invitation.unscoped.get(email="boss@bravo.example")
    response = lead.post(f"/c/alpha/members/invitations/{invitation.pk}/revoke/")
    assert response.status_code == 404
    invitation.refresh_from_db()
    assert invitation.status == "pending"


def test_inviting_an_existing_member_is_refused(world, as_user):
    response = invite(as_user(world.lead), email="Exec-A@example.com")
    assert response.status_code == 200
    assert "exec-a@example.com is already a member of Alpha Dental." in response.content.decode()
    assert mail.outbox == []
    assert not Invitation.unscoped.exists()


def test_a_member_of_another_client_may_be_invited(world, as_user):
    response = invite(as_user(world.lead), email="exec-b@example.com")
    assert response.status_code == 302
    assert len(mail.outbox) == 1


def test_an_existing_account_must_sign_in_to_accept(world, as_user):
    invite(as_user(world.lead), email="exec-b@example.com")
    link = link_from_mail()
    browser = Browser()

    page = browser.get(link)
    response = accept(browser, link, name="Mallory", password="mallory-password-77")

    assert page.status_code == 200
    assert "sign in" in page.content.decode().lower()
    assert 'name="password1"' not in page.content.decode()
    assert browser.session.get("_auth_user_id") is None
    assert response.status_code == 200
    assert not ClientMembership.unscoped.filter(user=world.exec_b, client=world.a).exists()
    exec_b = User.objects.get(pk=world.exec_b.pk)
    assert exec_b.check_password(PASSWORD)

    sign_in(browser, world.exec_b)
    joined = browser.post(link)
    assert joined.status_code == 302
    assert joined["Location"] == "/c/alpha/"
    assert browser.get("/c/alpha/").status_code == 200
    assert browser.get("/c/bravo/").status_code == 200


def test_a_link_accepted_in_another_tab_meanwhile_is_not_accepted_twice(world, link):
    stale = Invitation.unscoped.get(email="owner@x.example")
    accept(Browser(), link)
    with pytest.raises(ValidationError):
        services.accept_invitation(stale, "Mallory", "mallory-password-77")
    assert User.objects.get(email="owner@x.example").full_name == "Olive Owner"


def test_the_service_never_attaches_an_existing_account_without_it_signing_in(world, as_user):
    invite(as_user(world.lead), email="exec-b@example.com")
    invitation = Invitation.unscoped.get(email="exec-b@example.com")
    with pytest.raises(ValidationError):
        services.accept_invitation(invitation, "Mallory", "mallory-password-77")
    assert not ClientMembership.unscoped.filter(user=world.exec_b, client=world.a).exists()


def test_inviting_an_address_again_replaces_its_pending_link(world):
    from ciodesk.core.scope import scope

    first = services.invite(world.a, "new-exec@example.com", "executive", world.lead)
    second = services.invite(world.a, "New-Exec@example.com ", "executive", world.lead)
    with scope(world.a):
        first.refresh_from_db()
        live = Invitation.objects.filter(email="new-exec@example.com", revoked_at__isnull=True)
        assert list(live) == [second]
    assert first.status == "revoked"
