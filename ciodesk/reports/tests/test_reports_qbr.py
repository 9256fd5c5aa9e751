"""The QBR / board report: generated in the background with progress, kept per period,
6–12 pages, overridable template, security trend from evidence dates."""

import datetime

import pytest
from django.core.files.base import ContentFile

from ciodesk.conftest import CANARY
from ciodesk.core.scope import acting_as, scope
from ciodesk.reports import documents, services
from ciodesk.reports.models import Report
from ciodesk.reports.periods import parse_period
from ciodesk.reports.tests.factories import contract_due_in, pdf_text, stale_control


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    """Kept PDFs go to a throwaway folder, not the data directory."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def test_the_qbr_is_generated_in_the_background_and_kept(world, as_user):
    from ciodesk.security import services_controls
    from ciodesk.vendors import contracts

    a, person, vendor = world.a, world.records["a"]["people"], world.records["a"]["vendors"]
    today = a.today()
    stale_control(a, person, "old-wifi-review", today - datetime.timedelta(days=400))
    contract = contract_due_in(a, vendor, person, 45)
    quarter = parse_period("2026Q4", a)  # the quarter of the world's records (Nov 2026)
    consultant = as_user(world.consultant)
    response = consultant.post("/c/alpha/reports/generate/", {"kind": "qbr", "period": quarter.key})
    assert response.status_code == 302
    with scope(a):
        report = Report.objects.get(kind="qbr")
        stale = services_controls.summary(today).counts["stale"]
        deadline = contracts.facts(contract, today).notice_deadline
    assert response["Location"] == f"/c/alpha/reports/{report.pk}/"
    assert (report.status, report.progress, report.period) == ("done", 100, quarter.key)
    assert report.created_by == world.consultant
    assert 6 <= report.pages <= 12

    status = consultant.get(response["Location"]).content.decode()
    assert f"Ready: {report.pages} pages." in status
    assert "every 1s" not in status  # finished: the page stops polling

    download = as_user(world.exec_a).get(f"/c/alpha/reports/{report.pk}/download/")
    assert download["Content-Type"] == "application/pdf"
    pages, text = pdf_text(b"".join(download.streaming_content))
    assert pages == report.pages
    assert f"Q{quarter.quarter} FY{quarter.fiscal_year}" in text
    assert stale >= 1 and f"{stale} stale controls" in text  # as the security dashboard
    assert f"{deadline:%Y-%m-%d}" in text  # the contract's notice deadline
    assert "Replace the firewall?" in text  # next quarter's priorities: the decision due
    assert "Test Practice" in text  # branded with the practice
    assert "1.5 hours of CIO time of the 48 included" in text  # time on the retainer
    assert CANARY not in text

    listing = as_user(world.exec_a).get("/c/alpha/reports/").content.decode()
    assert f"/c/alpha/reports/{report.pk}/download/" in listing
    assert "Generate" not in listing  # the executive reads; the practice generates


def test_the_status_page_polls_while_the_report_runs(world, as_user):
    with scope(world.a), acting_as("test setup"):
        report = Report.objects.create(
            kind="qbr", period="2026Q3", status="running", progress=40, step="Reading vendors"
        )
    client = as_user(world.exec_a)
    page = client.get(f"/c/alpha/reports/{report.pk}/").content.decode()
    assert 'hx-trigger="every 1s"' in page
    assert 'value="40"' in page and "Reading vendors" in page
    quarter = parse_period("2026Q3", world.a)  # the period named as the client's quarter
    assert f"<dd>{quarter.label} · {quarter.span}</dd>" in page
    listing = client.get("/c/alpha/reports/").content.decode()
    assert f"<td>{quarter.label} · {quarter.span}</td>" in listing
    fragment = client.get(f"/c/alpha/reports/{report.pk}/", HTTP_HX_REQUEST="true")
    assert (
        fragment.content.decode().lstrip().startswith('<section class="card" id="report-progress"')
    )
    no_file = client.get(f"/c/alpha/reports/{report.pk}/download/")
    assert no_file.status_code == 200
    assert "still being generated" in no_file.content.decode()


def test_progress_is_visible_while_generating_and_a_failure_is_kept(world, monkeypatch):
    seen = []

    def fake_pdf(kind, client, period, progress):
        for percent, step in ((30, "Reading security"), (75, "Writing the PDF")):
            progress(percent, step)
            row = Report.objects.get(pk=report.pk)
            seen.append((row.status, row.progress, row.step))
        raise RuntimeError("the disk is full")

    monkeypatch.setattr(documents, "document_pdf", fake_pdf)
    with scope(world.a), acting_as("test setup"):
        report = Report.objects.create(kind="qbr", period="2026Q3")
        services.run(world.a, report)
        report.refresh_from_db()
    assert seen == [
        ("running", 30, "Reading security"),
        ("running", 75, "Writing the PDF"),
    ]
    assert report.status == "failed"
    assert "the disk is full" in report.error


def test_another_clients_report_file_is_404(world, as_user):
    with scope(world.b), acting_as("test setup"):
        report = Report.objects.create(kind="qbr", period="2026Q3", status="done", pages=7)
        report.pdf.save("bravo.pdf", ContentFile(b"%PDF-1.4 " + CANARY.encode()))
    lead = as_user(world.lead)
    assert lead.get(f"/c/alpha/reports/{report.pk}/download/").status_code == 404
    assert lead.get(f"/c/alpha/reports/{report.pk}/").status_code == 404
    mine = lead.get(f"/c/bravo/reports/{report.pk}/download/")
    assert b"".join(mine.streaming_content).endswith(CANARY.encode())


def test_a_bad_period_is_refused_with_the_reason(world, as_user):
    response = as_user(world.consultant).post(
        "/c/alpha/reports/generate/", {"kind": "qbr", "period": "2026Q7"}
    )
    assert response.status_code == 400
    assert "is not a quarter" in response.content.decode()
    with scope(world.a):
        assert not Report.objects.filter(kind="qbr").exists()


def test_a_practices_qbr_template_wins(world, settings, tmp_path):
    settings.REPORT_TEMPLATES_DIR = tmp_path
    quarter = parse_period("2026Q4", world.a)
    built_in = documents.qbr_html(world.a, quarter)
    assert "Quarterly business review" in built_in
    (tmp_path / "qbr.html").write_text(
        "<h1>Our own board pack: {{ client.name }}, {{ period.label }}</h1>"
        "{% for area in areas %}<p>{{ area.title }}: {{ area.light.label }}</p>{% endfor %}"
    )
    html = documents.qbr_html(world.a, quarter)
    assert "Our own board pack: Alpha Dental, Q4 FY2026" in html
    assert "<p>Security: " in html
    assert "Quarterly business review" not in html
    assert CANARY not in built_in + html


def test_the_security_trend_comes_from_evidence_dates(world):
    from ciodesk.reports.sources.security import counts_on

    a, person = world.a, world.records["a"]["people"]
    quarter = parse_period("2026Q3", a)  # 1 Jul – 30 Sep 2026
    # Verified in June (a year's interval): in place all quarter.
    stale_control(a, person, "trend-june", datetime.date(2026, 6, 1))
    # First verified in August: stale (never verified) on 1 July, in place on 30 September.
    stale_control(a, person, "trend-august", datetime.date(2026, 8, 15))
    # Verified in July 2025 with a year's interval: in place on 1 July, stale from 5 July.
    stale_control(a, person, "trend-lapsed", datetime.date(2025, 7, 5))
    with scope(a):
        start, end = counts_on([quarter.start, quarter.end])
    # World's own control: evidence dated 2026-11-22, so stale on both days.
    assert (start.in_place, start.stale) == (2, 2)
    assert (end.in_place, end.stale) == (2, 2)
    assert start.percent_in_place == 50


@pytest.mark.parametrize("kind", ["brief", "dossier"])
def test_a_brief_or_dossier_is_kept_by_day(world, monkeypatch, kind):
    from ciodesk.reports.render import Pdf

    monkeypatch.setattr(documents, "document_pdf", lambda *args: Pdf(b"%PDF-1.4 test", 1))
    with scope(world.a), acting_as("test setup"):
        report = services.start(world.a, kind, None, world.lead)
    assert (report.status, report.period, report.pages) == ("done", f"{world.a.today()}", 1)
    assert report.pdf.name.endswith(f"alpha-{kind}-{world.a.today()}.pdf")


def test_the_qbr_carries_the_practices_logo_and_colour(world, settings, tmp_path):
    settings.REPORT_TEMPLATES_DIR = tmp_path / "none"
    world.practice.brand_colour = "#7a1f5c"
    world.practice.logo.save("logo.png", ContentFile(b"\x89PNG\r\n\x1a\nfake"))
    html = documents.qbr_html(world.a, parse_period("2026Q4", world.a))
    assert '<img class="logo" src="data:image/png;base64,' in html
    assert "color: #7a1f5c" in html
