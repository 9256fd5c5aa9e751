"""The escalation log: open ones first, overdue ones flagged, resolved ones last; exports."""

import datetime
import io

from openpyxl import load_workbook

from ciodesk.core.scope import scope
from ciodesk.vendors.models import Escalation
from ciodesk.vendors.services_reviews import parse_ticket_numbers

DAY = datetime.timedelta(days=1)


def log(world):
    """Alpha's log: the fixture's open one (no due date) plus overdue, open and resolved."""
    vendor, person = world.records["a"]["vendors"], world.records["a"]["people"]
    today = world.a.today()
    with scope(world.a):
        for issue, raised, due, resolved in [
            ("Resolved: VPN outage", -40, -30, -31),
            ("Open: printer fleet", -5, 10, None),
            ("Overdue: backups unverified", -20, -3, None),
        ]:
            Escalation.objects.create(
                vendor=vendor,
                issue=issue,
                raised_on=today + raised * DAY,
                due=today + due * DAY,
                resolved_on=today + resolved * DAY if resolved else None,
                owner=person,
                resolution="Fixed" if resolved else "",
                ticket_numbers="1001, 1002",
            )


def test_open_first_overdue_highlighted_resolved_last(world, as_user):
    log(world)
    page = as_user(world.exec_a).get("/c/alpha/vendors/escalations/").content.decode()
    order = [
        page.index(i)
        for i in ("Overdue: backups", "Open: printer", "Backups failing", "Resolved: VPN")
    ]
    assert order == sorted(order)
    assert "Overdue by 3 days" in page
    assert "3 open" in page and "1 overdue" in page
    assert "Resolved " in page
    assert "Log an escalation" not in page  # read-only for the executive


def test_the_export_has_the_same_order_and_the_state(world, as_user):
    log(world)
    client = as_user(world.exec_a)
    csv_lines = client.get("/c/alpha/vendors/escalations/export/?format=csv").content
    rows = csv_lines.decode("utf-8-sig").splitlines()
    assert rows[0].split(",")[:3] == ["Issue", "Vendor", "Severity"]
    assert [r.split(",")[0] for r in rows[1:]] == [
        "Overdue: backups unverified",
        "Open: printer fleet",
        "Backups failing",
        "Resolved: VPN outage",
    ]
    assert ",overdue," in rows[1] and ",resolved," in rows[4]
    xlsx = client.get("/c/alpha/vendors/escalations/export/?format=xlsx")
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert sheet.cell(row=2, column=1).value == "Overdue: backups unverified"


def test_logging_one_normalises_the_ticket_numbers(world, as_user):
    vendor, person = world.records["a"]["vendors"], world.records["a"]["people"]
    client = as_user(world.consultant)
    data = {
        "vendor": vendor.pk,
        "issue": "Slow onboarding",
        "severity": "medium",
        "raised_on": "2026-11-01",
        "owner": person.pk,
        "ticket_numbers": "#1041; 1057 1041",
    }
    response = client.post("/c/alpha/vendors/escalations/new/", data)
    assert response.status_code == 302
    with scope(world.a):
        assert Escalation.objects.get(issue="Slow onboarding").ticket_numbers == "1041, 1057"


def test_closing_one_needs_the_resolution_and_a_sane_date(world, as_user):
    escalation = world.records["a"]["escalations"]
    client = as_user(world.consultant)
    data = {
        "vendor": escalation.vendor_id,
        "issue": escalation.issue,
        "severity": "high",
        "raised_on": "2026-11-22",
        "owner": escalation.owner_id,
        "resolved_on": "2026-11-20",
    }
    page = client.post(f"/c/alpha/vendors/escalations/{escalation.pk}/edit/", data).content
    assert "Say how it was resolved before closing it." in page.decode()
    assert "It cannot be resolved before it was raised." in page.decode()
    escalation.refresh_from_db()
    assert escalation.is_open


def test_parse_ticket_numbers():
    assert parse_ticket_numbers("#1001, 1002;1003\n1001") == ["1001", "1002", "1003"]
    assert parse_ticket_numbers("") == []


def test_the_search_fragment_for_htmx(world, as_user):
    log(world)
    client = as_user(world.exec_a)
    response = client.get("/c/alpha/vendors/escalations/?q=printer", HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert body.lstrip().startswith('<div id="rows">')
    assert "Open: printer fleet" in body and "Overdue: backups" not in body
