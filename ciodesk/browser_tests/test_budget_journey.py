"""The budget journey in Chromium: a consultant imports last month's QuickBooks export through
the web page, finds the MSP's bills waiting in the queue, classifies one into a rule, and
sees budget vs actual and spend vs value change.

The export is written by the test, dated last month in the client's time zone, so that the
lines fall in the last twelve months (spend vs value) on whatever day the test runs.
"""

from __future__ import annotations

import re

import pyotp
import pytest
from django.utils import timezone
from playwright.sync_api import expect

from ciodesk.accounts.models import TOTPDevice
from ciodesk.browser_tests.test_journeys import sign_in
from ciodesk.budget.fiscal import add_months, fiscal_year_of
from ciodesk.budget.models import Category, MatchRule
from ciodesk.budget.services_budget import set_annual_amounts
from ciodesk.budget.services_matching import ensure_categories
from ciodesk.budget.tests.spend_fixtures import fresh  # noqa: F401 — a fixture
from ciodesk.core.scope import acting_as, scope

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("fresh")]


def quickbooks_export(day) -> str:
    """Transaction Detail by Account, as QuickBooks Online writes it, for one month."""
    when = f"{day:%m}/{{:02d}}/{day:%Y}"
    return "\n".join(
        [
            "Alpha Dental,,,,,,,,",
            "Transaction Detail by Account,,,,,,,,",
            f'"{day:%B} 1 - {day:%B} 28, {day:%Y}",,,,,,,,',
            ",,,,,,,,",
            ",Date,Transaction Type,Num,Name,Memo/Description,Split,Amount,Balance",
            "6100 IT Services,,,,,,,,",
            f",{when.format(5)},Bill,1042,Coastline Managed IT,Monthly managed services,"
            'Accounts Payable (A/P),"4,500.00","4,500.00"',
            f",{when.format(19)},Bill,1063,Coastline Managed IT,Onsite project: firewall,"
            'Accounts Payable (A/P),"1,237.50","5,737.50"',
            'Total for 6100 IT Services,,,,,,,"$5,737.50",',
            "6200 Software Subscriptions,,,,,,,,",
            f",{when.format(3)},Expense,,Adobe Inc.,Acrobat Pro,Amex Business,59.99,59.99",
            "Total for 6200 Software Subscriptions,,,,,,,$59.99,",
            'TOTAL,,,,,,,"$5,797.49",',
            ",,,,,,,,",
            '"Accrual Basis Sunday, November 22, 2026 09:14 AM GMT-08:00",,,,,,,,',
        ]
    )


def test_import_classify_into_a_rule_and_see_budget_and_value_change(
    transactional_db, world, page, shot, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    last_month = add_months(world.a.today(), -1)
    fy = fiscal_year_of(last_month, world.a.fiscal_year_start_month)
    export = tmp_path / "alpha-transaction-detail.csv"
    export.write_text(quickbooks_export(last_month))
    with scope(world.a), acting_as("test setup"):
        ensure_categories()
        managed = Category.objects.get(slug="managed-services")
        set_annual_amounts(world.a, fy, world.records["a"]["people"], {managed.pk: 54000})
    secret = pyotp.random_base32()
    TOTPDevice.objects.create(user=world.consultant, secret=secret, confirmed_at=timezone.now())
    sign_in(page, world.consultant.email)
    code = page.get_by_label(re.compile(r"^Code\b(?! from)"))
    code.fill(pyotp.TOTP(secret).now())
    code.press("Enter")
    expect(page.get_by_role("heading", name="Portfolio", level=1)).to_be_visible()

    # Import the export through the import page.
    page.goto("/c/alpha/budget/imports/new/")
    page.get_by_label("Accounting export").set_input_files(str(export))
    page.get_by_role("button", name="Import").click()
    expect(page.locator("#import-result")).to_contain_text("3 lines in the file")

    # Budget vs actual: the MSP's bills are not counted yet, they wait in the queue.
    page.goto(f"/c/alpha/budget/year/?fy={fy}")
    row = page.locator("#table-categories tr", has_text="Managed services")
    expect(row.locator("td").nth(0)).to_have_text("$54,000.00")
    expect(row.locator("td").nth(2)).to_have_text("$0.00")
    expect(page.locator("#unmatched-warning")).to_contain_text("3 lines")
    page.goto("/c/alpha/budget/value/")
    vendor_row = page.locator("#value-table tr", has_text="Coastline Managed IT")
    expect(vendor_row.locator("td").nth(0)).to_have_text("$0.00")
    shot("before")

    # The queue: classify the first Coastline bill, with its vendor, and keep the rule.
    page.goto("/c/alpha/budget/queue/")
    page.locator("#queue tr", has_text="Coastline Managed IT").get_by_role(
        "link", name="Classify"
    ).click()
    page.get_by_label("Category").select_option(label="Managed services")
    page.get_by_label(re.compile(r"^Vendor")).select_option(label="Coastline Managed IT")
    page.get_by_role("button", name="Classify").click()
    pattern = page.get_by_label("Text")
    expect(pattern).to_have_value("Coastline Managed IT")
    shot("rule-offered")
    pattern.press("Enter")  # save the rule from the keyboard
    # The rule classifies the other Coastline bill as well.
    expect(page.locator(".messages")).to_contain_text("applied again: 1 line changed")
    with scope(world.a):
        rule = MatchRule.objects.get(pattern="Coastline Managed IT")
        assert (rule.vendor.name, rule.category.slug) == (
            "Coastline Managed IT",
            "managed-services",
        )

    # Budget vs actual counts both bills now; only the Adobe line still waits.
    page.goto(f"/c/alpha/budget/year/?fy={fy}")
    row = page.locator("#table-categories tr", has_text="Managed services")
    expect(row.locator("td").nth(2)).to_have_text("$5,737.50")
    expect(page.locator("#unmatched-warning")).to_contain_text("1 line")

    # Spend vs value: the MSP's spend over the last twelve months, against its contract.
    page.goto("/c/alpha/budget/value/")
    vendor_row = page.locator("#value-table tr", has_text="Coastline Managed IT")
    expect(vendor_row.locator("td").nth(0)).to_have_text("$5,737.50")
    expect(vendor_row.locator("td").nth(1)).to_have_text("$54,000.00")
    shot("after")
