"""The consultant drags a roadmap item to another quarter in Chromium: the move persists
(a reload shows it in the new column) and "what changed since the last review" lists it."""

from __future__ import annotations

import datetime
import re

import pyotp
import pytest
from django.utils import timezone
from playwright.sync_api import expect

from ciodesk.accounts.models import TOTPDevice
from ciodesk.browser_tests.conftest import assert_loaded_cleanly
from ciodesk.browser_tests.test_journeys import sign_in
from ciodesk.core.scope import acting_as, scope
from ciodesk.roadmap import planning, services
from ciodesk.roadmap.models import RoadmapItem, RoadmapReview

pytestmark = pytest.mark.browser

TITLE = "Replace the end-of-support firewall"


def test_an_item_is_dragged_to_another_quarter(transactional_db, world, page, shot):
    quarters = planning.board_quarters(world.a)
    first, target = quarters[1], quarters[3]
    with scope(world.a), acting_as("test setup"):
        item = RoadmapItem.objects.create(
            title=TITLE,
            owner=world.records["a"]["people"],
            fiscal_year=first.fiscal_year,
            quarter=first.quarter,
            one_time_cost="4800.00",
        )
        services.record_version(item, when=timezone.now() - datetime.timedelta(days=20))
        RoadmapReview.objects.create(
            reviewed_on=world.a.today() - datetime.timedelta(days=10),
            owner=world.records["a"]["people"],
        )
    secret = pyotp.random_base32()
    TOTPDevice.objects.create(user=world.consultant, secret=secret, confirmed_at=timezone.now())
    sign_in(page, world.consultant.email)
    code = page.get_by_label(re.compile(r"^Code\b(?! from)"))
    code.fill(pyotp.TOTP(secret).now())
    code.press("Enter")
    expect(page.get_by_role("heading", name="Portfolio", level=1)).to_be_visible()

    page.goto("/c/alpha/roadmap/")
    expect(page.get_by_role("heading", name="Roadmap by quarter", level=1)).to_be_visible()
    source = page.get_by_role("region", name=first.label)
    card = source.get_by_role("article", name=TITLE)
    expect(card).to_be_visible()
    shot("board")

    column = page.get_by_role("region", name=target.label)
    card.drag_to(column)
    message = page.get_by_role("status").filter(has_text="moved to")
    expect(message).to_contain_text(f"“{TITLE}” moved to {target.label}")
    assert_loaded_cleanly(page)

    page.reload()
    column = page.get_by_role("region", name=target.label)
    expect(column.get_by_role("article", name=TITLE)).to_be_visible()
    expect(page.get_by_role("region", name=first.label)).not_to_contain_text(TITLE)
    shot("moved")

    page.get_by_role("link", name="What changed").click()
    moved = page.get_by_role("region", name=re.compile("^Moved"))
    expect(moved).to_contain_text(f"{TITLE}: {first.label} → {target.label}")
    shot("changes")
