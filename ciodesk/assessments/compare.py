"""Two assessments of one client side by side: what the scores were then and are now, and
what changed (answers, findings).

Questions are matched by (domain key, question key), so a re-assessment on a newer version of
the template still lines up with the first one: a question that only one version asks shows
with an empty side.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from ciodesk.assessments.models import Finding
from ciodesk.assessments.services import Sheet
from ciodesk.assessments.services_findings import answer_label


@dataclass
class DomainRow:
    key: str
    title: str
    then: Decimal | None
    now: Decimal | None

    @property
    def change(self) -> Decimal | None:
        if self.then is None or self.now is None:
            return None
        return self.now - self.then

    @property
    def direction(self) -> str:
        change = self.change
        if change is None or change == 0:
            return "same"
        return "better" if change > 0 else "worse"


@dataclass
class AnswerChange:
    domain: str
    question: str
    then: str
    now: str
    direction: str  # better / worse / same (for unscored or equal credit)


@dataclass
class Comparison:
    then: Sheet
    now: Sheet
    domains: list[DomainRow]
    overall: DomainRow
    answers: list[AnswerChange]
    new_findings: list[Finding] = field(default_factory=list)
    resolved_findings: list[Finding] = field(default_factory=list)
    still_open: int = 0


def _questions(sheet: Sheet) -> dict[tuple[str, str], object]:
    return {(q.domain.key, q.key): q for q in sheet.questions}


def _finding_key(finding: Finding, questions_by_pk: dict) -> tuple[str, str]:
    question = questions_by_pk.get(finding.question_id)
    if question is not None:
        return (question.domain.key, question.key)
    return ("", finding.title)


def _open(findings: list[Finding], questions_by_pk: dict) -> dict[tuple[str, str], Finding]:
    return {
        _finding_key(f, questions_by_pk): f for f in findings if f.status != Finding.Status.RESOLVED
    }


def _direction(then, now) -> str:
    if then is None or now is None or then == now:
        return "same"
    return "better" if now > then else "worse"


def compare(
    then: Sheet, now: Sheet, then_findings: list[Finding], now_findings: list[Finding]
) -> Comparison:
    """``then`` is the earlier assessment, ``now`` the later one."""
    titles = {d.key: d.title for d in then.domains} | {d.key: d.title for d in now.domains}
    order = [d.key for d in now.domains] + [
        d.key for d in then.domains if d.key not in {x.key for x in now.domains}
    ]
    domains = [
        DomainRow(
            key=key,
            title=titles[key],
            then=then.result.domains[key].score if key in then.result.domains else None,
            now=now.result.domains[key].score if key in now.result.domains else None,
        )
        for key in order
    ]
    overall = DomainRow("overall", "Overall", then.result.score, now.result.score)

    q_then, q_now = _questions(then), _questions(now)
    answers = []
    for key in list(q_now) + [k for k in q_then if k not in q_now]:
        a, b = q_then.get(key), q_now.get(key)
        label_then = answer_label(a, then.answers.get(a.pk)) if a else ""
        label_now = answer_label(b, now.answers.get(b.pk)) if b else ""
        if label_then == label_now:
            continue
        credit_then = then.result.credits.get(a.pk) if a else None
        credit_now = now.result.credits.get(b.pk) if b else None
        question = b or a
        answers.append(
            AnswerChange(
                domain=titles.get(key[0], key[0]),
                question=question.text,
                then=label_then or "—",
                now=label_now or "—",
                direction=_direction(credit_then, credit_now),
            )
        )

    by_pk_then = {q.pk: q for q in then.questions}
    by_pk_now = {q.pk: q for q in now.questions}
    open_then = _open(then_findings, by_pk_then)
    open_now = _open(now_findings, by_pk_now)
    return Comparison(
        then=then,
        now=now,
        domains=domains,
        overall=overall,
        answers=answers,
        new_findings=[f for k, f in open_now.items() if k not in open_then],
        resolved_findings=[f for k, f in open_then.items() if k not in open_now],
        still_open=sum(1 for k in open_now if k in open_then),
    )
