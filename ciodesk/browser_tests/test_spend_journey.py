"""Journey in a real browser: the consultant imports a QuickBooks ledger, classifies an
unmatched line into a rule, and sees budget vs actual change."""

from __future__ import annotations

import re
from pathlib import Path

import pyotp
import pytest
from django.utils import timezone
from playwright.sync_api import expect

from ciodesk.accounts.models import TOTPDevice
from ciodesk.browser_tests.test_journeys import sign_in
from ciodesk.budget.models import Category, LedgerLine
from ciodesk.budget.services_budget import set_annual_amounts
from ciodesk.budget.services_matching import ensure_categories
from ciodesk.budget.tests.spend_fixtures import fresh  # noqa: F401 — a fixture
from ciodesk.core.scope import acting_as, scope

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("fresh")]
EXPORT = Path(__file__).parents[1] / "budget" / "tests" / "files" / "qbo_transaction_detail.csv"


def test_import_classify_into_a_rule_and_see_the_budget_change(
    transactional_db, world, page, shot, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    with scope(world.a), acting_as("test setup"):
        ensure_categories()
        saas = Category.objects.get(slug="saas")
        set_annual_amounts(world.a, 2026, world.records["a"]["people"], {saas.pk: 6000})
    secret = pyotp.random_base32()
    TOTPDevice.objects.create(user=world.consultant, secret=secret, confirmed_at=timezone.now())
    sign_in(page, world.consultant.email)
    code = page.get_by_label(re.compile(r"^Code\b(?! from)"))
    code.fill(pyotp.TOTP(secret).now())
    code.press("Enter")
    expect(page.get_by_role("heading", name="Portfolio", level=1)).to_be_visible()

    # Import the QuickBooks export as QuickBooks wrote it.
    page.goto("/c/alpha/budget/imports/new/")
    page.get_by_label("Accounting export").set_input_files(str(EXPORT))
    page.get_by_role("button", name="Import").click()
    expect(page.locator("#import-result")).to_contain_text("11 lines in the file")
    shot("imported")

    # Budget vs actual for 2026: SaaS has a budget and no actual yet (all in the queue).
    page.goto("/c/alpha/budget/year/?fy=2026")
    saas_row = page.locator("#table-categories tr", has_text="SaaS")
    expect(saas_row.locator("td").nth(0)).to_have_text("$6,000.00")
    expect(page.locator("#unmatched-warning")).to_contain_text("11 lines")

    # The queue: classify one Microsoft line as SaaS, and accept the rule offered.
    page.goto("/c/alpha/budget/queue/")
    page.locator("#queue tr", has_text="Microsoft").get_by_role("link", name="Classify").click()
    page.get_by_label("Category").select_option(label="SaaS")
    page.get_by_role("button", name="Classify").click()
    expect(page.get_by_label("Text")).to_have_value("Microsoft")
    shot("rule-offered")
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".messages")).to_contain_text("lines changed")

    with scope(world.a):
        assert LedgerLine.objects.filter(category=saas).count() == 3

    # Budget vs actual now counts the three Microsoft lines: 3 × 525.00.
    page.goto("/c/alpha/budget/year/?fy=2026")
    saas_row = page.locator("#table-categories tr", has_text="SaaS")
    expect(saas_row.locator("td").nth(2)).to_have_text("$1,575.00")
    expect(page.locator("#unmatched-warning")).to_contain_text("8 lines")
    shot("budget-changed")
