"""A prospect takes the free technology risk review in Chromium, with no account: answers the
questions, sees the score and the top risks, and downloads the PDF. The review's DNS checks go
to a DNS server the test runs on 127.0.0.1."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from ciodesk.browser_tests.conftest import assert_loaded_cleanly
from ciodesk.intake.questions import QUESTIONS
from ciodesk.intake.tests.dns_server import local_dns, zone

pytestmark = pytest.mark.browser

COMPANY = "Lakeside Physio & Co"
WEAK = {"mfa_email": "No", "backup_offline": "Not sure", "payments": "Usually"}


def test_a_prospect_completes_the_review_and_downloads_the_pdf(
    transactional_db, page, shot, settings, tmp_path
):
    from ciodesk.intake.models import Lead
    from ciodesk.tenancy.models import Practice

    Practice.objects.create(name="Harbor CIO Partners", brand_colour="#2a6f4e")
    records = zone(
        "lakesidephysio.test",
        spf="v=spf1 include:_spf.google.com ~all",
        dmarc="v=DMARC1; p=none",
        mx="1 aspmx.l.google.com.",
        dkim=["google"],
    )
    with local_dns(records) as dns:
        settings.RISK_REVIEW_DNS_SERVERS = ["127.0.0.1"]
        settings.RISK_REVIEW_DNS_PORT = dns.port

        page.goto("/review/")
        expect(page.get_by_role("heading", name="Free technology risk review")).to_be_visible()
        assert_loaded_cleanly(page)
        # The honeypot is out of sight.
        expect(page.locator("#id_website")).not_to_be_in_viewport()
        page.get_by_label("Company name").fill(COMPANY)
        page.get_by_label("Your name").fill("Sam Rivera")
        page.get_by_label("Your work e-mail").fill("sam@lakesidephysio.test")
        page.get_by_label("How many people work at the company?").fill("22")
        for question in QUESTIONS:
            group = page.get_by_role("group", name=question.text)
            label = WEAK.get(question.key, question.options[0].label)
            group.get_by_label(label, exact=True).check()
        page.get_by_label(re.compile("You may contact me")).check()
        shot("review-form")
        page.get_by_role("button", name="See my risk score").click()

        expect(page).to_have_url(re.compile(r"/review/r/[\w-]{40,}/$"))
        expect(page.get_by_role("heading", name=COMPANY)).to_be_visible()
        lead = Lead.objects.get()
        expect(page.locator(".scorecard .number")).to_have_text(str(lead.score))
        expect(page.locator(".scorecard .rating")).to_have_text(f"{lead.rating} risk")
        risks = page.get_by_role("region", name="Your three biggest risks")
        expect(risks.get_by_role("listitem")).to_have_count(3)
        expect(risks).to_contain_text("E-mail without multi-factor sign-in")
        expect(page.get_by_text("E-mail is handled by Google Workspace.")).to_be_visible()
        expect(page.get_by_text("DMARC only reports (p=none)", exact=False)).to_be_visible()
        expect(page.get_by_role("heading", name="How the score is worked out")).to_be_visible()
        assert ("lakesidephysio.test", "TXT") in dns.queries
        shot("result")

        with page.expect_download() as download:
            page.get_by_role("link", name="Download the PDF").click()
        path = tmp_path / "review.pdf"
        download.value.save_as(path)
    text = "".join(p.extract_text() for p in PdfReader(path).pages)
    assert COMPANY in text
    assert f"{lead.score}" in text and f"{lead.rating} risk" in text
    assert "Harbor CIO Partners" in text
    assert "What a fractional CIO would do first" in text
    assert lead.consent and lead.email == "sam@lakesidephysio.test"
