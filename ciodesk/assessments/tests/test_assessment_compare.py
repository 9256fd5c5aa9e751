"""Re-assessment: two assessments of a client side by side."""

from __future__ import annotations

import datetime

from ciodesk.assessments import services
from ciodesk.assessments.tests.conftest import answer_all, plain
from ciodesk.core.scope import acting_as, scope
from ciodesk.tenancy.access import Level


def completed(world, template, title, day, values):
    with scope(world.a), acting_as(world.lead):
        assessment = services.start_assessment(
            template, title=title, owner=world.records["a"]["people"], started_on=day
        )
    answer_all(world, assessment, values)
    with scope(world.a), acting_as(world.lead):
        for section in assessment.sections.all():
            services.submit_section(section, world.lead, Level.LEAD)
            section.refresh_from_db()
            services.review_section(section, world.lead, Level.LEAD, on=day)
        assessment.refresh_from_db()
        services.complete(assessment, on=day, user=world.lead)
    return assessment


def test_then_and_now_side_by_side(world, as_user, small_template):
    then = completed(
        world,
        small_template,
        "Baseline 2025",
        datetime.date(2025, 10, 1),
        {"mfa": "no", "admins": "no", "review": "never", "edr": 80, "daily": "partial"},
    )
    now = completed(
        world,
        small_template,
        "Baseline 2026",
        datetime.date(2026, 10, 1),
        {"mfa": "yes", "admins": "no", "review": "rarely", "edr": 100, "daily": "yes"},
    )
    # Asked in either order, the earlier one is "then".
    page = plain(
        as_user(world.exec_a).get(f"/c/alpha/assessments/compare/?a={now.pk}&b={then.pk}").content
    )
    # then: identity 0 of 10, devices 2.5 of 9 → 27.8; overall 2.5 of 19 → 13.2 (Critical)
    # now: identity 5 + 0 + 0.5 = 5.5 of 10 → 55.0; devices 9 of 9 → 100.0;
    #      overall 14.5 of 19 → 76.3
    assert "Then: Baseline 2025" in page and "Now: Baseline 2026" in page
    assert "Accounts and sign-in 0.0 55.0 +55.0" in page
    assert "Devices and backup 27.8 100.0 +72.2" in page
    assert "Overall 13.2 76.3 +63.1" in page
    assert "Critical risk" in page and "Moderate risk" in page and "rating better" in page
    assert "Is multi-factor sign-in enforced on e-mail? No Yes better" in page
    assert "How often is access reviewed? Never Rarely better" in page
    assert (
        "Do admins use separate accounts?" not in page.split("Answers that changed")[1]
    )  # unchanged
    new = page.split("New findings (0)")[1].split("Resolved since then")[0]
    assert "None." in new
    resolved = page.split("Resolved since then (3)")[1]
    for title in ("E-mail without MFA", "Devices without EDR", "No daily backup"):
        assert title in resolved
    assert "2 findings still open from then." in page  # shared admin accounts, access reviews


def test_another_clients_assessment_is_not_there(world, as_user, assessment):
    theirs = world.records["b"]["assessments"]
    client = as_user(world.lead)
    assert (
        client.get(f"/c/alpha/assessments/compare/?a={assessment.pk}&b={theirs.pk}").status_code
        == 404
    )
    assert (
        client.get(f"/c/alpha/assessments/compare/?a={theirs.pk}&b={assessment.pk}").status_code
        == 404
    )
    assert client.get("/c/alpha/assessments/compare/?a=x&b=1").status_code == 404


def test_the_page_without_a_choice_offers_one(world, as_user, assessment):
    page = plain(as_user(world.exec_a).get("/c/alpha/assessments/compare/").content)
    assert "Then" in page and "Now" in page and "Compare" in page
