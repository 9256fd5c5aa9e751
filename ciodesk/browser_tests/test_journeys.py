"""Journeys through the real pages in Chromium: sign-in with two-factor, and tenancy walls.

Journeys, not details: each test walks one person through several pages, the way they
would use them, with the keyboard where a person would (Enter submits a form).
"""

from __future__ import annotations

import re

import pyotp
import pytest
from playwright.sync_api import expect

from ciodesk.browser_tests.conftest import assert_loaded_cleanly
from ciodesk.conftest import CANARY, PASSWORD

pytestmark = pytest.mark.browser

NEW_PURPOSE = "E-mail, calendars and Teams for both offices"


def sign_in(page, email: str, password: str = PASSWORD) -> None:
    page.goto("/accounts/login/")
    assert_loaded_cleanly(page)  # styles and scripts first: the journeys rely on them
    page.get_by_label(re.compile(r"^Email")).fill(email)
    password_field = page.get_by_label(re.compile(r"^Password"))
    password_field.fill(password)
    password_field.press("Enter")


def test_lead_enrols_two_factor_and_edits_a_key_system(transactional_db, world, page, shot):
    # Sign in: the practice lead has no second factor yet, so enrolment comes first.
    sign_in(page, world.lead.email)
    expect(page).to_have_url(re.compile(r"/accounts/two-factor/setup/"))
    expect(page.get_by_role("heading", name="Set up two-factor sign-in")).to_be_visible()
    shot("enrol")
    secret = page.locator("#totp-secret").inner_text().replace(" ", "")
    code_field = page.get_by_label("Code from the app")
    code_field.fill(pyotp.TOTP(secret).now())
    code_field.press("Enter")

    # Recovery codes, shown once; keep one to sign in with later.
    expect(page.get_by_role("heading", name="Two-factor sign-in is on")).to_be_visible()
    codes = page.locator("#recovery-codes li")
    expect(codes).to_have_count(10)
    recovery_code = codes.first.inner_text().strip()
    shot("recovery-codes")
    page.get_by_role("link", name="Continue").click()

    # The portfolio: every client's card.
    expect(page).to_have_url(re.compile(r"^http://[^/]+/$"))
    expect(page.get_by_role("heading", name="Portfolio", level=1)).to_be_visible()
    expect(page.get_by_role("heading", name="Alpha Dental", level=2)).to_be_visible()
    expect(page.get_by_role("heading", name=world.b.name, level=2)).to_be_visible()
    shot("portfolio")

    # Switch to Alpha Dental with the header's switcher (it submits itself on change).
    page.locator("select#switch-to").select_option(label="Alpha Dental")
    expect(page).to_have_url(re.compile(r"/c/alpha/$"))
    expect(page.get_by_role("heading", name="Alpha Dental", level=1)).to_be_visible()

    # Key systems → edit Microsoft 365's purpose, saving with Enter.
    page.get_by_role("navigation", name="Alpha Dental").get_by_role(
        "link", name="Key systems", exact=True
    ).click()
    expect(page).to_have_url(re.compile(r"/c/alpha/systems/"))
    row = page.get_by_role("row").filter(has_text="Microsoft 365")
    expect(row).to_contain_text("E-mail")
    row.get_by_role("link", name="Edit").click()
    purpose = page.get_by_label(re.compile("^purpose", re.IGNORECASE))
    expect(purpose).to_have_value("E-mail")
    purpose.fill(NEW_PURPOSE)
    purpose.press("Enter")

    # Back on the list, with the new text and a confirmation.
    expect(page).to_have_url(re.compile(r"/c/alpha/systems/$"))
    expect(page.get_by_role("status")).to_contain_text("Microsoft 365")
    row = page.get_by_role("row").filter(has_text="Microsoft 365")
    expect(row).to_contain_text(NEW_PURPOSE)
    shot("systems-after-edit")

    # Its history: the change, old → new, by the lead.
    row.get_by_role("link", name="History").click()
    history_heading = page.get_by_role("heading", name=re.compile("^History of .Microsoft 365"))
    expect(history_heading).to_be_visible()
    update = page.get_by_role("row").filter(has_text=NEW_PURPOSE)
    expect(update).to_have_count(1)
    expect(update).to_contain_text("Lena Lead")
    change = update.locator("ul.changes li").filter(has_text=re.compile("purpose", re.IGNORECASE))
    expect(change.locator("del")).to_have_text("E-mail")
    expect(change.locator("ins")).to_have_text(NEW_PURPOSE)
    shot("history")

    # Sign out, and back in with a recovery code instead of the app.
    page.get_by_role("banner").get_by_role("button", name="Sign out").click()
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    sign_in(page, world.lead.email)
    expect(page).to_have_url(re.compile(r"/accounts/two-factor/"))
    code_field = page.get_by_label(re.compile(r"^Code\b(?! from)"))
    code_field.fill(recovery_code)
    code_field.press("Enter")
    expect(page.get_by_role("heading", name="Portfolio", level=1)).to_be_visible()


def test_client_executive_sees_only_their_client_and_cannot_edit(
    transactional_db, world, page, shot
):
    # A client's executive needs no second factor and lands on their client's home.
    sign_in(page, world.exec_a.email)
    expect(page).to_have_url(re.compile(r"/c/alpha/$"))
    expect(page.get_by_role("heading", name="Alpha Dental", level=1)).to_be_visible()
    expect(page.get_by_role("link", name="Portfolio")).to_have_count(0)
    expect(page.locator("body")).not_to_contain_text(CANARY)
    shot("client-home")

    # Keyboard first: the first Tab reaches the skip link, Enter jumps to the content.
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Skip to content")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/c/alpha/#main$"))

    # Key systems: readable, with history, but no way to edit or add.
    page.get_by_role("navigation", name="Alpha Dental").get_by_role(
        "link", name="Key systems", exact=True
    ).click()
    row = page.get_by_role("row").filter(has_text="Microsoft 365")
    expect(row).to_be_visible()
    expect(row.get_by_role("link", name="History")).to_be_visible()
    expect(page.get_by_role("link", name="Edit", exact=True)).to_have_count(0)
    expect(page.get_by_role("link", name="Add", exact=True)).to_have_count(0)
    shot("systems-read-only")

    # Another client's pages do not exist for them.
    response = page.goto("/c/bravo/")
    assert response is not None
    assert response.status == 404
    expect(page.get_by_role("heading", name="Not found")).to_be_visible()
    expect(page.locator("body")).not_to_contain_text(CANARY)
    expect(page.locator("body")).not_to_contain_text("Bravo")
    shot("other-client-404")
