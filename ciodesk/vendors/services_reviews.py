"""Quarterly vendor reviews, the escalation log and vendor evaluations.

The pages in ``views_reviews`` only fetch, call these functions and render.
"""

from __future__ import annotations

import calendar
import dataclasses
import datetime
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import Any

from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.urls import NoReverseMatch, reverse
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from ciodesk.vendors.models import (
    Candidate,
    CandidateScore,
    Escalation,
    Evaluation,
    EvaluationCriterion,
    TransitionTask,
    Vendor,
    VendorReview,
)

RATINGS = ("responsiveness", "communication", "proactivity", "value")
MAX_SCORE = 5
ONE_DECIMAL = Decimal("0.1")

# --- quarters ------------------------------------------------------------------------------

QUARTER = re.compile(r"^\s*(\d{4})\s*-?\s*Q([1-4])\s*$", re.IGNORECASE)


def quarter_bounds(quarter: str) -> tuple[datetime.date, datetime.date]:
    """ "2026-Q3" → (2026-07-01, 2026-09-30): the calendar quarter, both days inclusive."""
    match = QUARTER.match(quarter or "")
    if not match:
        raise ValueError(f"“{quarter}” is not a quarter: write it like 2026-Q3.")
    year, number = int(match[1]), int(match[2])
    last_month = 3 * number
    return (
        datetime.date(year, last_month - 2, 1),
        datetime.date(year, last_month, calendar.monthrange(year, last_month)[1]),
    )


def quarter_of(day: datetime.date) -> str:
    return f"{day.year}-Q{(day.month - 1) // 3 + 1}"


def last_full_quarter(today: datetime.date) -> str:
    start_of_current = datetime.date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
    return quarter_of(start_of_current - datetime.timedelta(days=1))


def recent_quarters(today: datetime.date, count: int = 8) -> list[str]:
    """The current quarter and the `count - 1` before it, newest first."""
    quarters, day = [], today
    for _ in range(count):
        quarters.append(quarter_of(day))
        start, _end = quarter_bounds(quarters[-1])
        day = start - datetime.timedelta(days=1)
    return quarters


# --- reviews -------------------------------------------------------------------------------


def _jsonable(result: Any) -> Any:
    for name in ("as_json", "to_json", "as_dict", "to_dict"):
        method = getattr(result, name, None)
        if callable(method):
            result = method()
            break
    else:
        if dataclasses.is_dataclass(result) and not isinstance(result, type):
            result = dataclasses.asdict(result)
    if isinstance(result, str):
        result = json.loads(result)
    return json.loads(json.dumps(result, cls=DjangoJSONEncoder))


def freeze_scorecard(
    client, vendor: Vendor, since: datetime.date, until: datetime.date
) -> tuple[dict, str]:
    """The SLA scorecard of the period as plain JSON, or ({}, "no scorecard: why")."""
    try:
        from ciodesk.vendors.scorecard import compute_scorecard
    except ImportError:
        return {}, "no scorecard: the SLA scorecard is not available in this installation"
    try:
        with transaction.atomic():  # a failing computation must not spoil the review's save
            data = _jsonable(compute_scorecard(client, vendor, since, until))
    except Exception as exc:  # noqa: BLE001 — any failure leaves the review without a scorecard
        reason = str(exc).strip() or exc.__class__.__name__
        return {}, f"no scorecard: {reason}"
    if not isinstance(data, dict):
        return {}, "no scorecard: the computation returned nothing usable"
    return data, ""


def check_ratings(values: Mapping[str, Any]) -> None:
    errors = {}
    for name in RATINGS:
        value = values.get(name)
        if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= 5:
            errors[name] = f"Rate {name} from 1 (poor) to 5 (excellent); got {value!r}."
    if errors:
        raise ValidationError(errors)


def create_review(
    client,
    vendor: Vendor,
    *,
    quarter: str,
    responsiveness: int,
    communication: int,
    proactivity: int,
    value: int,
    owner,
    reviewed_on: datetime.date,
    comments: str = "",
) -> tuple[VendorReview, str]:
    """Validate, freeze the quarter's scorecard and save the review. Returns (review, note)."""
    ratings = {
        "responsiveness": responsiveness,
        "communication": communication,
        "proactivity": proactivity,
        "value": value,
    }
    check_ratings(ratings)
    try:
        since, until = quarter_bounds(quarter)
    except ValueError as exc:
        raise ValidationError({"quarter": str(exc)}) from exc
    quarter = quarter_of(since)
    if VendorReview.objects.filter(vendor=vendor, quarter=quarter).exists():
        raise ValidationError(
            {"quarter": f"{vendor} already has a review for {quarter}: edit that one instead."}
        )
    scorecard, note = freeze_scorecard(client, vendor, since, until)
    review = VendorReview(
        client=client,
        vendor=vendor,
        quarter=quarter,
        since=since,
        until=until,
        scorecard=scorecard,
        owner=owner,
        reviewed_on=reviewed_on,
        comments=comments,
        **ratings,
    )
    review.full_clean(exclude=["scorecard"])  # {} is a valid "no scorecard"
    review.save()
    return review, note


def _decimal(value: Any) -> Decimal | None:
    if value is None or value == "" or isinstance(value, bool):
        return None
    try:
        return Decimal(str(value))
    except ArithmeticError:
        return None


def attainment(scorecard: Mapping | None, kind: str = "resolution") -> Decimal | None:
    """Overall response or resolution attainment % of a frozen scorecard (None when absent)."""
    if not scorecard:
        return None
    overall = scorecard.get("overall") or {}
    key = f"{kind}_attainment_pct"
    return _decimal(overall.get(key) if key in overall else scorecard.get(key))


def ticket_count(scorecard: Mapping | None) -> int | None:
    if not scorecard:
        return None
    overall = scorecard.get("overall") or {}
    value = overall.get("tickets", scorecard.get("tickets"))
    return value if isinstance(value, int) else None


def priority_rows(scorecard: Mapping | None) -> list[dict[str, Any]]:
    """The frozen scorecard's per-priority figures, ready to show ("—" where absent)."""
    rows = []
    for item in (scorecard or {}).get("priorities") or []:
        if not isinstance(item, Mapping):
            continue
        row: dict[str, Any] = {"priority": item.get("priority", ""), "tickets": item.get("tickets")}
        for kind in ("response", "resolution"):
            pct = _decimal(item.get(f"{kind}_attainment_pct"))
            row[f"{kind}_pct"] = "—" if pct is None else f"{pct}%"
            for key in (f"{kind}_target_minutes", f"median_{kind}_minutes"):
                value = item.get(key)
                row[key] = "—" if value is None else value
        rows.append(row)
    return rows


@dataclass
class TrendPoint:
    review: VendorReview
    average: Decimal
    response_pct: Decimal | None
    resolution_pct: Decimal | None

    @property
    def quarter(self) -> str:
        return self.review.quarter


@dataclass
class VendorTrend:
    vendor: Vendor
    points: list[TrendPoint] = field(default_factory=list)

    @property
    def rating_svg(self) -> SafeString:
        return bar_chart_svg(
            [p.quarter for p in self.points],
            [p.average for p in self.points],
            maximum=5,
            title=f"Average rating per quarter, {self.vendor}",
        )

    @property
    def has_attainment(self) -> bool:
        return any(p.response_pct is not None or p.resolution_pct is not None for p in self.points)

    @property
    def attainment_svg(self) -> SafeString:
        return line_chart_svg(
            [p.quarter for p in self.points],
            [
                ("Response", [p.response_pct for p in self.points], "#1f6f8b"),
                ("Resolution", [p.resolution_pct for p in self.points], "#b3261e"),
            ],
            maximum=100,
            suffix="%",
            title=f"SLA attainment per quarter, {self.vendor}",
        )


def review_trends(reviews: Iterable[VendorReview]) -> list[VendorTrend]:
    """Per vendor (by name), its reviews oldest quarter first."""
    trends: dict[int, VendorTrend] = {}
    for review in reviews:
        trend = trends.setdefault(review.vendor_id, VendorTrend(review.vendor))
        trend.points.append(
            TrendPoint(
                review,
                review.average,
                attainment(review.scorecard, "response"),
                attainment(review.scorecard, "resolution"),
            )
        )
    for trend in trends.values():
        trend.points.sort(key=lambda p: p.review.since)
    return sorted(trends.values(), key=lambda t: t.vendor.name.lower())


# --- small SVG charts (server-side, the same picture in the page and a PDF) ---------------

_W, _H, _PAD_L, _PAD_R, _PAD_T, _PAD_B = 320, 150, 34, 10, 12, 34


def _frame(title: str, maximum: float, suffix: str, body: list[str], labels: list[str]) -> str:
    inner_h = _H - _PAD_T - _PAD_B
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {_W} {_H}" width="{_W}" '
        f'height="{_H}" role="img" aria-label="{escape(title)}" class="chart">',
        f"<title>{escape(title)}</title>",
    ]
    for fraction in (0, 0.5, 1):
        y = _PAD_T + inner_h * (1 - fraction)
        parts.append(
            f'<line x1="{_PAD_L}" y1="{y:.1f}" x2="{_W - _PAD_R}" y2="{y:.1f}" '
            'stroke="#d9dee5" stroke-width="1"/>'
        )
        value = maximum * fraction
        text = f"{value:g}{suffix}"
        parts.append(
            f'<text x="{_PAD_L - 4}" y="{y + 4:.1f}" font-size="10" text-anchor="end" '
            f'fill="#5b6675">{escape(text)}</text>'
        )
    parts.extend(body)
    step = (_W - _PAD_L - _PAD_R) / max(len(labels), 1)
    for index, label in enumerate(labels):
        x = _PAD_L + step * (index + 0.5)
        parts.append(
            f'<text x="{x:.1f}" y="{_H - _PAD_B + 14}" font-size="10" text-anchor="middle" '
            f'fill="#1c2430">{escape(label)}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def bar_chart_svg(
    labels: Sequence[str], values: Sequence[Decimal | None], *, maximum: float, title: str
) -> SafeString:
    inner_h = _H - _PAD_T - _PAD_B
    step = (_W - _PAD_L - _PAD_R) / max(len(labels), 1)
    width = min(step * 0.6, 36)
    body = []
    for index, value in enumerate(values):
        if value is None:
            continue
        height = inner_h * float(value) / maximum
        x = _PAD_L + step * (index + 0.5) - width / 2
        y = _PAD_T + inner_h - height
        body.append(
            f'<rect x="{x:.1f}" y="{y:.1f}" width="{width:.1f}" height="{height:.1f}" '
            f'fill="#1f6f8b"><title>{escape(labels[index])}: {value}</title></rect>'
            f'<text x="{x + width / 2:.1f}" y="{y - 3:.1f}" font-size="10" '
            f'text-anchor="middle" fill="#1c2430">{value}</text>'
        )
    return mark_safe(_frame(title, maximum, "", body, list(labels)))  # noqa: S308 — escaped


def line_chart_svg(
    labels: Sequence[str],
    series: Sequence[tuple[str, Sequence[Decimal | None], str]],
    *,
    maximum: float,
    title: str,
    suffix: str = "",
) -> SafeString:
    inner_h = _H - _PAD_T - _PAD_B
    step = (_W - _PAD_L - _PAD_R) / max(len(labels), 1)
    body = []
    for number, (name, values, colour) in enumerate(series):
        points = [
            (_PAD_L + step * (i + 0.5), _PAD_T + inner_h * (1 - float(v) / maximum), v)
            for i, v in enumerate(values)
            if v is not None
        ]
        if len(points) > 1:
            path = " ".join(f"{x:.1f},{y:.1f}" for x, y, _v in points)
            body.append(
                f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="2"/>'
            )
        for x, y, v in points:
            body.append(
                f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3" fill="{colour}">'
                f"<title>{escape(name)}: {v}{suffix}</title></circle>"
            )
        legend_x = _PAD_L + 90 * number
        body.append(
            f'<rect x="{legend_x}" y="{_H - 12}" width="10" height="3" fill="{colour}"/>'
            f'<text x="{legend_x + 14}" y="{_H - 8}" font-size="10" fill="#1c2430">'
            f"{escape(name)}</text>"
        )
    return mark_safe(_frame(title, maximum, suffix, body, list(labels)))  # noqa: S308 — escaped


# --- escalations ---------------------------------------------------------------------------


def escalation_state(escalation: Escalation, today: datetime.date) -> str:
    if escalation.resolved_on is not None:
        return "resolved"
    if escalation.due is not None and escalation.due < today:
        return "overdue"
    return "open"


def ordered_escalations(
    escalations: Iterable[Escalation], today: datetime.date
) -> list[Escalation]:
    """Open ones first (overdue first, then by due date), then resolved ones, newest first."""
    severity = {s: i for i, s in enumerate(Escalation.Severity.values)}

    def key(e: Escalation):
        if e.resolved_on is None:
            due = e.due or datetime.date.max
            return (
                0,
                0 if escalation_state(e, today) == "overdue" else 1,
                due,
                severity.get(e.severity, 9),
                -e.raised_on.toordinal(),
            )
        return (1, 0, datetime.date.max, 0, -e.resolved_on.toordinal())

    return sorted(escalations, key=key)


TICKET_SEPARATORS = re.compile(r"[\s,;]+")


def parse_ticket_numbers(text: str) -> list[str]:
    """ "#1001, 1002;1003" → ["1001", "1002", "1003"], duplicates dropped, order kept."""
    seen: dict[str, None] = {}
    for part in TICKET_SEPARATORS.split(text or ""):
        number = part.strip().lstrip("#")
        if number:
            seen.setdefault(number, None)
    return list(seen)


def ticket_list_url(client, vendor: Vendor) -> str | None:
    """The ticket list's address, when the tickets pages are installed."""
    attempts = [
        ("vendors:ticket-list", {"client_slug": client.slug, "pk": vendor.pk}),
        ("vendors:vendor-tickets", {"client_slug": client.slug, "pk": vendor.pk}),
        ("vendors:ticket-list", {"client_slug": client.slug}),
    ]
    for name, kwargs in attempts:
        try:
            return reverse(name, kwargs=kwargs)
        except NoReverseMatch:
            continue
    return None


def ticket_links(client, escalation: Escalation) -> list[tuple[str, str | None]]:
    numbers = parse_ticket_numbers(escalation.ticket_numbers)
    base = ticket_list_url(client, escalation.vendor) if numbers else None
    joiner = "&" if base and "?" in base else "?"
    return [(n, f"{base}{joiner}q={n}" if base else None) for n in numbers]


# --- evaluations ---------------------------------------------------------------------------


def weighted_fraction(pairs: Iterable[tuple[int, int | None]]) -> Fraction | None:
    """Σ(weight × score) ÷ Σ(weight); a missing score counts as 0. None when Σ(weight) = 0."""
    total = weighted = 0
    for weight, score in pairs:
        total += weight
        weighted += weight * (score or 0)
    return Fraction(weighted, total) if total else None


def one_decimal(value: Fraction | None) -> Decimal | None:
    if value is None:
        return None
    exact = Decimal(value.numerator) / Decimal(value.denominator)
    return exact.quantize(ONE_DECIMAL, rounding=ROUND_HALF_UP)


@dataclass
class CandidateResult:
    candidate: Candidate
    scores: list[int | None]
    exact: Fraction | None
    rank: int | None = None

    @property
    def weighted(self) -> Decimal | None:
        return one_decimal(self.exact)

    @property
    def percent(self) -> Decimal | None:
        return one_decimal(self.exact * 100 / MAX_SCORE) if self.exact is not None else None

    @property
    def scored(self) -> int:
        return sum(1 for s in self.scores if s is not None)


@dataclass
class Matrix:
    criteria: list[EvaluationCriterion]
    results: list[CandidateResult]

    @property
    def total_weight(self) -> int:
        return sum(c.weight for c in self.criteria)

    @property
    def ranking(self) -> list[CandidateResult]:
        return sorted(
            (r for r in self.results if r.rank is not None),
            key=lambda r: (r.rank, r.candidate.name.lower()),
        )

    def rows(self) -> list[tuple[EvaluationCriterion, list[int | None]]]:
        """One row per criterion: its scores across the candidates, in column order."""
        return [(c, [r.scores[i] for r in self.results]) for i, c in enumerate(self.criteria)]


def evaluation_matrix(evaluation: Evaluation) -> Matrix:
    return evaluation_matrices([evaluation])[evaluation.pk]


def evaluation_matrices(evaluations: Iterable[Evaluation]) -> dict[int, Matrix]:
    """The matrix of each evaluation, in three queries however many evaluations there are."""
    ids = [e.pk for e in evaluations]
    criteria: dict[int, list[EvaluationCriterion]] = {pk: [] for pk in ids}
    for criterion in EvaluationCriterion.objects.filter(evaluation_id__in=ids):
        criteria[criterion.evaluation_id].append(criterion)
    candidates: dict[int, list[Candidate]] = {pk: [] for pk in ids}
    for candidate in Candidate.objects.filter(evaluation_id__in=ids):
        candidates[candidate.evaluation_id].append(candidate)
    scores = {
        (s.candidate_id, s.criterion_id): s.score
        for s in CandidateScore.objects.filter(candidate__evaluation_id__in=ids)
    }
    return {pk: _matrix(criteria[pk], candidates[pk], scores) for pk in ids}


def _matrix(criteria, candidates, scores) -> Matrix:
    results = []
    for candidate in candidates:
        row = [scores.get((candidate.pk, c.pk)) for c in criteria]
        exact = weighted_fraction((c.weight, s) for c, s in zip(criteria, row, strict=True))
        results.append(CandidateResult(candidate, row, exact))
    ranked = sorted((r for r in results if r.exact is not None), key=lambda r: -r.exact)
    for position, result in enumerate(ranked, start=1):
        previous = ranked[position - 2] if position > 1 else None
        tied = previous is not None and previous.exact == result.exact
        result.rank = previous.rank if tied else position
    return Matrix(criteria, results)


def save_scores(evaluation: Evaluation, values: Mapping[tuple[int, int], int | None]) -> int:
    """Write the whole matrix: (candidate pk, criterion pk) → score 0–5, None to clear.

    Returns how many cells changed. Pairs outside this evaluation are refused.
    """
    candidates = {c.pk: c for c in evaluation.candidates.all()}
    criteria = {c.pk: c for c in evaluation.criteria.all()}
    existing = {
        (s.candidate_id, s.criterion_id): s
        for s in CandidateScore.objects.filter(candidate__evaluation=evaluation)
    }
    changed = 0
    with transaction.atomic():
        for (candidate_id, criterion_id), score in values.items():
            if candidate_id not in candidates or criterion_id not in criteria:
                raise ValidationError("A score names another evaluation's candidate or criterion.")
            if score is not None and not 0 <= score <= MAX_SCORE:
                raise ValidationError(f"Scores run from 0 to {MAX_SCORE}; got {score}.")
            current = existing.get((candidate_id, criterion_id))
            if score is None:
                if current is not None:
                    current.delete()
                    changed += 1
            elif current is None:
                CandidateScore.objects.create(
                    candidate=candidates[candidate_id],
                    criterion=criteria[criterion_id],
                    score=score,
                )
                changed += 1
            elif current.score != score:
                current.score = score
                current.save()
                changed += 1
    return changed


def toggle_task(task: TransitionTask) -> TransitionTask:
    task.done = not task.done
    task.save()
    return task


def matrix_table(matrix: Matrix) -> tuple[list[str], list[list[Any]]]:
    """The matrix as a plain table (headers, rows) for the CSV/XLSX export."""
    headers = ["Criterion", "Weight"] + [r.candidate.name for r in matrix.results]
    rows: list[list[Any]] = [
        [criterion.name, criterion.weight, *scores] for criterion, scores in matrix.rows()
    ]
    rows.append(["Annual cost", ""] + [r.candidate.annual_cost for r in matrix.results])
    rows.append(["Currency", ""] + [r.candidate.currency for r in matrix.results])
    rows.append(
        ["Weighted result (0–5)", matrix.total_weight] + [r.weighted for r in matrix.results]
    )
    rows.append(["% of maximum", ""] + [r.percent for r in matrix.results])
    rows.append(["Rank", ""] + [r.rank for r in matrix.results])
    return headers, rows
