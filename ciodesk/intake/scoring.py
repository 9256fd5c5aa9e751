"""The risk review's score: the prospect's answers and the outside-in DNS findings.

Pure functions, no database. The rules, as the result page states them (``FORMULA``):
each answer earns credit (the assessments app's rule: yes 1, partly ½, no or not sure 0)
times its weight; each DNS check earns credit times its weight (DMARC 4, SPF 2, DKIM 2,
MTA-STS 1; a check that could not be made is left out, not counted as a failure). The score
is the weighted credit earned ÷ the weighted credit possible × 100, rounded. The rating
uses the assessments app's bands and its insurance cap.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from ciodesk.assessments.scoring import capped, rating_for
from ciodesk.intake.questions import QUESTIONS

FORMULA = [
    "Each answer earns credit: Yes = 1, Partly = ½, No or Not sure = 0 (what nobody can "
    "confirm counts as missing). The credit is multiplied by the question's weight (2 to 5: "
    "how much that gap matters, in the practice's judgement).",
    "The e-mail domain checks count too: DMARC (weight 4), SPF (2), DKIM (2) and MTA-STS (1); "
    "a strict setting earns 1, a partial one ½ or ¾, a missing one 0. A check that could not "
    "be made is left out rather than counted against you.",
    "Score = weighted credit earned ÷ weighted credit possible × 100. A high score is a low "
    "risk: 80 or more is Low, 60 to 79 Moderate, 40 to 59 High, under 40 Critical.",
    "If any question insurers treat as critical (multi-factor sign-in, backups, restore "
    "tests, endpoint response, updates, payment checks, incident plan) earns nothing, the "
    "rating is High at best, whatever the score.",
]

DNS_WEIGHTS = {"dmarc": 4, "spf": 2, "dkim": 2, "mta_sts": 1}
DNS_CREDIT = {
    "spf": {"strict": Decimal("1"), "soft": Decimal("0.75"), "redirect": Decimal("0.75")},
    "dmarc": {"reject": Decimal("1"), "quarantine": Decimal("0.75"), "none": Decimal("0.25")},
}
DNS_RISKS = {
    "dmarc": (
        "Criminals can send e-mail that looks like it comes from the company (to customers, "
        "suppliers and staff), because the domain does not tell receivers to refuse it.",
        "Publish DMARC, check every service that sends as the domain, then move it to "
        "quarantine and reject.",
    ),
    "spf": (
        "The domain does not say which servers may send its e-mail, so forged mail is harder "
        "for receivers to spot and real mail lands in spam more often.",
        "Publish one SPF record listing every sending service, ending in -all.",
    ),
    "dkim": (
        "No signing key was found for the company's e-mail, so receivers cannot confirm that "
        "its messages are genuine and unaltered.",
        "Turn on DKIM signing in the mail system and for each service that sends as the domain.",
    ),
    "mta_sts": (
        "Mail sent to the company may be delivered without encryption if someone interferes.",
        "Publish an MTA-STS policy once the mail provider supports it.",
    ),
}
DNS_TITLES = {
    "dmarc": "E-mail can be forged in the company's name",
    "spf": "Sending servers are not declared",
    "dkim": "E-mail is not signed",
    "mta_sts": "Incoming mail encryption is not enforced",
}


@dataclass(frozen=True)
class Risk:
    title: str
    risk: str
    first_step: str
    weight: Decimal  # how much of the score this gap costs

    def as_dict(self) -> dict:
        return {"title": self.title, "risk": self.risk, "first_step": self.first_step}


@dataclass(frozen=True)
class Result:
    score: int
    rating: str
    risks: list[Risk]  # every gap, worst first
    capped: bool

    @property
    def top_risks(self) -> list[dict]:
        return [r.as_dict() for r in self.risks[:3]]


def dns_credit(key: str, check: dict) -> Decimal | None:
    """The credit of one DNS check (None: could not be checked, left out)."""
    status = check.get("status")
    if status in (None, "unknown", "info"):
        return None
    if key in DNS_CREDIT:
        field = "qualifier" if key == "spf" else "policy"
        return DNS_CREDIT[key].get(check.get(field, ""), Decimal("0"))
    if key == "dkim":
        return Decimal("1") if status == "ok" else Decimal("0.5")
    return Decimal("1") if status == "ok" else Decimal("0.5")


def score(answers: dict, dns_results: dict) -> Result:
    earned = possible = Decimal("0")
    risks: list[Risk] = []
    failed_critical = False
    for question in QUESTIONS:
        option = question.option(str(answers.get(question.key, "")))
        credit = option.credit if option else Decimal("0")
        earned += question.weight * credit
        possible += question.weight
        if credit < 1:
            risks.append(
                Risk(
                    question.title,
                    question.risk,
                    question.first_step,
                    question.weight * (1 - credit),
                )
            )
        failed_critical = failed_critical or (question.critical and credit == 0)
    for key, weight in DNS_WEIGHTS.items():
        check = dns_results.get(key) or {}
        credit = dns_credit(key, check)
        if credit is None:
            continue
        earned += weight * credit
        possible += weight
        if credit < 1:
            risk, step = DNS_RISKS[key]
            risks.append(Risk(DNS_TITLES[key], risk, step, weight * (1 - credit)))
    value = (earned / possible * 100) if possible else Decimal("0")
    rounded = int(value.quantize(Decimal("1"), rounding=ROUND_HALF_UP))
    uncapped = rating_for(Decimal(rounded))
    rating = capped(uncapped, failed_critical)
    risks.sort(key=lambda r: -r.weight)  # stable: ties keep the questions' order
    return Result(rounded, rating, risks, rating != uncapped)
