"""The security demo's data: each client's posture, risks and insurance policy.

Days are counted back from the demo's anchor day (the day the client's exports were first
loaded), so a re-run writes nothing and the posture ages naturally afterwards.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

MFA_FILENAME = re.compile(r"entra-mfa-(?P<slug>[a-z0-9-]+)-(?P<anchor>\d{4}-\d{2}-\d{2})\.csv")

# Control key → (status, verified this many days before the anchor, evidence title).
# None as the days means the control has no evidence yet (not assessed or not in place).
Posture = dict[str, tuple[str, int | None, str]]

COMMON: Posture = {
    "governance": ("in_place", 120, "Security policy v2, approved by the partners"),
    "asset-inventory": ("in_place", 20, "RMM device list reviewed with the MSP"),
    "software-inventory": ("partial", 60, "SaaS list, three apps without an owner"),
    "supported-software": ("in_place", 25, "RMM report: no unsupported software"),
    "legacy-auth-blocked": ("in_place", 12, "Conditional access: legacy sign-in blocked"),
    "admin-accounts": ("in_place", 40, "Admin accounts list: separate, named"),
    "access-review": ("in_place", 150, "Quarterly access review sign-off"),
    "offboarding": ("partial", 90, "Leaver checklist, one account left active"),
    "password-manager": ("in_place", 70, "Bitwarden Teams: all staff enrolled"),
    "patch-operating-systems": ("in_place", 14, "RMM patch compliance 97 %"),
    "patch-applications": ("partial", 14, "Third-party patching covers browsers only"),
    "email-security": ("in_place", 30, "DMARC at p=quarantine, filtering on"),
    "backup-offline-copy": ("in_place", 45, "Immutable cloud copy, 30-day retention"),
    "restore-test": ("in_place", 200, "File-server restore test (last one)"),
    "saas-backup": ("not_in_place", None, ""),
    "disk-encryption": ("in_place", 35, "BitLocker report from the RMM"),
    "security-training": ("in_place", 210, "Annual training completion: 38 of 40"),
    "phishing-simulation": ("not_in_place", None, ""),
    "incident-response-plan": ("partial", 160, "Tabletop held; plan not yet signed off"),
    "logging-monitoring": ("in_place", 25, "Microsoft 365 audit log on, 180 days"),
    "firewall-remote-exposure": ("in_place", 50, "External scan: no RDP exposed"),
    "vulnerability-scanning": ("not_assessed", None, ""),
    "macro-restriction": ("not_assessed", None, ""),
    "application-control": ("not_in_place", None, ""),
    "browser-hardening": ("not_assessed", None, ""),
    "vendor-access": ("partial", 100, "MSP remote tools listed; no review yet"),
    "mfa-remote-access": ("in_place", 20, "VPN requires Microsoft Authenticator"),
    "risk-assessment": ("in_place", 330, "Risk workshop with the partners"),
}


@dataclass(frozen=True)
class SecuritySpec:
    domain: str
    staff: int  # accounts in the MFA export
    without_mfa: int
    admins_without_mfa: int
    devices: int
    without_edr: int
    servers: tuple[str, ...]
    stale_backup_days: dict[str, int]  # system → days since its last success
    posture: Posture = field(default_factory=dict)  # overrides of COMMON
    questionnaire: bool = False
    risks: int = 10


SPECS = {
    "harbor-cpa": SecuritySpec(
        domain="harbor-cpa.example",
        staff=40,
        without_mfa=2,
        admins_without_mfa=0,
        devices=46,
        without_edr=1,
        servers=("HARBOR-DC01", "HARBOR-FS01", "HARBOR-APP01", "M365-MAILBOXES"),
        stale_backup_days={"HARBOR-APP01": 3},
        questionnaire=True,
        risks=12,
    ),
    "bright-smile": SecuritySpec(
        domain="bright-smile.example",
        staff=22,
        without_mfa=4,
        admins_without_mfa=1,
        devices=28,
        without_edr=0,
        servers=("BSD-SERVER01", "BSD-IMAGING01"),
        stale_backup_days={"BSD-IMAGING01": 9},
        posture={
            "restore-test": ("not_in_place", None, ""),
            "governance": ("partial", 300, "Draft policy, not yet approved"),
        },
        risks=9,
    ),
    "pacific-fab": SecuritySpec(
        domain="pacific-fab.example",
        staff=85,
        without_mfa=31,
        admins_without_mfa=2,
        devices=110,
        without_edr=11,
        servers=("PF-DC01", "PF-ERP01", "PF-FS01", "PF-CAD01", "PF-HIST01"),
        stale_backup_days={},
        posture={
            "mfa-remote-access": ("partial", 30, "VPN has MFA; the plant's remote tool does not"),
            "supported-software": ("not_in_place", 15, "Two Windows 7 machines run the CNC"),
        },
        risks=14,
    ),
}

# (title, description, category, likelihood, impact, treatment, planned actions,
#  cost estimate, control keys, residual likelihood, residual impact, review in days)
RISKS = [
    (
        "Ransomware encrypts the file server and its backups",
        "A phishing e-mail or an exposed remote tool lets an attacker in; files and the "
        "backups the server can reach are encrypted and the office stops for days.",
        "Cyber",
        3,
        5,
        "mitigate",
        "Immutable backup copy; test a full restore each quarter.",
        "6500.00",
        ["backups", "backup-offline-copy", "restore-test"],
        2,
        4,
        60,
    ),
    (
        "A mailbox is taken over and a wire is redirected",
        "A stolen password without MFA lets someone read mail and send a convincing "
        "change-of-bank-details message to a client or supplier.",
        "Fraud",
        3,
        4,
        "mitigate",
        "MFA for everyone; call-back rule for payment changes.",
        "0.00",
        ["mfa-email", "email-security"],
        2,
        3,
        45,
    ),
    (
        "A laptop is lost with client data on it",
        "A laptop left in a car or on a plane holds tax returns or patient records.",
        "Data",
        2,
        4,
        "mitigate",
        "Disk encryption reported by the RMM; remote wipe.",
        "0.00",
        ["disk-encryption"],
        1,
        2,
        120,
    ),
    (
        "The MSP's remote access is abused",
        "The MSP's tools reach every machine; a breach at the MSP becomes a breach here.",
        "Supplier",
        2,
        5,
        "transfer",
        "Contract clause on MFA and logging; cyber policy.",
        "0.00",
        ["vendor-access"],
        2,
        3,
        90,
    ),
    (
        "A leaver keeps access to e-mail or files",
        "An account is not switched off when someone leaves and is used later.",
        "Access",
        3,
        3,
        "mitigate",
        "Leaver checklist signed by the office manager.",
        "0.00",
        ["offboarding", "access-review"],
        1,
        3,
        90,
    ),
    (
        "Microsoft 365 data is deleted and cannot be recovered",
        "Deleted mail or OneDrive files beyond Microsoft's retention cannot be restored.",
        "Data",
        2,
        3,
        "mitigate",
        "Back up Microsoft 365 with a third-party tool.",
        "1800.00",
        ["saas-backup"],
        1,
        2,
        60,
    ),
    (
        "Staff fall for a convincing phishing e-mail",
        "Training once a year is forgotten by spring.",
        "People",
        4,
        3,
        "mitigate",
        "Monthly phishing simulation with short lessons.",
        "1200.00",
        ["security-training", "phishing-simulation"],
        3,
        2,
        45,
    ),
    (
        "Unsupported software with known holes",
        "Old operating systems and apps no longer get security fixes.",
        "Cyber",
        3,
        3,
        "mitigate",
        "Replace or isolate unsupported machines.",
        "4000.00",
        ["supported-software", "patch-applications"],
        2,
        2,
        30,
    ),
    (
        "The internet line fails during tax season",
        "A single internet circuit is a single point of failure for cloud apps and phones.",
        "Continuity",
        2,
        3,
        "mitigate",
        "A 5G backup line on the firewall.",
        "900.00",
        ["firewall-remote-exposure"],
        1,
        3,
        120,
    ),
    (
        "Nobody knows who to call in an incident",
        "Without a tested plan the first hours go to finding phone numbers.",
        "Response",
        3,
        4,
        "mitigate",
        "Sign off the IR plan; yearly tabletop.",
        "0.00",
        ["incident-response-plan"],
        2,
        3,
        30,
    ),
    (
        "An admin account without MFA is phished",
        "One global admin without MFA is the keys to the whole tenant.",
        "Access",
        2,
        5,
        "mitigate",
        "Phishing-resistant keys for the two admin accounts.",
        "120.00",
        ["mfa-admins"],
        1,
        5,
        15,
    ),
    (
        "Macros in a downloaded document run malware",
        "Office macros from the internet still run on some machines.",
        "Cyber",
        2,
        3,
        "accept",
        "Accepted for now: the practice-management add-in needs macros.",
        "0.00",
        ["macro-restriction"],
        None,
        None,
        180,
    ),
    (
        "A production machine on Windows 7 is infected",
        "The CNC controller's PC cannot be upgraded and sits on the office network.",
        "Operations",
        3,
        4,
        "mitigate",
        "Move it to its own network segment.",
        "2500.00",
        ["supported-software", "firewall-remote-exposure"],
        2,
        3,
        20,
    ),
    (
        "Backups succeed but nobody has restored one",
        "A backup that has never been restored may not restore when it matters.",
        "Continuity",
        3,
        4,
        "mitigate",
        "Quarterly restore test, recorded as evidence.",
        "0.00",
        ["restore-test"],
        1,
        4,
        10,
    ),
]

POLICY = {
    "harbor-cpa": (
        "Coalition",
        "Marsh McLennan Agency",
        "C-2026-114503",
        160,
        "2000000.00",
        "25000.00",
        "8400.00",
        "1-833-866-1337",
    ),
    "bright-smile": (
        "At-Bay",
        "Hub International",
        "AB-55012-26",
        95,
        "1000000.00",
        "10000.00",
        "4100.00",
        "1-888-426-0008",
    ),
    "pacific-fab": (
        "Chubb",
        "Lockton",
        "CYB-J0021873",
        45,
        "3000000.00",
        "50000.00",
        "19700.00",
        "1-800-817-2665",
    ),
}

ZERO = Decimal("0.00")
