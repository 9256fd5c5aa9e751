"""Journey: a contributor answers a section of the baseline assessment (each answer saved as
they go, without reloading the page) and submits it; the CIO signs in with the second
factor, reviews the section and reads the score."""

from __future__ import annotations

import datetime
import re

import pyotp
import pytest
from django.utils import timezone
from playwright.sync_api import expect

from ciodesk.accounts.models import TOTPDevice
from ciodesk.assessments import services, services_templates
from ciodesk.assessments.models import Answer, SectionAssignment, TemplateQuestion
from ciodesk.browser_tests.conftest import assert_loaded_cleanly
from ciodesk.browser_tests.test_journeys import sign_in
from ciodesk.conftest import CANARY
from ciodesk.core.scope import acting_as, scope

pytestmark = pytest.mark.browser


def test_contributor_answers_and_submits_then_the_cio_reviews(transactional_db, world, page, shot):
    (template,) = services_templates.ensure_builtin_templates()
    with scope(world.a), acting_as("test setup"):
        assessment = services.start_assessment(
            template,
            title="Baseline IT assessment 2026",
            owner=world.records["a"]["people"],
            started_on=datetime.date(2026, 11, 2),
        )
        section = SectionAssignment.objects.get(assessment=assessment, domain__key="identity")
        section.assignee = world.contrib_a
        section.save()
    q = {
        x.key: x
        for x in TemplateQuestion.objects.filter(domain__template=template, domain__key="identity")
    }
    total = len(q)

    # The contributor opens the section from the assessment page.
    sign_in(page, world.contrib_a.email)
    page.goto("/c/alpha/assessments/")
    page.get_by_role("link", name="Baseline IT assessment 2026").click()
    page.get_by_role("link", name="Accounts and sign-in").click()
    expect(page.get_by_role("heading", name="Accounts and sign-in", level=1)).to_be_visible()
    progress = page.locator("#section-progress")
    expect(progress).to_contain_text(f"0 of {total} answered")
    page.evaluate("window.stillTheSamePage = true")

    # Each change saves that one answer; the row and the progress update in place.
    mfa = page.locator(f"#q-{q['mfa-email'].pk}")
    mfa.get_by_role("radio", name="Yes").check()
    expect(mfa.get_by_role("status")).to_have_text("Saved.")
    expect(progress).to_contain_text(f"1 of {total} answered")

    remote = page.locator(f"#q-{q['mfa-remote'].pk}")
    remote.get_by_role("radio", name="Partial").check()
    expect(remote.get_by_role("status")).to_have_text("Saved.")
    remote.get_by_text("Note and evidence").click()
    note = remote.get_by_label("Note")
    note.fill("The plant's remote tool has no MFA yet.")
    note.press("Tab")  # leaving the field saves it
    expect(page.locator(f"#q-{q['mfa-remote'].pk} .as-saved")).to_have_text("Saved.")

    review = page.locator(f"#q-{q['access-review'].pk}")
    review.get_by_role("radio", name="Once a year").check()
    expect(progress).to_contain_text(f"3 of {total} answered")
    assert page.evaluate("window.stillTheSamePage") is True  # no reload happened
    shot("answered")
    with scope(world.a):
        saved = {
            a.question.key: (a.value, a.note) for a in Answer.objects.filter(assessment=assessment)
        }
    assert saved == {
        "mfa-email": ("yes", ""),
        "mfa-remote": ("partial", "The plant's remote tool has no MFA yet."),
        "access-review": ("yearly", ""),
    }

    # Resumable: coming back shows the answers as left.
    page.reload()
    expect(
        page.locator(f"#q-{q['mfa-remote'].pk}").get_by_role("radio", name="Partial")
    ).to_be_checked()

    page.get_by_role("button", name="Submit for review").click()
    expect(page.get_by_text("“Accounts and sign-in” submitted for review.")).to_be_visible()
    expect(page.locator("#section-stage")).to_have_text("Submitted for review")
    expect(page.get_by_role("button", name="Mark reviewed")).to_have_count(
        0
    )  # not theirs to review
    assert_loaded_cleanly(page)
    page.get_by_role("button", name="Sign out").click()

    # The CIO signs in with the authenticator app's code and reviews the section.
    secret = pyotp.random_base32()
    TOTPDevice.objects.create(user=world.lead, secret=secret, confirmed_at=timezone.now())
    sign_in(page, world.lead.email)
    expect(page).to_have_url(re.compile(r"/accounts/two-factor/"))
    code = page.get_by_label(re.compile(r"^Code\b(?! from)"))
    code.fill(pyotp.TOTP(secret).now())
    code.press("Enter")
    expect(page.get_by_role("heading", name="Portfolio", level=1)).to_be_visible()
    page.goto(f"/c/alpha/assessments/sections/{section.pk}/")
    expect(page.locator(f"#q-{q['mfa-remote'].pk}")).to_contain_text(
        "The plant's remote tool has no MFA yet."
    )
    page.get_by_role("button", name="Mark reviewed").click()
    expect(page.get_by_text("“Accounts and sign-in” reviewed")).to_be_visible()
    expect(page.locator("#section-stage")).to_have_text("Reviewed")
    shot("reviewed")

    # The score: Yes on a weight-5 question, Partial on a weight-5, "once a year" (½) on a
    # weight-3 → (5 + 2.5 + 1.5) of 13 = 69.2, a Moderate risk.
    page.get_by_role("link", name="Baseline IT assessment 2026").click()
    expect(page.locator("#overall-score")).to_have_text("69.2")
    expect(page.locator("#overall-rating")).to_have_text("Moderate risk")
    row = page.locator("#section-identity")
    expect(row).to_contain_text(f"3 of {total}")
    expect(row).to_contain_text("Reviewed")
    expect(page.locator("main")).not_to_contain_text(CANARY)
    shot("score")
