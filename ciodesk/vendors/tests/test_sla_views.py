"""The SLA scorecard page and its exports."""

import csv
import datetime as dt
import io

import pytest
from django.urls import NoReverseMatch, reverse
from openpyxl import load_workbook

from ciodesk.conftest import CANARY
from ciodesk.core.scope import acting_as, scope
from ciodesk.vendors.models import Ticket, Vendor
from ciodesk.vendors.scorecard import scorecard_details
from ciodesk.vendors.tests.test_sla_scorecard import la, msp, ticket, week_of_tickets  # noqa: F401
from ciodesk.vendors.views_scorecard import last_full_month

WEEK = "since=2026-11-02&until=2026-11-06"


def page(as_user, world, vendor, query: str = WEEK) -> str:
    response = as_user(world.exec_a).get(f"/c/alpha/vendors/{vendor.pk}/scorecard/?{query}")
    assert response.status_code == 200
    return response.content.decode()


def rows_of(text: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))


def test_the_page_shows_the_computed_figures(world, as_user, msp):  # noqa: F811
    client, vendor, _ = msp
    week_of_tickets(client, vendor)
    body = page(as_user, world, vendor)
    assert "Mon–Fri 08:00–17:00 America/Los_Angeles, 1 holiday" in body
    assert '<span class="badge attention">66.7 %</span>' in body  # P1 response, below 90 %
    assert ">35.0<" in body and ">130.0<" in body and ">180.0<" in body  # p90 / median (min)
    assert "The MSP's report marks <strong>1</strong> ticket “in SLA”" in body
    assert "<strong>1</strong> “out of SLA” that met the targets" in body
    assert "1 ticket carries a priority label not mapped to P1–P4" in body
    assert '<title id="sla-attainment-title">' in body and "<desc id=" in body
    assert "2026-11: 6" in body  # the volume chart's description: the 6 tickets of the week
    assert CANARY not in body


def test_without_dates_it_shows_the_last_full_month(world, as_user, msp):  # noqa: F811
    client, vendor, _ = msp
    since, until = last_full_month(client.today())
    ticket(client, vendor, 1, "P3", dt.datetime.combine(since, dt.time(10), tzinfo=client.tz))
    body = page(as_user, world, vendor, "")
    assert f"Tickets created {since:%Y-%m-%d} to {until:%Y-%m-%d}" in body
    assert f'value="{since:%Y-%m-%d}"' in body


def test_a_bad_date_is_explained_and_the_last_full_month_shown(world, as_user, msp):  # noqa: F811
    client, vendor, _ = msp
    ticket(client, vendor, 1, "P3", la(2026, 11, 2, 9))
    body = page(as_user, world, vendor, "since=2026-02-30&until=2026-03-31")
    assert "“2026-02-30” is not a date (YYYY-MM-DD)" in body
    since, _ = last_full_month(client.today())
    assert f"Tickets created {since:%Y-%m-%d}" in body


def test_a_vendor_without_tickets_says_to_import_the_export(world, as_user, msp):  # noqa: F811
    _, vendor, _ = msp
    response = as_user(world.consultant).get(f"/c/alpha/vendors/{vendor.pk}/scorecard/")
    body = response.content.decode()
    assert "No tickets from Harbor MSP yet." in body
    assert "Import the MSP's ticket export" in body
    try:
        url = reverse("vendors:ticket-import", kwargs={"client_slug": "alpha", "pk": vendor.pk})
    except NoReverseMatch:
        assert "ciodesk import-tickets --client alpha" in body
    else:
        assert f'href="{url}"' in body


def test_a_vendor_without_sla_policy_says_what_to_do(world, as_user):
    with scope(world.a), acting_as("test"):
        vendor = Vendor.objects.create(name="Copier Co", owner=world.records["a"]["people"])
        Ticket.objects.create(
            vendor=vendor, number="1", priority="P2", created_at=la(2026, 11, 2, 9)
        )
    body = (
        as_user(world.consultant)
        .get(f"/c/alpha/vendors/{vendor.pk}/scorecard/?{WEEK}")
        .content.decode()
    )
    assert "Copier Co has no contract with an SLA policy" in body
    assert "set the SLA targets on its contract" in body


def test_the_export_equals_the_table(world, as_user, msp):  # noqa: F811
    client, vendor, _ = msp
    week_of_tickets(client, vendor)
    http = as_user(world.exec_a)
    url = f"/c/alpha/vendors/{vendor.pk}/scorecard/export/?{WEEK}"
    rows = rows_of(http.get(url + "&table=priorities&format=csv").content.decode())
    data = scorecard_details(client, vendor, dt.date(2026, 11, 2), dt.date(2026, 11, 6))
    assert [r["Priority"] for r in rows] == ["P1", "P2", "All"]
    for row, expected in zip(rows, [*data["priorities"], data["overall"]], strict=True):
        assert row["Tickets"] == str(expected["tickets"])
        assert row["Response breached"] == str(expected["response_breached"])
        assert row["Resolution attainment %"] == str(expected["resolution_attainment_pct"])
        assert row["90th percentile response (min)"] == str(expected["p90_response_minutes"])
    body = page(as_user, world, vendor)
    assert f'<td class="num">{rows[0]["Median response (min)"]}</td>' in body
    workbook = load_workbook(io.BytesIO(http.get(url + "&table=priorities&format=xlsx").content))
    sheet = list(workbook.active.iter_rows(values_only=True))
    assert [line[0] for line in sheet[1:]] == ["P1", "P2", "All"]
    assert sheet[1][6] == 66.7


def test_the_ticket_list_export_carries_minutes_and_status(world, as_user, msp):  # noqa: F811
    client, vendor, _ = msp
    week_of_tickets(client, vendor)
    text = (
        as_user(world.exec_a)
        .get(f"/c/alpha/vendors/{vendor.pk}/scorecard/export/?{WEEK}&table=tickets&format=csv")
        .content.decode()
    )
    rows = {r["Ticket"]: r for r in rows_of(text)}
    assert list(rows) == ["1", "2", "6", "3", "5", "4"]  # by creation time
    assert rows["2"]["Response (business min)"] == "35.0" and rows["2"]["Response"] == "breached"
    assert rows["2"]["In SLA per the MSP"] == "yes" and rows["2"]["Flags disagree"] == "yes"
    assert rows["4"]["Response"] == "pending" and rows["4"]["In SLA per the contract"] == ""
    assert rows["6"]["Priority"] == "unmapped"
    assert rows["2"]["Created"] == "2026-11-02 16:50:00"  # the client's time zone


def test_the_volume_export(world, as_user, msp):  # noqa: F811
    client, vendor, _ = msp
    week_of_tickets(client, vendor)
    text = (
        as_user(world.exec_a)
        .get(
            f"/c/alpha/vendors/{vendor.pk}/scorecard/export/?since=2026-11-01&until=2026-11-30"
            "&table=volume&format=csv"
        )
        .content.decode()
    )
    assert rows_of(text) == [
        {
            "Month": "2026-11",
            "P1": "4",
            "P2": "2",
            "P3": "0",
            "P4": "0",
            "Unmapped": "1",
            "Total": "7",
        }
    ]


@pytest.mark.parametrize("suffix", ["", "export/?table=tickets"])
def test_another_clients_vendor_is_not_found(world, as_user, suffix):
    bravo_vendor = world.records["b"]["vendors"]
    response = as_user(world.exec_a).get(f"/c/alpha/vendors/{bravo_vendor.pk}/scorecard/{suffix}")
    assert response.status_code == 404


def test_charts_describe_themselves_and_escape_text():
    from ciodesk.vendors.charts import Series, bar_chart

    svg = bar_chart(
        "x", "Tickets <by> month", "P1 & P2", ["Jan", "<b>"], [Series("A & B", [3, None])]
    )
    assert svg.startswith("<svg") and 'role="img"' in svg
    assert 'aria-labelledby="x-title x-desc"' in svg
    assert '<title id="x-title">Tickets &lt;by&gt; month</title>' in svg
    assert '<desc id="x-desc">P1 &amp; P2</desc>' in svg
    assert "&lt;b&gt;" in svg and "<b>" not in svg
    assert ">no data<" in svg and ">3<" in svg
    assert "style=" not in svg  # presentation attributes only: the CSP allows them
