"""Insurance answers come from the controls' state and coverage, and change by themselves
when their evidence goes stale."""

import datetime

import pytest
from django.utils import timezone

from ciodesk.core.scope import acting_as, scope
from ciodesk.security import services_controls as controls
from ciodesk.security.models import CoverageImport
from ciodesk.security.services_insurance import readiness

D = datetime.date(2026, 3, 10)


def verify(key: str, on: datetime.date, status: str = "in_place", title: str = ""):
    control = controls.control_for(key)
    return controls.add_evidence(
        control, kind="note", title=title or f"Checked {key}", verified_on=on, status=status
    )


def answer(today: datetime.date, qid: str):
    return next(a for a in readiness(today).answers if a.question.id == qid)


def test_nothing_assessed_is_unknown_not_no(world):
    with scope(world.a), acting_as("test setup"):
        result = readiness(D)
    assert result.counts == {"Yes": 0, "Partial": 0, "No": 0, "Unknown": 31}
    assert "Not assessed yet" in result.answers[0].reason


def test_an_answer_flips_from_yes_to_no_the_day_its_evidence_goes_stale(world):
    with scope(world.a), acting_as("test setup"):
        verify("mfa-remote-access", D, title="VPN asks for a second factor")  # every 30 days
        last_good = answer(D + datetime.timedelta(days=29), "INS-02")
        first_stale = answer(D + datetime.timedelta(days=30), "INS-02")
    assert last_good.answer == "Yes"
    assert last_good.evidence_text.startswith("VPN asks for a second factor (")
    assert last_good.evidence_date == D
    assert first_stale.answer == "No"
    assert f"is stale since {D + datetime.timedelta(days=30):%Y-%m-%d}" in first_stale.reason
    assert first_stale.evidence[0].stale


def test_one_control_of_two_makes_a_partial_and_the_oldest_date_counts(world):
    with scope(world.a), acting_as("test setup"):
        verify("patch-operating-systems", D - datetime.timedelta(days=5))
        verify("patch-applications", D, status="not_in_place")
        result = answer(D, "INS-14")
        assert result.answer == "Partial"
        assert result.evidence_date == D - datetime.timedelta(days=5)
        verify("patch-applications", D)
        assert answer(D, "INS-14").answer == "Yes"


def test_not_applicable_everywhere_is_yes_with_the_reason(world):
    with scope(world.a), acting_as("test setup"):
        control = controls.control_for("mfa-remote-access")
        control.status = "not_applicable"
        control.not_applicable_reason = "No remote access: everything is in Microsoft 365"
        control.save()
        result = answer(D, "INS-02")
    assert result.answer == "Yes"
    assert "No remote access" in result.reason


@pytest.mark.parametrize(
    ("registered", "status", "expected"),
    [(100, "in_place", "Yes"), (90, "partial", "Partial"), (70, "not_in_place", "No")],
)
def test_the_mfa_figure_lowers_an_in_place_answer(world, registered, status, expected):
    """The control was marked in place by hand; the newest export (graded by the coverage
    import's own rule) still decides how far the answer can go."""
    with scope(world.a), acting_as("test setup"):
        verify("mfa-email", D)
        CoverageImport.objects.create(
            kind="mfa",
            filename="registration.csv",
            sha256=f"{registered:064d}",
            as_of=timezone.now() + datetime.timedelta(days=1),
            rows=100,
            summary={
                "members": 100,
                "members_registered": registered,
                "percent": float(registered),
                "status": status,
            },
        )
        result = answer(D, "INS-01")
    assert result.answer == expected
    assert (
        result.coverage.text
        == f"{float(registered)} % ({registered} of 100 member users) registered"
    )


def test_an_import_without_figures_leaves_the_answer_to_the_controls(world):
    with scope(world.a), acting_as("test setup"):
        verify("mfa-email", D)
        CoverageImport.objects.create(
            kind="mfa",
            filename="odd.csv",
            sha256="f" * 64,
            as_of=timezone.now() + datetime.timedelta(days=1),
            summary={"rows": 3},
        )
        result = answer(D, "INS-01")
    assert (result.answer, result.coverage) == ("Yes", None)


def test_gaps_are_ordered_by_weight_then_no_unknown_partial(world):
    with scope(world.a), acting_as("test setup"):
        verify("mfa-admins", D)  # INS-03 yes (weight 5)
        verify("mfa-remote-access", D, status="not_in_place")  # INS-02 no (weight 5)
        verify("backups", D)  # INS-10 partial: saas backup is missing (weight 5)
        verify("saas-backup", D, status="not_in_place")
        verify("phishing-simulation", D, status="not_in_place")  # INS-22 no (weight 2)
        gaps = readiness(D).gaps
    ids = [a.question.id for a in gaps]
    assert "INS-03" not in ids
    # weight 5: the No, then the Unknowns by ID, then the Partial; then weight 4
    assert ids[:7] == ["INS-02", "INS-01", "INS-07", "INS-11", "INS-17", "INS-10", "INS-08"]
    weights = [a.question.weight for a in gaps]
    assert weights == sorted(weights, reverse=True)
    weight_two = [a.question.id for a in gaps if a.question.weight == 2]
    assert weight_two[0] == "INS-22"
    assert ids[-1] == "INS-31"
