"""Security in the reports: the controls' effective state (staleness included), the risk
register, insurance readiness, the quarter's trend, and the dossier's lists.

Everything comes from the security app's own services — ``services_controls.states``
(read without creating the baseline: a report never writes), ``services_risks`` (score
and band), ``services_insurance`` (readiness) — so the figures equal the security pages'.

The trend of a quarter: a control's state on a past day is its status as recorded today,
held to the evidence that existed on that day — the newest ``Evidence.verified_on`` on or
before the day, aged by the control's interval exactly as ``security.state`` ages it. A
control whose only evidence came later was stale (or never verified) on that day. Status
changes themselves are not dated, so a control marked "not in place" today counts as not
in place on both days.
"""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Max, Q

from ciodesk.reports.sections import (
    DOSSIER,
    QBR,
    Area,
    Ctx,
    Light,
    Rule,
    day_label,
    judge,
    plural,
    section,
    url_for,
)
from ciodesk.security import services_controls, services_risks
from ciodesk.security.insurance_questions import QUESTIONS
from ciodesk.security.models import ClientControl, InsurancePolicy, IRContact, IRPlan, Risk
from ciodesk.security.state import (
    IN_PLACE,
    LABELS,
    NOT_APPLICABLE,
    NOT_ASSESSED,
    NOT_IN_PLACE,
    PARTIAL,
    STALE,
    ControlState,
    effective_status,
)

# Controls a weight-5 insurance question rests on: without them carriers decline or
# exclude ransomware cover (see security.insurance_questions).
INSURANCE_CRITICAL = frozenset(key for q in QUESTIONS if q.weight >= 5 for key in q.controls)
HIGH_SCORE, CRITICAL_SCORE = 10, 20
TOP_RISKS = 5

RULE = Rule(
    red="an insurance-critical control (MFA on e-mail, remote access or admin accounts; "
    "EDR; backups and an offline copy; no remote desktop open to the internet) is stale or "
    "not in place, or an open risk is critical (score 20–25).",
    amber="another control is stale, an insurance-critical control is partial or not yet "
    "assessed, an open risk is high (score 10–16), or a risk is past its review date.",
    green="the insurance-critical controls are in place with evidence in date and no open "
    "risk is high or critical.",
)
# The order the counts are shown in: what is wrong first (as on the security dashboard).
STATES = [STALE, NOT_IN_PLACE, PARTIAL, NOT_ASSESSED, IN_PLACE, NOT_APPLICABLE]


@dataclass(frozen=True)
class Counts:
    """Controls per effective state, with the dashboard's "% in place" (of applicable)."""

    by_state: dict[str, int]

    @classmethod
    def of(cls, effective: list[str]) -> Counts:
        counts = dict.fromkeys(STATES, 0)
        for state in effective:
            counts[state] += 1
        return cls(counts)

    def __getattr__(self, name: str) -> int:
        if name in STATES:
            return self.by_state[name]
        raise AttributeError(name)

    @property
    def total(self) -> int:
        return sum(self.by_state.values())

    @property
    def applicable(self) -> int:
        return self.total - self.by_state[NOT_APPLICABLE]

    @property
    def percent_in_place(self) -> int | None:
        return services_controls.percent(self.by_state[IN_PLACE], self.applicable)

    def rows(self) -> list[tuple[str, str, int]]:
        return [(key, LABELS[key], self.by_state[key]) for key in STATES]


@dataclass(frozen=True)
class StaleLine:
    title: str
    owner: str
    since: str  # "stale for 12 days", "never verified"
    critical: bool


@dataclass(frozen=True)
class RiskLine:
    title: str
    score: int
    band: str
    band_css: str
    owner: str
    treatment: str
    planned_actions: str
    residual: int | None
    residual_band: str
    review_overdue: bool
    created_on: datetime.date | None


@dataclass
class SecurityNow:
    as_of: datetime.date
    counts: Counts
    stale: list[StaleLine]
    critical_gaps: list[tuple[str, str]]  # (control, state label) of insurance-critical ones
    critical_weak: list[tuple[str, str]]  # partial or not assessed
    risks: list[RiskLine]  # open, highest score first
    url: str = ""
    risks_url: str = ""

    @property
    def stale_count(self) -> int:
        return self.counts.by_state[STALE]

    @property
    def open_risks(self) -> int:
        return len(self.risks)

    @property
    def top_risks(self) -> list[RiskLine]:
        return self.risks[:TOP_RISKS]

    @property
    def bands(self) -> dict[str, int]:
        found = Counter(r.band for r in self.risks)
        return {name: found[name] for _, _, name in reversed(services_risks.BANDS)}

    @property
    def reviews_overdue(self) -> int:
        return sum(r.review_overdue for r in self.risks)

    @property
    def light(self) -> Light:
        critical_risks = [r for r in self.risks if r.score >= CRITICAL_SCORE]
        high_risks = [r for r in self.risks if HIGH_SCORE <= r.score < CRITICAL_SCORE]
        other_stale = self.stale_count - sum(1 for s in self.stale if s.critical)
        gaps = _names(self.critical_gaps)
        weak = _names(self.critical_weak)
        return judge(
            red=[
                f"insurance-critical control not counting: {gaps}" if gaps else "",
                f"{plural(len(critical_risks), 'critical risk')} open" if critical_risks else "",
            ],
            amber=[
                f"{plural(other_stale, 'other control')} stale" if other_stale > 0 else "",
                f"insurance-critical control not fully in place: {weak}" if weak else "",
                f"{plural(len(high_risks), 'high risk')} open" if high_risks else "",
                f"{plural(self.reviews_overdue, 'risk')} past review date"
                if self.reviews_overdue
                else "",
            ],
            green="insurance-critical controls in place and in date; no high risk open",
        )

    @property
    def headline(self) -> str:
        pct = self.counts.percent_in_place
        parts = [f"{pct} % of controls in place" if pct is not None else "controls not assessed"]
        parts.append(plural(self.stale_count, "stale control"))
        parts.append(plural(self.open_risks, "open risk"))
        return "; ".join(parts)

    @property
    def area(self) -> Area:
        return Area("security", "Security", self.light, self.headline, RULE, self.url)


def _names(items: list[tuple[str, str]], shown: int = 3) -> str:
    """ "A (stale), B (not in place) and 2 more": a reason that stays one line or two."""
    text = ", ".join(f"{title} ({state.lower()})" for title, state in items[:shown])
    return text + (f" and {len(items) - shown} more" if len(items) > shown else "")


def _risk_line(risk: Risk, today: datetime.date) -> RiskLine:
    residual = services_risks.residual_score(risk)
    band = services_risks.band(risk.score)
    return RiskLine(
        title=risk.title,
        score=risk.score,
        band=band,
        band_css=services_risks.BAND_CSS[band],
        owner=risk.owner.name,
        treatment=risk.get_treatment_display(),
        planned_actions=risk.planned_actions,
        residual=residual,
        residual_band=services_risks.band(residual),
        review_overdue=services_risks.review_overdue(risk, today),
        created_on=risk.created_on,
    )


def reading_order(state: ControlState) -> tuple:
    """The catalogue's order, as the security pages list controls."""
    d = state.control.definition
    return (d.order, d.title, d.key)


def open_risks(today: datetime.date) -> list[RiskLine]:
    """Open risks, highest score first (one query)."""
    risks = Risk.objects.filter(status=Risk.Status.OPEN).select_related("owner")
    lines = [_risk_line(r, today) for r in risks]
    return sorted(lines, key=lambda r: (-r.score, r.title.lower()))


def security_now(client, today: datetime.date) -> SecurityNow | None:
    """Today's posture: three queries (controls, their owners, open risks)."""
    states = services_controls.states(today, ensure=False)
    risks = open_risks(today)
    assessed = [s for s in states.values() if s.effective != NOT_ASSESSED]
    if not assessed and not risks:
        return None
    ordered = sorted(states.values(), key=reading_order)
    counts = Counts.of([s.effective for s in ordered])
    stale_rows = sorted(
        (services_controls.StaleRow(s, today) for s in ordered if s.effective == STALE),
        key=lambda r: (r.days is not None, -(r.days or 0), r.title),
    )
    stale = [
        StaleLine(
            r.title,
            r.state.control.owner.name,
            r.since,
            r.state.control.definition.key in INSURANCE_CRITICAL,
        )
        for r in stale_rows
    ]
    critical = [(k, s) for k, s in states.items() if k in INSURANCE_CRITICAL]
    gaps = [(str(s.control), s.label) for _, s in critical if s.effective in (STALE, NOT_IN_PLACE)]
    weak = [
        (str(s.control), s.label) for _, s in critical if s.effective in (PARTIAL, NOT_ASSESSED)
    ]
    return SecurityNow(
        as_of=today,
        counts=counts,
        stale=stale,
        critical_gaps=sorted(gaps),
        critical_weak=sorted(weak),
        risks=risks,
        url=url_for(client, "security:dashboard"),
        risks_url=url_for(client, "security:risk-list"),
    )


@section("security", kinds=["brief"], order=10)
def brief(ctx: Ctx) -> SecurityNow | None:
    return security_now(ctx.client, ctx.today)


# --- the QBR: trend over the quarter, readiness, risks raised --------------------------------


@dataclass(frozen=True)
class TrendRow:
    key: str
    label: str
    start: int
    end: int

    @property
    def change(self) -> int:
        return self.end - self.start


@dataclass
class SecurityQuarter:
    now: SecurityNow
    start: datetime.date
    end: datetime.date
    trend: list[TrendRow]
    start_counts: Counts
    end_counts: Counts
    readiness: dict[str, int] = field(default_factory=dict)
    readiness_gaps: list[tuple[str, str, str]] = field(default_factory=list)  # id, q, answer
    policy: InsurancePolicy | None = None
    new_risks: list[RiskLine] = field(default_factory=list)

    @property
    def area(self) -> Area:
        return self.now.area

    @property
    def chart(self):
        from ciodesk.vendors.charts import Series, bar_chart

        rows = [r for r in self.trend if r.key != NOT_APPLICABLE]
        start, end = day_label(self.start), day_label(self.end)
        return bar_chart(
            "security-trend",
            f"Controls by state, {start} and {end}",
            "Number of controls in each state on the quarter's first and last day: "
            + "; ".join(f"{r.label} {r.start} then {r.end}" for r in rows)
            + ".",
            [r.label for r in rows],
            [Series(start, [r.start for r in rows]), Series(end, [r.end for r in rows])],
            height=200,
        )


def counts_on(days: list[datetime.date]) -> list[Counts]:
    """Controls per effective state on each of the days, from the evidence dates (one
    query whatever the number of controls or evidence items)."""
    annotations = {
        f"verified_{i}": Max("evidence__verified_on", filter=Q(evidence__verified_on__lte=day))
        for i, day in enumerate(days)
    }
    rows = ClientControl.objects.annotate(**annotations).values(
        "status", "definition__interval_days", *annotations
    )
    effective: list[list[str]] = [[] for _ in days]
    for row in rows:
        for i, day in enumerate(days):
            effective[i].append(
                effective_status(
                    row["status"], row[f"verified_{i}"], row["definition__interval_days"], day
                )
            )
    return [Counts.of(states) for states in effective]


@section("security", kinds=[QBR], order=10)
def quarter(ctx: Ctx) -> SecurityQuarter | None:
    from ciodesk.security import services_insurance

    now = security_now(ctx.client, ctx.today)
    if now is None or ctx.period is None:
        return None
    start, end = ctx.period.start, ctx.as_of
    start_counts, end_counts = counts_on([start, end])
    if end == ctx.today:
        end_counts = now.counts  # today's state exactly as the security dashboard counts it
    trend = [
        TrendRow(key, label, start_counts.by_state[key], end_counts.by_state[key])
        for key, label, _ in start_counts.rows()
    ]
    readiness = services_insurance.readiness(ctx.today)
    new = [r for r in now.risks if r.created_on and start <= r.created_on <= end]
    return SecurityQuarter(
        now=now,
        start=start,
        end=end,
        trend=trend,
        start_counts=start_counts,
        end_counts=end_counts,
        readiness=readiness.counts,
        readiness_gaps=[(a.question.id, a.question.text, a.answer) for a in readiness.gaps[:6]],
        policy=readiness.policy,
        new_risks=new,
    )


# --- the dossier ----------------------------------------------------------------------------


@dataclass(frozen=True)
class ControlLine:
    title: str
    area: str
    state: str
    effective: str
    owner: str
    last_verified_on: datetime.date | None
    due_on: datetime.date | None
    evidence: str
    critical: bool


@dataclass(frozen=True)
class ContactLine:
    role: str
    name: str
    organisation: str
    phone: str
    email: str
    when_to_call: str


@dataclass
class SecurityDossier:
    now: SecurityNow | None
    controls: list[ControlLine]
    policies: list[InsurancePolicy]
    plan_reviewed_on: datetime.date | None
    plan_owner: str
    contacts: list[ContactLine]


@section("security", kinds=[DOSSIER], order=30)
def dossier(ctx: Ctx) -> SecurityDossier | None:
    from ciodesk.security.services_insurance import latest_evidence

    today = ctx.today
    states = services_controls.states(today, ensure=False)
    now = security_now(ctx.client, today)
    ordered = sorted(states.values(), key=reading_order)
    evidence = latest_evidence(s.control.pk for s in ordered) if ordered else {}
    controls = [
        ControlLine(
            title=str(s.control),
            area=s.control.definition.area,
            state=s.label,
            effective=s.effective,
            owner=s.control.owner.name,
            last_verified_on=s.control.last_verified_on,
            due_on=s.due_on,
            evidence=evidence[s.control.pk].title if s.control.pk in evidence else "",
            critical=s.control.definition.key in INSURANCE_CRITICAL,
        )
        for s in ordered
        if s.effective != NOT_ASSESSED or s.control.last_verified_on
    ]
    policies = list(InsurancePolicy.objects.select_related("owner"))
    plan = IRPlan.objects.select_related("owner").first()
    contacts = [
        ContactLine(c.get_role_display(), c.name, c.organisation, c.phone, c.email, c.when_to_call)
        for c in IRContact.objects.all()
    ]
    if now is None and not controls and not policies and plan is None:
        return None
    return SecurityDossier(
        now=now,
        controls=controls,
        policies=policies,
        plan_reviewed_on=plan.reviewed_on if plan else None,
        plan_owner=plan.owner.name if plan else "",
        contacts=contacts,
    )
