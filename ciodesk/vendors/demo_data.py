"""Data tables of the vendors demo: the clients' MSPs, other vendors, common ticket issues."""

from __future__ import annotations

import datetime
import re
import zoneinfo
from dataclasses import dataclass
from decimal import Decimal

SEED = 20_260_301
TZ = zoneinfo.ZoneInfo("America/Los_Angeles")
OPENS, CLOSES = datetime.time(8, 0), datetime.time(17, 0)
TARGETS = {"P1": (30, 240), "P2": (60, 480), "P3": (240, 960), "P4": (480, 2400)}
CW_PRIORITY = {
    "P1": "Priority 1 - Emergency Response",
    "P2": "Priority 2 - Quick Response",
    "P3": "Priority 3 - Normal Response",
    "P4": "Priority 4 - Scheduled Maintenance",
}
# Data tables: one record a line reads better than one value a line.
# fmt: off
CW_HEADERS = ["id", "summary", "board", "status", "company", "contact", "type", "priority",
              "dateEntered", "dateResponded", "dateResolved", "closedDate", "isInSla"]
FILENAME = re.compile(r"^connectwise-tickets-[a-z0-9-]+-to-(\d{4}-\d{2}-\d{2})\.csv$")
OPEN_STATUSES = ["New", "In Progress", "Waiting Customer", "Scheduled", "Waiting on Vendor"]
U = Decimal

# (weight, board, type, summary, usual priority)
COMMON_ISSUES = [
    (9, "Help Desk", "Email", "Outlook keeps asking for password", "P3"),
    (4, "Help Desk", "Email", "Shared mailbox not showing in Outlook", "P4"),
    (3, "Help Desk", "Email", "Can't send email to an outside address", "P3"),
    (5, "Help Desk", "Security", "Phishing email reported — please check", "P3"),
    (2, "Help Desk", "Email", "Calendar invites not syncing on iPhone", "P4"),
    (7, "Help Desk", "Printing", "Printer on 2nd floor offline", "P3"),
    (3, "Help Desk", "Printing", "Scanner not sending to network folder", "P3"),
    (3, "Help Desk", "Hardware", "Docking station not detecting monitors", "P4"),
    (2, "Help Desk", "Hardware", "Laptop battery drains in an hour", "P4"),
    (2, "Help Desk", "Hardware", "Monitor flickering", "P4"),
    (5, "Onboarding", "Onboarding", "New hire laptop setup", "P4"),
    (3, "Onboarding", "Onboarding", "Offboard departing employee", "P3"),
    (8, "Help Desk", "Accounts", "Password reset", "P3"),
    (4, "Help Desk", "Accounts", "Locked out of Microsoft 365", "P2"),
    (3, "Help Desk", "Accounts", "MFA prompt not arriving on phone", "P3"),
    (3, "Help Desk", "Accounts", "Add user to shared drive", "P4"),
    (4, "Help Desk", "Network", "Wi-Fi dropping in conference room", "P3"),
    (4, "Help Desk", "Network", "VPN won't connect from home", "P3"),
    (2, "Help Desk", "Network", "Internet slow at the office", "P2"),
    (1, "Help Desk", "Network", "Whole office lost internet", "P1"),
    (2, "Alerts", "Backup", "Backup job failed on file server", "P2"),
    (2, "Alerts", "Server", "Server disk space low", "P3"),
    (1, "Alerts", "Server", "File server unreachable", "P1"),
    (2, "Alerts", "Security", "Antivirus quarantined a file on workstation", "P3"),
    (1, "Help Desk", "Security", "User clicked a phishing link", "P2"),
    (4, "Help Desk", "Software", "Install Adobe Acrobat Pro", "P4"),
    (3, "Help Desk", "Software", "Teams camera not working", "P4"),
    (2, "Help Desk", "Software", "Windows updates stuck at restart", "P4"),
]
STAFF = ["Emily Chen", "Daniel Ortiz", "Sarah Johnson", "Michael Nguyen", "Jessica Lopez",
         "David Kim", "Ashley Brown", "Chris Patel", "Megan Davis", "Ryan Garcia", "Laura Wilson",
         "Brian Martinez", "Nicole Thompson", "Kevin Anderson", "Rachel Lee", "Jason Taylor",
         "Amanda White", "Eric Harris", "Stephanie Clark", "Justin Lewis", "Maria Rodriguez",
         "Andrew Walker", "Heather Young", "Tyler Hall", "Olivia Allen", "Jose Hernandez"]


@dataclass(frozen=True)
class Spec:
    msp: str
    msp_website: str
    account_manager: str
    it_owner: str  # the client's person who owns the MSP relationship
    money_owner: str
    msp_fee: Decimal
    tickets: int
    first_ticket: int
    breach: tuple[float, float]  # chance a response / resolution misses its target
    worsening: float  # how much the breach chance grows over the year
    vendor_claims: float  # share of breached tickets the MSP still flags "in SLA"
    busy_months: tuple[int, ...]
    issues: tuple[tuple, ...]
    # (vendor, category, website, title, term months, notice days, annual value, auto-renew,
    #  billing, cancellation, days from the first load to the notice deadline)
    others: tuple[tuple, ...]
    ratings: tuple[tuple[int, int, int, int, str], ...]  # oldest quarter first
    escalation: tuple[str, str, int, str]  # issue, severity, due in days, ticket keyword


SPECS = {
    "harbor-cpa": Spec(
        "Coastline Managed IT", "https://coastline-it.example", "Jordan Blake", "Tom Alvarez",
        "Helen Park", U("72000.00"), 520, 184_310, (0.07, 0.10), 0.6, 0.55, (2, 3, 4),
        (
            (5, "Help Desk", "Software", "CCH Axcess Tax won't launch", "P2"),
            (4, "Help Desk", "Software", "SmartVault sync error", "P3"),
            (3, "Help Desk", "Software", "QuickBooks Online Accountant login loop", "P3"),
            (2, "Alerts", "Backup", "Datto SIRIS backup screenshot failed", "P2"),
        ),
        (
            ("CloudPath Licensing", "saas", "https://cloudpath.example",
             "Microsoft 365 Business Premium — 42 seats", 12, 30, U("11088.00"), True,
             "annual", "Reduce seats in the cancellation window only", 30),
            ("Comcast Business", "isp", "https://business.comcast.com",
             "Fibre 500/500 with static IP", 36, 60, U("9540.00"), True, "monthly",
             "Written notice to account rep", 75),
            ("RingCentral", "telecom", "https://www.ringcentral.com", "RingCentral MVP — 40 lines",
             12, 60, U("14400.00"), True, "monthly", "Cancel through the admin portal", 100),
            ("Golden State Copier Leasing", "lease", "https://gscopier.example",
             "Canon imageRUNNER lease (2 devices)", 60, 90, U("6240.00"), True, "quarterly",
             "Certified letter 90 days before term end", 118),
            ("Coalition", "cyber_insurance", "https://www.coalitioninc.com",
             "Cyber insurance policy ($2M limit)", 12, 45, U("8900.00"), False, "annual",
             "Broker: Westland Insurance; renewal application due 45 days ahead", 52),
        ),
        ((4, 4, 3, 4, "Solid quarter; tax-season surge handled well."),
         (4, 3, 3, 3, "Slower updates on open tickets; asked for weekly status e-mails."),
         (3, 3, 2, 3, "Password prompts recurring for weeks; no root-cause analysis offered.")),
        ("Outlook password prompts recurring for several staff", "high", 5, "Outlook"),
    ),
    "pacific-fab": Spec(
        "Irvine Tech Partners", "https://irvinetech.example", "Dev Malhotra", "Kevin Tran",
        "Alicia Moreno", U("165600.00"), 1400, 512_040, (0.10, 0.14), 1.1, 0.6, (),
        (
            (6, "Help Desk", "Software", "Epicor client crashes on login", "P2"),
            (4, "Help Desk", "Software", "SolidWorks PDM vault not syncing", "P3"),
            (5, "Help Desk", "Hardware", "MES terminal frozen at shop-floor station", "P2"),
            (3, "Help Desk", "Hardware", "Label printer in shipping offline", "P2"),
            (2, "Alerts", "Server", "ERP SQL Server high CPU", "P2"),
        ),
        (
            ("Sherweb", "saas", "https://www.sherweb.com", "Microsoft 365 E3 — 95 seats", 12, 30,
             U("41040.00"), True, "annual", "Seat reductions only at term end", 45),
            ("AT&T Business", "isp", "https://www.business.att.com",
             "AT&T Dedicated Internet 1 Gbps", 36, 90, U("21600.00"), True, "monthly",
             "Written notice; early termination fee applies", 30),
            ("8x8", "telecom", "https://www.8x8.com", "8x8 X Series — 110 users", 36, 60,
             U("34320.00"), True, "monthly", "Written notice to account manager", 88),
            ("Valley Office Equipment", "lease", "https://valleyoffice.example",
             "Ricoh copier fleet lease (5 devices)", 48, 90, U("15600.00"), True, "quarterly",
             "Certified letter 90–120 days before term end", 110),
            ("Travelers", "cyber_insurance", "https://www.travelers.com",
             "CyberRisk policy ($5M limit)", 12, 60, U("23400.00"), False, "annual",
             "Broker: Alliant; renewal application due 60 days ahead", 64),
        ),
        ((3, 3, 2, 3, "Shop-floor tickets wait for the one on-site tech."),
         (3, 2, 2, 2, "ERP crashes escalated twice before anyone called back."),
         (2, 2, 1, 2, "Their monthly report says “in SLA”; their own timestamps say otherwise.")),
        ("Epicor crashes: no response within the P2 target three times in two weeks",
         "critical", -3, "Epicor"),
    ),
    "bright-smile": Spec(
        "Coastline Managed IT", "https://coastline-it.example", "Erin Walsh", "Linda Cho",
        "Dr. Priya Nair", U("34560.00"), 250, 184_420, (0.05, 0.09), 0.4, 0.5, (),
        (
            (6, "Help Desk", "Software", "Dentrix running slow at the front desk", "P2"),
            (4, "Help Desk", "Hardware", "DEXIS sensor not detected in operatory 2", "P2"),
            (3, "Help Desk", "Telecom", "Weave phones not ringing", "P1"),
        ),
        (
            ("CloudPath Licensing", "saas", "https://cloudpath.example",
             "Microsoft 365 Business Standard — 18 seats", 12, 30, U("2700.00"), True, "annual",
             "Reduce seats in the cancellation window only", 40),
            ("Cox Business", "isp", "https://www.cox.com/business", "Cox Business 150/20", 24, 30,
             U("2280.00"), True, "monthly", "Call retention line, then written confirmation",
             30),
            ("Weave", "telecom", "https://www.getweave.com", "Weave phones and texting — 2 sites",
             12, 60, U("7800.00"), True, "monthly", "Written notice 60 days before renewal", 95),
            ("Pacific Coast Copiers", "lease", "https://pccopiers.example",
             "Sharp MFP lease (1 device)", 36, 60, U("2100.00"), True, "monthly",
             "Written notice 60 days before term end", 120),
            ("At-Bay", "cyber_insurance", "https://www.at-bay.com", "Cyber policy ($1M limit)", 12,
             30, U("3900.00"), False, "annual", "Broker: Marsh & McLennan Agency", 70),
        ),
        ((4, 5, 3, 4, "Quick on Dentrix issues; good communication."),
         (5, 4, 4, 4, "Proposed the La Mesa network clean-up themselves."),
         (4, 4, 4, 4, "Steady.")),
        ("Weave phones dropped calls at La Mesa for two days", "high", 7, "Weave"),
    ),
}
MSP_TERMS = ("Managed services agreement", 36, 90, None, True, "monthly",
             "Written notice 90 days before the renewal date", 210)
EVALUATION_CRITERIA = [("Security practices", 5), ("Response times (references)", 4),
                       ("Price", 3), ("Manufacturing / ERP experience", 2),
                       ("On-site coverage in Fresno", 1)]
EVALUATION_CANDIDATES = [(None, U("165600.00"), (3, 2, 3, 4, 2)),  # None: the incumbent
                         ("Valley Systems Group", U("151200.00"), (4, 4, 3, 3, 4)),
                         ("Sierra Managed Services", U("138000.00"), (3, 3, 5, 2, 3))]
TRANSITION_TASKS = [
    ("Request admin credentials and documentation export", "Kevin Tran", 14, True),
    ("Confirm domain registrar and DNS ownership are in our name", "Kevin Tran", 21, False),
    ("Check termination clause and notice date with counsel", "Alicia Moreno", 30, False),
    ("Plan ERP server handover during the Sunday shutdown", "Sam Okafor", 75, False),
]
# fmt: on
