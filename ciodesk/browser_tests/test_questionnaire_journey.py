"""Journey in Chromium: the consultant imports a customer's questionnaire, picks the columns,
approves an answer in place (htmx), and prints the incident response plan on one sheet."""

from __future__ import annotations

import io
import re

import pyotp
import pytest
from django.utils import timezone
from playwright.sync_api import expect
from pypdf import PdfReader

from ciodesk.accounts.models import TOTPDevice
from ciodesk.browser_tests.test_journeys import sign_in
from ciodesk.security.tests.test_ir_plan import realistic_plan
from ciodesk.security.tests.test_questionnaire_workbook import SHEET, customer_workbook

pytestmark = pytest.mark.browser


def test_consultant_answers_a_questionnaire_and_prints_the_plan(
    transactional_db,
    world,
    page,
    shot,
    settings,
    tmp_path,
):
    settings.MEDIA_ROOT = tmp_path / "media"
    workbook = tmp_path / "Acme assessment.xlsx"
    workbook.write_bytes(customer_workbook())
    secret = pyotp.random_base32()
    TOTPDevice.objects.create(user=world.consultant, secret=secret, confirmed_at=timezone.now())
    sign_in(page, world.consultant.email)
    code = page.get_by_label(re.compile(r"^Code\b(?! from)"))
    code.fill(pyotp.TOTP(secret).now())
    code.press("Enter")
    expect(page.get_by_role("heading", name="Portfolio", level=1)).to_be_visible()

    # Import: upload, then pick the columns on the preview (proposed from the header row).
    page.goto("/c/alpha/security/questionnaires/")
    page.get_by_role("link", name="Import a questionnaire").click()
    page.get_by_label("Questionnaire workbook (.xlsx)").set_input_files(str(workbook))
    page.get_by_role("button", name="Upload and preview").click()
    expect(page.get_by_role("heading", name="Which cells hold the questions?")).to_be_visible()
    expect(page.get_by_label("Question column")).to_have_value("B")
    expect(page.get_by_label("Answer column")).to_have_value("C")
    expect(page.get_by_label("First question row")).to_have_value("5")
    expect(page.locator(".q-preview")).to_contain_text("Supplier Security Assessment 2026")
    shot("columns")
    title = page.get_by_label("Title")
    title.fill("Acme supplier assessment")
    title.press("Enter")  # the keyboard submits the mapping

    # Review: approve one answer in place; the page is not reloaded, the counts follow.
    expect(page.get_by_role("heading", name="Acme supplier assessment")).to_be_visible()
    expect(page.locator("#review-counts")).to_have_text(re.compile(r"^0 of 7 answers approved"))
    url = page.url
    answer = page.get_by_label("Answer to row 13")
    answer.fill("Yes: a $2M cyber policy, renewed each March.")
    row = page.locator("tr", has=answer)
    row.get_by_role("button", name="Approve").click()
    expect(page.locator("#review-counts")).to_have_text(re.compile(r"^1 of 7 answers approved"))
    expect(page.get_by_label("Answer to row 13")).to_have_value(
        "Yes: a $2M cyber policy, renewed each March."
    )
    expect(page.get_by_role("button", name="Save the approved answer")).to_have_count(1)
    assert page.url == url
    shot("review")

    # The answered workbook downloads with the approved answer in its cell.
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the answered workbook").click()
    from openpyxl import load_workbook

    data = open(download.value.path(), "rb").read()  # noqa: SIM115
    assert load_workbook(io.BytesIO(data))[SHEET]["C13"].value.startswith("Yes: a $2M")

    # The full incident response plan printed by Chromium: one sheet of Letter and of A4.
    realistic_plan(world)
    page.goto("/c/alpha/security/incident-response/print/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("the first hour")
    page.emulate_media(media="print")
    shot("plan-print")
    for paper in ("Letter", "A4"):
        pdf = page.pdf(format=paper, print_background=True)
        assert len(PdfReader(io.BytesIO(pdf)).pages) == 1, paper
