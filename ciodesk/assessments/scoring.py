"""How an assessment is scored: pure functions over questions and answers, no database.

The rules, as the assessment page states them in plain words (``FORMULA``):

* **Credit per answered question.** Yes = 1, Partial = ½, No = 0, Unknown = 0. A choice
  question earns the credit the template sets for the chosen option; a number question the
  credit of the first band the number falls in (a band runs from its ``min``, included, up
  to its ``max``, excluded; a missing end is open; no band matching earns 0). Text
  questions are never scored.
* **Unknown counts as a failure, flagged.** Nobody being able to confirm that backups are
  tested is itself a finding, so "Unknown" earns 0 like "No"; the page counts the unknowns
  separately so that the reader can tell "not done" from "not known".
* **Weighted percentage.** A domain's score is Σ(weight × credit) ÷ Σ(weight) × 100 over its
  *answered* scored questions; the overall score is the same sum over every answered scored
  question of the assessment (pooled, not an average of the domain scores, so a domain with
  many heavy questions counts for more). Unanswered questions are left out of both sums and
  the page says how many there are. Scores are rounded half-up to one decimal.
* **Rating bands** (a risk rating: a high score is a low risk), applied to the rounded
  score: 80 or more → Low, 60 to under 80 → Moderate, 40 to under 60 → High, under 40 →
  Critical. The bands are the practice's judgement, not a standard's.
* **The insurance cap.** A question marked insurance-critical that earns 0 (No, Unknown, a
  choice or band worth 0) is *failed*: any failed insurance-critical question makes the
  overall rating High or worse (Low and Moderate become High; Critical stays Critical).
  Insurers decline or void cover over exactly these gaps, however good the rest is.
* **Badly answered.** A scored question earning ½ or less produces a finding (see
  ``is_bad``); its severity follows ``severity``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, Protocol

YES, PARTIAL, NO, UNKNOWN = "yes", "partial", "no", "unknown"
YES_NO_CREDIT = {
    YES: Decimal("1"),
    PARTIAL: Decimal("0.5"),
    NO: Decimal("0"),
    UNKNOWN: Decimal("0"),
}
YES_NO_LABELS = {YES: "Yes", PARTIAL: "Partial", NO: "No", UNKNOWN: "Unknown"}

LOW, MODERATE, HIGH, CRITICAL = "Low", "Moderate", "High", "Critical"
RATINGS = [LOW, MODERATE, HIGH, CRITICAL]  # best first
# (lowest score of the band, rating), highest band first.
BANDS = [(Decimal("80"), LOW), (Decimal("60"), MODERATE), (Decimal("40"), HIGH)]
BAD_AT_MOST = Decimal("0.5")  # credit of ½ or less produces a finding

FORMULA = [
    "Each answered question earns credit: Yes = 1, Partial = ½, No = 0, Unknown = 0 "
    "(what nobody can confirm counts as missing, and is counted separately). A choice or "
    "number question earns the credit the template sets for the answer given. Text "
    "questions are not scored.",
    "Each credit is multiplied by the question's weight. A domain's score is the weighted "
    "credit earned divided by the weighted credit possible, times 100, over its answered "
    "questions; the overall score does the same over every answered question. Unanswered "
    "questions are left out.",
    "Rating (risk): 80 or more is Low, 60 to 79.9 Moderate, 40 to 59.9 High, under 40 Critical.",
    "If any insurance-critical question is answered No or Unknown (or earns nothing), the "
    "overall rating is High at best, whatever the score.",
]

ONE_PLACE = Decimal("0.1")
HUNDRED = Decimal("100")


class QuestionLike(Protocol):
    pk: Any
    kind: str
    weight: int
    insurance_critical: bool
    choices: list
    number_bands: list


class AnswerLike(Protocol):
    value: str
    number: Any
    text: str


def _dec(value: Any) -> Decimal:
    return value if isinstance(value, Decimal) else Decimal(str(value))


def is_answered(kind: str, answer: AnswerLike | None) -> bool:
    """Whether the question has an answer (notes and evidence alone are not an answer)."""
    if answer is None:
        return False
    if kind == "number":
        return answer.number is not None
    if kind == "text":
        return bool((answer.text or "").strip())
    return bool(answer.value)


def band_credit(bands: Iterable[Mapping], number: Any) -> Decimal:
    """The credit of the first band holding ``number`` (min included, max excluded)."""
    n = _dec(number)
    for band in bands:
        low, high = band.get("min"), band.get("max")
        if (low is None or n >= _dec(low)) and (high is None or n < _dec(high)):
            return _dec(band.get("score", 0))
    return Decimal("0")


def credit(question: QuestionLike, answer: AnswerLike | None) -> Decimal | None:
    """The credit (0–1) an answer earns; None when the question is unanswered or unscored."""
    kind = question.kind
    if kind == "text" or not is_answered(kind, answer):
        return None
    if kind == "number":
        return band_credit(question.number_bands or [], answer.number)
    if kind == "choice":
        for choice in question.choices or []:
            if str(choice.get("value")) == answer.value:
                return _dec(choice.get("score", 0))
        return None  # a value the template no longer offers: treated as unanswered
    return YES_NO_CREDIT.get(answer.value)


def is_bad(earned: Decimal | None) -> bool:
    return earned is not None and earned <= BAD_AT_MOST


def is_failed(earned: Decimal | None) -> bool:
    return earned is not None and earned == 0


def rating_for(score: Decimal | None) -> str:
    if score is None:
        return ""
    for floor, rating in BANDS:
        if score >= floor:
            return rating
    return CRITICAL


def capped(rating: str, failed_critical: bool) -> str:
    """The insurance cap: with a failed insurance-critical question, High at best."""
    if failed_critical and rating in (LOW, MODERATE):
        return HIGH
    return rating


def severity(weight: int, insurance_critical: bool, earned: Decimal) -> int:
    """A finding's severity, 1–5: heavier questions weigh more, insurance-critical ones one
    more, a half-credit (Partial) answer one less."""
    base = 4 if weight >= 5 else 3 if weight >= 3 else 2
    base += 1 if insurance_critical else 0
    base -= 1 if earned > 0 else 0
    return max(1, min(5, base))


def percent(earned: Decimal, possible: Decimal) -> Decimal | None:
    if not possible:
        return None
    return (earned * HUNDRED / possible).quantize(ONE_PLACE, rounding=ROUND_HALF_UP)


@dataclass
class Tally:
    """Running sums for a domain or the whole assessment."""

    earned: Decimal = Decimal("0")
    possible: Decimal = Decimal("0")
    questions: int = 0  # every question, text ones included
    answered: int = 0  # every answered question, text ones included
    scored: int = 0  # answered and scored
    unknown: int = 0
    failed_critical: list = field(default_factory=list)  # question pks

    def add(self, question: QuestionLike, answer: AnswerLike | None) -> Decimal | None:
        self.questions += 1
        if is_answered(question.kind, answer):
            self.answered += 1
        earned = credit(question, answer)
        if earned is None:
            return None
        self.scored += 1
        self.earned += earned * question.weight
        self.possible += Decimal(question.weight)
        if question.kind == "yes_no" and answer.value == UNKNOWN:
            self.unknown += 1
        if question.insurance_critical and is_failed(earned):
            self.failed_critical.append(question.pk)
        return earned

    @property
    def unanswered(self) -> int:
        return self.questions - self.answered

    @property
    def score(self) -> Decimal | None:
        return percent(self.earned, self.possible)


@dataclass
class Result:
    domains: dict[Any, Tally]  # by domain key, in the template's order
    overall: Tally
    credits: dict[Any, Decimal | None]  # question pk → credit

    @property
    def score(self) -> Decimal | None:
        return self.overall.score

    @property
    def uncapped_rating(self) -> str:
        return rating_for(self.score)

    @property
    def rating(self) -> str:
        return capped(self.uncapped_rating, bool(self.overall.failed_critical))

    @property
    def is_capped(self) -> bool:
        return self.rating != self.uncapped_rating

    def domain_scores(self) -> dict[str, float | None]:
        """{domain key: score} as plain numbers, for Assessment.domain_scores."""
        return {
            key: (float(t.score) if t.score is not None else None)
            for key, t in self.domains.items()
        }


def score(
    questions: Iterable[tuple[Any, QuestionLike]], answers: Mapping[Any, AnswerLike]
) -> Result:
    """Score an assessment.

    ``questions``: (domain key, question) pairs in the template's order; ``answers``: the
    answers by question pk (a missing key is an unanswered question).
    """
    domains: dict[Any, Tally] = {}
    overall = Tally()
    credits: dict[Any, Decimal | None] = {}
    for domain_key, question in questions:
        tally = domains.setdefault(domain_key, Tally())
        answer = answers.get(question.pk)
        credits[question.pk] = tally.add(question, answer)
        overall.add(question, answer)
    return Result(domains=domains, overall=overall, credits=credits)
