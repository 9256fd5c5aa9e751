"""Backups: the last success per protected system, and who has none in 24 hours or 7 days."""

import datetime
import zoneinfo

import pytest

from ciodesk.core.scope import scope
from ciodesk.security.importers.backups import result_of
from ciodesk.security.services_coverage import backup_status, backup_systems
from ciodesk.security.tests.test_coverage_fixtures import control, evidence, load, new_client

LA = zoneinfo.ZoneInfo("America/Los_Angeles")


@pytest.fixture
def delta(db):
    return new_client()


def test_a_veeam_report_with_title_rows(delta):
    record = load(delta, "veeam_job_history.csv", "backup").record
    s = record.summary
    assert record.source_format == "veeam"
    # the report's time is its newest finish: 11/20/2026 2:30:00 AM in the client's zone
    assert record.as_of == datetime.datetime(2026, 11, 20, 2, 30, tzinfo=LA)
    assert (s["systems"], s["ok_24h"], s["without_24h"], s["without_7d"]) == (6, 4, 2, 1)
    assert (s["runs"], s["left_out"]) == (11, 1)  # the running job has no finish time
    assert s["status"] == "not_in_place"
    with scope(delta):
        states = {state.name: state for state in backup_systems(record)}
    # SQL-DENTRIX failed last night; its last success was two days before
    assert states["SQL-DENTRIX"].last_success == datetime.datetime(
        2026, 11, 18, 2, 10, 31, tzinfo=LA
    )
    assert (states["SQL-DENTRIX"].ok_24h, states["SQL-DENTRIX"].ok_7d) == (False, True)
    assert states["SQL-DENTRIX"].last_result == "failed"
    # ALPHA-APP01 only warned since 11/12: a warning is not a success
    assert (states["ALPHA-APP01"].ok_24h, states["ALPHA-APP01"].ok_7d) == (False, False)
    # HR-VM succeeded exactly 24 hours before the report's time: it counts
    assert states["HR-VM"].ok_24h is True


def test_the_backup_control_follows_the_report(delta):
    load(delta, "veeam_job_history.csv", "backup")
    backups = control(delta, "backups")
    assert backups.status == "not_in_place"
    assert backups.last_verified_on == datetime.date(2026, 11, 20)
    [item] = evidence(delta, "backups")
    assert item.title == "Backups: 4 of 6 systems succeeded in 24 h"


def test_a_cove_per_device_report_uses_its_last_successful_session(delta):
    record = load(delta, "cove_devices.csv", "backup").record
    s = record.summary
    assert record.source_format == "cove"
    # ENG-CAD-01's last success is 25 hours before the newest session: within 7 days only
    assert (s["systems"], s["ok_24h"], s["without_24h"], s["without_7d"]) == (4, 3, 1, 0)
    assert s["runs"] == 5
    assert control(delta, "backups").status == "partial"


def test_every_system_backed_up_in_24_hours_is_in_place(delta):
    record = load(delta, "acronis_activities.csv", "backup").record
    assert record.source_format == "acronis"
    assert (record.summary["systems"], record.summary["ok_24h"]) == (3, 3)
    assert control(delta, "backups").status == "in_place"


def test_a_success_exactly_seven_days_old_counts_within_the_week(delta):
    record = load(delta, "datto_bcdr.csv", "backup").record
    s = record.summary
    assert record.source_format == "datto"
    assert (s["without_24h"], s["without_7d"]) == (1, 0)
    assert s["status"] == "partial"


@pytest.mark.parametrize(
    ("word", "result"),
    [
        ("Success", "success"),
        ("Succeeded", "success"),
        ("Completed", "success"),
        ("Succeeded with warnings", "warning"),
        ("CompletedWithErrors", "warning"),
        ("Warning", "warning"),
        ("Failed", "failed"),
        ("Aborted", "failed"),
        ("OverQuota", "failed"),
        ("Incomplete", "failed"),
        ("Running", "other"),
        ("InProcess", "other"),
    ],
)
def test_the_tools_result_words(word, result):
    assert result_of(word) == result


def test_an_unknown_result_word_is_refused():
    with pytest.raises(ValueError, match="is not a result we know"):
        result_of("Purple")


@pytest.mark.parametrize(
    ("systems", "without_24h", "without_7d", "status"),
    [(5, 0, 0, "in_place"), (5, 2, 0, "partial"), (5, 2, 1, "not_in_place")],
)
def test_the_backup_rules(systems, without_24h, without_7d, status):
    assert backup_status(systems, without_24h, without_7d) == status
