"""The outside-in checks against a real DNS server on 127.0.0.1 that the test defines."""

from __future__ import annotations

import time

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from ciodesk.intake import scoring
from ciodesk.intake.dns_checks import check_domain, clean_domain
from ciodesk.intake.models import Lead
from ciodesk.intake.testing import answers, form_data
from ciodesk.intake.tests.dns_server import zone


def test_no_spf_is_reported_missing(dns_zone):
    dns_zone(zone("nospf.test", spf=None, dmarc="v=DMARC1; p=reject"))
    result = check_domain("nospf.test")
    assert result["spf"]["status"] == "bad"
    assert result["spf"]["qualifier"] == "missing"
    assert "No SPF record" in result["spf"]["summary"]
    assert result["mx"]["provider"] == "Microsoft 365"


def test_soft_spf(dns_zone):
    dns_zone(zone("soft.test", spf="v=spf1 include:_spf.google.com ~all"))
    result = check_domain("soft.test")
    assert result["spf"]["qualifier"] == "soft"
    assert result["spf"]["status"] == "warn"
    assert result["spf"]["records"] == ["v=spf1 include:_spf.google.com ~all"]


def test_strict_and_open_spf(dns_zone):
    dns_zone(
        zone("strict.test", spf="v=spf1 mx -all")
        | zone("open.test", spf="v=spf1 +all", mx="10 aspmx.l.google.com.")
    )
    assert check_domain("strict.test")["spf"]["qualifier"] == "strict"
    opened = check_domain("open.test")
    assert opened["spf"]["qualifier"] == "open" and opened["spf"]["status"] == "bad"
    assert opened["mx"]["provider"] == "Google Workspace"


def test_dmarc_none_only_reports(dns_zone):
    dns_zone(zone("report.test", spf="v=spf1 -all", dmarc="v=DMARC1; p=none; rua=mailto:d@x.test"))
    result = check_domain("report.test")
    assert result["dmarc"]["policy"] == "none"
    assert result["dmarc"]["status"] == "bad"


def test_dmarc_reject_and_dkim_and_mta_sts(dns_zone):
    dns_zone(
        zone(
            "tight.test",
            spf="v=spf1 -all",
            dmarc="v=DMARC1; p=reject; adkim=s",
            dkim=["selector2"],
            mta_sts=True,
        )
    )
    result = check_domain("tight.test")
    assert result["dmarc"]["policy"] == "reject" and result["dmarc"]["status"] == "ok"
    assert result["dkim"]["selectors"] == ["selector2"]
    assert result["mta_sts"]["status"] == "ok"
    assert scoring.dns_credit("dmarc", result["dmarc"]) == 1


def test_missing_dmarc_and_dkim(dns_zone):
    dns_zone(zone("bare.test", spf="v=spf1 -all"))
    result = check_domain("bare.test")
    assert result["dmarc"]["policy"] == "missing"
    assert result["dkim"]["status"] == "warn"
    assert result["mta_sts"]["status"] == "warn"


def test_a_silent_server_is_could_not_check_not_missing(dns_zone, settings):
    dns_zone(silent=True)
    settings.RISK_REVIEW_DNS_TIMEOUT = 10  # the total budget must cut it short
    settings.RISK_REVIEW_TOTAL_SECONDS = 1.5
    started = time.monotonic()
    result = check_domain("slow.test")
    assert time.monotonic() - started < 2.5
    for key in ("mx", "spf", "dmarc", "dkim", "mta_sts"):
        assert result[key]["status"] == "unknown", key
        assert "Could not check" in result[key]["summary"]
    # Not counted against the prospect: the score is the answers' alone.
    assert scoring.score(answers("yes"), result).score == 100


@pytest.mark.django_db
def test_the_page_returns_within_five_seconds_with_a_silent_server(client, dns_zone, settings):
    dns_zone(silent=True)
    assert client.get(reverse("intake:review")).status_code == 200  # a warm process
    started = time.monotonic()
    response = client.post(reverse("intake:review"), form_data())
    elapsed = time.monotonic() - started
    assert response.status_code == 302
    assert elapsed < 5, elapsed
    lead = Lead.objects.get()
    assert lead.dns_results["seconds"] <= settings.RISK_REVIEW_TOTAL_SECONDS + 0.5
    assert lead.dns_results["spf"]["status"] == "unknown"
    page = client.get(response["Location"]).content.decode()
    assert "Could not check SPF" in page


@pytest.mark.parametrize(
    "value, expected",
    [
        ("Dana@Acme.Example", "acme.example"),
        ("acme.example.", "acme.example"),
        ("bücher.example", "xn--bcher-kva.example"),
    ],
)
def test_domains_are_cleaned(value, expected):
    assert clean_domain(value) == expected


@pytest.mark.parametrize(
    "value",
    [
        "https://acme.example",
        "acme.example/path",
        "10.0.0.1",
        "[::1]",
        "localhost",
        "acme",
        "acme.example:53",
        "-acme.example",
        "printer.local",
        "a" * 64 + ".example",
        "x.123",
    ],
)
def test_bad_domains_are_refused(value):
    with pytest.raises(ValidationError):
        clean_domain(value)
