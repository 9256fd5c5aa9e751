"""The digest's options, the opt-out switch, and who sees which client."""

from __future__ import annotations

import datetime
import io

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import include, path

from ciodesk.conftest import CANARY
from ciodesk.core.scope import acting_as, scope
from ciodesk.delivery import services_digest as digests
from ciodesk.delivery.models import Decision

# The project mounts the switch at /accounts/digest/; this URLconf does the same for the
# tests whether or not the project's own has the line yet.
urlpatterns = [
    path("accounts/", include("ciodesk.delivery.urls_digest")),
    path("", include("ciodesk.urls")),
]


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("send_digests", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def waiting(world):
    """A decision waiting for each client's executive."""
    for client, user, text in ((world.a, world.exec_a, ""), (world.b, world.exec_b, CANARY)):
        with scope(client), acting_as("test setup"):
            Decision.objects.create(
                question=f"Approve the budget? {text}",
                decider=user,
                owner=world.records["a" if client == world.a else "b"]["people"],
                deadline=client.today() + datetime.timedelta(days=5),
            )
    return world


def test_dry_run_lists_and_sends_nothing(waiting):
    out = run("--dry-run")
    assert mail.outbox == []
    assert "Would send to exec-a@example.com: Alpha Dental: your IT week" in out
    assert "Would send to lead@example.com: What needs you this week" in out
    assert "contrib-a@example.com" not in out  # contributors get no digest


def test_practice_only_and_clients_only(waiting):
    run("--practice-only")
    assert sorted(m.to[0] for m in mail.outbox) == ["consultant@example.com", "lead@example.com"]
    mail.outbox.clear()
    run("--clients-only")
    assert sorted(m.to[0] for m in mail.outbox) == ["exec-a@example.com", "exec-b@example.com"]


def test_a_user_who_switched_it_off_gets_nothing(waiting):
    waiting.exec_a.weekly_digest = False
    waiting.exec_a.save()
    out = run("--clients-only")
    assert [m.to[0] for m in mail.outbox] == ["exec-b@example.com"]
    assert "skipped 1 switched off" in out


def test_nothing_to_report_means_no_email(world):
    from ciodesk.vendors.models import Contract

    # No decision waits for either executive; take away the at-risk projects and move
    # the renewals out of the 90-day window.
    for client, key in ((world.a, "a"), (world.b, "b")):
        with scope(client), acting_as("test setup"):
            world.records[key]["projects"].delete()
            Contract.objects.update(end_date=client.today() + datetime.timedelta(days=400))
    out = run("--clients-only")
    assert mail.outbox == []
    assert "2 with nothing to report" in out


def test_an_executives_digest_covers_only_their_client(waiting):
    a_digest = digests.digest_for(waiting.exec_a, digests.EXECUTIVE)
    assert [p.client for p in a_digest.parts] == [waiting.a]
    run("--clients-only")
    by_to = {m.to[0]: m for m in mail.outbox}
    exec_a = by_to["exec-a@example.com"]
    assert CANARY not in exec_a.body and CANARY not in exec_a.alternatives[0].content
    assert CANARY in by_to["exec-b@example.com"].body  # the canary is there to be found
    consultant = digests.digest_for(waiting.consultant, digests.PRACTICE)
    assert [p.client for p in consultant.parts] == [waiting.a]


@pytest.mark.urls(__name__)
def test_the_switch_turns_the_digest_off_and_on(world, as_user):
    client = as_user(world.exec_a)
    page = client.get("/accounts/digest/").content.decode()
    assert 'id="weekly_digest" name="weekly_digest" checked' in page
    assert "What this week" in page
    response = client.post("/accounts/digest/", {})
    assert response.status_code == 302
    world.exec_a.refresh_from_db()
    assert world.exec_a.weekly_digest is False
    client.post("/accounts/digest/", {"weekly_digest": "on"})
    world.exec_a.refresh_from_db()
    assert world.exec_a.weekly_digest is True


@pytest.mark.urls(__name__)
def test_the_switch_needs_a_signed_in_user(client, world):
    response = client.get("/accounts/digest/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
