"""The vendors demo: its MSPs, SLA targets, renewals, reviews and the tickets where the MSP's
own "in SLA" flag is wrong. Loading it twice changes nothing."""

import datetime
import importlib.util
import zoneinfo

import pytest
from django.core.management import call_command

from ciodesk.audit.models import ChangeRecord
from ciodesk.core.scope import scope
from ciodesk.tenancy.models import Client
from ciodesk.vendors.demo import add_business_minutes
from ciodesk.vendors.models import (
    Contract,
    Escalation,
    Evaluation,
    Holiday,
    SLAPolicy,
    Ticket,
    TicketImport,
    Vendor,
    VendorReview,
)
from ciodesk.vendors.services_reviews import last_full_quarter

HAS_IMPORTER = importlib.util.find_spec("ciodesk.vendors.importers.tickets") is not None
MSPS = {
    "harbor-cpa": "Coastline Managed IT",
    "pacific-fab": "Irvine Tech Partners",
    "bright-smile": "Coastline Managed IT",
}


@pytest.fixture
def demo_dir(settings, tmp_path):
    settings.DATA_DIR = tmp_path
    return tmp_path / "demo"


def counts() -> dict[str, int]:
    return {
        model.__name__: model.unscoped.count()
        for model in (
            Vendor,
            Contract,
            SLAPolicy,
            Holiday,
            Ticket,
            TicketImport,
            VendorReview,
            Escalation,
            Evaluation,
            ChangeRecord,
        )
    }


def business_minutes(start, end, policy, holidays) -> float:
    """Minutes of the policy's business hours between two instants, counted day by day."""
    tz = zoneinfo.ZoneInfo(policy.time_zone)
    start, end = start.astimezone(tz), end.astimezone(tz)
    total, day = 0.0, start.date()
    while day <= end.date():
        if day.weekday() in policy.weekday_set() and day not in holidays:
            opens = datetime.datetime.combine(day, policy.opens_at, tz)
            closes = datetime.datetime.combine(day, policy.closes_at, tz)
            overlap = (min(end, closes) - max(start, opens)).total_seconds() / 60
            total += max(overlap, 0)
        day += datetime.timedelta(days=1)
    return total


def test_loading_twice_changes_nothing(db, demo_dir, capsys):
    call_command("demo", password="demo-pass-2026")
    first = counts()
    out = capsys.readouterr().out
    for name in ("Harbor CPA Group", "Pacific Fabrication", "Bright Smile Dental"):
        assert name in out
    # an MSP and five other vendors under contract per client (the budget demo adds payees)
    assert Vendor.unscoped.filter(contracts__isnull=False).distinct().count() == 18
    assert first["Contract"] == 18
    assert first["VendorReview"] == 9
    if HAS_IMPORTER:
        assert first["Ticket"] > 2000
    else:
        print("ticket importer not installed: the demo skipped the tickets")
    call_command("demo", password="demo-pass-2026")
    assert counts() == first
    assert "already imported" in capsys.readouterr().out or not HAS_IMPORTER


def test_the_demo_vendors_contracts_and_slas(db, demo_dir):
    call_command("demo", password="demo-pass-2026")
    for slug, msp_name in MSPS.items():
        client = Client.objects.get(slug=slug)
        today = client.today()
        with scope(client):
            msp = Vendor.objects.get(category="msp")
            assert msp.name == msp_name
            policy = SLAPolicy.objects.get(contract__vendor=msp)
            assert policy.calendar == "business"
            assert (policy.weekdays, policy.opens_at, policy.closes_at, policy.time_zone) == (
                "0,1,2,3,4",
                datetime.time(8),
                datetime.time(17),
                "America/Los_Angeles",
            )
            assert policy.targets() == {
                "P1": (30, 240),
                "P2": (60, 480),
                "P3": (240, 960),
                "P4": (480, 2400),
            }
            assert policy.holidays.filter(name="Thanksgiving").exists()
            under_contract = Vendor.objects.filter(contracts__isnull=False).exclude(pk=msp.pk)
            categories = set(under_contract.values_list("category", flat=True))
            assert categories == {"saas", "isp", "telecom", "lease", "cyber_insurance"}
            for contract in Contract.objects.exclude(vendor=msp):
                days = (contract.end_date - datetime.timedelta(contract.notice_days) - today).days
                assert 30 <= days <= 120, (contract, days)
            reviews = list(VendorReview.objects.filter(vendor=msp).order_by("since"))
            assert [r.quarter for r in reviews][-1] == last_full_quarter(today)
            assert all(r.owner.client_id == client.pk for r in reviews)
            open_escalations = Escalation.objects.filter(vendor=msp, resolved_on__isnull=True)
            assert open_escalations.count() == 1
    with scope(Client.objects.get(slug="pacific-fab")):
        evaluation = Evaluation.objects.get()
        assert evaluation.candidates.count() == 3
        assert evaluation.transition_tasks.filter(done=False).count() == 3


@pytest.mark.skipif(not HAS_IMPORTER, reason="the ticket importer is not installed yet")
def test_the_msp_claims_in_sla_for_tickets_that_missed_the_target(db, demo_dir):
    call_command("demo", password="demo-pass-2026")
    client = Client.objects.get(slug="pacific-fab")
    with scope(client):
        msp = Vendor.objects.get(name="Irvine Tech Partners")
        policy = SLAPolicy.objects.get(contract__vendor=msp)
        holidays = set(policy.holidays.values_list("date", flat=True))
        targets = policy.targets()
        tickets = Ticket.objects.filter(vendor=msp)
        assert 1200 <= tickets.count() <= 1600
        assert (demo_dir / f"connectwise-tickets-pacific-fab-to-{client.today()}.csv").exists()
        assert tickets.filter(resolved_at__isnull=True, closed_at__isnull=True).exists()
        by_priority = {p: tickets.filter(priority=p).count() for p in targets}
        assert by_priority["P3"] + by_priority["P4"] > 0.6 * tickets.count()
        false_claims = 0
        for ticket in tickets.filter(vendor_in_sla=True).exclude(priority=""):
            done = ticket.resolved_at or ticket.closed_at
            if done is None:
                continue
            used = business_minutes(ticket.created_at, done, policy, holidays)
            false_claims += used > targets[ticket.priority][1]
        assert false_claims >= 1
        if importlib.util.find_spec("ciodesk.vendors.scorecard"):
            last = VendorReview.objects.filter(vendor=msp).latest("since")
            assert last.scorecard["overall"]["tickets"] > 250  # a quarter, frozen in the review
            assert last.scorecard["vendor_flag_disagreements"] >= 1


def test_business_minutes_skip_nights_weekends_and_holidays():
    tz = zoneinfo.ZoneInfo("America/Los_Angeles")
    friday = datetime.datetime(2026, 11, 20, 16, 50, tzinfo=tz)
    assert add_business_minutes(friday, 10, set()) == datetime.datetime(
        2026, 11, 20, 17, 0, tzinfo=tz
    )
    monday = datetime.datetime(2026, 11, 23, 8, 20, tzinfo=tz)
    assert add_business_minutes(friday, 30, set()) == monday
    assert add_business_minutes(friday, 30, {datetime.date(2026, 11, 23)}) == monday.replace(day=24)
