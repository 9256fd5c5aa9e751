"""The questions a cyber insurer's application asks, in ciodesk's own words.

Source of the list: the 31 typical application questions of the shared data set
``cyber_insurance_readiness_questions.csv`` (paraphrased from carrier forms and broker
guides listed there; IDs INS-01… and the framework mappings are facts kept as-is). The
wording below is ciodesk's, written for an owner who has to sign the application.

Each question is answered from the client's controls (by baseline key, see
``baseline.py``) and, for four of them, from a coverage figure measured on an imported
export (MFA registration of users and of admins, EDR coverage, backup freshness).

Insurability weight — how much a "No" hurts, 1 to 5:

    5  carriers decline or exclude ransomware cover without it: MFA on e-mail, remote access
       and admin accounts; EDR on every device; backups, and one copy out of an attacker's
       reach; no remote-desktop service open to the internet.
    4  commonly a condition of cover or a large premium loading: patching speed, supported
       software, restore tests, 24×7 alert monitoring, backup protection, an incident
       response plan, supplier remote access.
    3  asked on most applications and priced in: legacy sign-in, admin separation, e-mail
       filtering and DMARC, training, payment verification, logging, continuity plans,
       vulnerability scanning.
    2  asked, rarely decisive for a small business: encryption, hardening, phishing
       simulations, segmentation, data inventory, written policy, admin reviews.
    1  disclosure rather than a control: the incident history.

Gaps are ordered by this weight (see ``services_insurance``).
"""

from __future__ import annotations

from dataclasses import dataclass

MFA, MFA_ADMINS, EDR, BACKUP = "mfa", "mfa-admins", "edr", "backup"


@dataclass(frozen=True)
class Question:
    id: str
    category: str
    text: str
    evidence: str  # what the insurer expects to see
    controls: tuple[str, ...]  # baseline control keys that answer it
    weight: int  # 1–5, how much a "No" hurts insurability
    coverage: str = ""  # MFA, MFA_ADMINS, EDR or BACKUP when a measured figure also decides


QUESTIONS: tuple[Question, ...] = (
    Question(
        "INS-01",
        "Identity",
        "Does every user need a second factor to sign in to e-mail and the office suite?",
        "The sign-in policy that enforces it, the share of users registered, and the named "
        "exceptions.",
        ("mfa-email",),
        5,
        MFA,
    ),
    Question(
        "INS-02",
        "Identity",
        "Does every way into the network from outside (VPN, remote desktop gateway, remote "
        "support tools) ask for a second factor?",
        "The list of remote-access paths and each one's sign-in setting.",
        ("mfa-remote-access",),
        5,
    ),
    Question(
        "INS-03",
        "Identity",
        "Do all administrator accounts — cloud consoles, the backup console, domain admins — "
        "need a second factor?",
        "The administrator list with each account's second-factor status.",
        ("mfa-admins",),
        5,
        MFA_ADMINS,
    ),
    Question(
        "INS-04",
        "Identity",
        "Are old sign-in methods that skip the second factor switched off, and do admins use "
        "phishing-resistant keys or passkeys?",
        "The policy blocking legacy sign-in; the admins' security-key or passkey enrolment.",
        ("legacy-auth-blocked", "mfa-admins"),
        3,
    ),
    Question(
        "INS-05",
        "Identity",
        "Do administrators use separate accounts for admin work, and do ordinary users work "
        "without local admin rights?",
        "The admin account list; a check of local admin rights on the computers.",
        ("admin-accounts",),
        3,
    ),
    Question(
        "INS-06",
        "Identity",
        "Are the admin and service accounts counted and their access reviewed regularly?",
        "The latest access review, dated, with what was removed.",
        ("admin-accounts", "access-review"),
        2,
    ),
    Question(
        "INS-07",
        "Endpoint",
        "Is endpoint detection and response (more than plain antivirus) running on every "
        "computer and server, and what share is covered?",
        "The EDR console's device list matched against the device inventory (carriers look "
        "for 98 % or more).",
        ("endpoint-protection",),
        5,
        EDR,
    ),
    Question(
        "INS-08",
        "Endpoint",
        "Does someone watch and answer security alerts around the clock, in-house or through "
        "a managed detection service?",
        "The monitoring contract and how alerts are escalated out of hours.",
        ("logging-monitoring", "endpoint-protection"),
        4,
    ),
    Question(
        "INS-09",
        "Endpoint",
        "Are laptops, desktops and removable drives encrypted?",
        "The disk-encryption compliance report.",
        ("disk-encryption",),
        2,
    ),
    Question(
        "INS-10",
        "Backup",
        "Are important systems and cloud data (e-mail, files) backed up at least weekly, "
        "and do the backups succeed?",
        "The backup job report: last success of each protected system.",
        ("backups", "saas-backup"),
        5,
        BACKUP,
    ),
    Question(
        "INS-11",
        "Backup",
        "Is at least one backup copy offline, immutable or otherwise out of reach of the "
        "normal admin accounts?",
        "The immutability or offline-copy setting and the separate backup sign-in.",
        ("backup-offline-copy",),
        5,
    ),
    Question(
        "INS-12",
        "Backup",
        "Are backups encrypted, and can an ordinary admin account not delete them?",
        "The backup encryption setting and who may delete backups.",
        ("backup-offline-copy", "admin-accounts"),
        4,
    ),
    Question(
        "INS-13",
        "Backup",
        "When was a full restore last tested, and how long would the key systems take to "
        "come back?",
        "A dated restore test (within the last year at most) and the recovery time it showed.",
        ("restore-test",),
        4,
    ),
    Question(
        "INS-14",
        "Vulnerability",
        "Are critical security updates for systems and applications installed within days?",
        "The patch compliance report and the agreed patching deadlines.",
        ("patch-operating-systems", "patch-applications"),
        4,
    ),
    Question(
        "INS-15",
        "Vulnerability",
        "Are the network and internet-facing systems scanned for weaknesses regularly, and "
        "has anyone tested them by trying to break in?",
        "The two latest scan reports; a penetration test report if there is one.",
        ("vulnerability-scanning",),
        3,
    ),
    Question(
        "INS-16",
        "Vulnerability",
        "Is any software or operating system past its end of support still in use, and if "
        "so, is it kept apart?",
        "The software inventory with support end dates, and what protects what is left.",
        ("supported-software", "software-inventory"),
        4,
    ),
    Question(
        "INS-17",
        "Exposure",
        "Is remote desktop, or any other admin service, reachable straight from the "
        "internet? Are open ports checked?",
        "An external scan showing no remote desktop or file sharing open to the internet.",
        ("firewall-remote-exposure",),
        5,
    ),
    Question(
        "INS-18",
        "Configuration",
        "Are computers, servers and phones set up from a hardened standard configuration?",
        "The baseline policy and the device-management compliance report.",
        ("browser-hardening", "macro-restriction", "application-control"),
        2,
    ),
    Question(
        "INS-19",
        "Email",
        "Is incoming e-mail filtered for harmful attachments and links, with suspicious mail "
        "held back?",
        "The e-mail protection policy settings.",
        ("email-security",),
        3,
    ),
    Question(
        "INS-20",
        "Email",
        "Are SPF, DKIM and DMARC set up (DMARC at quarantine or reject) and is mail from "
        "outside marked as such?",
        "The domain's DNS records and the external-sender banner setting.",
        ("email-security",),
        3,
    ),
    Question(
        "INS-21",
        "People",
        "Does everyone get security awareness training when they join and at least once a year?",
        "Training completion figures.",
        ("security-training",),
        3,
    ),
    Question(
        "INS-22",
        "People",
        "Are practice phishing e-mails sent to staff, and how often?",
        "Phishing simulation reports with click and report rates.",
        ("phishing-simulation",),
        2,
    ),
    Question(
        "INS-23",
        "Fraud",
        "Is every request to pay money or change bank details checked by calling back a "
        "known number before anyone pays?",
        "The written payment procedure and the training that covers it.",
        ("security-training",),
        3,
    ),
    Question(
        "INS-24",
        "Response",
        "Is there a written incident response plan, rehearsed in a tabletop exercise within "
        "the last year?",
        "The plan and the dated tabletop report.",
        ("incident-response-plan",),
        4,
    ),
    Question(
        "INS-25",
        "Response",
        "Are there business continuity and disaster recovery plans, and have they been tested?",
        "The plans and the dated test records.",
        ("incident-response-plan", "restore-test"),
        3,
    ),
    Question(
        "INS-26",
        "Detection",
        "Are security logs collected in one place, watched, and kept long enough?",
        "The list of log sources and their retention.",
        ("logging-monitoring",),
        3,
    ),
    Question(
        "INS-27",
        "Network",
        "Is the network divided (servers, staff, guests and devices), with internet-facing "
        "systems kept apart?",
        "The network diagram and the firewall rules between the parts.",
        ("firewall-remote-exposure",),
        2,
    ),
    Question(
        "INS-28",
        "Third parties",
        "Who provides outsourced IT, how do suppliers reach the network, and is that access "
        "protected by a second factor and logged?",
        "The list of suppliers with access, their remote tools, and the contract terms.",
        ("vendor-access",),
        4,
    ),
    Question(
        "INS-29",
        "Data",
        "How many records of personal, health or card data does the business hold?",
        "The data inventory: what is held, where, and roughly how many records.",
        ("asset-inventory",),
        2,
    ),
    Question(
        "INS-30",
        "Governance",
        "Is one named person responsible for security, with a written policy that applies "
        "to the whole business?",
        "The named owner and the policy document.",
        ("governance",),
        2,
    ),
    Question(
        "INS-31",
        "History",
        "Can the business list every cyber incident, claim or known circumstance of the last "
        "three years from a register it keeps?",
        "The incident register.",
        ("incident-response-plan",),
        1,
    ),
)

BY_ID = {q.id: q for q in QUESTIONS}
