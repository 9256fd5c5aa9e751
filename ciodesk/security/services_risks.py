"""The risk register: scores and bands, review dates, linked controls' real state, and the
client executive's decision to accept a risk.

Score = likelihood × impact, both rated 1–5, so a score runs from 1 to 25 and can only take
the values 1–6, 8, 9, 10, 12, 15, 16, 20 and 25. The bands cut that range where a small
business's owner would change what they do about it:

    1–4    Low       watch it; review yearly
    5–9    Moderate  plan something this year
    10–16  High      act this quarter; the owner hears about it
    20–25  Critical  act now; no score falls between 16 and 20

The same bands apply to the residual score (after the planned treatment).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Prefetch, QuerySet

from ciodesk.security.models import ClientControl, Risk, RiskAcceptance
from ciodesk.security.state import IN_PLACE, NOT_APPLICABLE, STALE, ControlState, state_of

LOW, MODERATE, HIGH, CRITICAL = "Low", "Moderate", "High", "Critical"
# (lowest score, highest score, band): every product of two ratings 1–5 falls in one band.
BANDS: tuple[tuple[int, int, str], ...] = (
    (1, 4, LOW),
    (5, 9, MODERATE),
    (10, 16, HIGH),
    (20, 25, CRITICAL),
)
BAND_CSS = {LOW: "ok", MODERATE: "", HIGH: "attention", CRITICAL: "critical"}
# Fill colours of the heat map's cells, by band (light enough to read black text on).
BAND_FILL = {LOW: "#d8ecd3", MODERATE: "#fbeec2", HIGH: "#f8cfa6", CRITICAL: "#f0a8a3"}

LIKELIHOOD_LABELS = {1: "Rare", 2: "Unlikely", 3: "Possible", 4: "Likely", 5: "Almost certain"}
IMPACT_LABELS = {1: "Negligible", 2: "Minor", 3: "Moderate", 4: "Major", 5: "Severe"}


def band(score: int | None) -> str:
    """The band of a score 1–25 ("" when there is no score, e.g. residual not yet rated)."""
    if score is None:
        return ""
    if not 1 <= score <= 25:
        raise ValueError(f"A risk score runs from 1 to 25, not {score}")
    for _low, high, name in BANDS:
        if score <= high:
            return name
    return CRITICAL  # pragma: no cover - the loop always returns


def residual_score(risk: Risk) -> int | None:
    if risk.residual_likelihood is None or risk.residual_impact is None:
        return None
    return risk.residual_likelihood * risk.residual_impact


def review_overdue(risk: Risk, today: datetime.date) -> bool:
    """Past its review date: the day after next_review_on onwards, for an open risk."""
    return (
        risk.status == Risk.Status.OPEN
        and risk.next_review_on is not None
        and risk.next_review_on < today
    )


def risks_queryset() -> QuerySet[Risk]:
    """Risks with everything the list, detail and export show, in three queries."""
    return Risk.objects.select_related("owner").prefetch_related(
        Prefetch("controls", ClientControl.objects.select_related("definition", "owner")),
        Prefetch("acceptances", RiskAcceptance.objects.select_related("decided_by")),
    )


@dataclass
class RiskView:
    """A risk with the facts its pages show, computed once for the client's today."""

    risk: Risk
    score: int
    band: str
    residual: int | None
    residual_band: str
    controls: list[ControlState]
    overdue: bool
    acceptance: RiskAcceptance | None

    @property
    def band_css(self) -> str:
        return BAND_CSS[self.band]

    @property
    def residual_css(self) -> str:
        return BAND_CSS.get(self.residual_band, "")

    @property
    def stale_controls(self) -> list[ControlState]:
        return [s for s in self.controls if s.effective == STALE]

    @property
    def weak_controls(self) -> list[ControlState]:
        """Linked controls that do not currently protect: stale, missing or not assessed."""
        return [s for s in self.controls if s.effective not in (IN_PLACE, NOT_APPLICABLE)]

    @property
    def controls_summary(self) -> str:
        """ "3 linked: 1 in place, 2 stale" — the words the list and the export show."""
        if not self.controls:
            return "none linked"
        counts: dict[str, int] = {}
        for s in self.controls:
            counts[s.label.lower()] = counts.get(s.label.lower(), 0) + 1
        parts = ", ".join(f"{n} {label}" for label, n in counts.items())
        return f"{len(self.controls)} linked: {parts}"


def view_of(risk: Risk, today: datetime.date) -> RiskView:
    """Everything about one risk that depends on today (review date, controls' staleness)."""
    acceptances = list(risk.acceptances.all())  # prefetched, newest first
    residual = residual_score(risk)
    return RiskView(
        risk=risk,
        score=risk.score,
        band=band(risk.score),
        residual=residual,
        residual_band=band(residual),
        controls=[state_of(c, today) for c in risk.controls.all()],
        overdue=review_overdue(risk, today),
        acceptance=acceptances[0] if acceptances else None,
    )


def risk_views(risks: Iterable[Risk], today: datetime.date) -> list[RiskView]:
    return [view_of(risk, today) for risk in risks]


# --- the heat map's counts -----------------------------------------------------------------


@dataclass(frozen=True)
class HeatCounts:
    """Open risks per (likelihood, impact) cell; `unrated` counts risks left out (residual
    not yet rated)."""

    cells: dict[tuple[int, int], int]
    unrated: int = 0

    def count(self, likelihood: int, impact: int) -> int:
        return self.cells.get((likelihood, impact), 0)

    @property
    def total(self) -> int:
        return sum(self.cells.values())


def heat_counts(views: Sequence[RiskView], *, residual: bool = False) -> HeatCounts:
    cells: dict[tuple[int, int], int] = {}
    unrated = 0
    for view in views:
        risk = view.risk
        if risk.status != Risk.Status.OPEN:
            continue
        if residual:
            if view.residual is None:
                unrated += 1
                continue
            key = (risk.residual_likelihood, risk.residual_impact)
        else:
            key = (risk.likelihood, risk.impact)
        cells[key] = cells.get(key, 0) + 1
    return HeatCounts(cells, unrated)


# --- acceptance: a client executive's decision ---------------------------------------------


class NotAnExecutive(Exception):
    """Only a client's executive may accept a risk on the client's behalf."""


def is_client_executive(user) -> bool:
    """True for a user holding the executive role on the active client — never for a
    practice user, even a lead who can do everything else: the decision is the client's."""
    from ciodesk.tenancy.models import ClientMembership

    if not user.is_authenticated or user.is_practice_user:
        return False
    return ClientMembership.objects.filter(user=user, role=ClientMembership.Role.EXECUTIVE).exists()


def accept_risk(
    risk: Risk, *, user, reason: str, review_by: datetime.date | None = None
) -> RiskAcceptance:
    """Record the executive's decision and make the risk's treatment "accept".

    The review date, when given, becomes the risk's next review: an accepted risk is
    accepted until then, not for ever.
    """
    reason = (reason or "").strip()
    if not reason:
        raise ValueError("Say why the risk is accepted.")
    if not is_client_executive(user):
        raise NotAnExecutive(
            "Only an executive of the client can accept a risk on the client's behalf."
        )
    with transaction.atomic():
        acceptance = RiskAcceptance.objects.create(
            risk=risk, decided_by=user, reason=reason, review_by=review_by
        )
        risk.treatment = Risk.Treatment.ACCEPT
        if review_by is not None:
            risk.next_review_on = review_by
        risk.save()
    return acceptance
