"""The one-page executive brief: the apps' own figures, the lights, the commentary, one page."""

import datetime

import pytest

from ciodesk.conftest import CANARY
from ciodesk.core.scope import acting_as, scope
from ciodesk.reports.models import BriefCommentary
from ciodesk.reports.tests.factories import (
    contract_due_in,
    last_month_tickets,
    pdf_text,
    stale_control,
)


@pytest.fixture
def alpha(world):
    """Client A with a stale control, last month's tickets and a notice deadline in 20 days."""
    from ciodesk.security import services_controls
    from ciodesk.vendors import contracts
    from ciodesk.vendors.scorecard import compute_scorecard

    a, person, vendor = world.a, world.records["a"]["people"], world.records["a"]["vendors"]
    today = a.today()
    stale_control(a, person, "old-wifi-review", today - datetime.timedelta(days=400))
    since, until = last_month_tickets(a, vendor)
    contract = contract_due_in(a, vendor, person, 20)
    with scope(a):
        stale = services_controls.summary(today).counts["stale"]
        deadline = contracts.facts(contract, today).notice_deadline
    card = compute_scorecard(a, vendor, since, until)["overall"]
    return {
        "stale": stale,
        "stale_text": f"{stale} stale control{'s' if stale != 1 else ''};",
        "deadline": f"{deadline:%Y-%m-%d}",
        "response": f"response {card['response_attainment_pct']:g} %",
        "resolution": f"resolution {card['resolution_attainment_pct']:g} %",
    }


def test_the_brief_shows_the_figures_of_the_apps_pages(world, as_user, alpha):
    body = as_user(world.exec_a).get("/c/alpha/reports/brief/").content.decode()
    assert alpha["stale"] >= 1
    assert alpha["stale_text"] in body
    assert alpha["deadline"] in body
    assert alpha["response"] in body and alpha["resolution"] in body
    # The notice deadline is 20 days away: amber, and the rule says why in plain words.
    assert "notice deadline within 30 days: Coastline Managed IT" in body
    assert "Red when a contract&#x27;s notice deadline is 14 days away or less" in body
    assert "Replace the firewall?" in body  # the decision waiting
    assert "Enforce MFA" in body  # a recommendation, with its reason
    assert "Stolen passwords" in body
    assert CANARY not in body
    assert "/reports/brief/commentary/" not in body  # an executive reads, the CIO edits
    # The client home's card: the same lights, loaded after the page.
    card = as_user(world.exec_a).get("/c/alpha/reports/brief/card/").content.decode()
    assert "notice deadline within 30 days: Coastline Managed IT" in card
    assert "1 decision waiting." in card


def test_the_brief_pdf_is_one_page_with_the_same_figures(world, as_user, alpha):
    long = "The MSP has been slow on projects this quarter and we are watching it. " * 8
    with scope(world.a), acting_as("test setup"):
        for area, _ in BriefCommentary.Area.choices:
            BriefCommentary.objects.update_or_create(area=area, defaults={"text": long})
    response = as_user(world.exec_a).get("/c/alpha/reports/brief/pdf/")
    assert response["Content-Type"] == "application/pdf"
    pages, text = pdf_text(response.content)
    assert pages == 1
    assert alpha["stale_text"] in text
    assert alpha["deadline"] in text
    assert alpha["response"] in text
    assert "The MSP has been slow on projects" in text  # commentary, shortened to fit
    assert CANARY not in text


def test_the_cio_writes_commentary_the_executive_reads_it(world, as_user):
    consultant = as_user(world.consultant)
    form = consultant.get("/c/alpha/reports/brief/commentary/?area=security")
    assert form.status_code == 200
    assert 'name="text"' in form.content.decode()
    response = consultant.post(
        "/c/alpha/reports/brief/commentary/?area=security",
        {"text": "Backups move to immutable storage in January."},
    )
    assert response.status_code == 302
    assert response["Location"].endswith("/c/alpha/reports/brief/#area-security")
    body = as_user(world.exec_a).get("/c/alpha/reports/brief/").content.decode()
    assert "Backups move to immutable storage in January." in body
    assert as_user(world.exec_a).get("/c/alpha/reports/brief/commentary/").status_code == 403
    consultant = as_user(world.consultant)  # the test client is shared: sign in again
    consultant.post("/c/alpha/reports/brief/commentary/?area=security", {"text": "  "})
    with scope(world.a):
        assert not BriefCommentary.objects.filter(area="security").exists()
    assert consultant.get("/c/alpha/reports/brief/commentary/?area=weather").status_code == 404


def test_an_area_without_data_is_absent_and_the_brief_writes_nothing(world, as_user):
    from ciodesk.audit.models import ChangeRecord
    from ciodesk.budget.models import Category
    from ciodesk.security.models import ClientControl
    from ciodesk.tenancy.models import Client, Person

    with acting_as("test setup"):
        empty = Client.objects.create(slug="charlie", name="Charlie Co", employee_count=5)
        with scope(empty):
            Person.objects.create(client=empty, name="Chris Owner")
    records = ChangeRecord.unscoped.count()
    body = as_user(world.lead).get("/c/charlie/reports/brief/").content.decode()
    assert "Nothing to report yet" in body
    for area in ("Security", "Vendors", "Budget", "Roadmap"):
        assert f'<th scope="row">{area}' not in body
    assert "No open risks recorded." in body
    assert ChangeRecord.unscoped.count() == records
    assert not ClientControl.unscoped.filter(client=empty).exists()
    assert not Category.unscoped.filter(client=empty).exists()
