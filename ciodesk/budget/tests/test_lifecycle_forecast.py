"""Replacement dates, the five-year forecast across a July fiscal year, end of support."""

import datetime
from decimal import Decimal

import pytest

from ciodesk.budget.models import Device, LifecyclePolicy
from ciodesk.budget.services_lifecycle import (
    add_years,
    ensure_default_policies,
    lifecycle_forecast,
    lifecycle_overview,
    os_support,
)
from ciodesk.budget.tests.test_licences_import import alpha  # noqa: F401
from ciodesk.core.scope import acting_as, scope

D = datetime.date
TODAY = D(2026, 11, 22)  # FY2027 Q2 for a fiscal year starting in July


@pytest.fixture
def fleet(alpha):  # noqa: F811
    """A July fiscal year; workstations and laptops replaced after 4 years, servers after 5."""
    alpha.fiscal_year_start_month = 7
    with acting_as("test setup"):
        alpha.save()
        with scope(alpha):
            for kind, years, cost in (
                ("Workstation", 4, "1200.00"),
                ("Laptop", 4, "1500.00"),
                ("Server", 5, "8000.00"),
            ):
                LifecyclePolicy.objects.create(
                    device_type=kind, replacement_years=Decimal(years), unit_cost=Decimal(cost)
                )
            for name, kind, bought, os in (
                ("A", "Workstation", D(2019, 6, 12), "Windows 10 Pro"),  # due 2023-06-12: overdue
                ("B", "Laptop", D(2023, 3, 1), "Windows 11 Pro"),  # 2027-03-01: FY2027 Q3
                ("C", "Server", D(2021, 7, 1), "Windows Server 2016 Standard"),  # overdue
                ("D", "Workstation", D(2022, 12, 15), "Windows 11 Pro 23H2"),  # FY2027 Q2
                ("E", "Workstation", D(2023, 6, 30), ""),  # 2027-06-30: last day of FY2027
                ("F", "Workstation", D(2023, 7, 1), ""),  # 2027-07-01: first day of FY2028
                ("G", "Workstation", None, "macOS 13.6 Ventura"),  # no purchase date
                ("H", "Printer", D(2020, 1, 1), ""),  # no policy for printers
            ):
                Device.objects.create(
                    name=name, device_type=kind, purchase_date=bought, os=os, natural_key=name
                )
    return alpha


def test_replacement_dates_add_the_age_to_the_purchase_date():
    assert add_years(D(2023, 3, 1), Decimal("4")) == D(2027, 3, 1)
    assert add_years(D(2024, 2, 29), Decimal("1")) == D(2025, 2, 28)
    assert add_years(D(2023, 8, 31), Decimal("4.5")) == D(2028, 2, 29)


def test_the_forecast_follows_the_july_fiscal_year(fleet):
    forecast = lifecycle_forecast(fleet, 5, today=TODAY)
    years = [(y.label, y.start, y.end, y.count, y.cost) for y in forecast.years]
    assert years == [
        # A and C (overdue, counted now) + B + D + E
        ("FY2027", D(2026, 7, 1), D(2027, 6, 30), 5, Decimal("13100.00")),
        ("FY2028", D(2027, 7, 1), D(2028, 6, 30), 1, Decimal("1200.00")),  # F
        ("FY2029", D(2028, 7, 1), D(2029, 6, 30), 0, Decimal("0.00")),
        ("FY2030", D(2029, 7, 1), D(2030, 6, 30), 0, Decimal("0.00")),
        # second replacements: A (today + 4 years), D, B, E (30 June 2031, the horizon's end)
        ("FY2031", D(2030, 7, 1), D(2031, 6, 30), 4, Decimal("5100.00")),
    ]
    assert forecast.total == Decimal("19400.00")
    quarters = {q.label: (q.count, q.cost) for q in forecast.quarters}
    assert list(quarters)[:4] == ["FY2027 Q2", "FY2027 Q3", "FY2027 Q4", "FY2028 Q1"]
    assert len(quarters) == 19  # FY2027 Q1 has ended
    assert quarters["FY2027 Q2"] == (3, Decimal("10400.00"))  # A, C now; D in December
    assert quarters["FY2027 Q3"] == (1, Decimal("1500.00"))
    assert quarters["FY2027 Q4"] == (1, Decimal("1200.00"))
    assert quarters["FY2028 Q1"] == (1, Decimal("1200.00"))
    assert quarters["FY2031 Q2"] == (2, Decimal("2400.00"))  # A's and D's second replacement
    assert forecast.overdue.count == 2 and forecast.overdue.cost == Decimal("9200.00")
    assert sorted(p.device.name for p in forecast.unknown) == ["G", "H"]


def test_overdue_devices_can_be_shown_apart(fleet):
    forecast = lifecycle_forecast(fleet, 5, overdue_now=False, today=TODAY)
    assert forecast.overdue.count == 2
    assert forecast.years[0].cost == Decimal("3900.00")  # B + D + E only
    assert forecast.total == Decimal("10200.00")


def test_a_january_fiscal_year_is_the_calendar_year(fleet):
    fleet.fiscal_year_start_month = 1
    forecast = lifecycle_forecast(fleet, 2, today=TODAY)
    assert [(y.label, y.start, y.end) for y in forecast.years] == [
        ("FY2026", D(2026, 1, 1), D(2026, 12, 31)),
        ("FY2027", D(2027, 1, 1), D(2027, 12, 31)),
    ]
    assert [q.label for q in forecast.quarters][:2] == ["FY2026 Q4", "FY2027 Q1"]


def test_a_missing_unit_cost_is_counted_but_not_priced(fleet):
    with scope(fleet), acting_as("test"):
        LifecyclePolicy.objects.filter(device_type="Server").update(unit_cost=Decimal("0"))
    forecast = lifecycle_forecast(fleet, 5, today=TODAY)
    assert forecast.years[0].count == 5 and forecast.years[0].unpriced == 1
    assert forecast.years[0].cost == Decimal("5100.00")
    overview = lifecycle_overview(fleet, 5, today=TODAY)
    assert overview.unpriced_types == ["Server"]


def test_the_overview_lists_os_past_support_and_warranties(fleet):
    with scope(fleet), acting_as("test"):
        Device.objects.filter(name="B").update(warranty_end=D(2027, 2, 10))  # 80 days away
        Device.objects.filter(name="D").update(warranty_end=D(2027, 3, 1))  # 99 days away
    overview = lifecycle_overview(fleet, 5, today=TODAY)
    past = [(p.device.name, p.os.name, p.os.ends) for p in overview.os_past]
    assert past == [
        ("G", "macOS 13 Ventura", D(2025, 9, 15)),
        ("A", "Windows 10", D(2025, 10, 14)),
        ("D", "Windows 11 23H2 (Home, Pro)", D(2025, 11, 11)),
    ]
    assert [(p.device.name, p.os.ends) for p in overview.os_soon] == [("C", D(2027, 1, 12))]
    assert [p.device.name for p in overview.warranties_ending] == ["B"]
    reasons = {p.device.name: p.unknown_reason for p in overview.unknown}
    assert reasons == {
        "G": "no purchase date in the export",
        "H": "no lifecycle policy for “Printer”",
    }


@pytest.mark.parametrize(
    ("name", "ends"),
    [
        ("Microsoft Windows 10 Pro", D(2025, 10, 14)),
        ("Windows 10 Enterprise LTSC 2019", D(2029, 1, 9)),
        ("Windows 10 Enterprise LTSC 2021", D(2027, 1, 12)),
        ("Windows 8.1 Pro", D(2023, 1, 10)),
        ("Windows 7 Professional", D(2020, 1, 14)),
        ("Windows Server 2012 R2 Standard", D(2023, 10, 10)),
        ("Microsoft Windows Server 2012 Datacenter", D(2023, 10, 10)),
        ("Windows Server 2016 Standard", D(2027, 1, 12)),
        ("Windows Server 2022 Standard", D(2031, 10, 14)),
        ("Windows 11 Enterprise 22H2", D(2025, 10, 14)),
        ("Mac OS X 10.15.7", D(2022, 10, 24)),
        ("macOS 12.7.6", D(2024, 9, 16)),
        ("macOS Big Sur", D(2023, 9, 26)),
        ("macOS 10.11.6", D(2019, 10, 7)),
    ],
)
def test_end_of_support_dates(name, ends):
    assert os_support(name).ends == ends


@pytest.mark.parametrize("name", ["Windows 11 Pro", "macOS 14.6 Sonoma", "Ubuntu 24.04", ""])
def test_supported_or_unknown_systems_have_no_end_date(name):
    assert os_support(name) is None


def test_windows_10_is_past_support_after_14_october_2025():
    support = os_support("Windows 10 Pro 22H2")
    assert not support.past(D(2025, 10, 13)) and support.past(D(2025, 10, 14))


def test_benchmark_policies_are_added_once_with_their_source(alpha):  # noqa: F811
    with acting_as("test"):
        assert ensure_default_policies(alpha) == 8
        assert ensure_default_policies(alpha) == 0
    with scope(alpha):
        laptop = LifecyclePolicy.objects.get(device_type="Laptop")
    assert laptop.replacement_years == Decimal("4") and laptop.unit_cost == Decimal("0.00")
    assert "summitdnc.com" in laptop.source and "range 3-5 years" in laptop.source
    assert laptop.source_year is None
