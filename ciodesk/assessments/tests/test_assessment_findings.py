"""Findings from badly answered questions: generated once, kept up to date, filtered, exported."""

from __future__ import annotations

import io

from openpyxl import load_workbook

from ciodesk.assessments import services
from ciodesk.assessments.models import Finding
from ciodesk.assessments.tests.conftest import answer_all, plain, sections
from ciodesk.core.scope import acting_as, scope
from ciodesk.tenancy.access import Level


def rescore(world, assessment, domain="identity"):
    """Return the section and review it again (what the CIO does after a correction)."""
    section = sections(world, assessment)[domain]
    with scope(world.a), acting_as(world.lead):
        if section.stage != "answering":
            services.return_section(section, Level.LEAD)
            section.refresh_from_db()
        services.submit_section(section, world.lead, Level.LEAD)
        section.refresh_from_db()
        services.review_section(section, world.lead, Level.LEAD, on=world.a.today())


def findings(world, assessment):
    with scope(world.a):
        return {f.title: f for f in Finding.objects.filter(assessment=assessment)}


def test_findings_come_from_bad_answers_with_the_templates_words(world, assessment):
    answer_all(world, assessment, {"mfa": "no", "admins": "yes", "review": "rarely"})
    rescore(world, assessment)
    found = findings(world, assessment)
    assert set(found) == {"E-mail without MFA", "Access is not reviewed"}
    mfa = found["E-mail without MFA"]
    assert (mfa.risk, mfa.disposition, mfa.cost_low, mfa.cost_high) == (
        "Stolen passwords open mailboxes.",
        "fix",
        0,
        2000,
    )
    assert (mfa.severity, mfa.status, mfa.owner, mfa.currency) == (
        5,
        "open",
        world.records["a"]["people"],
        "USD",
    )
    assert found["Access is not reviewed"].disposition == "fund"


def test_rescoring_updates_and_never_duplicates(world, assessment):
    answer_all(world, assessment, {"mfa": "no", "admins": "partial"})
    rescore(world, assessment)
    with scope(world.a), acting_as("test setup"):
        edited = Finding.objects.get(assessment=assessment, title="Shared admin accounts")
        edited.title = "Three people share the admin login"
        edited.save()
    rescore(world, assessment)
    assert len(findings(world, assessment)) == 2
    assert "Three people share the admin login" in findings(
        world, assessment
    )  # the practice's words stay

    answer_all(world, assessment, {"mfa": "yes"})
    rescore(world, assessment)
    assert findings(world, assessment)["E-mail without MFA"].status == "resolved"
    answer_all(world, assessment, {"mfa": "unknown"})
    rescore(world, assessment)
    found = findings(world, assessment)
    assert len(found) == 2 and found["E-mail without MFA"].status == "open"


def test_the_finding_list_filters_by_disposition_and_status(world, as_user, assessment):
    answer_all(world, assessment, {"mfa": "no", "review": "never", "daily": "no", "edr": 92})
    rescore(world, assessment)
    rescore(world, assessment, "devices")
    client = as_user(world.exec_a)
    page = plain(client.get("/c/alpha/assessments/findings/").content)
    for title in (
        "E-mail without MFA",
        "Access is not reviewed",
        "No daily backup",
        "Devices without EDR",
    ):
        assert title in page
    page = plain(client.get("/c/alpha/assessments/findings/?disposition=fund").content)
    assert "Access is not reviewed" in page and "No daily backup" in page
    assert "E-mail without MFA" not in page and "2 findings." in page
    with scope(world.a), acting_as("test setup"):
        Finding.objects.filter(title="No daily backup").update(status="accepted")
    page = plain(client.get("/c/alpha/assessments/findings/?status=accepted").content)
    assert "No daily backup" in page and "1 finding." in page
    csv = client.get(
        "/c/alpha/assessments/findings/export/?format=csv&disposition=fund&status=all"
    ).content.decode()
    assert (
        "Access is not reviewed" in csv
        and "No daily backup" in csv
        and "E-mail without MFA" not in csv
    )
    book = load_workbook(
        io.BytesIO(client.get("/c/alpha/assessments/findings/export/?format=xlsx").content)
    )
    rows = list(book.active.iter_rows(values_only=True))
    assert rows[0][:4] == ("Finding", "Severity", "Disposition", "Status")
    assert {r[0] for r in rows[1:]} >= {"E-mail without MFA", "Devices without EDR"}


def test_the_answers_export_lists_every_question(world, as_user, assessment):
    answer_all(
        world,
        assessment,
        {"mfa": "yes", "review": "rarely", "edr": 95, "notes": "MSP is Coastline"},
    )
    csv = (
        as_user(world.exec_a)
        .get(f"/c/alpha/assessments/{assessment.pk}/answers/export/?format=csv")
        .content.decode()
    )
    lines = csv.strip().splitlines()
    assert len(lines) == 7  # header + six questions, answered or not
    assert "Rarely" in csv and "0.25" in csv and "MSP is Coastline" in csv


def test_only_the_practice_edits_findings(world, as_user, assessment):
    answer_all(world, assessment, {"mfa": "no"})
    rescore(world, assessment)
    finding = findings(world, assessment)["E-mail without MFA"]
    url = f"/c/alpha/assessments/findings/{finding.pk}/edit/"
    assert as_user(world.contrib_a).post(url, {}).status_code == 403
    data = {
        "title": finding.title,
        "risk": finding.risk,
        "recommendation": "Security defaults this week",
        "disposition": "fix",
        "status": "planned",
        "severity": 5,
        "cost_low": "0",
        "cost_high": "500",
        "currency": "USD",
        "owner": finding.owner_id,
    }
    assert as_user(world.lead).post(url, data).status_code == 302
    finding.refresh_from_db()
    assert (finding.status, finding.cost_high) == ("planned", 500)
