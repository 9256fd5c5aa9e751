import re
import time

import pyotp
import pytest

from ciodesk.accounts import totp
from ciodesk.accounts.models import TOTPDevice
from ciodesk.conftest import PASSWORD

LOGIN = "/accounts/login/"
SETUP = "/accounts/two-factor/setup/"
VERIFY = "/accounts/two-factor/"
SECURITY = "/accounts/security/"
CODE_LIST = re.compile(r"<li>([0-9a-f]{5}-[0-9a-f]{5})</li>")
SECRET = re.compile(r'<span class="secret" id="totp-secret">([A-Z2-7 ]+)</span>')


def enrol(user):
    """Turn two-factor sign-in on for `user`, as if they had scanned the QR code."""
    device = totp.pending_device(user)
    return device, totp.confirm(device)


def code_now(device) -> str:
    return pyotp.TOTP(device.secret).at(time.time())


def sign_in_with_password(client, user):
    return client.post(LOGIN, {"email": user.email, "password": PASSWORD})


def signed_in_user_id(client):
    return client.session.get("_auth_user_id")


# Enrolment of the practice's users


@pytest.mark.parametrize("persona", ["lead", "consultant"])
def test_a_practice_user_without_a_device_must_enrol_first(world, client, persona):
    user = getattr(world, persona)
    response = sign_in_with_password(client, user)
    assert response.status_code == 302
    assert response["Location"].startswith(SETUP)
    for path in ["/", "/c/alpha/", "/c/alpha/people/", "/practice/people/"]:
        blocked = client.get(path)
        assert blocked.status_code == 302, path
        assert blocked["Location"].startswith(SETUP), path


def test_the_setup_page_shows_a_qr_code_and_the_key(world, client):
    sign_in_with_password(client, world.lead)
    response = client.get(SETUP)
    assert response.status_code == 200
    body = response.content.decode()
    device = TOTPDevice.objects.get(user=world.lead)
    assert device.confirmed_at is None
    assert re.search(r'<div class="qr"[^>]*><svg[^>]*>.*</svg></div>', body, re.S)
    key = SECRET.search(body).group(1)
    assert key.replace(" ", "") == device.secret
    assert len(device.secret) >= 16
    assert "need a second factor" in body
    assert "Not now" not in body
    # Reloading the page keeps the same key, so a scan before the reload still works.
    assert SECRET.search(client.get(SETUP).content.decode()).group(1) == key


def test_the_right_code_turns_two_factor_on_and_shows_ten_recovery_codes_once(world, client):
    sign_in_with_password(client, world.lead)
    client.get(SETUP)
    device = TOTPDevice.objects.get(user=world.lead)

    response = client.post(SETUP, {"code": code_now(device), "next": "/"})

    assert response.status_code == 200
    body = response.content.decode()
    assert "Two-factor sign-in is on" in body
    codes = CODE_LIST.findall(body)
    assert len(codes) == 10
    assert len(set(codes)) == 10
    world.lead.refresh_from_db()
    assert world.lead.has_two_factor
    assert client.get("/").status_code == 200
    assert client.get("/c/alpha/").status_code == 200
    # Never shown again: the setup page now leads to the security page, which only counts.
    assert client.get(SETUP)["Location"] == SECURITY
    security = client.get(SECURITY).content.decode()
    assert "10 recovery codes left" in security
    assert not any(code in security for code in codes)


def test_a_code_with_a_space_in_the_middle_is_accepted(world, client):
    sign_in_with_password(client, world.consultant)
    client.get(SETUP)
    code = code_now(TOTPDevice.objects.get(user=world.consultant))
    response = client.post(SETUP, {"code": f"{code[:3]} {code[3:]}"})
    assert "Two-factor sign-in is on" in response.content.decode()


def test_a_wrong_code_shows_an_error_and_changes_nothing(world, client):
    sign_in_with_password(client, world.lead)
    client.get(SETUP)
    device = TOTPDevice.objects.get(user=world.lead)
    wrong = f"{(int(code_now(device)) + 1) % 1_000_000:06d}"

    response = client.post(SETUP, {"code": wrong})

    assert response.status_code == 200
    assert "That code does not match" in response.content.decode()
    device.refresh_from_db()
    assert device.confirmed_at is None
    assert client.get("/")["Location"].startswith(SETUP)


def test_setup_needs_a_signed_in_user(world, client):
    response = client.get(SETUP)
    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN)


# Signing in with a second factor


def test_the_password_alone_does_not_sign_in(world, client):
    enrol(world.lead)
    response = sign_in_with_password(client, world.lead)
    assert response.status_code == 302
    assert response["Location"].startswith(VERIFY)
    assert signed_in_user_id(client) is None
    assert client.get("/")["Location"].startswith(LOGIN)
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert "Enter your code" in page.content.decode()


def test_a_valid_code_signs_in(world, client):
    device, _ = enrol(world.lead)
    sign_in_with_password(client, world.lead)
    response = client.post(VERIFY, {"code": code_now(device), "next": "/c/alpha/"})
    assert response.status_code == 302
    assert response["Location"] == "/c/alpha/"
    assert signed_in_user_id(client) == str(world.lead.pk)
    assert client.get("/c/alpha/").status_code == 200


def test_a_code_cannot_be_used_twice(world, client):
    device, _ = enrol(world.lead)
    code = code_now(device)
    sign_in_with_password(client, world.lead)
    assert client.post(VERIFY, {"code": code}).status_code == 302
    client.post("/accounts/logout/")

    sign_in_with_password(client, world.lead)
    response = client.post(VERIFY, {"code": code})

    assert response.status_code == 200
    assert "That code is not valid" in response.content.decode()
    assert signed_in_user_id(client) is None


def test_the_code_used_for_enrolment_cannot_sign_in_again(world, client):
    sign_in_with_password(client, world.lead)
    client.get(SETUP)
    code = code_now(TOTPDevice.objects.get(user=world.lead))
    client.post(SETUP, {"code": code})
    client.post("/accounts/logout/")

    sign_in_with_password(client, world.lead)
    client.post(VERIFY, {"code": code})

    assert signed_in_user_id(client) is None


def test_two_requests_racing_with_one_code_let_only_one_in(world):
    device, _ = enrol(world.lead)
    first = TOTPDevice.objects.get(pk=device.pk)
    second = TOTPDevice.objects.get(pk=device.pk)  # read before the first one was used
    code = code_now(device)
    assert totp.verify_code(first, code)
    assert not totp.verify_code(second, code)


def test_a_recovery_code_works_once(world, client):
    _, codes = enrol(world.lead)
    sign_in_with_password(client, world.lead)
    response = client.post(VERIFY, {"code": codes[3].upper()})
    assert response.status_code == 302
    assert signed_in_user_id(client) == str(world.lead.pk)
    assert "9 recovery codes left" in client.get(SECURITY).content.decode()
    client.post("/accounts/logout/")

    sign_in_with_password(client, world.lead)
    again = client.post(VERIFY, {"code": codes[3]})

    assert again.status_code == 200
    assert "That code is not valid" in again.content.decode()
    assert signed_in_user_id(client) is None


def test_it_warns_when_few_recovery_codes_are_left(world, client):
    _, codes = enrol(world.exec_a)
    for code in codes[:7]:
        assert totp.use_recovery_code(world.exec_a, code)
    sign_in_with_password(client, world.exec_a)
    response = client.post(VERIFY, {"code": codes[7]}, follow=True)
    assert "2 recovery codes left" in response.content.decode()


def test_new_recovery_codes_replace_the_old_ones(world, as_user, client):
    _, old = enrol(world.exec_a)
    response = as_user(world.exec_a).post("/accounts/security/recovery-codes/")
    new = CODE_LIST.findall(response.content.decode())
    assert len(new) == 10
    assert "the old ones no longer work" in response.content.decode()
    client.post("/accounts/logout/")
    sign_in_with_password(client, world.exec_a)
    assert client.post(VERIFY, {"code": old[0]}).status_code == 200
    assert client.post(VERIFY, {"code": new[0]}).status_code == 302


def test_the_code_page_needs_the_password_first(world, client):
    enrol(world.lead)
    response = client.get(VERIFY)
    assert response.status_code == 302
    assert response["Location"] == LOGIN


def test_a_session_from_before_enrolment_must_verify(world, client, django_user_model):
    sign_in_with_password(client, world.exec_a)
    assert client.get("/c/alpha/").status_code == 200
    enrol(world.exec_a)  # turned on in another browser

    response = client.get("/c/alpha/", follow=True)

    assert response.redirect_chain[-1][0] == LOGIN
    assert signed_in_user_id(client) is None


# Client users: optional


def test_a_client_user_signs_in_without_a_second_factor(world, client):
    response = sign_in_with_password(client, world.exec_a)
    assert response["Location"] == "/"
    assert client.get("/c/alpha/").status_code == 200
    assert client.get(SECURITY).status_code == 200


def test_a_client_user_may_enrol(world, client):
    sign_in_with_password(client, world.exec_a)
    setup = client.get(SETUP)
    assert setup.status_code == 200
    assert "Not now" in setup.content.decode()
    assert "need a second factor" not in setup.content.decode()
    device = TOTPDevice.objects.get(user=world.exec_a)
    response = client.post(SETUP, {"code": code_now(device)})
    assert len(CODE_LIST.findall(response.content.decode())) == 10
    client.post("/accounts/logout/")

    assert sign_in_with_password(client, world.exec_a)["Location"].startswith(VERIFY)
    assert signed_in_user_id(client) is None


def test_a_client_user_may_turn_two_factor_off(world, as_user):
    enrol(world.exec_a)
    client = as_user(world.exec_a)
    assert "Turn off" in client.get(SECURITY).content.decode()

    response = client.post("/accounts/security/disable/", follow=True)

    assert "Two-factor sign-in is off." in response.content.decode()
    world.exec_a.refresh_from_db()
    assert not world.exec_a.has_two_factor
    assert world.exec_a.recovery_codes.count() == 0
    client.post("/accounts/logout/")
    assert sign_in_with_password(client, world.exec_a)["Location"] == "/"
    assert signed_in_user_id(client) == str(world.exec_a.pk)


@pytest.mark.parametrize("persona", ["lead", "consultant"])
def test_a_practice_user_cannot_turn_two_factor_off(world, as_user, persona):
    user = getattr(world, persona)
    enrol(user)
    client = as_user(user)
    assert "Turn off" not in client.get(SECURITY).content.decode()

    response = client.post("/accounts/security/disable/", follow=True)

    assert "required for the practice" in response.content.decode()
    user.refresh_from_db()
    assert user.has_two_factor
    assert user.recovery_codes.count() == 10


def test_turning_off_needs_a_post(world, as_user):
    enrol(world.exec_a)
    response = as_user(world.exec_a).get("/accounts/security/disable/")
    assert response.status_code == 405
    world.exec_a.refresh_from_db()
    assert world.exec_a.has_two_factor


def test_a_session_from_before_enrolment_cannot_turn_two_factor_off(world, client):
    sign_in_with_password(client, world.exec_a)
    enrol(world.exec_a)  # turned on in another browser; this session never gave a code

    client.post("/accounts/security/disable/")

    world.exec_a.refresh_from_db()
    assert world.exec_a.has_two_factor


def test_a_session_from_before_enrolment_cannot_make_recovery_codes(world, client):
    sign_in_with_password(client, world.exec_a)
    _, codes = enrol(world.exec_a)

    response = client.post("/accounts/security/recovery-codes/", follow=True)

    assert CODE_LIST.findall(response.content.decode()) == []
    assert set(codes) and totp.use_recovery_code(world.exec_a, codes[0])


def test_an_unenrolled_practice_user_is_sent_back_to_the_page_asked_for(world, client):
    sign_in_with_password(client, world.lead)
    response = client.get("/c/alpha/people/?q=pat")
    assert response["Location"] == SETUP + "?next=%2Fc%2Falpha%2Fpeople%2F%3Fq%3Dpat"
    device = totp.pending_device(world.lead)
    done = client.post(response["Location"], {"code": code_now(device)})
    assert 'href="/c/alpha/people/?q=pat"' in done.content.decode()


def test_an_unenrolled_practice_user_cannot_change_the_password_yet(world, client):
    sign_in_with_password(client, world.lead)
    response = client.get("/accounts/password/change/")
    assert response.status_code == 302
    assert response["Location"].startswith(SETUP)


def test_the_password_can_be_changed_after_signing_in(world, as_user, client):
    signed_in = as_user(world.exec_a)
    page = signed_in.get("/accounts/password/change/")
    assert page.status_code == 200
    assert "Change your password" in page.content.decode()
    new = "copper-meadow-falcon-42"
    response = signed_in.post(
        "/accounts/password/change/",
        {"old_password": PASSWORD, "new_password1": new, "new_password2": new},
    )
    assert response["Location"] == SECURITY
    assert signed_in.get(SECURITY).status_code == 200  # still signed in
    world.exec_a.refresh_from_db()
    assert world.exec_a.check_password(new)
