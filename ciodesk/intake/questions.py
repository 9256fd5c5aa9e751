"""The fifteen questions of the free technology risk review, in plain words.

Each question names the baseline assessment question it informs (``baseline``): turning a
lead into a client writes the prospect's answer there (``to_baseline`` maps the review's
option to the baseline answer; an option mapped to None, such as "Not sure" on a choice
question, is left for the CIO and recorded in the client's notes instead).

Credits follow the assessments app (yes 1, partly ½, no 0, not sure 0: what nobody can
confirm counts as missing). ``critical`` marks the questions insurers decline cover over
(the baseline's insurance-critical ones).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class Option:
    value: str
    label: str
    credit: Decimal
    baseline: dict | None  # the baseline Answer fields, or None (goes into the notes)


@dataclass(frozen=True)
class Question:
    key: str
    text: str
    weight: int
    baseline: str
    options: tuple[Option, ...]
    risk: str  # the risk in plain words when the answer is weak
    first_step: str  # what a fractional CIO would do first
    critical: bool = False

    @property
    def title(self) -> str:
        return TITLES[self.key]

    def option(self, value: str) -> Option | None:
        return next((o for o in self.options if o.value == value), None)


ONE, HALF, NONE = Decimal("1"), Decimal("0.5"), Decimal("0")


def yes_no(yes: str = "Yes", partly: str = "Partly", no: str = "No") -> tuple[Option, ...]:
    return (
        Option("yes", yes, ONE, {"value": "yes"}),
        Option("partly", partly, HALF, {"value": "partial"}),
        Option("no", no, NONE, {"value": "no"}),
        Option("unsure", "Not sure", NONE, {"value": "unknown"}),
    )


QUESTIONS: tuple[Question, ...] = (
    Question(
        "owner",
        "Is one named person accountable for IT and security (on staff or an outside "
        "adviser), with time set aside to do it?",
        5,
        "it-owner",
        yes_no(),
        "Nobody clearly owns technology and security, so renewals, updates and follow-ups "
        "slip until something breaks.",
        "Name one accountable owner and agree what they bring to leadership each quarter.",
    ),
    Question(
        "mfa_email",
        "Does everyone need a second factor (an app prompt or a code) to sign in to e-mail?",
        5,
        "mfa-email",
        yes_no(partly="Some people"),
        "A stolen or guessed password is enough to read and send the company's e-mail.",
        "Turn on multi-factor sign-in for every mailbox, starting with finance and leadership.",
        critical=True,
    ),
    Question(
        "mfa_remote",
        "Does remote access (VPN, remote desktop, remote-control tools) require a second factor?",
        5,
        "mfa-remote",
        yes_no(),
        "Remote access protected by a password alone is the most common way ransomware gets in.",
        "Put multi-factor sign-in in front of every remote access path, or close the ones "
        "nobody needs.",
        critical=True,
    ),
    Question(
        "mfa_admins",
        "Do administrator accounts (IT provider included) require a second factor?",
        4,
        "mfa-admins",
        yes_no(),
        "One stolen administrator password gives an attacker the keys to everything.",
        "Require multi-factor sign-in on every administrator account and remove shared ones.",
        critical=True,
    ),
    Question(
        "vault",
        "Does the company give staff a password manager and expect them to use it?",
        2,
        "password-manager",
        yes_no(),
        "Passwords are reused and shared in spreadsheets, so one breach opens many doors.",
        "Roll out a company password manager, starting with shared accounts.",
    ),
    Question(
        "leavers",
        "When someone leaves, are all of their accounts closed on their last day?",
        3,
        "leaver-access",
        yes_no(yes="Always", partly="Usually", no="Not reliably"),
        "Former staff and contractors may still be able to sign in to company systems.",
        "Write a one-page leaver checklist and check the account lists against the staff list.",
    ),
    Question(
        "backup_daily",
        "Is all important data (servers, shared files, business systems) backed up "
        "automatically every day?",
        5,
        "daily-backup",
        yes_no(),
        "Some business data is not backed up every day and could be lost for good.",
        "List every place business data lives and confirm each one is in the daily backup.",
        critical=True,
    ),
    Question(
        "backup_offline",
        "Is there a copy of the backups that an attacker with administrator passwords could "
        "not delete (offline or immutable)?",
        5,
        "immutable-copy",
        yes_no(),
        "Ransomware crews delete backups first; without a protected copy there may be "
        "nothing to restore.",
        "Add an immutable or offline backup copy and protect its console with its own sign-in.",
        critical=True,
    ),
    Question(
        "restore_test",
        "When was a full restore from backup last tested, and did it work?",
        5,
        "restore-test",
        (
            Option("quarter", "In the last three months, and it worked", ONE, {"value": "quarter"}),
            Option("year", "In the last year", HALF, {"value": "year"}),
            Option("never", "More than a year ago, it failed, or never", NONE, {"value": "never"}),
            Option("unsure", "Not sure", NONE, None),
        ),
        "Nobody knows whether the backups can actually be restored, or how long it would take.",
        "Run a timed test restore of one critical system and write down how long it took.",
        critical=True,
    ),
    Question(
        "edr",
        "Who responds when the security software on computers raises an alert?",
        5,
        "edr-response",
        (
            Option(
                "soc",
                "A security team, around the clock",
                ONE,
                {"value": "around-the-clock"},
            ),
            Option(
                "provider",
                "Our IT provider, during business hours",
                HALF,
                {"value": "business-hours"},
            ),
            Option("nobody", "Nobody in particular, or antivirus only", NONE, {"value": "nobody"}),
            Option("unsure", "Not sure", NONE, None),
        ),
        "An attack that starts on a Friday night may run unnoticed until Monday morning.",
        "Make sure every computer runs endpoint protection that a security team watches "
        "around the clock.",
        critical=True,
    ),
    Question(
        "patching",
        "How soon are critical Windows and macOS updates installed?",
        4,
        "os-patching",
        (
            Option("two_weeks", "Within two weeks", ONE, {"value": "two-weeks"}),
            Option("month", "Within a month", HALF, {"value": "month"}),
            Option("whenever", "Whenever someone gets to it", NONE, {"value": "unknown"}),
            Option("unsure", "Not sure", NONE, {"value": "unknown"}),
        ),
        "Computers miss security updates for weeks, leaving known holes open to attackers.",
        "Have updates installed automatically and ask the IT provider for a monthly patch report.",
        critical=True,
    ),
    Question(
        "phishing",
        "How often does staff practise spotting phishing e-mails (training or simulated phishing)?",
        2,
        "phishing-practice",
        (
            Option("quarterly", "Every quarter or more often", ONE, {"value": "quarterly"}),
            Option("yearly", "Once or twice a year", HALF, {"value": "yearly"}),
            Option("never", "Never", NONE, {"value": "never"}),
            Option("unsure", "Not sure", NONE, None),
        ),
        "Staff have not practised spotting the e-mails that start most attacks.",
        "Start short quarterly phishing practice with a ten-minute follow-up for anyone "
        "who clicks.",
    ),
    Question(
        "payments",
        "Are changes to payment or bank details always confirmed by calling a known number "
        "before any money moves?",
        5,
        "payment-verification",
        yes_no(yes="Always", partly="Usually", no="No"),
        "A single convincing e-mail could redirect a supplier payment to a criminal's account.",
        "Make a call-back to a known number mandatory for any change of bank details.",
        critical=True,
    ),
    Question(
        "incident_plan",
        "Is there a written plan for a cyber incident saying who to call in the first hour?",
        4,
        "incident-plan",
        yes_no(),
        "In an incident, the first hours would be lost working out who to call and what to do.",
        "Write a one-page incident plan with the insurer's hotline and rehearse it once.",
        critical=True,
    ),
    Question(
        "insurance",
        "Does the company hold cyber-insurance with limits that match what a serious "
        "incident would cost?",
        3,
        "cyber-insurance",
        yes_no(partly="We have some, not sure it is enough"),
        "A serious incident (ransom, recovery, notification, lost business) would be paid "
        "out of the company's own pocket.",
        "Estimate what a week offline would cost and review the cyber-insurance limits against it.",
    ),
)

TITLES = {
    "owner": "Nobody clearly owns IT and security",
    "mfa_email": "E-mail without multi-factor sign-in",
    "mfa_remote": "Remote access without multi-factor sign-in",
    "mfa_admins": "Administrator accounts without multi-factor sign-in",
    "vault": "No company password manager",
    "leavers": "Leavers may keep access",
    "backup_daily": "Not all data is backed up daily",
    "backup_offline": "No backup copy an attacker cannot delete",
    "restore_test": "Restores are not tested",
    "edr": "Security alerts are not watched",
    "patching": "Security updates are installed late",
    "phishing": "Staff do not practise spotting phishing",
    "payments": "Payment changes are not verified by phone",
    "incident_plan": "No incident plan",
    "insurance": "Cyber-insurance may not cover a serious incident",
}
BY_KEY = {q.key: q for q in QUESTIONS}


def labelled(answers: dict) -> list[tuple[Question, Option | None]]:
    """Each question with the option the prospect chose (None when missing)."""
    return [(q, q.option(str(answers.get(q.key, "")))) for q in QUESTIONS]


def complete_answers(value: str = "yes", **overrides: str) -> dict:
    """An answer to every question: ``value`` where the question offers it, else its best
    option; ``overrides`` by question key (for the demo and the tests)."""
    return {q.key: value if q.option(value) else q.options[0].value for q in QUESTIONS} | overrides
