"""Licence waste computed from a realistic Microsoft 365 report, to the cent.

The report (tests/files/licences_m365_active_users.csv, refreshed 2026-11-20) holds 13 users:
alice active · bob last active 2026-10-01 (50 days) · carol Standard + Premium · dave Premium +
Exchange Online (Plan 1) · erin E3 + Business Premium · frank deleted · grace never active ·
heidi 128 days · ivan licensed 10 days ago, never active (a new starter) · judy no licence ·
mallory Teams Exploratory (no price), 111 days · ken 87 days (US dates) · leo 35 days.
"""

from decimal import Decimal

import pytest

from ciodesk.budget.services_licences import (
    licence_costs,
    licence_waste,
    product_key,
    redundant_products,
    saas_sku,
    save_prices,
    split_products,
)
from ciodesk.budget.tests.test_licences_import import alpha, load  # noqa: F401
from ciodesk.core.scope import acting_as, scope

PRICES = [
    ("Microsoft 365 Business Standard", Decimal("12.50"), "USD"),
    ("Microsoft 365 Business Premium", Decimal("22.00"), "USD"),
    ("Microsoft 365 Business Basic", Decimal("7.20"), "USD"),
    ("Exchange Online (Plan 1)", Decimal("4.80"), "USD"),
    ("Microsoft 365 E3", Decimal("36.00"), "USD"),
]


@pytest.fixture
def priced(alpha):  # noqa: F811
    load(alpha)
    with scope(alpha), acting_as("test"):
        save_prices(PRICES)
    return alpha


def test_inactive_deleted_and_overlapping_counts(priced):
    waste = licence_waste(priced, 30)
    assert waste.report_date.isoformat() == "2026-11-20"
    assert waste.licensed == 12  # judy holds no licence
    assert waste.inactive == {30: 6, 60: 4, 90: 3}
    assert waste.deleted_with_licence == 1
    assert waste.overlap_users == 3
    inactive = {u.login for u in waste.users if u.inactive_for(30)}
    assert inactive == {
        "bob@contoso.com",
        "grace@contoso.com",
        "heidi@contoso.com",
        "mallory@contoso.com",
        "ken@contoso.com",
        "leo@contoso.com",
    }


def test_waste_in_money_to_the_cent(priced):
    # 30 days: bob 12.50 + carol's Standard 12.50 + dave's Exchange 4.80 + erin's Premium 22.00
    # + frank (deleted) 12.50 + grace 7.20 + heidi 22.00 + ken 12.50 + leo 7.20 = 113.20
    waste = licence_waste(priced, 30)
    assert waste.monthly_waste == Decimal("113.20")
    assert waste.yearly_waste == Decimal("1358.40")
    # 60 days: bob and leo are no longer counted; 90 days: ken neither.
    assert licence_waste(priced, 60).monthly_waste == Decimal("93.50")
    ninety = licence_waste(priced, 90)
    assert ninety.monthly_waste == Decimal("81.00")
    assert ninety.yearly_waste == Decimal("972.00")


def test_per_product_rows(priced):
    skus = {s.name: s for s in licence_waste(priced, 30).skus}
    standard = skus["Microsoft 365 Business Standard"]
    assert (standard.assigned, standard.inactive, standard.on_deleted, standard.overlapping) == (
        5,
        2,
        1,
        1,
    )
    assert standard.monthly_waste == Decimal("50.00")
    assert standard.yearly_waste == Decimal("600.00")
    premium = skus["Microsoft 365 Business Premium"]
    assert (premium.assigned, premium.wasted, premium.monthly_waste) == (5, 2, Decimal("44.00"))
    assert skus["Exchange Online (Plan 1)"].monthly_waste == Decimal("4.80")
    assert skus["Microsoft 365 Business Basic"].monthly_waste == Decimal("14.40")
    assert skus["Microsoft 365 E3"].wasted == 0


def test_an_unpriced_product_is_listed_not_counted_as_zero(priced):
    waste = licence_waste(priced, 30)
    assert [s.name for s in waste.unpriced_waste] == ["MICROSOFT TEAMS EXPLORATORY"]
    mallory = next(u for u in waste.users if u.login == "mallory@contoso.com")
    assert mallory.unpriced == ["MICROSOFT TEAMS EXPLORATORY"]
    assert mallory.monthly_waste == Decimal("0.00")


def test_a_price_in_another_currency_is_not_added_to_the_total(priced):
    with scope(priced), acting_as("test"):
        save_prices([("Microsoft 365 Business Basic", Decimal("6.00"), "EUR")])
    waste = licence_waste(priced, 30)
    assert waste.monthly_waste == Decimal("113.20") - Decimal("14.40")
    assert "Microsoft 365 Business Basic" in [s.name for s in waste.unpriced_waste]


def test_a_new_starter_is_not_inactive_and_a_later_report_replaces_the_picture(priced):
    waste = licence_waste(priced, 30)
    ivan = next(u for u in waste.users if u.login == "ivan@contoso.com")
    assert not ivan.inactive_for(30) and ivan.new_starter
    from ciodesk.budget.tests.test_licences_import import LATER

    load(priced, LATER)
    later = licence_waste(priced, 30)
    assert later.report_date.isoformat() == "2026-12-18"
    assert later.stale == 11 and later.licensed == 3
    assert later.monthly_waste == Decimal("0.00")


def test_licence_costs_for_the_forecast(priced):
    costs = licence_costs(priced)
    # Standard 5 × 12.50 + Premium 5 × 22.00 + Basic 2 × 7.20 + Exchange 4.80 + E3 36.00
    assert costs.monthly == Decimal("227.70")
    assert costs.yearly == Decimal("2732.40")
    assert costs.unpriced == ["MICROSOFT TEAMS EXPLORATORY"]


def test_saas_seats_count_by_their_list(priced):
    from ciodesk.budget.importers.licences import import_licences

    data = b"email,licence,last used\npat@contoso.com,Pro,2026-01-05\nsam@contoso.com,Pro,\n"
    assert import_licences(priced, data, "zoom.csv", kind="saas", app_name="Zoom").ok
    with scope(priced), acting_as("test"):
        save_prices([("Zoom Pro", Decimal("13.33"), "USD")])
    waste = licence_waste(priced, 90)
    zoom = [u for u in waste.users if u.source == "Zoom"]
    assert {u.login for u in zoom if u.wasted} == {"pat@contoso.com", "sam@contoso.com"}
    assert waste.monthly_waste == Decimal("81.00") + Decimal("26.66")


# --- products and overlaps ------------------------------------------------------------------------


def test_assigned_products_split_on_plus_but_keep_a_spaced_plus():
    assert split_products("ENTERPRISE MOBILITY + SECURITY E3+OFFICE 365 E3") == [
        "ENTERPRISE MOBILITY + SECURITY E3",
        "OFFICE 365 E3",
    ]
    assert split_products("") == []


def test_old_and_new_product_names_are_one_product():
    assert product_key("OFFICE 365 BUSINESS PREMIUM") == product_key(
        "Microsoft 365 Business Standard"
    )
    assert product_key("Microsoft 365 E3 (no Teams)") == product_key("MICROSOFT 365 E3")


@pytest.mark.parametrize(
    ("products", "redundant"),
    [
        (
            ["MICROSOFT 365 BUSINESS STANDARD", "MICROSOFT 365 BUSINESS PREMIUM"],
            [("MICROSOFT 365 BUSINESS STANDARD", "MICROSOFT 365 BUSINESS PREMIUM")],
        ),
        (
            ["MICROSOFT 365 E3", "MICROSOFT 365 BUSINESS PREMIUM"],
            [("MICROSOFT 365 BUSINESS PREMIUM", "MICROSOFT 365 E3")],
        ),
        (
            ["EXCHANGE ONLINE (PLAN 1)", "OFFICE 365 E3"],
            [("EXCHANGE ONLINE (PLAN 1)", "OFFICE 365 E3")],
        ),
        (
            [
                "MICROSOFT 365 BUSINESS BASIC",
                "MICROSOFT 365 BUSINESS STANDARD",
                "MICROSOFT 365 BUSINESS PREMIUM",
            ],  # fmt: skip
            [
                ("MICROSOFT 365 BUSINESS BASIC", "MICROSOFT 365 BUSINESS STANDARD"),
                ("MICROSOFT 365 BUSINESS STANDARD", "MICROSOFT 365 BUSINESS PREMIUM"),
            ],
        ),
        (["MICROSOFT 365 BUSINESS PREMIUM", "POWER BI PRO"], []),
        (["MICROSOFT 365 E3", "MICROSOFT DEFENDER FOR BUSINESS"], []),
    ],
)
def test_overlapping_products(products, redundant):
    assert redundant_products(products) == redundant


def test_saas_seats_are_priced_under_the_application_and_licence():
    assert saas_sku("Zoom", "Pro") == "Zoom Pro"
    assert saas_sku("Slack", "Slack Business+") == "Slack Business+"
    assert saas_sku("Figma", "") == "Figma"
