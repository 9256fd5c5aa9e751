"""The practice's leads: who may see them, the list and its export, turning one into a client."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from ciodesk.assessments.models import Answer, Assessment
from ciodesk.core.scope import scope
from ciodesk.intake.models import Lead
from ciodesk.intake.testing import answers, make_lead
from ciodesk.tenancy.models import Client, Note

DNS = {
    "domain": "acme.test",
    "mx": {
        "status": "info",
        "provider": "Microsoft 365",
        "summary": "E-mail is handled by Microsoft 365.",
    },
    "spf": {"status": "warn", "qualifier": "soft", "summary": "SPF is soft (~all)."},
    "dmarc": {"status": "bad", "policy": "none", "summary": "DMARC only reports (p=none)."},
    "dkim": {"status": "ok", "selectors": ["selector1"], "summary": "DKIM keys found."},
    "mta_sts": {"status": "warn", "summary": "No MTA-STS."},
}


@pytest.fixture
def lead(world):
    return make_lead(
        answers=answers("yes", mfa_email="no", restore_test="unsure", worry="Ransomware"),
        dns_results=DNS,
    )


def urls(lead):
    return [
        reverse("leads:lead-list"),
        reverse("leads:lead-export") + "?format=csv",
        reverse("leads:lead-detail", args=[lead.pk]),
        reverse("leads:lead-status", args=[lead.pk]),
        reverse("leads:lead-convert", args=[lead.pk]),
    ]


def test_anonymous_visitors_are_sent_to_sign_in(client, lead):
    for url in urls(lead):
        for method in ("get", "post"):
            response = getattr(client, method)(url)
            assert response.status_code == 302, (url, method)
            assert "/accounts/login/" in response["Location"]


def test_client_users_are_refused(world, as_user, lead):
    for user in (world.exec_a, world.contrib_a, world.exec_b):
        http = as_user(user)
        for url in urls(lead):
            for method in ("get", "post"):
                response = getattr(http, method)(url)
                assert response.status_code in (403, 405), (user.email, url, method)
                assert response.status_code != 405 or method == "get"
    lead.refresh_from_db()
    assert lead.status == Lead.Status.NEW and lead.client_id is None


def test_a_consultant_sees_leads_but_only_the_lead_converts(world, as_user, lead):
    http = as_user(world.consultant)
    assert http.get(reverse("leads:lead-list")).status_code == 200
    detail = http.get(reverse("leads:lead-detail", args=[lead.pk]))
    assert detail.status_code == 200
    assert "Turn into a client" not in detail.content.decode()
    assert http.get(reverse("leads:lead-convert", args=[lead.pk])).status_code == 403
    assert http.post(reverse("leads:lead-convert", args=[lead.pk])).status_code == 403


def test_the_list_shows_the_leads_and_escapes_them(world, as_user, lead):
    make_lead(company="<script>alert(1)</script>", domain="evil.test", consent=False)
    body = as_user(world.lead).get(reverse("leads:lead-list")).content.decode()
    assert "Acme Dental" in body and "dana@acme.test" in body
    assert "<script>alert(1)</script>" not in body
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body
    assert "No consent to contact" in body
    assert "E-mail without multi-factor sign-in" in body


def test_the_list_filters(world, as_user, lead):
    make_lead(company="Bayside Law", domain="bayside.test", status="contacted")
    http = as_user(world.lead)
    body = http.get(reverse("leads:lead-list") + "?q=bayside").content.decode()
    assert "Bayside Law" in body and "Acme Dental" not in body
    body = http.get(reverse("leads:lead-list") + "?status=new").content.decode()
    assert "Acme Dental" in body and "Bayside Law" not in body


def test_an_empty_list_says_what_to_do(world, as_user):
    body = as_user(world.lead).get(reverse("leads:lead-list")).content.decode()
    assert "No leads yet" in body and "/review/" in body


def test_the_list_runs_a_constant_number_of_queries(world, as_user, django_assert_max_num_queries):
    http = as_user(world.lead)
    make_lead()
    with django_assert_max_num_queries(12) as few:
        http.get(reverse("leads:lead-list"))
    for n in range(5):
        make_lead(company=f"Company {n}", domain=f"c{n}.test")
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert http.get(reverse("leads:lead-list")).status_code == 200


def test_the_export(world, as_user, lead):
    make_lead(company='=HYPERLINK("http://x")', domain="formula.test")
    http = as_user(world.lead)
    csv = http.get(reverse("leads:lead-export") + "?format=csv")
    assert csv["Content-Type"].startswith("text/csv")
    text = csv.content.decode("utf-8-sig")
    assert "Company,Domain" in text.splitlines()[0].replace("Received,", "")
    assert "Acme Dental" in text and "E-mail without multi-factor sign-in" in text
    assert "'=HYPERLINK" in text  # a formula is quoted, never run by the spreadsheet
    xlsx = http.get(reverse("leads:lead-export") + "?format=xlsx")
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][1] == "Company" and len(rows) == 3
    assert {"Acme Dental", '\'=HYPERLINK("http://x")'} == {row[1] for row in rows[1:]}


def test_the_detail_shows_answers_and_checks(world, as_user, lead):
    body = as_user(world.lead).get(reverse("leads:lead-detail", args=[lead.pk])).content.decode()
    assert "Does everyone need a second factor" in body
    assert "DMARC only reports" in body
    assert "Ransomware" in body
    assert "Turn into a client" in body


def test_the_status_changes(world, as_user, lead):
    http = as_user(world.consultant)
    response = http.post(reverse("leads:lead-status", args=[lead.pk]), {"status": "contacted"})
    assert response.status_code == 302
    lead.refresh_from_db()
    assert lead.status == Lead.Status.CONTACTED
    http.post(reverse("leads:lead-status", args=[lead.pk]), {"status": "converted"})
    lead.refresh_from_db()
    assert lead.status == Lead.Status.CONTACTED  # only turning it into a client converts


def test_turning_a_lead_into_a_client(world, as_user, lead):
    http = as_user(world.lead)
    form = http.get(reverse("leads:lead-convert", args=[lead.pk])).content.decode()
    assert 'value="acme-dental"' in form
    response = http.post(
        reverse("leads:lead-convert", args=[lead.pk]),
        {
            "name": "Acme Dental",
            "slug": "acme-dental",
            "industry": "Dental",
            "employee_count": "25",
            "time_zone": "America/Chicago",
            "currency": "USD",
        },
    )
    client = Client.objects.get(slug="acme-dental")
    assert response.status_code == 302
    assert response["Location"] == client.get_absolute_url()
    lead.refresh_from_db()
    assert lead.client == client and lead.status == Lead.Status.CONVERTED
    with scope(client):
        assessment = Assessment.objects.get()
        assert assessment.template.slug == "ciodesk-baseline"
        assert assessment.source.startswith("Free risk review of")
        given = {a.question.key: a for a in Answer.objects.select_related("question")}
        assert given["mfa-email"].value == "no"
        assert given["it-owner"].value == "yes"
        assert given["dmarc-policy"].value == "none"
        assert given["os-patching"].value == "two-weeks"
        assert "From the free risk review" in given["mfa-email"].note
        assert "restore-test" not in given  # "Not sure" has no baseline answer: in the note
        note = Note.objects.get()
        assert "When was a full restore from backup last tested" in note.body
        assert "Ransomware" in note.body and "DMARC only reports" in note.body
    # The client's home opens for the lead, with the assessment there.
    assert http.get(client.get_absolute_url()).status_code == 200
    again = http.post(reverse("leads:lead-convert", args=[lead.pk]), {"name": "X", "slug": "x"})
    assert again.status_code == 302 and Client.objects.filter(slug="x").count() == 0


def test_a_bad_convert_form_creates_nothing(world, as_user, lead):
    http = as_user(world.lead)
    response = http.post(reverse("leads:lead-convert", args=[lead.pk]), {"name": "", "slug": ""})
    assert response.status_code == 200
    assert not Client.objects.filter(name="Acme Dental").exists()
    lead.refresh_from_db()
    assert lead.client_id is None


def test_the_result_page_and_the_detail_run_few_queries(
    world, as_user, client, lead, django_assert_max_num_queries
):
    with django_assert_max_num_queries(3):  # the lead, the practice (branding); no session
        assert client.get(reverse("intake:result", args=[lead.result_token])).status_code == 200
    http = as_user(world.lead)
    with django_assert_max_num_queries(10):
        assert http.get(reverse("leads:lead-detail", args=[lead.pk])).status_code == 200
