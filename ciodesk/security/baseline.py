"""The built-in baseline "ciodesk essentials": ~30 controls a 15–150-person business needs.

Written in ciodesk's own plain words for an owner or office manager, not in any framework's
wording. Each control says why it matters, what "in place" means, what evidence proves it
and how often it must be verified again (its interval; past it the control is stale).

Mappings are IDs only (facts): NIST CSF 2.0 subcategories, CISA CPG 2.0 goals, CIS Controls
v8.1 IG1 safeguards and Essential Eight strategy names. They are the practice's judgement of
which framework items a control helps meet, used for the roll-ups; they are not official
crosswalks. The keys are fixed: other parts of ciodesk (coverage imports, insurance
readiness, questionnaires) refer to controls by key.
"""

from __future__ import annotations

from dataclasses import dataclass, field

BASELINE = "ciodesk-essentials"
BASELINE_NAME = "ciodesk essentials"

# Essential Eight strategy names, as ciodesk stores them in ControlDefinition.e8.
E8_PATCH_APPS = "Patch applications"
E8_PATCH_OS = "Patch operating systems"
E8_MFA = "Multi-factor authentication"
E8_ADMIN = "Restrict administrative privileges"
E8_APP_CONTROL = "Application control"
E8_MACROS = "Restrict Microsoft Office macros"
E8_HARDENING = "User application hardening"
E8_BACKUPS = "Regular backups"


@dataclass(frozen=True)
class Control:
    key: str
    title: str
    area: str
    why: str
    in_place_means: str
    evidence_expected: str
    interval_days: int
    csf: list[str] = field(default_factory=list)
    cpg: list[str] = field(default_factory=list)
    cis: list[str] = field(default_factory=list)
    e8: list[str] = field(default_factory=list)


GOVERNANCE = "Governance"
IDENTITY = "Accounts and sign-in"
DEVICES = "Devices and software"
DATA = "Data and backups"
PEOPLE = "People"
DETECT = "Detection and response"
NETWORK = "Network and suppliers"

CONTROLS: list[Control] = [
    Control(
        key="governance",
        title="Someone owns security, with a short written policy",
        area=GOVERNANCE,
        why="Without a named owner, security work falls between the office manager and the IT "
        "provider and nobody notices when it stops.",
        in_place_means="A named person is accountable for security, a one- or two-page policy "
        "says what staff must do, and leadership reviews security at least once a year.",
        evidence_expected="The policy document with its approval date, and the minutes or notes "
        "of the last leadership review.",
        interval_days=365,
        csf=["GV.RR-01", "GV.RR-02", "GV.PO-01", "GV.OV-01"],
        cpg=["1.A", "1.B"],
        cis=["3.1"],
    ),
    Control(
        key="risk-assessment",
        title="Yearly look at what could go wrong",
        area=GOVERNANCE,
        why="Money and effort go further when they go to the few things that would really hurt "
        "the business: losing client data, being locked out of systems, wire fraud.",
        in_place_means="At least once a year the main risks are written down with their "
        "likelihood, impact, an owner and what will be done about each, including where "
        "sensitive data lives.",
        evidence_expected="The risk register or assessment report with its date.",
        interval_days=365,
        csf=["ID.RA-03", "ID.RA-04", "ID.RA-05", "GV.RM-02"],
        cpg=["1.B"],
        cis=["3.2"],
    ),
    Control(
        key="asset-inventory",
        title="List of every computer, phone and server",
        area=DEVICES,
        why="You cannot patch, protect or recover a device you do not know about; unknown "
        "devices are how attackers get in unnoticed.",
        in_place_means="A current list of company devices with their user and location exists, "
        "usually from the IT provider's management tool, and unknown devices are looked into.",
        evidence_expected="An export of the device list (RMM or inventory) dated within the "
        "interval.",
        interval_days=180,
        csf=["ID.AM-01", "ID.AM-08"],
        cpg=["2.A", "2.E", "3.R"],
        cis=["1.1", "1.2"],
    ),
    Control(
        key="software-inventory",
        title="List of software and cloud services in use",
        area=DEVICES,
        why="Unknown software and forgotten cloud accounts are unpatched, unmonitored doors "
        "into the business and its data.",
        in_place_means="A list of installed software and the cloud services the business pays "
        "for or relies on is kept and reviewed.",
        evidence_expected="A software inventory export or the reviewed list of cloud services.",
        interval_days=180,
        csf=["ID.AM-02", "ID.AM-04"],
        cpg=["2.A"],
        cis=["2.1"],
    ),
    Control(
        key="supported-software",
        title="No out-of-support systems",
        area=DEVICES,
        why="Software its maker no longer supports gets no security fixes; known holes stay "
        "open for good.",
        in_place_means="Every computer, server and network device runs a version its vendor "
        "still supports, or has a dated plan to replace it.",
        evidence_expected="An inventory report showing operating system versions, and the "
        "replacement plan for any exception.",
        interval_days=180,
        csf=["PR.PS-02", "ID.AM-08"],
        cpg=["2.B"],
        cis=["2.2"],
        e8=[E8_PATCH_APPS, E8_PATCH_OS],
    ),
    Control(
        key="mfa-email",
        title="Multi-factor sign-in on e-mail and Microsoft 365 / Google",
        area=IDENTITY,
        why="Stolen passwords are the most common way into a small business; a second factor "
        "stops almost all of those attempts.",
        in_place_means="Every user must use a second factor (app, key or passkey) to sign in to "
        "e-mail and the office suite; exceptions are listed and justified.",
        evidence_expected="An MFA registration export from Entra / Google Admin showing every "
        "user registered, or a screenshot of the enforcing policy.",
        interval_days=30,
        csf=["PR.AA-03"],
        cpg=["3.F"],
        cis=["6.3"],
        e8=[E8_MFA],
    ),
    Control(
        key="mfa-remote-access",
        title="Multi-factor sign-in on remote access",
        area=IDENTITY,
        why="A VPN or remote desktop reachable from the internet with only a password is a "
        "favourite ransomware entry point.",
        in_place_means="VPN, remote desktop gateways and remote-support tools all require a "
        "second factor.",
        evidence_expected="A screenshot or configuration export of the VPN / remote access MFA "
        "setting.",
        interval_days=30,
        csf=["PR.AA-03"],
        cpg=["3.F"],
        cis=["6.4"],
        e8=[E8_MFA],
    ),
    Control(
        key="mfa-admins",
        title="Multi-factor sign-in for every admin account",
        area=IDENTITY,
        why="An attacker with an administrator's password can switch off every other protection.",
        in_place_means="Every account with admin rights (cloud, servers, firewall, backup "
        "console) requires a second factor, preferably phishing-resistant.",
        evidence_expected="The MFA registration export filtered to admins, or the admin "
        "sign-in policy.",
        interval_days=30,
        csf=["PR.AA-03"],
        cpg=["3.F"],
        cis=["6.5"],
        e8=[E8_MFA],
    ),
    Control(
        key="legacy-auth-blocked",
        title="Old sign-in methods that skip MFA are blocked",
        area=IDENTITY,
        why="Older mail protocols (POP, IMAP, basic authentication) accept a password alone, "
        "so MFA can be bypassed while it looks switched on.",
        in_place_means="Legacy authentication is blocked for all users by policy, with any "
        "exception (a scanner, a line-of-business app) listed.",
        evidence_expected="A screenshot of the blocking policy or a sign-in report showing no "
        "legacy sign-ins.",
        interval_days=90,
        csf=["PR.AA-03", "PR.PS-01"],
        cpg=["3.F"],
        cis=["6.3"],
        e8=[E8_MFA],
    ),
    Control(
        key="admin-accounts",
        title="Few admins, using separate admin accounts",
        area=IDENTITY,
        why="Everyday accounts read e-mail and browse the web; if they also hold admin rights, "
        "one bad click hands over the whole system.",
        in_place_means="Only the people who need it have admin rights, they use a separate "
        "account for admin work, and default or shared admin accounts are disabled or "
        "re-credentialed.",
        evidence_expected="The list of admin accounts with their owners.",
        interval_days=180,
        csf=["PR.AA-05", "PR.AA-01"],
        cpg=["3.G", "3.H", "3.A"],
        cis=["5.4", "4.7"],
        e8=[E8_ADMIN],
    ),
    Control(
        key="access-review",
        title="Access reviewed twice a year",
        area=IDENTITY,
        why="People change roles and accounts pile up; old access is how data leaks and how "
        "attackers move around.",
        in_place_means="Twice a year someone reviews who has access to what (accounts, shared "
        "folders, key systems) and removes what is no longer needed, including dormant accounts.",
        evidence_expected="The signed-off review (a list or spreadsheet with the changes made).",
        interval_days=180,
        csf=["PR.AA-05", "PR.AA-01"],
        cpg=["3.H", "3.D"],
        cis=["5.1", "5.3", "6.1", "3.3"],
        e8=[E8_ADMIN],
    ),
    Control(
        key="offboarding",
        title="Leavers lose access on their last day",
        area=IDENTITY,
        why="Accounts of people who have left are used for fraud and data theft, often weeks "
        "later when nobody is watching them.",
        in_place_means="A written leaver checklist is followed: accounts disabled, devices "
        "returned and wiped, shared passwords changed, on the last day.",
        evidence_expected="The checklist from the most recent leaver, or the ticket showing the "
        "steps done.",
        interval_days=180,
        csf=["PR.AA-01", "PR.AA-05"],
        cpg=["3.D"],
        cis=["6.2", "3.5"],
    ),
    Control(
        key="password-manager",
        title="A company password manager, unique passwords",
        area=IDENTITY,
        why="Reused and shared passwords let one breach at another website open the business's "
        "own systems.",
        in_place_means="Staff use a company password manager, passwords are unique and long, "
        "and default passwords on devices have been changed.",
        evidence_expected="The password manager's admin report (users enrolled, weak or reused "
        "password count).",
        interval_days=365,
        csf=["PR.AA-01"],
        cpg=["3.A", "3.B", "3.C"],
        cis=["5.2"],
    ),
    Control(
        key="endpoint-protection",
        title="Every computer has working anti-malware (EDR)",
        area=DEVICES,
        why="Ransomware and credential theft start on a laptop; a monitored security agent "
        "catches and stops most of it.",
        in_place_means="Every company computer and server runs the security agent, it updates "
        "itself, its alerts are watched, and the host firewall is on.",
        evidence_expected="A comparison of the device list (RMM) with the EDR console showing "
        "every device covered.",
        interval_days=30,
        csf=["DE.CM-09", "PR.PS-05"],
        cpg=["4.A"],
        cis=["10.1", "10.2", "4.5"],
    ),
    Control(
        key="patch-operating-systems",
        title="Operating systems patched within weeks",
        area=DEVICES,
        why="Attackers use published holes within days; late patching is one of the main ways "
        "small businesses are breached.",
        in_place_means="Windows, macOS and server updates install automatically, critical ones "
        "within two weeks, and failures are followed up.",
        evidence_expected="The monthly patch compliance report from the management tool.",
        interval_days=30,
        csf=["PR.PS-02"],
        cpg=["2.B"],
        cis=["7.3"],
        e8=[E8_PATCH_OS],
    ),
    Control(
        key="patch-applications",
        title="Applications patched within weeks",
        area=DEVICES,
        why="Browsers, PDF readers and office apps are attacked as often as the operating "
        "system itself.",
        in_place_means="Browsers, office apps and other common applications update "
        "automatically, critical fixes within two weeks.",
        evidence_expected="The monthly third-party patch report.",
        interval_days=30,
        csf=["PR.PS-02"],
        cpg=["2.B"],
        cis=["7.4"],
        e8=[E8_PATCH_APPS],
    ),
    Control(
        key="email-security",
        title="E-mail filtering and anti-spoofing",
        area=IDENTITY,
        why="Most attacks and invoice fraud arrive by e-mail; spoofed mail in the company's "
        "name also harms its customers.",
        in_place_means="Incoming mail is filtered for malware and phishing, and the company's "
        "domains publish SPF, DKIM and a DMARC policy.",
        evidence_expected="A DMARC / SPF check report for each domain and the mail filter's "
        "settings.",
        interval_days=180,
        csf=["PR.PS-01", "DE.CM-09"],
        cpg=["3.L"],
    ),
    Control(
        key="backups",
        title="Important data is backed up automatically",
        area=DATA,
        why="Ransomware, a failed disk or a mistake can destroy files in minutes; backups are "
        "the way back.",
        in_place_means="Servers, shared files and key systems are backed up automatically at "
        "least daily, the backups are protected by separate credentials, and failures are "
        "fixed within days.",
        evidence_expected="The backup job report showing recent successful runs for every "
        "protected system.",
        interval_days=30,
        csf=["PR.DS-11"],
        cpg=["3.O"],
        cis=["11.2", "11.3"],
        e8=[E8_BACKUPS],
    ),
    Control(
        key="backup-offline-copy",
        title="A copy of backups attackers cannot reach",
        area=DATA,
        why="Ransomware crews look for backups and delete them first; only an offline, "
        "immutable or separate copy survives.",
        in_place_means="At least one backup copy is offline, immutable or in a separate "
        "account that the everyday admin credentials cannot delete.",
        evidence_expected="A screenshot of the immutability / retention-lock setting or the "
        "offline rotation log.",
        interval_days=90,
        csf=["PR.DS-11"],
        cpg=["3.O"],
        cis=["11.4"],
        e8=[E8_BACKUPS],
    ),
    Control(
        key="restore-test",
        title="Restores are tested every quarter",
        area=DATA,
        why="Backups that have never been restored often fail when they are needed most.",
        in_place_means="Every quarter a file and at least one whole system are restored from "
        "backup, the time taken is noted, and the written recovery steps are updated.",
        evidence_expected="The restore test record: what was restored, when, how long it took "
        "and by whom.",
        interval_days=90,
        csf=["PR.DS-11", "RC.RP-03"],
        cpg=["3.O", "6.A"],
        cis=["11.1"],
        e8=[E8_BACKUPS],
    ),
    Control(
        key="saas-backup",
        title="Cloud mail and files are backed up too",
        area=DATA,
        why="Microsoft 365 and Google keep data available, not safe: deleted or encrypted "
        "mail and files are gone after their short retention.",
        in_place_means="Mailboxes, OneDrive / Google Drive and SharePoint / shared drives are "
        "backed up by a separate service.",
        evidence_expected="The SaaS backup report showing every licensed user protected.",
        interval_days=90,
        csf=["PR.DS-11"],
        cpg=["3.O"],
        cis=["11.2"],
        e8=[E8_BACKUPS],
    ),
    Control(
        key="disk-encryption",
        title="Laptops and phones encrypted and locking",
        area=DEVICES,
        why="A lost or stolen laptop without encryption is a data breach you may have to report.",
        in_place_means="Every laptop and mobile device has full-disk encryption turned on and "
        "locks itself after a few idle minutes.",
        evidence_expected="The encryption status report (BitLocker / FileVault / MDM).",
        interval_days=180,
        csf=["PR.DS-01"],
        cpg=["3.K"],
        cis=["3.6", "4.3"],
    ),
    Control(
        key="security-training",
        title="Staff security training every year",
        area=PEOPLE,
        why="Staff are the first and last line of defence against fraud and phishing; people "
        "who know the signs stop most attacks.",
        in_place_means="Every staff member completes short security training when they join "
        "and every year, covering passwords, data handling and how to report a problem.",
        evidence_expected="The training platform's completion report.",
        interval_days=365,
        csf=["PR.AT-01"],
        cpg=["3.J"],
        cis=["14.1", "14.3", "14.4", "14.5", "14.6", "14.7", "14.8"],
    ),
    Control(
        key="phishing-simulation",
        title="Practice phishing e-mails",
        area=PEOPLE,
        why="Practice makes people pause before clicking; the click rate shows whether "
        "training works.",
        in_place_means="Simulated phishing e-mails go out at least quarterly and people who "
        "click get short follow-up training.",
        evidence_expected="The latest campaign report with click and report rates.",
        interval_days=90,
        csf=["PR.AT-01"],
        cpg=["3.J"],
        cis=["14.2"],
    ),
    Control(
        key="incident-response-plan",
        title="A one-page plan for the first hour of an incident",
        area=DETECT,
        why="In the first hour of a ransomware attack or a fraud, knowing whom to call (the "
        "insurer, the IT provider, a lawyer) saves days and money.",
        in_place_means="A short plan names who decides, whom to call with their numbers, the "
        "first steps, and how staff report incidents; it is reviewed yearly.",
        evidence_expected="The plan with its review date, and notes of the last tabletop exercise.",
        interval_days=365,
        csf=["RS.MA-01", "RS.CO-02", "RC.RP-01", "ID.IM-04"],
        cpg=["1.C", "5.A", "5.B", "6.A"],
        cis=["17.1", "17.2", "17.3"],
    ),
    Control(
        key="logging-monitoring",
        title="Sign-in and security logs are kept and watched",
        area=DETECT,
        why="Without logs nobody notices a break-in, and nobody can tell afterwards what was "
        "taken.",
        in_place_means="Cloud sign-in, mailbox and security logs are kept for at least 90 "
        "days and alerts (impossible travel, new forwarding rules, many failed sign-ins) go "
        "to someone who acts on them.",
        evidence_expected="The log retention settings and a recent alert review record.",
        interval_days=90,
        csf=["PR.PS-04", "DE.CM-01", "DE.CM-03", "DE.AE-02"],
        cpg=["3.Q", "3.E", "4.B"],
        cis=["8.1", "8.2", "8.3"],
    ),
    Control(
        key="firewall-remote-exposure",
        title="Nothing risky open to the internet",
        area=NETWORK,
        why="Exposed remote desktop, old VPNs and unpatched firewalls are scanned for constantly "
        "and broken into within hours.",
        in_place_means="The firewall runs supported, current firmware with a reviewed rule "
        "set, servers have their host firewall on, and no remote desktop or admin page is "
        "open to the internet.",
        evidence_expected="An external port scan and the firewall firmware version, dated.",
        interval_days=180,
        csf=["PR.IR-01", "PR.PS-01"],
        cpg=["3.S", "3.I"],
        cis=["4.2", "4.4", "4.6", "12.1"],
    ),
    Control(
        key="vulnerability-scanning",
        title="Regular scan for known weaknesses",
        area=DEVICES,
        why="A scan finds the missing patches and risky settings before an attacker does.",
        in_place_means="Computers, servers and the internet-facing address are scanned at "
        "least quarterly, and findings are fixed by severity.",
        evidence_expected="The latest scan report and the list of findings fixed.",
        interval_days=90,
        csf=["ID.RA-01", "ID.RA-06"],
        cpg=["2.B"],
        cis=["7.1", "7.2"],
    ),
    Control(
        key="macro-restriction",
        title="Office macros and autorun blocked",
        area=DEVICES,
        why="Macros in e-mailed documents and autorun on USB sticks are classic ways to run "
        "malware.",
        in_place_means="Macros from the internet are blocked by policy, only signed or "
        "approved macros run, and autorun is off.",
        evidence_expected="A screenshot or export of the macro and autorun policy.",
        interval_days=180,
        csf=["PR.PS-01"],
        cpg=["3.M"],
        cis=["10.3"],
        e8=[E8_MACROS],
    ),
    Control(
        key="application-control",
        title="Only approved software can run",
        area=DEVICES,
        why="If staff cannot install or run unknown programs, most malware cannot run either.",
        in_place_means="Staff cannot install software themselves, and unknown programs are "
        "blocked or at least detected and removed.",
        evidence_expected="The application control or software restriction policy, and the "
        "latest report of blocked or removed software.",
        interval_days=180,
        csf=["PR.PS-05"],
        cpg=["3.P"],
        cis=["2.3"],
        e8=[E8_APP_CONTROL],
    ),
    Control(
        key="browser-hardening",
        title="Browsers hardened and risky sites filtered",
        area=DEVICES,
        why="The web browser is where people meet most malicious content.",
        in_place_means="Only supported, managed browsers and mail clients are used, ads and "
        "unneeded plug-ins are blocked, and DNS filtering blocks known bad sites.",
        evidence_expected="The browser policy and the DNS filter's settings or report.",
        interval_days=180,
        csf=["PR.PS-01"],
        cpg=["3.N"],
        cis=["9.1", "9.2"],
        e8=[E8_HARDENING],
    ),
    Control(
        key="vendor-access",
        title="Suppliers' access is known and limited",
        area=NETWORK,
        why="IT providers and software vendors with remote access are a route into many "
        "businesses at once.",
        in_place_means="A list of suppliers with access to systems or data is kept, each uses "
        "named accounts with MFA, and access is removed when no longer needed.",
        evidence_expected="The supplier access list with its last review date.",
        interval_days=365,
        csf=["GV.SC-04", "GV.SC-05", "GV.SC-07"],
        cpg=["1.E"],
        cis=["15.1"],
    ),
]

KEYS: list[str] = [c.key for c in CONTROLS]
BY_KEY: dict[str, Control] = {c.key: c for c in CONTROLS}


def definition_fields(control: Control, order: int) -> dict:
    """The ControlDefinition field values for one baseline control."""
    return {
        "baseline": BASELINE,
        "title": control.title,
        "area": control.area,
        "why": control.why,
        "in_place_means": control.in_place_means,
        "evidence_expected": control.evidence_expected,
        "interval_days": control.interval_days,
        "csf": list(control.csf),
        "cpg": list(control.cpg),
        "cis": list(control.cis),
        "e8": list(control.e8),
        "order": order,
    }
