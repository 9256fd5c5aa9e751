"""Reviewed answers update the controls they inform, with the assessment as the evidence;
newer evidence from elsewhere is never overridden."""

from __future__ import annotations

import datetime

from ciodesk.assessments import services
from ciodesk.assessments.tests.conftest import answer_all, sections
from ciodesk.core.scope import acting_as, scope
from ciodesk.security import services_controls
from ciodesk.security.models import Evidence
from ciodesk.tenancy.access import Level

DAY = datetime.date(2026, 11, 20)


def review(world, section, on=DAY):
    with scope(world.a), acting_as(world.lead):
        section.refresh_from_db()
        if section.stage == "answering":
            services.submit_section(section, world.lead, Level.LEAD)
            section.refresh_from_db()
        services.review_section(section, world.lead, Level.LEAD, on=on)


def control(world, key):
    with scope(world.a):
        return services_controls.control_for(key)


def test_review_sets_the_controls_with_the_assessment_as_evidence(world, as_user, assessment):
    answer_all(world, assessment, {"mfa": "no", "admins": "partial", "review": "often"})
    identity = sections(world, assessment)["identity"]
    as_user(world.contrib_a).post(f"/c/alpha/assessments/sections/{identity.pk}/submit/")
    as_user(world.lead).post(f"/c/alpha/assessments/sections/{identity.pk}/review/")
    today = world.a.today()
    statuses = {
        key: control(world, key).status for key in ("mfa-email", "admin-accounts", "access-review")
    }
    assert statuses == {
        "mfa-email": "not_in_place",
        "admin-accounts": "partial",
        "access-review": "in_place",
    }
    with scope(world.a):
        evidence = Evidence.objects.get(control=control(world, "access-review"), kind="assessment")
    assert evidence.verified_on == today
    assert evidence.source == f"Assessment #{assessment.pk}: Baseline 2026"
    assert evidence.title == "Baseline 2026: in place"
    assert "How often is access reviewed? — Twice a year" in evidence.note
    assert control(world, "access-review").last_verified_on == today


def test_newer_evidence_from_elsewhere_wins(world, assessment):
    backups = control(world, "backups")
    with scope(world.a), acting_as("test setup"):
        services_controls.add_evidence(
            backups,
            kind="note",
            title="Restore of the file server",
            verified_on=DAY + datetime.timedelta(days=3),
            status="in_place",
        )
    answer_all(world, assessment, {"daily": "no", "edr": 50})
    review(world, sections(world, assessment)["devices"], on=DAY)
    backups = control(world, "backups")
    assert backups.status == "in_place"  # the newer restore evidence stands
    assert backups.last_verified_on == DAY + datetime.timedelta(days=3)
    with scope(world.a):
        kept = Evidence.objects.get(control=backups, kind="assessment")
    assert kept.title == "Baseline 2026: not in place"  # recorded for the history
    # A control without newer evidence follows the assessment.
    assert control(world, "endpoint-protection").status == "not_in_place"


def test_older_evidence_is_superseded(world, assessment):
    mfa = control(world, "mfa-email")
    with scope(world.a), acting_as("test setup"):
        services_controls.add_evidence(
            mfa,
            kind="note",
            title="MFA report",
            verified_on=DAY - datetime.timedelta(days=40),
            status="in_place",
        )
    answer_all(world, assessment, {"mfa": "partial"})
    review(world, sections(world, assessment)["identity"], on=DAY)
    mfa = control(world, "mfa-email")
    assert (mfa.status, mfa.last_verified_on) == ("partial", DAY)


def test_unknown_answers_and_not_applicable_controls_are_left_alone(world, assessment):
    review_control = control(world, "access-review")
    with scope(world.a), acting_as("test setup"):
        review_control.status = "not_applicable"
        review_control.not_applicable_reason = "Two people, one account each"
        review_control.save()
    before = control(world, "mfa-email")
    answer_all(world, assessment, {"mfa": "unknown", "review": "never"})
    review(world, sections(world, assessment)["identity"])
    after = control(world, "mfa-email")
    assert (after.status, after.last_verified_on) == (before.status, before.last_verified_on)
    with scope(world.a):
        assert not Evidence.objects.filter(control=after, kind="assessment").exists()
    assert control(world, "access-review").status == "not_applicable"


def test_reviewing_again_on_the_same_day_adds_no_duplicate_evidence(world, assessment):
    answer_all(world, assessment, {"mfa": "no"})
    identity = sections(world, assessment)["identity"]
    review(world, identity)
    with scope(world.a), acting_as("test setup"):
        identity.refresh_from_db()
        services.return_section(identity, Level.LEAD)
    review(world, identity)
    with scope(world.a):
        assert (
            Evidence.objects.filter(kind="assessment", control=control(world, "mfa-email")).count()
            == 1
        )
