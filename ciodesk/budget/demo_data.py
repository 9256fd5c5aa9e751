"""Data tables of the budget demo: each demo client's chart of IT accounts, the vendors the
budget adds (spend without a contract), the payees no rule knows (the queue), the MSP's
project invoices, value ratings, licence prices and replacement costs."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

SEED = 20_261_122
U = Decimal
LEDGER_FILE = re.compile(r"^quickbooks-transaction-detail-[a-z0-9-]+-to-(\d{4}-\d{2}-\d{2})\.csv$")

# The IT expense accounts of the clients' QuickBooks files, by vendor kind.
ACCOUNTS = {
    "msp": "6100 IT Managed Services",
    "projects": "6110 IT Projects & Consulting",
    "saas": "6200 Software Subscriptions",
    "isp": "6300 Telephone & Internet",
    "telecom": "6300 Telephone & Internet",
    "hardware": "6400 Computer Equipment",
    "lease": "6450 Equipment Leases",
    "cyber_insurance": "6600 Insurance - Cyber Liability",
    "other": "6900 Other IT Expenses",
}
# How QuickBooks names the vendors' payees (the vendor's name when not listed).
PAYEES = {
    "RingCentral": "RingCentral, Inc.",
    "Coalition": "Coalition, Inc.",
    "8x8": "8x8, Inc.",
    "Travelers": "Travelers Casualty and Surety",
    "Weave": "Weave Communications",
    "At-Bay": "At-Bay Insurance Services",
    "Dell Technologies": "Dell Marketing L.P.",
}
# Vendor kinds whose monthly bills vary with usage (calls, overage, taxes).
VARIABLE = {"telecom", "isp"}
# Annual contracts are paid on a card; bills from the others go through payables.
CARD = "Amex Business"
PAYABLES = "Accounts Payable (A/P)"

# Rules on the account, tried before the payee rules (lower number first).
ACCOUNT_RULES = [("Projects & Consulting", "projects-consulting", 10)]


@dataclass(frozen=True)
class Extra:
    """A vendor the budget demo adds: spend in the ledger, no contract on file."""

    name: str
    kind: str  # vendors.Vendor.Category
    website: str
    category: str  # the IT category its rule sets ("" = from the vendor's kind)
    pattern: str  # the payee rule's text
    memo: str
    amount: Decimal  # a month (monthly) or a purchase (sporadic)
    months: int  # monthly: charged for the last N months; sporadic: 0
    purchases: int = 0  # sporadic purchases over the two years


@dataclass(frozen=True)
class Unmatched:
    """A payee no rule knows: its lines wait in the queue."""

    payee: str
    account: str
    memo: str
    low: Decimal
    high: Decimal
    monthly: bool
    count: int = 0  # sporadic: how many lines over the two years


@dataclass(frozen=True)
class Spec:
    company: str
    domain: str
    project_invoices: tuple[tuple[int, str, Decimal], ...]  # months ago, memo, amount
    extras: tuple[Extra, ...]
    unmatched: tuple[Unmatched, ...]
    ratings: tuple[tuple[str, int, str], ...]  # vendor, 1–5, comment (owner: IT owner)
    escalator: Decimal
    unit_costs: dict[str, Decimal]


SKU_PRICES = [  # Microsoft's list prices a user a month, annual commitment (USD)
    ("Microsoft 365 Business Basic", U("6.00")),
    ("Microsoft 365 Business Standard", U("12.50")),
    ("Microsoft 365 Business Premium", U("22.00")),
    ("Exchange Online (Plan 1)", U("4.00")),
]

# fmt: off
SPECS = {
    "harbor-cpa": Spec(
        "Harbor CPA Group", "harbor-cpa.example",
        ((19, "Project: Windows 11 upgrade, 14 workstations", U("4860.00")),
         (11, "Project: firewall replacement and VPN set-up", U("3237.50")),
         (4, "Project: SharePoint migration of the client files", U("6120.00"))),
        (Extra("Backupify", "saas", "https://www.backupify.com", "security", "Backupify",
               "Backup for Microsoft 365, 42 users", U("126.00"), 22),
         Extra("Spanning Backup", "saas", "https://spanning.com", "security", "Spanning",
               "Spanning Backup for Microsoft 365", U("168.00"), 9)),
        (Unmatched("Adobe Inc.", ACCOUNTS["saas"], "Acrobat Pro, 12 licences", U("239.88"),
                   U("239.88"), True),
         Unmatched("Amazon Business", ACCOUNTS["hardware"], "Keyboards, docks and cables",
                   U("84.19"), U("612.40"), False, 9),
         Unmatched("Best Buy Business", ACCOUNTS["hardware"], "Monitors for the tax season desks",
                   U("389.99"), U("1169.97"), False, 3),
         Unmatched("GoDaddy.com", ACCOUNTS["saas"], "Domain renewal harbor-cpa.example",
                   U("21.99"), U("21.99"), False, 2)),
        (("Coastline Managed IT", 3, "Fair for the price, but recurring issues get no root "
                                     "cause."),
         ("CloudPath Licensing", 4, "Quick seat changes; no advice on the right plans."),
         ("Comcast Business", 4, "Reliable fibre; support is slow.")),
        U("3.00"),
        {"Laptop": U("1450.00"), "Workstation": U("1150.00"), "Server": U("7800.00")},
    ),
    "pacific-fab": Spec(
        "Pacific Fabrication", "pacificfab.example",
        ((16, "Project: shop-floor Wi-Fi survey and access points", U("8940.00")),
         (7, "Project: Epicor server migration (after hours)", U("12600.00"))),
        (Extra("Dell Technologies", "hardware", "https://www.dell.com", "", "Dell",
               "OptiPlex and Latitude replacements", U("4893.60"), 0, 6),),
        (Unmatched("Adobe Inc.", ACCOUNTS["saas"], "Creative Cloud for the design office",
                   U("359.96"), U("359.96"), True),
         Unmatched("CDW Direct", ACCOUNTS["hardware"], "Switches and UPS batteries", U("418.55"),
                   U("3611.20"), False, 4),
         Unmatched("Amazon Business", ACCOUNTS["hardware"], "Barcode scanners and cables",
                   U("64.99"), U("905.10"), False, 8)),
        (("Irvine Tech Partners", 2, "ERP outages take days to escalate; we pay for 24×7 and "
                                     "get business hours."),
         ("Sherweb", 4, "Good licensing support."),
         ("AT&T Business", 3, "Fast circuit, hard to reach when it drops.")),
        U("4.00"),
        {"Laptop": U("1600.00"), "Workstation": U("1250.00"), "Server": U("9400.00")},
    ),
    "bright-smile": Spec(
        "Bright Smile Dental", "brightsmile.example",
        ((14, "Project: La Mesa network clean-up", U("2750.00")),),
        (Extra("Henry Schein One", "saas", "https://www.henryscheinone.com", "", "Henry Schein",
               "Dentrix Ascend subscription, 2 sites", U("895.00"), 22),),
        (Unmatched("Zoom Video Communications", ACCOUNTS["saas"], "Zoom Workplace Pro",
                   U("15.99"), U("15.99"), True),
         Unmatched("Amazon Business", ACCOUNTS["hardware"], "Headsets and webcams", U("39.99"),
                   U("289.50"), False, 5)),
        (("Coastline Managed IT", 4, "Quick on Dentrix issues; proposed the network clean-up "
                                     "themselves."),
         ("Weave", 3, "Phones and texting work; dropped calls at La Mesa took two days.")),
        U("3.00"),
        {"Laptop": U("1300.00"), "Workstation": U("1050.00"), "Server": U("6200.00")},
    ),
}
# fmt: on
