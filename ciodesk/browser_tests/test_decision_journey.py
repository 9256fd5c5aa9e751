"""The executive decides in Chromium: sign in, open the waiting decision, approve it with a
reason, and find it in the decision log."""

from __future__ import annotations

import datetime
import re

import pytest
from playwright.sync_api import expect

from ciodesk.browser_tests.conftest import assert_loaded_cleanly
from ciodesk.conftest import PASSWORD
from ciodesk.core.scope import acting_as, scope

pytestmark = pytest.mark.browser

QUESTION = "Replace the end-of-support firewall this quarter?"
REASON = "Approved: do it before the insurance renewal."


def make_request(world):
    from ciodesk.delivery.models import Decision, DecisionOption

    with scope(world.a), acting_as("test setup"):
        decision = Decision.objects.create(
            question=QUESTION,
            context="Support ends in four months.",
            recommendation="Replace it with a managed firewall.",
            recommendation_why="Same three-year cost, watched around the clock.",
            deadline=world.a.today() + datetime.timedelta(days=10),
            decider=world.exec_a,
            owner=world.records["a"]["people"],
        )
        DecisionOption.objects.create(
            decision=decision, title="Replace now, managed", cost="4800.00", order=0
        )
        DecisionOption.objects.create(
            decision=decision, title="Extend support a year", cost="1200.00", order=1
        )
    return decision


def test_the_executive_approves_a_decision(transactional_db, world, page, shot):
    decision = make_request(world)

    # Sign in from the e-mailed link: the login remembers where it was going.
    page.goto(f"/c/alpha/delivery/decisions/{decision.pk}/")
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next="))
    assert_loaded_cleanly(page)
    page.get_by_label(re.compile(r"^Email")).fill(world.exec_a.email)
    password = page.get_by_label(re.compile(r"^Password"))
    password.fill(PASSWORD)
    password.press("Enter")
    expect(page).to_have_url(re.compile(rf"/c/alpha/delivery/decisions/{decision.pk}/$"))

    # The waiting list shows the executive's own request first.
    page.goto("/c/alpha/delivery/decisions/")
    waiting = page.get_by_role("region", name=re.compile("Waiting for a decision"))
    first = waiting.get_by_role("row").nth(1)
    expect(first).to_contain_text(QUESTION)
    expect(first).to_contain_text("Yours")
    shot("waiting")
    first.get_by_role("link", name=QUESTION).click()

    # The request: options with their costs, the recommendation and why.
    expect(page.get_by_role("heading", name=QUESTION, level=1)).to_be_visible()
    expect(page.get_by_role("row").filter(has_text="Replace now, managed")).to_contain_text(
        "4,800.00"
    )
    expect(page.get_by_text("Same three-year cost, watched around the clock.")).to_be_visible()

    # Decide: approve, choose the option, give the reason.
    page.get_by_role("radio", name="Approve").check()
    page.get_by_role("radio", name="Replace now, managed").check()
    page.get_by_label("Your reason").fill(REASON)
    shot("deciding")
    page.get_by_role("button", name="Record my decision").click()

    # Back on the list: the confirmation, and the decision in the log with who, when, why.
    expect(page).to_have_url(re.compile(r"/c/alpha/delivery/decisions/$"))
    expect(page.get_by_role("status")).to_contain_text("Approved")
    log = page.get_by_role("region", name=re.compile("Decision log"))
    row = log.get_by_role("row").filter(has_text=QUESTION)
    expect(row).to_contain_text("Approved")
    expect(row).to_contain_text("Replace now, managed")
    expect(row).to_contain_text("Ava Exec")
    expect(row).to_contain_text(REASON)
    waiting = page.get_by_role("region", name=re.compile("Waiting for a decision"))
    expect(waiting).not_to_contain_text(QUESTION)
    shot("logged")
