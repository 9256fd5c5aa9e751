"""The public review: no login, a result by token, a PDF, and its abuse resistance."""

from __future__ import annotations

import datetime
import io

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from ciodesk.intake import scoring
from ciodesk.intake.models import Lead, ReviewAttempt
from ciodesk.intake.questions import QUESTIONS
from ciodesk.intake.testing import answers, form_data
from ciodesk.intake.tests.dns_server import zone

pytestmark = pytest.mark.django_db
URL = "/review/"


@pytest.fixture
def acme(dns_zone):
    return dns_zone(zone("acme.test", spf="v=spf1 include:spf.protection.outlook.com ~all"))


def test_the_form_is_open_without_login(client):
    response = client.get(URL)
    assert response.status_code == 200
    body = response.content.decode()
    assert "Free technology risk review" in body
    assert body.count('type="radio"') >= 15 * 4
    assert 'name="csrfmiddlewaretoken"' in body


def test_a_prospect_gets_a_result_and_a_lead_is_kept(client, acme):
    response = client.post(URL, form_data(**{"q_mfa_email": "no", "q_restore_test": "unsure"}))
    assert response.status_code == 302
    lead = Lead.objects.get()
    assert response["Location"] == reverse("intake:result", args=[lead.result_token])
    assert len(lead.result_token) >= 40
    assert (lead.company, lead.domain, lead.email, lead.consent) == (
        "Acme Dental",
        "acme.test",
        "dana@acme.test",
        True,
    )
    assert lead.answers["mfa_email"] == "no"
    assert lead.dns_results["spf"]["qualifier"] == "soft"
    assert lead.dns_results["dmarc"]["policy"] == "missing"
    # Both failed questions are insurance-critical: the rating is High at best.
    assert lead.rating in ("High", "Critical")
    titles = [r["title"] for r in lead.top_risks]
    assert titles[:2] == ["E-mail without multi-factor sign-in", "Restores are not tested"]
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert page["X-Robots-Tag"].startswith("noindex")
    text = page.content.decode()
    assert f">{lead.score}<" in text
    assert "What a fractional CIO would do first" in text
    assert "Turn on multi-factor sign-in for every mailbox" in text
    assert "How the score is worked out" in text
    assert "SPF is soft" in text
    assert ReviewAttempt.objects.count() == 1


def test_the_score_follows_the_formula():
    perfect = {
        "spf": {"status": "ok", "qualifier": "strict"},
        "dmarc": {"status": "ok", "policy": "reject"},
        "dkim": {"status": "ok"},
        "mta_sts": {"status": "ok"},
    }
    assert scoring.score(answers("yes"), perfect).score == 100
    assert scoring.score(answers("yes"), perfect).rating == "Low"
    everything_missing = scoring.score(answers("unsure"), {})
    assert everything_missing.rating == "Critical" and everything_missing.score < 40
    # DMARC p=none (weight 4 at ¼) with perfect answers and the other checks strict.
    weak = perfect | {"dmarc": {"status": "bad", "policy": "none"}}
    result = scoring.score(answers("yes"), weak)
    total = sum(q.weight for q in QUESTIONS)
    assert result.score == round((total + 2 + 2 + 1 + 1) / (total + 9) * 100)
    assert result.top_risks[0]["title"] == "E-mail can be forged in the company's name"


def test_one_failed_critical_answer_caps_the_rating():
    perfect = {"dmarc": {"status": "ok", "policy": "reject"}}
    result = scoring.score(answers("yes", payments="no"), perfect)
    assert result.score >= 80 and result.rating == "High" and result.capped


def test_the_pdf_is_the_result(client, acme):
    client.post(URL, form_data(company="Pdf & Co"))
    lead = Lead.objects.get()
    response = client.get(reverse("intake:result-pdf", args=[lead.result_token]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "Pdf & Co" in text
    assert str(lead.score) in text
    assert "Test Practice" not in text  # no practice configured: the product's name
    assert "ciodesk" in text


def test_an_unknown_token_is_404(client):
    assert client.get(reverse("intake:result", args=["x" * 43])).status_code == 404
    assert client.get(reverse("intake:result-pdf", args=["short"])).status_code == 404


def test_a_result_link_expires(client, acme, settings):
    client.post(URL, form_data())
    lead = Lead.objects.get()
    page = reverse("intake:result", args=[lead.result_token])
    assert client.get(page).status_code == 200
    Lead.objects.filter(pk=lead.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=settings.RISK_REVIEW_RESULT_DAYS + 1)
    )
    assert client.get(page).status_code == 404
    assert client.get(reverse("intake:result-pdf", args=[lead.result_token])).status_code == 404
    assert Lead.objects.filter(pk=lead.pk).exists()  # the practice keeps the lead


def test_a_script_in_the_company_name_is_shown_as_text(client, acme):
    client.post(URL, form_data(company="<script>alert(1)</script>", worry="<b>bold</b>"))
    lead = Lead.objects.get()
    body = client.get(reverse("intake:result", args=[lead.result_token])).content.decode()
    assert "<script>alert(1)</script>" not in body
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body


def test_the_honeypot_pretends_and_stores_nothing(client, acme):
    response = client.post(URL, form_data(website="http://spam.example"))
    assert response.status_code == 200
    assert "Thank you" in response.content.decode()
    assert Lead.objects.count() == 0 and ReviewAttempt.objects.count() == 0
    assert acme.queries == []


def test_missing_answers_say_what_to_fix(client, acme):
    data = form_data()
    del data["q_patching"]
    response = client.post(URL, data)
    assert response.status_code == 400
    assert "Choose an answer" in response.content.decode()
    assert Lead.objects.count() == 0


@pytest.mark.parametrize(
    "fields, message",
    [
        ({"email": "dana@gmail.com"}, "personal e-mail service"),
        ({"domain": "https://acme.test/"}, "no “https://”"),
        ({"domain": "127.0.0.1"}, "not an IP address"),
    ],
)
def test_bad_domains_are_refused_on_the_form(client, acme, fields, message):
    response = client.post(URL, form_data(**fields))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert acme.queries == []


def test_a_personal_address_with_the_company_domain_is_fine(client, acme):
    response = client.post(URL, form_data(email="dana@gmail.com", domain="acme.test"))
    assert response.status_code == 302
    assert Lead.objects.get().domain == "acme.test"


def test_without_consent_the_contact_details_are_not_kept(client, acme):
    data = form_data()
    del data["consent"]
    client.post(URL, data)
    lead = Lead.objects.get()
    assert (lead.consent, lead.contact_name, lead.email) == (False, "", "")
    assert lead.company == "Acme Dental" and lead.score > 0


def test_rate_limit_per_address(client, acme, settings):
    settings.RISK_REVIEW_LIMIT_PER_IP = 2
    for n in range(2):
        assert client.post(URL, form_data(domain=f"d{n}.test")).status_code == 302
    refused = client.post(URL, form_data(domain="d9.test"))
    assert refused.status_code == 429
    assert "Too many reviews have been started from your network" in refused.content.decode()
    assert refused["Retry-After"] == "3600"
    assert Lead.objects.count() == 2
    # Another address may still start one; the attempts store no address, only a keyed hash.
    other = Client(REMOTE_ADDR="198.51.100.7")
    assert other.post(URL, form_data(domain="d9.test")).status_code == 302
    assert not ReviewAttempt.objects.filter(ip_hash__contains="127.0.0.1").exists()


def test_rate_limit_per_domain(acme, settings):
    settings.RISK_REVIEW_LIMIT_PER_DOMAIN = 2
    for n in range(2):
        visitor = Client(REMOTE_ADDR=f"198.51.100.{n + 1}")
        assert visitor.post(URL, form_data()).status_code == 302
    refused = Client(REMOTE_ADDR="198.51.100.50").post(URL, form_data())
    assert refused.status_code == 429
    assert "Too many reviews of acme.test" in refused.content.decode()
    assert Lead.objects.count() == 2
    # the refused attempt is recorded, counted, then taken back: it does not eat the quota
    assert ReviewAttempt.objects.filter(domain="acme.test").count() == 2


def test_csrf_is_required():
    strict = Client(enforce_csrf_checks=True)
    assert strict.post(URL, form_data()).status_code == 403
    assert Lead.objects.count() == 0


def test_no_redirect_to_an_address_the_visitor_gives(client, acme):
    response = client.post(URL + "?next=https://evil.example/", form_data(next="//evil.example"))
    assert response.status_code == 302
    assert response["Location"].startswith("/review/r/")
