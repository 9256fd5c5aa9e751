"""Cyber-insurance readiness: each application question answered from the client's controls
and measured coverage, with the dated evidence behind the answer.

Insurers rescind policies over inaccurate attestations, so an answer is never typed in: it
is computed, today, from the controls' effective state (``state.py``: a control past its
re-verification interval is stale and counts as not in place) and, for three questions,
from the newest coverage import. An answer therefore drops from Yes to No or Partial by
itself on the day its evidence goes stale.

Answers from the controls a question names (``insurance_questions``), ignoring those marked
not applicable:

    Unknown  none of them is assessed yet (or the question names no control the client has)
    Yes      every one is in place (all not applicable also gives Yes, with the reason)
    Partial  some are in place or partial, the others are not
    No       none is in place or partial (stale counts as not in place)

A coverage figure (MFA registration, admin MFA, EDR coverage, backup freshness) can only
lower an answer, never raise it. It is graded by the coverage import's own rule (see
services_coverage.RULES: MFA in place when every member user is registered; EDR in place at
98 % of devices or more, as carriers ask; backups in place when every system succeeded in the
last 24 hours, partial when all within 7 days), so the two pages never disagree.

Gaps (No, Unknown, Partial) are ordered by the question's insurability weight (5 first),
then No before Unknown before Partial, then by question ID.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from django.db.models import OuterRef, Subquery
from django.utils import timezone

from ciodesk.core.scope import require_client
from ciodesk.security import services_controls
from ciodesk.security.insurance_questions import (
    BACKUP,
    EDR,
    MFA,
    MFA_ADMINS,
    QUESTIONS,
    Question,
)
from ciodesk.security.models import (
    ClientControl,
    CoverageImport,
    Evidence,
    InsuranceAnswerNote,
    InsurancePolicy,
)
from ciodesk.security.state import (
    IN_PLACE,
    NOT_APPLICABLE,
    NOT_ASSESSED,
    PARTIAL,
    STALE,
    ControlState,
)

YES, NO, PARTIAL_ANSWER, UNKNOWN = "Yes", "No", "Partial", "Unknown"
ANSWERS = (YES, PARTIAL_ANSWER, NO, UNKNOWN)
GAP_ORDER = {NO: 0, UNKNOWN: 1, PARTIAL_ANSWER: 2}
_WORSE = {YES: 3, PARTIAL_ANSWER: 2, NO: 1}


# --- what an answer is made of -----------------------------------------------------------------


@dataclass(frozen=True)
class EvidenceUsed:
    """The newest evidence of one control behind an answer (or its absence)."""

    key: str
    control: str
    state: str  # the control's effective state label today
    effective: str
    pk: int | None = None
    title: str = ""
    kind: str = ""
    verified_on: datetime.date | None = None
    verified_by: str = ""
    due_on: datetime.date | None = None

    @property
    def stale(self) -> bool:
        return self.effective == STALE


@dataclass(frozen=True)
class CoverageFigure:
    kind: str
    label: str
    text: str  # "96 % of 120 users registered"
    percent: float | None
    answer: str
    as_of: datetime.date
    filename: str


@dataclass
class Answer:
    question: Question
    answer: str
    reason: str
    evidence: list[EvidenceUsed] = field(default_factory=list)
    coverage: CoverageFigure | None = None
    note: str = ""

    @property
    def is_gap(self) -> bool:
        return self.answer != YES

    @property
    def evidence_date(self) -> datetime.date | None:
        """The oldest date among the evidence used: the answer is only as fresh as that."""
        dates = [e.verified_on for e in self.evidence if e.verified_on is not None]
        if self.coverage is not None:
            dates.append(self.coverage.as_of)
        return min(dates) if dates else None

    @property
    def evidence_text(self) -> str:
        parts = [f"{e.title} ({e.control})" for e in self.evidence if e.title]
        if self.coverage is not None:
            parts.append(f"{self.coverage.label}: {self.coverage.text}")
        return "; ".join(parts)

    @property
    def css(self) -> str:
        return {YES: "ok", PARTIAL_ANSWER: "", NO: "attention", UNKNOWN: "critical"}[self.answer]


@dataclass
class Readiness:
    today: datetime.date
    answers: list[Answer]
    policy: InsurancePolicy | None
    policies: list[InsurancePolicy]

    @property
    def counts(self) -> dict[str, int]:
        counts = dict.fromkeys(ANSWERS, 0)
        for answer in self.answers:
            counts[answer.answer] += 1
        return counts

    @property
    def gaps(self) -> list[Answer]:
        return order_gaps(self.answers)

    @property
    def days_to_renewal(self) -> int | None:
        if self.policy is None:
            return None
        return (self.policy.renewal_date - self.today).days

    @property
    def renewal_text(self) -> str:
        """ "in 45 days", "today", "3 days ago" — the countdown shown next to the date."""
        days = self.days_to_renewal
        if days is None:
            return ""
        if days == 0:
            return "today"
        n = abs(days)
        plural = "s" if n != 1 else ""
        return f"in {n} day{plural}" if days > 0 else f"{n} day{plural} ago"

    @property
    def evidence_items(self) -> list[EvidenceUsed]:
        """Every evidence item the answers rest on, once each, for the broker's appendix."""
        seen: dict[int, EvidenceUsed] = {}
        for answer in self.answers:
            for item in answer.evidence:
                if item.pk is not None:
                    seen.setdefault(item.pk, item)
        return sorted(seen.values(), key=lambda e: (e.control, e.verified_on or datetime.date.min))

    @property
    def coverage_items(self) -> list[CoverageFigure]:
        seen = {a.coverage.kind: a.coverage for a in self.answers if a.coverage is not None}
        return list(seen.values())


def order_gaps(answers: Iterable[Answer]) -> list[Answer]:
    return sorted(
        (a for a in answers if a.is_gap),
        key=lambda a: (-a.question.weight, GAP_ORDER[a.answer], a.question.id),
    )


# --- answering from control states ---------------------------------------------------------------


def _titles(states: Sequence[ControlState]) -> str:
    return "; ".join(str(s.control) for s in states)


def answer_from_states(states: Sequence[ControlState]) -> tuple[str, str]:
    """Yes / Partial / No / Unknown and the reason, in words, from the controls' states."""
    if not states:
        return UNKNOWN, "No control answers this question yet."
    relevant = [s for s in states if s.effective != NOT_APPLICABLE]
    if not relevant:
        reasons = "; ".join(s.control.not_applicable_reason or str(s.control) for s in states)
        return YES, f"Not applicable: {reasons}"
    if all(s.effective == NOT_ASSESSED for s in relevant):
        return UNKNOWN, f"Not assessed yet: {_titles(relevant)}."
    stale = [s for s in relevant if s.effective == STALE]
    missing = [s for s in relevant if s.effective not in (IN_PLACE, STALE)]
    said = []
    for s in stale:
        said.append(
            f"{s.control} is stale since {s.due_on:%Y-%m-%d} (its evidence is older than "
            f"{s.control.definition.interval_days} days)"
            if s.due_on
            else f"{s.control} is stale: never verified"
        )
    said.extend(f"{s.control} is {s.label.lower()}" for s in missing)
    if not stale and not missing:
        return YES, f"In place: {_titles(relevant)}."
    reason = "; ".join(said)
    reason = reason[:1].upper() + reason[1:] + "."
    if any(s.effective in (IN_PLACE, PARTIAL) for s in relevant):
        return PARTIAL_ANSWER, reason
    return NO, reason


def _worse(first: str, second: str) -> str:
    return first if _WORSE[first] <= _WORSE[second] else second


# --- coverage figures, read from the kept summary of the newest import of each kind -------------
#
# The coverage importers (services_coverage) keep their figures in CoverageImport.summary:
#   mfa     members, members_registered, percent, status; admins, admins_without, admins_status
#   backup  systems, ok_24h, without_24h, without_7d, status
#   rmm/edr endpoint: {devices, covered, percent, status, other (the paired import), as_of}
# The importer's own status (in_place / partial / not_in_place) grades the figure, so the
# readiness page and the coverage page never disagree. Anything missing: no figure.

STATUS_ANSWER = {IN_PLACE: YES, PARTIAL: PARTIAL_ANSWER, "not_in_place": NO}


def _local(moment: datetime.datetime | str) -> datetime.date:
    if isinstance(moment, str):
        moment = datetime.datetime.fromisoformat(moment)
    if timezone.is_naive(moment):
        return moment.date()
    return timezone.localtime(moment, require_client().tz).date()


def _figure(kind, label, text, pct, status, as_of, filename) -> CoverageFigure | None:
    answer = STATUS_ANSWER.get(status or "")
    if answer is None:
        return None
    return CoverageFigure(kind, label, text, pct, answer, _local(as_of), filename)


def mfa_figures(imp: CoverageImport) -> list[CoverageFigure]:
    s = imp.summary or {}
    out = []
    if s.get("members"):
        out.append(
            _figure(
                MFA,
                "MFA registration",
                f"{s.get('percent')} % ({s.get('members_registered')} of {s['members']} "
                "member users) registered",
                s.get("percent"),
                s.get("status"),
                imp.as_of,
                imp.filename,
            )
        )
    if s.get("admins"):
        out.append(
            _figure(
                MFA_ADMINS,
                "Admin MFA",
                f"{s.get('admins_without')} of {s['admins']} admin accounts without MFA",
                None,
                s.get("admins_status"),
                imp.as_of,
                imp.filename,
            )
        )
    return [f for f in out if f is not None]


def edr_figure(imports: Mapping[str, CoverageImport]) -> CoverageFigure | None:
    """The newest RMM list against the newest EDR list, from whichever import holds the pair."""
    rmm, edr = imports.get("rmm"), imports.get("edr")
    for holder, other in ((edr, rmm), (rmm, edr)):
        pair = (holder.summary or {}).get("endpoint") if holder is not None else None
        if pair and other is not None and pair.get("other") == other.pk and pair.get("devices"):
            return _figure(
                EDR,
                "EDR coverage",
                f"{pair.get('percent')} % ({pair.get('covered')} of {pair['devices']} devices) "
                "run EDR",
                pair.get("percent"),
                pair.get("status"),
                pair.get("as_of") or holder.as_of,
                f"{holder.filename} + {other.filename}",
            )
    return None


def backup_figure(imp: CoverageImport) -> CoverageFigure | None:
    s = imp.summary or {}
    if not s.get("systems"):
        return None
    return _figure(
        BACKUP,
        "Backup freshness",
        f"{s.get('ok_24h')} of {s['systems']} systems backed up in the last 24 h; "
        f"{s.get('without_7d')} without a success in 7 days",
        None,
        s.get("status"),
        imp.as_of,
        imp.filename,
    )


def coverage_figures(imports: Iterable[CoverageImport]) -> dict[str, CoverageFigure]:
    by_kind = {imp.kind: imp for imp in imports}
    figures = mfa_figures(by_kind["mfa"]) if "mfa" in by_kind else []
    figures += [edr_figure(by_kind)]
    figures += [backup_figure(by_kind["backup"])] if "backup" in by_kind else []
    return {f.kind: f for f in figures if f is not None}


# --- the whole readiness, in a constant number of queries --------------------------------------


def latest_evidence(control_ids: Iterable[int]) -> dict[int, Evidence]:
    """The newest evidence item of each control, in one query whatever the evidence count."""
    newest = (
        Evidence.objects.filter(control=OuterRef("pk")).order_by("-verified_on", "-pk").values("pk")
    )[:1]
    ids = (
        ClientControl.objects.filter(pk__in=list(control_ids))
        .annotate(newest=Subquery(newest))
        .values("newest")
    )
    return {
        e.control_id: e for e in Evidence.objects.filter(pk__in=ids).select_related("verified_by")
    }


def _used(key: str, state: ControlState, evidence: Evidence | None) -> EvidenceUsed:
    base = {
        "key": key,
        "control": str(state.control),
        "state": state.label,
        "effective": state.effective,
        "due_on": state.due_on,
    }
    if evidence is None:
        return EvidenceUsed(**base)
    by = evidence.verified_by_name or (str(evidence.verified_by) if evidence.verified_by else "")
    return EvidenceUsed(
        **base,
        pk=evidence.pk,
        title=evidence.title,
        kind=evidence.get_kind_display(),
        verified_on=evidence.verified_on,
        verified_by=by,
    )


def answer_question(
    question: Question,
    states: Mapping[str, ControlState],
    evidence: Mapping[int, Evidence],
    figures: Mapping[str, CoverageFigure],
    note: str = "",
) -> Answer:
    found = [(key, states[key]) for key in question.controls if key in states]
    answer, reason = answer_from_states([s for _, s in found])
    used = [
        _used(key, s, evidence.get(s.control.pk))
        for key, s in found
        if s.effective != NOT_APPLICABLE
    ]
    figure = figures.get(question.coverage) if question.coverage else None
    if figure is not None and answer != UNKNOWN:
        lowered = _worse(answer, figure.answer)
        if lowered != answer:
            reason = f"{reason} {figure.label}: {figure.text}."
        answer = lowered
    return Answer(question, answer, reason, used, figure, note)


def current_policy(
    policies: Sequence[InsurancePolicy], today: datetime.date
) -> InsurancePolicy | None:
    """The policy renewing next (or, when all renewal dates have passed, the latest)."""
    upcoming = [p for p in policies if p.renewal_date >= today]
    if upcoming:
        return min(upcoming, key=lambda p: p.renewal_date)
    return max(policies, key=lambda p: p.renewal_date) if policies else None


def readiness(today: datetime.date) -> Readiness:
    """Every question answered for the active client as of `today`.

    Queries: the controls' states (two), the newest coverage imports (one), the newest
    evidence of each control (one), the notes (one), the policies (one) — whatever the number
    of controls, evidence items or questions.
    """
    states = services_controls.states(today)
    figures = coverage_figures(services_controls.latest_coverage())
    keys = {key for q in QUESTIONS for key in q.controls}
    evidence = latest_evidence(s.control.pk for k, s in states.items() if k in keys)
    notes = dict(InsuranceAnswerNote.objects.values_list("question", "note"))
    policies = list(InsurancePolicy.objects.select_related("owner"))
    answers = [
        answer_question(q, states, evidence, figures, notes.get(q.id, "")) for q in QUESTIONS
    ]
    return Readiness(today, answers, current_policy(policies, today), policies)
