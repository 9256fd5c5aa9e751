"""Spend vs value: each flag on a hand-made case, the spend and contract figures, the licence
mapping, and SLA attainment computed as the vendor's scorecard computes it."""

from __future__ import annotations

import datetime
import itertools
import zoneinfo
from decimal import Decimal
from pathlib import Path

import pytest

from ciodesk.budget.importers.licences import import_licences
from ciodesk.budget.models import Category, LedgerLine
from ciodesk.budget.services_licences import licence_waste, save_prices
from ciodesk.budget.services_matching import ensure_categories
from ciodesk.budget.services_value import value_report
from ciodesk.conftest import make_client
from ciodesk.core.scope import acting_as, scope
from ciodesk.tenancy.models import Person
from ciodesk.vendors.models import Contract, SLAPolicy, Ticket, Vendor
from ciodesk.vendors.scorecard import compute_scorecard

D = datetime.date
TODAY = D(2026, 11, 20)  # a Friday
LA = zoneinfo.ZoneInfo("America/Los_Angeles")
NOW = datetime.datetime(2026, 11, 20, 18, 0, tzinfo=LA)
REPORT = Path(__file__).parent / "files" / "licences_m365_active_users.csv"
_keys = itertools.count()


@pytest.fixture
def gamma(db):
    """A client of its own: every figure comes from what the test adds."""
    with acting_as("test setup"):
        client = make_client("gamma", "Gamma Accounting")
        with scope(client):
            Person.objects.create(client=client, name="Owen Owner")
            ensure_categories()
    with scope(client), acting_as("test"):
        yield client


def owner() -> Person:
    return Person.objects.get(name="Owen Owner")


def vendor(name: str, kind: str = "saas") -> Vendor:
    return Vendor.objects.create(name=name, category=kind, owner=owner())


def contract(of: Vendor, title: str = "Subscription", **fields) -> Contract:
    values = {
        "start_date": D(2026, 1, 1),
        "end_date": D(2027, 6, 30),
        "auto_renew": True,
        "renewal_term_months": 12,
        "notice_days": 30,
        "annual_value": Decimal("12000.00"),
        "owner": owner(),
    } | fields
    return Contract.objects.create(vendor=of, title=title, **values)


def spend(of: Vendor | None, amount: str, day: D | None = None, category: str = "saas"):
    LedgerLine.objects.create(
        date=day or D(2026, 9, 1),
        payee=of.name if of else "Someone",
        amount=Decimal(amount),
        vendor=of,
        category=Category.objects.get(slug=category),
        natural_key=f"k{next(_keys)}",
    )


def report(client):
    return {r.vendor.name: r for r in value_report(client, TODAY, NOW).rows}


def test_spend_is_the_twelve_months_to_today_and_contracts_those_in_force(gamma):
    tool = vendor("Tool")
    spend(tool, "100.00", D(2025, 11, 21))  # the first day of the twelve months
    spend(tool, "250.50", D(2026, 11, 20))
    spend(tool, "-20.00", D(2026, 3, 3))  # a refund
    spend(tool, "999.00", D(2025, 11, 20))  # a year ago: left out
    spend(tool, "77.00", category="not-it")  # not IT spend
    contract(tool, "Current", annual_value=Decimal("3000.00"))
    contract(tool, "Old", end_date=D(2026, 6, 30), auto_renew=False)  # expired
    contract(tool, "Future", start_date=D(2027, 1, 1), annual_value=Decimal("500.00"))
    spend(None, "40.00")  # no vendor
    result = value_report(gamma, TODAY, NOW)
    row = result.rows[0]
    assert row.spend == Decimal("330.50")
    assert row.contract_value == Decimal("3000.00")
    assert [c.contract.title for c in row.in_force] == ["Current"]
    assert result.unattributed == Decimal("40.00")
    assert row.flags == []


def test_spend_with_no_contract_on_file(gamma):
    kinds = {"Without": "isp", "Expired": "telecom", "Covered": "lease", "Idle": "hardware"}
    without, expired, covered, idle = (vendor(name, kind) for name, kind in kinds.items())
    for each in (without, expired, covered):
        spend(each, "500.00")
    contract(expired, end_date=D(2026, 10, 31), auto_renew=False)
    contract(covered)
    contract(idle)
    rows = report(gamma)
    assert rows["Without"].flag_kinds == {"no-contract"}
    assert "$500.00 in 12 months" in rows["Without"].flags[0].text
    assert rows["Expired"].flag_kinds == {"no-contract"}
    assert rows["Covered"].flags == [] and rows["Idle"].flags == []


def test_two_tools_of_the_same_kind_in_the_same_category(gamma):
    backupify, spanning = vendor("Backupify"), vendor("Spanning")
    zoom, msp = vendor("Zoom"), vendor("Coastline", "msp")
    misc_a, misc_b = vendor("Misc A", "other"), vendor("Misc B", "other")
    for each in (backupify, spanning, zoom, msp, misc_a, misc_b):
        contract(each)
    spend(backupify, "126.00", category="security")
    spend(spanning, "168.00", category="security")
    spend(zoom, "15.99", category="saas")  # SaaS too, but counted in another category
    spend(msp, "6000.00", category="security")  # same category, another kind
    spend(misc_a, "10.00", category="other")
    spend(misc_b, "10.00", category="other")
    rows = report(gamma)
    assert rows["Backupify"].flag_kinds == {"overlap"}
    assert "like Spanning" in rows["Backupify"].flags[0].text
    assert "Security" in rows["Backupify"].flags[0].text
    assert rows["Spanning"].flag_kinds == {"overlap"}
    for name in ("Zoom", "Coastline", "Misc A", "Misc B"):
        assert rows[name].flags == [], name


def test_paying_for_unused_licences(gamma):
    reseller = vendor("CloudPath Licensing")
    contract(reseller, "Microsoft 365 Business Standard, 12 seats")
    other = vendor("Zoom")
    contract(other)
    result = import_licences(gamma, REPORT.read_bytes(), REPORT.name)  # no vendor named
    assert result.ok
    save_prices([("Microsoft 365 Business Standard", Decimal("12.50"), "USD")])
    rows = report(gamma)
    use = rows["CloudPath Licensing"].licences
    waste = licence_waste(gamma)
    m365 = [u for u in waste.users if u.source == "m365" and u.products]
    assert use.seats == len(m365) == 12
    assert use.wasted_seats == sum(1 for u in m365 if u.wasted)
    assert use.monthly_waste == sum((u.monthly_waste for u in m365), Decimal("0"))
    assert use.monthly_waste > 0
    assert rows["CloudPath Licensing"].flag_kinds == {"unused-licences"}
    assert f"{use.wasted_seats} of 12 licensed seats unused" in (
        rows["CloudPath Licensing"].flags[0].text
    )
    assert rows["Zoom"].licences is None and rows["Zoom"].flags == []


def test_the_vendor_named_at_import_sells_the_licences(gamma):
    named, titled = vendor("Sherweb"), vendor("CloudPath Licensing")
    contract(titled, "Microsoft 365 E3")
    assert import_licences(gamma, REPORT.read_bytes(), REPORT.name, vendor=named).ok
    rows = report(gamma)
    assert rows["Sherweb"].licences.seats == 12
    assert rows["CloudPath Licensing"].licences is None


# --- SLA attainment and the renewal flag -------------------------------------------------


def ticket(msp: Vendor, number: int, day: D, response_minutes: int, resolution_minutes: int):
    created = datetime.datetime.combine(day, datetime.time(9, 0), LA)
    Ticket.objects.create(
        vendor=msp,
        number=str(number),
        priority="P3",  # targets 240 / 960 business minutes
        created_at=created,
        first_response_at=created + datetime.timedelta(minutes=response_minutes),
        resolved_at=created + datetime.timedelta(minutes=resolution_minutes),
    )


def msp_with_tickets(name: str, breached: int, met: int, **terms) -> Vendor:
    msp = vendor(name, "msp")
    agreement = contract(msp, "Managed services", annual_value=Decimal("54000.00"), **terms)
    SLAPolicy.objects.create(contract=agreement)
    days = [  # Monday to Thursday: a ticket resolved the next day is resolved on a workday
        TODAY - datetime.timedelta(days=n)
        for n in range(1, 80)
        if (TODAY - datetime.timedelta(days=n)).weekday() < 4
    ]
    for i in range(met):
        ticket(msp, 1000 + i, days[i], 30, 120)
    for i in range(breached):
        ticket(msp, 2000 + i, days[met + i], 30, 480 + 24 * 60)  # resolved the next day
    ticket(msp, 3000, TODAY - datetime.timedelta(days=120), 9999, 9999)  # before the 90 days
    return msp


def test_attainment_is_the_scorecards(gamma):
    msp = msp_with_tickets("Coastline", breached=3, met=17)
    sla = report(gamma)["Coastline"].sla
    card = compute_scorecard(gamma, msp, TODAY - datetime.timedelta(days=89), TODAY, NOW)
    overall = card["overall"]
    assert sla.tickets == overall["tickets"] == 20
    assert float(sla.response_pct) == overall["response_attainment_pct"] == 100.0
    assert float(sla.resolution_pct) == overall["resolution_attainment_pct"] == 85.0
    assert sla.target == Decimal("90") and sla.below_target


def test_an_auto_renewing_contract_below_its_sla_target_is_flagged(gamma):
    # Notice deadline 20 days ahead (act now): renewing soon, at 85 % against 90 %.
    soon = TODAY + datetime.timedelta(days=50)
    msp_with_tickets("Renewing", breached=3, met=17, end_date=soon, notice_days=30)
    # Same attainment, deadline far away: not yet.
    far = TODAY + datetime.timedelta(days=300)
    msp_with_tickets("Later", breached=3, met=17, end_date=far, notice_days=30)
    # Renewing soon but within target (95 %).
    msp_with_tickets("Good", breached=1, met=19, end_date=soon, notice_days=30)
    # Below target, renewing soon, but not auto-renewing.
    msp_with_tickets("Ending", breached=3, met=17, end_date=soon, auto_renew=False)
    rows = report(gamma)
    flag = rows["Renewing"].flags
    assert [f.kind for f in flag] == ["renewal-sla"]
    assert "85.0 % against a 90 % target" in flag[0].text
    assert f"renews {soon:%Y-%m-%d}" in flag[0].text
    for name in ("Later", "Good", "Ending"):
        assert "renewal-sla" not in rows[name].flag_kinds, name
