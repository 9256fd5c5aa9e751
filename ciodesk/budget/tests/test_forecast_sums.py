"""The forecast to the cent: contract escalators at renewals, contracts that end, roadmap
items by quarter, lifecycle replacements and licences, over a fiscal year starting in
July; quarters add up to years exactly."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from ciodesk.budget.models import Device, LicenceUser, LifecyclePolicy, SkuPrice
from ciodesk.budget.services_forecast import escalate, forecast, tables
from ciodesk.conftest import make_client
from ciodesk.core.scope import acting_as, scope
from ciodesk.roadmap.models import RoadmapItem
from ciodesk.tenancy.models import Person
from ciodesk.vendors.models import Contract, Vendor

D = datetime.date
M = Decimal


def client_with(slug: str, start_month: int, **fields):
    with acting_as("test setup"):
        client = make_client(slug, slug.title())
        client.fiscal_year_start_month = start_month
        for name, value in fields.items():
            setattr(client, name, value)
        client.save()
        with scope(client):
            Person.objects.create(client=client, name="Owen Owner")
    return client


@pytest.fixture
def january(db):
    client = client_with("january", 1)
    with scope(client), acting_as("test"):
        yield client


@pytest.fixture
def july(db):
    client = client_with(
        "july", 7, employee_count=30, annual_revenue=M("3000000.00"), industry="Accounting"
    )
    with scope(client), acting_as("test"):
        yield client


def owner() -> Person:
    return Person.objects.get(name="Owen Owner")


def contract(name: str, value: str, start: D, end: D, **fields) -> Contract:
    vendor, _ = Vendor.objects.get_or_create(name=name, defaults={"owner": owner()})
    title = fields.pop("title", "Agreement")
    values = {"auto_renew": True, "renewal_term_months": 12, "notice_days": 30} | fields
    return Contract.objects.create(
        vendor=vendor,
        title=title,
        start_date=start,
        end_date=end,
        annual_value=M(value),
        owner=owner(),
        **values,
    )


def by_year(f, key: str) -> list[Decimal]:
    return [bucket.amounts[key] for bucket in f.by_year]


def test_escalate_rounds_each_step_to_the_cent():
    assert escalate(M("54000.00"), M("3")) == M("55620.00")
    assert escalate(M("54000.00"), M("3"), 2) == M("57288.60")
    assert escalate(M("36000.00"), M("3"), 3) == M("39338.17")
    assert escalate(M("100.00"), M("0")) == M("100.00")


def test_a_contract_rises_by_the_escalator_at_each_renewal(january):
    contract("Coastline", "54000.00", D(2026, 1, 1), D(2026, 12, 31))
    f = forecast(january, years=3, escalator_pct=M("3"), today=D(2026, 6, 15))
    assert [b.label for b in f.by_year] == ["FY2026", "FY2027", "FY2028"]
    assert by_year(f, "contracts") == [M("54000.00"), M("55620.00"), M("57288.60")]
    assert f.total == M("166908.60")


def test_multi_year_terms_contracts_that_end_and_others_not_counted(january):
    contract("Three years", "36000.00", D(2025, 1, 1), D(2027, 12, 31), renewal_term_months=36)
    contract("Ending", "12000.00", D(2025, 7, 1), D(2027, 6, 30), auto_renew=False)
    contract("Expired", "9999.00", D(2024, 1, 1), D(2025, 12, 31), auto_renew=False)
    contract("Euros", "5000.00", D(2026, 1, 1), D(2026, 12, 31), currency="EUR")
    f = forecast(january, years=3, escalator_pct=M("3"), today=D(2026, 6, 15))
    lines = {line.contract.vendor.name: line for line in f.contracts}
    assert f.year_amounts(lines["Three years"].months) == [M("36000.00"), M("36000.00")] + [
        M("39338.17")  # three yearly steps at once, at the renewal after three years
    ]
    assert f.year_amounts(lines["Ending"].months) == [M("12000.00"), M("6000.00"), M("0.00")]
    assert lines["Ending"].note == "ends 2027-06-30, not renewing"
    assert not lines["Expired"].counted and lines["Expired"].note == "expired 2025-12-31"
    assert not lines["Euros"].counted
    assert by_year(f, "contracts") == [M("48000.00"), M("42000.00"), M("39338.17")]


def test_a_fiscal_year_starting_in_july_with_every_kind_of_cost(july):
    today = D(2026, 11, 22)  # FY2027 (July 2026 – June 2027), its second quarter
    contract("Coastline", "54000.00", D(2025, 7, 1), D(2027, 6, 30))
    roadmap = {"owner": owner()}
    RoadmapItem.objects.create(
        title="Wi-Fi refresh",
        fiscal_year=2028,
        quarter=2,  # October to December 2027
        one_time_cost=M("10000.00"),
        recurring_cost=M("2400.00"),
        **roadmap,
    )
    RoadmapItem.objects.create(
        title="Late", fiscal_year=2026, quarter=4, one_time_cost=M("3000.00"), **roadmap
    )
    for status in ("done", "dropped"):
        RoadmapItem.objects.create(
            title=status, fiscal_year=2027, quarter=3, one_time_cost=M("777.00"), status=status,
            **roadmap,
        )  # fmt: skip
    RoadmapItem.objects.create(title="Someday", one_time_cost=M("5000.00"), **roadmap)
    LifecyclePolicy.objects.create(
        device_type="Laptop", replacement_years=M("4"), unit_cost=M("1500.00")
    )
    for name, bought in (("L-1", D(2023, 2, 10)), ("L-2", D(2020, 1, 1))):
        Device.objects.create(
            name=name, device_type="Laptop", purchase_date=bought, natural_key=name
        )
    SkuPrice.objects.create(sku="Microsoft 365 Business Standard", monthly_price=M("12.50"))
    for upn in ("a@july.example", "b@july.example"):
        LicenceUser.objects.create(
            upn=upn,
            assigned_products=["MICROSOFT 365 BUSINESS STANDARD"],
            last_activity=D(2026, 11, 18),
            report_date=D(2026, 11, 20),
        )

    f = forecast(july, years=3, escalator_pct=M("3"), today=today)
    assert [(b.label, b.start, b.end) for b in f.by_year] == [
        ("FY2027", D(2026, 7, 1), D(2027, 6, 30)),
        ("FY2028", D(2027, 7, 1), D(2028, 6, 30)),
        ("FY2029", D(2028, 7, 1), D(2029, 6, 30)),
    ]
    assert by_year(f, "contracts") == [M("54000.00"), M("55620.00"), M("57288.60")]
    assert by_year(f, "roadmap") == [M("3000.00"), M("11800.00"), M("2400.00")]
    assert by_year(f, "lifecycle") == [M("3000.00"), M("0.00"), M("0.00")]
    assert by_year(f, "licences") == [M("300.00"), M("309.00"), M("318.27")]
    assert [b.total for b in f.by_year] == [M("60300.00"), M("67729.00"), M("60006.87")]

    quarters = {b.label: b for b in f.by_quarter}
    assert len(quarters) == 12
    q = quarters["FY2027 Q2"]  # today's quarter: the late item and the overdue laptop
    assert (q.start, q.end) == (D(2026, 10, 1), D(2026, 12, 31))
    assert (q.amounts["roadmap"], q.amounts["lifecycle"]) == (M("3000.00"), M("1500.00"))
    assert quarters["FY2027 Q3"].amounts["lifecycle"] == M("1500.00")  # due 2027-02-10
    assert quarters["FY2028 Q2"].amounts["roadmap"] == M("10600.00")
    assert quarters["FY2028 Q1"].amounts["roadmap"] == M("0.00")
    for year in f.by_year:  # quarters add up to their year, to the cent
        mine = [b for b in f.by_quarter if b.label.startswith(year.label)]
        for key, amount in year.amounts.items():
            assert sum((b.amounts[key] for b in mine), M("0")) == amount

    assert f.per_employee(f.by_year[0].total) == M("2010.00")
    assert f.revenue_share(f.by_year[0].total) == M("2.01")
    notes = {line.item.title: line for line in f.roadmap}
    assert set(notes) == {"Wi-Fi refresh", "Late", "Someday"}
    assert not notes["Someday"].counted
    assert "counted from the current quarter" in notes["Late"].note
    table = tables(f)["years"]
    assert table.rows[-1][:7] == [
        "Total",
        "3 fiscal years",
        M("166908.60"),
        M("17200.00"),
        M("3000.00"),
        M("927.27"),
        M("188035.87"),
    ]


def test_a_licence_resellers_contract_is_counted_once_under_licences(january):
    contract("CloudPath", "150.00", D(2026, 1, 1), D(2026, 12, 31), title="Microsoft 365 seats")
    contract("Coastline", "1200.00", D(2026, 1, 1), D(2026, 12, 31))
    SkuPrice.objects.create(sku="Microsoft 365 Business Standard", monthly_price=M("12.50"))
    LicenceUser.objects.create(
        upn="a@january.example",
        assigned_products=["Microsoft 365 Business Standard"],
        last_activity=D(2026, 6, 1),
        report_date=D(2026, 6, 10),
    )
    f = forecast(january, years=1, escalator_pct=M("3"), today=D(2026, 6, 15))
    assert by_year(f, "contracts") == [M("1200.00")]
    assert by_year(f, "licences") == [M("150.00")]
    assert f.licence_vendor_names == ["CloudPath"]
    cloudpath = next(line for line in f.contracts if line.contract.vendor.name == "CloudPath")
    assert not cloudpath.counted and "counted under licences" in cloudpath.note


def test_benchmarks_with_their_source_and_year(july):
    f = forecast(july, years=1, today=D(2026, 11, 22))
    revenue = {b.label: b for b in f.revenue_benchmarks}
    assert "Professional services (accounting, legal, consulting)" in revenue  # its industry
    assert "Construction and manufacturing" not in revenue
    assert all(b.source and b.year for b in [*f.revenue_benchmarks, *f.per_employee_benchmarks])
    median = next(b for b in f.per_employee_benchmarks if b.low == M("2400"))
    assert median.year == 2026 and median.compare(M("2010.00")) == "below"
    assert (
        revenue["Recommended baseline for small businesses (an MSP's opinion)"].compare(M("5"))
        == "within"
    )
