import datetime
import time
from unittest import mock

import pyotp
from django.conf import settings
from django.db.models import F
from django.utils import timezone

from ciodesk.accounts import totp
from ciodesk.accounts.models import LoginFailure
from ciodesk.conftest import PASSWORD

LOGIN = "/accounts/login/"
VERIFY = "/accounts/two-factor/"


def attempt(client, email, password, **extra):
    return client.post(LOGIN, {"email": email, "password": password}, **extra)


def fail(client, email, times, **extra):
    for _ in range(times):
        attempt(client, email, "wrong-password-123", **extra)


def age_failures(minutes: float) -> None:
    """Pretend every recorded failure happened `minutes` earlier."""
    LoginFailure.objects.update(at=F("at") - datetime.timedelta(minutes=minutes))


def signed_in_user_id(client):
    return client.session.get("_auth_user_id")


def test_failures_below_the_limit_do_not_lock(world, client):
    fail(client, "exec-a@example.com", settings.LOGIN_FAILURE_LIMIT - 1)
    response = attempt(client, "exec-a@example.com", PASSWORD)
    assert response.status_code == 302
    assert signed_in_user_id(client) == str(world.exec_a.pk)


def test_the_account_locks_after_the_limit(world, client):
    fail(client, "exec-a@example.com", settings.LOGIN_FAILURE_LIMIT - 1)
    last = attempt(client, "exec-a@example.com", "wrong-password-123")
    assert last.status_code == 429

    response = attempt(client, "exec-a@example.com", PASSWORD)

    assert response.status_code == 429
    body = response.content.decode()
    assert "Sign-in for this account is locked for 15 more minutes" in body
    assert signed_in_user_id(client) is None


def test_the_lock_lasts_the_whole_period_after_the_last_failure(world, client):
    fail(client, "exec-a@example.com", settings.LOGIN_FAILURE_LIMIT - 1)
    age_failures(10)
    fail(client, "exec-a@example.com", 1)  # the fifth failure, ten minutes after the others

    response = attempt(client, "exec-a@example.com", PASSWORD)

    assert response.status_code == 429
    assert "locked for 15 more minutes" in response.content.decode()
    age_failures(14)
    assert attempt(client, "exec-a@example.com", PASSWORD).status_code == 429


def test_it_unlocks_after_the_lockout_period(world, client):
    fail(client, "exec-a@example.com", settings.LOGIN_FAILURE_LIMIT)
    age_failures(settings.LOGIN_LOCKOUT_MINUTES - 1)
    still = attempt(client, "exec-a@example.com", PASSWORD)
    assert still.status_code == 429
    assert "locked for 1 more minute." in still.content.decode()

    age_failures(1.01)
    response = attempt(client, "exec-a@example.com", PASSWORD)

    assert response.status_code == 302
    assert signed_in_user_id(client) == str(world.exec_a.pk)


def test_it_unlocks_when_the_clock_moves_on(world, client):
    fail(client, "exec-a@example.com", settings.LOGIN_FAILURE_LIMIT)
    later = timezone.now() + datetime.timedelta(minutes=settings.LOGIN_LOCKOUT_MINUTES, seconds=5)
    with mock.patch("django.utils.timezone.now", return_value=later):
        response = attempt(client, "exec-a@example.com", PASSWORD)
    assert response.status_code == 302
    assert signed_in_user_id(client) == str(world.exec_a.pk)


def test_a_lock_on_one_account_leaves_the_others_alone(world, client):
    fail(client, "exec-a@example.com", settings.LOGIN_FAILURE_LIMIT)
    assert attempt(client, "exec-b@example.com", PASSWORD).status_code == 302


def test_unknown_accounts_lock_the_same_way(world, client):
    fail(client, "nobody@example.com", settings.LOGIN_FAILURE_LIMIT)
    response = attempt(client, "nobody@example.com", "wrong-password-123")
    assert response.status_code == 429
    assert "locked" in response.content.decode()


def test_a_successful_sign_in_clears_the_count(world, client):
    fail(client, "exec-a@example.com", settings.LOGIN_FAILURE_LIMIT - 1)
    attempt(client, "exec-a@example.com", PASSWORD)
    client.post("/accounts/logout/")
    fail(client, "exec-a@example.com", settings.LOGIN_FAILURE_LIMIT - 1)
    assert attempt(client, "exec-a@example.com", PASSWORD).status_code == 302


def test_wrong_codes_count_too(world, client):
    device = totp.pending_device(world.lead)
    totp.confirm(device)
    attempt(client, "lead@example.com", PASSWORD)
    for _ in range(settings.LOGIN_FAILURE_LIMIT):
        response = client.post(VERIFY, {"code": "000000"})
    assert response.status_code == 429
    assert "locked" in response.content.decode()

    right = client.post(VERIFY, {"code": pyotp.TOTP(device.secret).at(time.time())})

    assert right.status_code == 429
    assert "Sign-in for this account is locked for 15 more minutes" in right.content.decode()
    assert signed_in_user_id(client) is None
    assert attempt(client, "lead@example.com", PASSWORD).status_code == 429


def test_the_address_locks_across_accounts(world, client):
    for i in range(settings.LOGIN_FAILURE_IP_LIMIT):
        attempt(client, f"guess{i}@example.com", "wrong-password-123")

    response = attempt(client, "exec-a@example.com", PASSWORD)

    assert response.status_code == 429
    assert "Sign-in for your network address is locked for 15 more minutes" in (
        response.content.decode()
    )
    assert signed_in_user_id(client) is None
    other = attempt(client, "exec-a@example.com", PASSWORD, REMOTE_ADDR="192.0.2.7")
    assert other.status_code == 302


def test_the_address_limit_needs_more_failures_than_the_account_limit(world, client):
    for i in range(settings.LOGIN_FAILURE_IP_LIMIT - 1):
        attempt(client, f"guess{i}@example.com", "wrong-password-123")
    assert attempt(client, "exec-a@example.com", PASSWORD).status_code == 302
