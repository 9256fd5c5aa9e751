"""Journey: a contributor uploads a restore-test report for a control whose evidence went
stale; the control turns back to "In place" and the insurance answer that rests on it
changes from No to Yes."""

from __future__ import annotations

import datetime
import re

import pytest
from playwright.sync_api import expect

from ciodesk.browser_tests.test_journeys import sign_in
from ciodesk.core.scope import acting_as, scope
from ciodesk.security import services_controls

pytestmark = pytest.mark.browser

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def test_contributor_uploads_evidence_and_the_insurance_answer_changes(
    transactional_db, world, page, shot, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    today = world.a.today()
    with scope(world.a), acting_as("test setup"):
        control = services_controls.control_for("restore-test")
        services_controls.add_evidence(
            control,
            kind="note",
            title="Restore test of the file server",
            verified_on=today - datetime.timedelta(days=200),  # interval 90: stale
            note="Restored a folder from last night's backup.",
            status="in_place",
        )
    report = tmp_path / "restore-test-report.pdf"
    report.write_bytes(PDF)

    sign_in(page, world.contrib_a.email)
    page.goto("/c/alpha/security/insurance/")
    row = page.locator("tr#INS-13")
    expect(row.locator(".badge").first).to_have_text("No")
    shot("insurance-before")

    page.goto(f"/c/alpha/security/controls/{control.pk}/")
    expect(page.get_by_text("Stale").first).to_be_visible()
    page.get_by_label("Title").fill("Restore test of the file server, November")
    page.get_by_label(re.compile(r"^File")).set_input_files(str(report))
    page.get_by_role("button", name="Add evidence").click()
    expect(page.get_by_text("Evidence added")).to_be_visible()
    expect(page.get_by_text("In place").first).to_be_visible()
    shot("control-in-place")

    page.goto("/c/alpha/security/insurance/")
    expect(page.locator("tr#INS-13 .badge").first).to_have_text("Yes")
    expect(page.locator("tr#INS-13")).to_contain_text(today.strftime("%Y-%m-%d"))
    shot("insurance-after")
