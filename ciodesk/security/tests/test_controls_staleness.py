"""A control is in place through day D+N-1 and stale from day D+N, in the client's time zone."""

import datetime
import zoneinfo
from unittest import mock

import pytest

from ciodesk.core.scope import scope
from ciodesk.security import services_controls as services

LA = zoneinfo.ZoneInfo("America/Los_Angeles")
VERIFIED = datetime.date(2026, 3, 1)  # restore-test: re-verify every 90 days


def at(local: datetime.datetime):
    """Freeze "now" at a wall-clock time in Los Angeles (Alpha's time zone)."""
    return mock.patch("django.utils.timezone.now", return_value=local.replace(tzinfo=LA))


@pytest.fixture
def restore_test(world):
    with scope(world.a):
        control = services.control_for("restore-test")
        assert control.definition.interval_days == 90
        services.add_evidence(
            control,
            kind="note",
            title="Restored the file server to a test VM",
            verified_on=VERIFIED,
            status="in_place",
        )
    return control


def effective_on(world, day: datetime.date) -> str:
    with scope(world.a):
        return services.states(day)["restore-test"].effective


def test_in_place_on_the_last_day_and_stale_the_next(world, restore_test):
    last_day = VERIFIED + datetime.timedelta(days=89)  # D + N - 1
    assert effective_on(world, last_day) == "in_place"
    assert effective_on(world, last_day + datetime.timedelta(days=1)) == "stale"


def test_a_partial_control_goes_stale_the_same_way(world, restore_test):
    with scope(world.a):
        restore_test.refresh_from_db()
        restore_test.status = "partial"
        restore_test.save()
    assert effective_on(world, datetime.date(2026, 5, 29)) == "partial"
    assert effective_on(world, datetime.date(2026, 5, 30)) == "stale"


def test_an_in_place_control_without_evidence_is_stale(world):
    with scope(world.a):
        control = services.control_for("backups")
        control.status = "in_place"
        control.save()
        assert services.states(datetime.date(2026, 5, 1))["backups"].effective == "stale"


def test_the_day_turns_at_midnight_in_the_clients_time_zone(world, as_user, restore_test):
    """05-30 06:30 UTC is still 05-29 in Los Angeles: the control is in place there."""
    page = as_user(world.exec_a)
    with at(datetime.datetime(2026, 5, 29, 23, 30)):
        assert world.a.today() == datetime.date(2026, 5, 29)
        html = page.get("/c/alpha/security/controls/?status=stale").content.decode()
        assert "Restores are tested every quarter" not in html
        html = page.get("/c/alpha/security/controls/?status=in_place").content.decode()
        assert "Restores are tested every quarter" in html
    with at(datetime.datetime(2026, 5, 30, 0, 30)):
        html = page.get("/c/alpha/security/").content.decode()
        assert "Restores are tested every quarter" in html
        assert "went stale today" in html
    with at(datetime.datetime(2026, 6, 12, 9, 0)):
        html = page.get("/c/alpha/security/").content.decode()
        assert "stale for 13 days" in html


def test_the_dashboard_lists_stale_controls_first_longest_stale_first(world, as_user):
    with scope(world.a):
        for key, day in [("backups", datetime.date(2026, 4, 1)), ("mfa-email", VERIFIED)]:
            services.add_evidence(
                services.control_for(key),
                kind="note",
                title="checked",
                verified_on=day,
                status="in_place",
            )
    with at(datetime.datetime(2026, 6, 1, 12, 0)):
        html = as_user(world.exec_a).get("/c/alpha/security/").content.decode()
    stale = html.split('id="stale-h"')[1].split("</section>")[0]
    # MFA went stale 2026-03-31 (62 days ago), backups on 2026-05-01 (31 days ago).
    assert stale.index("Multi-factor sign-in on e-mail") < stale.index("backed up automatically")
    assert "stale for 62 days" in stale and "stale for 31 days" in stale
