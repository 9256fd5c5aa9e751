"""The scoring formula on cases worked out by hand, and the insurance cap (no database)."""

from __future__ import annotations

from decimal import Decimal
from types import SimpleNamespace as Q

import pytest

from ciodesk.assessments import scoring

EDR_BANDS = [
    {"min": 100, "score": 1},
    {"min": 90, "max": 100, "score": 0.5},
    {"max": 90, "score": 0},
]
REVIEW = [
    {"value": "often", "label": "Twice a year", "score": 1},
    {"value": "rarely", "label": "Rarely", "score": 0.25},
    {"value": "never", "label": "Never", "score": 0},
]


def question(pk, kind="yes_no", weight=1, critical=False, choices=(), bands=()):
    return Q(
        pk=pk,
        kind=kind,
        weight=weight,
        insurance_critical=critical,
        choices=list(choices),
        number_bands=list(bands),
    )


def answer(value="", number=None, text=""):
    return Q(value=value, number=number, text=text)


TEMPLATE = [
    ("identity", question(1, weight=5, critical=True)),  # MFA on e-mail
    ("identity", question(2, weight=3)),  # separate admin accounts
    ("identity", question(3, kind="choice", weight=2, choices=REVIEW)),
    ("devices", question(4, kind="number", weight=4, bands=EDR_BANDS)),
    ("devices", question(5, weight=5, critical=True)),  # daily backup
    ("devices", question(6, kind="text", weight=0)),
]


def test_weighted_domain_and_overall_scores():
    answers = {
        1: answer("yes"),
        2: answer("partial"),
        3: answer("rarely"),
        4: answer(number=Decimal("95")),
    }
    result = scoring.score(TEMPLATE, answers)
    # identity: 5×1 + 3×½ + 2×¼ = 7 of 10; devices: 4×½ = 2 of 4 (question 5 unanswered)
    assert result.domains["identity"].score == Decimal("70.0")
    assert result.domains["devices"].score == Decimal("50.0")
    # overall, pooled: 9 of 14 = 64.29 → 64.3
    assert result.score == Decimal("64.3")
    assert result.rating == "Moderate"
    assert result.overall.unanswered == 2  # the daily-backup question and the text question
    assert result.overall.answered == 4 and result.overall.questions == 6
    assert result.credits == {
        1: 1,
        2: Decimal("0.5"),
        3: Decimal("0.25"),
        4: Decimal("0.5"),
        5: None,
        6: None,
    }


def test_unknown_counts_as_zero_and_is_counted_apart():
    answers = {1: answer("yes"), 2: answer("unknown"), 3: answer("often")}
    result = scoring.score(TEMPLATE, answers)
    # 5 + 0 + 2 = 7 of 10
    assert result.domains["identity"].score == Decimal("70.0")
    assert result.overall.unknown == 1


def test_text_answers_count_as_answered_but_never_scored():
    result = scoring.score(TEMPLATE, {6: answer(text="Our MSP is Coastline")})
    assert result.overall.answered == 1 and result.overall.scored == 0
    assert result.score is None and result.rating == ""


def test_nothing_answered_has_no_score():
    result = scoring.score(TEMPLATE, {})
    assert result.score is None and result.rating == "" and result.overall.unanswered == 6


def test_a_failed_insurance_critical_question_caps_the_rating_at_high():
    answers = {
        1: answer("no"),  # insurance-critical, failed
        2: answer("yes"),
        3: answer("often"),
        4: answer(number=Decimal("100")),
        5: answer("yes"),
    }
    result = scoring.score(TEMPLATE, answers)
    # 0 + 3 + 2 + 4 + 5 = 14 of 19 = 73.7 → Moderate on the score alone …
    assert result.score == Decimal("73.7")
    assert result.uncapped_rating == "Moderate"
    # … but the failed insurance-critical question makes it High.
    assert result.rating == "High" and result.is_capped
    assert result.overall.failed_critical == [1]


def test_unknown_on_an_insurance_critical_question_also_caps():
    answers = {
        1: answer("yes"),
        2: answer("yes"),
        3: answer("often"),
        4: answer(number=100),
        5: answer("unknown"),
    }
    result = scoring.score(TEMPLATE, answers)
    assert result.score == Decimal("73.7")  # 14 of 19
    assert result.rating == "High"


def test_partial_on_an_insurance_critical_question_does_not_cap():
    answers = {
        1: answer("partial"),
        2: answer("yes"),
        3: answer("often"),
        4: answer(number=100),
        5: answer("yes"),
    }
    result = scoring.score(TEMPLATE, answers)
    assert result.score == Decimal("86.8")  # 16.5 of 19
    assert result.rating == "Low" and not result.is_capped


@pytest.mark.parametrize(
    ("rating", "failed", "expected"),
    [
        ("Low", True, "High"),
        ("Moderate", True, "High"),
        ("High", True, "High"),
        ("Critical", True, "Critical"),
        ("Low", False, "Low"),
    ],
)
def test_the_cap_never_improves_a_rating(rating, failed, expected):
    assert scoring.capped(rating, failed) == expected


@pytest.mark.parametrize(
    ("score", "rating"),
    [
        ("100", "Low"),
        ("80.0", "Low"),
        ("79.9", "Moderate"),
        ("60.0", "Moderate"),
        ("59.9", "High"),
        ("40.0", "High"),
        ("39.9", "Critical"),
        ("0", "Critical"),
    ],
)
def test_rating_bands(score, rating):
    assert scoring.rating_for(Decimal(score)) == rating


@pytest.mark.parametrize(
    ("number", "credit"),
    [(100, "1"), (250, "1"), (99.99, "0.5"), (90, "0.5"), (89.99, "0"), (0, "0")],
)
def test_number_bands_include_min_and_exclude_max(number, credit):
    assert scoring.band_credit(EDR_BANDS, number) == Decimal(credit)


def test_a_number_outside_every_band_earns_nothing():
    assert scoring.band_credit([{"min": 0, "max": 10, "score": 1}], 12) == 0


def test_scores_round_half_up_to_one_decimal():
    assert scoring.percent(Decimal("1"), Decimal("16")) == Decimal("6.3")  # 6.25
    assert scoring.percent(Decimal("2"), Decimal("3")) == Decimal("66.7")
    assert scoring.percent(Decimal("0"), Decimal("0")) is None


@pytest.mark.parametrize(
    ("weight", "critical", "credit", "severity"),
    [
        (5, True, "0", 5),
        (5, False, "0", 4),
        (3, False, "0", 3),
        (1, False, "0", 2),
        (5, True, "0.5", 4),
        (1, False, "0.5", 1),
    ],
)
def test_severity_of_a_finding(weight, critical, credit, severity):
    assert scoring.severity(weight, critical, Decimal(credit)) == severity


def test_a_half_credit_or_less_is_a_bad_answer():
    assert scoring.is_bad(Decimal("0.5")) and scoring.is_bad(Decimal("0"))
    assert not scoring.is_bad(Decimal("0.75")) and not scoring.is_bad(None)
