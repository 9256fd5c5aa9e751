"""Answers read the coverage importers' figures from real exports, and drop when the
import's evidence passes its control's interval."""

import datetime

import pytest

from ciodesk.core.scope import scope
from ciodesk.security.services_insurance import readiness
from ciodesk.security.tests.test_coverage_fixtures import load, new_client

EXPORTED = datetime.date(2026, 11, 20)  # the exports' own dates, in the client's zone


@pytest.fixture
def delta(db):
    client = new_client()
    load(client, "entra_portal.csv", "mfa")
    load(client, "ninjaone_devices.csv", "rmm")
    load(client, "sentinelone_agents.csv", "edr")
    load(client, "veeam_job_history.csv", "backup")
    return client


def answers(client, today):
    with scope(client):
        return {a.question.id: a for a in readiness(today).answers}


def test_the_exports_answer_the_mfa_edr_and_backup_questions(delta):
    result = answers(delta, EXPORTED + datetime.timedelta(days=1))
    mfa = result["INS-01"]
    assert mfa.answer == "Partial"  # 14 of 16 member users: partial under the import's rule
    assert mfa.coverage.text == "87.5 % (14 of 16 member users) registered"
    assert mfa.evidence_date == EXPORTED
    admins = result["INS-03"]
    assert admins.answer == "No"
    assert admins.coverage.text == "1 of 4 admin accounts without MFA"
    edr = result["INS-07"]
    assert edr.answer == "Partial"  # 90 %, short of the 98 % insurers ask for
    assert edr.coverage.text == "90.0 % (9 of 10 devices) run EDR"
    backups = result["INS-10"]
    assert backups.answer == "No"
    assert backups.coverage.text.startswith("4 of 6 systems backed up in the last 24 h; 1 ")
    assert "MFA registration 87.5 %" in mfa.evidence_text


def test_the_mfa_answer_drops_to_no_when_the_import_is_30_days_old(delta):
    last_day = EXPORTED + datetime.timedelta(days=29)  # mfa-email: every 30 days
    assert answers(delta, last_day)["INS-01"].answer == "Partial"
    stale = answers(delta, last_day + datetime.timedelta(days=1))["INS-01"]
    assert stale.answer == "No"
    assert "is stale since 2026-12-20" in stale.reason
