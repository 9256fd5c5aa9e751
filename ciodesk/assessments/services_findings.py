"""What a reviewed answer changes elsewhere: findings, and the controls it informs.

Findings (``refresh_findings``) — one per badly answered question (credit ½ or less, see
scoring.is_bad) whose template defines a finding, keyed by (assessment, question) so that
re-scoring updates rather than duplicates:

* a new bad answer creates the finding from the template's text, with the assessment's
  owner, the client's currency and a severity from the question's weight;
* a finding that exists keeps what the practice made of it (its wording, disposition, cost,
  owner and status) — only its severity follows the answer, and a resolved finding whose
  question is answered badly again is reopened;
* a question now answered well resolves its finding (it is kept, so roadmap links stay).

Controls (``update_controls``) — only answers of *reviewed* sections count. For each control
key, the scored answers that inform it give a status: all full credit → in place, all zero →
not in place, anything else → partial; "Unknown" answers are left out (they say nothing
about the control). The assessment is recorded as evidence dated the review day, with the
status. The rule that protects newer knowledge: **when the control has evidence from any
other source dated on or after the review day, or is marked not applicable, the assessment's
evidence is recorded for the history but the control's status is left alone.** An
assessment never overrides what was verified later. Recording is idempotent: evidence with
the same date and conclusion from the same assessment is not added twice.

The security app is optional: without it, ``update_controls`` does nothing.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from decimal import Decimal

from ciodesk.assessments import scoring
from ciodesk.assessments.models import Assessment, Finding
from ciodesk.core.scope import require_client

IN_PLACE, PARTIAL, NOT_IN_PLACE = "in_place", "partial", "not_in_place"
STATUS_WORDS = {IN_PLACE: "in place", PARTIAL: "partly in place", NOT_IN_PLACE: "not in place"}


# --- findings ------------------------------------------------------------------------------------


def refresh_findings(sheet, domains: set[int] | None = None) -> dict[str, int]:
    """Create, update or resolve the findings of ``sheet`` (of some domains only); returns
    counts {"created", "updated", "resolved"}."""
    assessment = sheet.assessment
    client = require_client()
    questions = [q for q in sheet.questions if domains is None or q.domain_id in domains]
    existing = {
        f.question_id: f
        for f in Finding.objects.filter(
            assessment=assessment, question_id__in=[q.pk for q in questions]
        )
    }
    counts = {"created": 0, "updated": 0, "resolved": 0}
    for question in questions:
        earned = sheet.result.credits.get(question.pk)
        finding = existing.get(question.pk)
        if scoring.is_bad(earned) and question.finding_title:
            level = scoring.severity(question.weight, question.insurance_critical, earned)
            if finding is None:
                Finding.objects.create(
                    assessment=assessment,
                    question=question,
                    title=question.finding_title,
                    risk=question.finding_risk,
                    recommendation=question.finding_recommendation,
                    disposition=question.finding_disposition,
                    severity=level,
                    cost_low=question.cost_low,
                    cost_high=question.cost_high,
                    currency=client.currency,
                    owner_id=assessment.owner_id,
                )
                counts["created"] += 1
            elif finding.severity != level or finding.status == Finding.Status.RESOLVED:
                finding.severity = level
                if finding.status == Finding.Status.RESOLVED:
                    finding.status = Finding.Status.OPEN
                finding.save()
                counts["updated"] += 1
        elif (
            earned is not None and finding is not None and finding.status != Finding.Status.RESOLVED
        ):
            finding.status = Finding.Status.RESOLVED
            finding.save()
            counts["resolved"] += 1
    return counts


# --- controls ------------------------------------------------------------------------------------


def source_label(assessment: Assessment) -> str:
    return f"{_source_prefix(assessment)} {assessment.title}"[:200]


def _source_prefix(assessment: Assessment) -> str:
    return f"Assessment #{assessment.pk}:"


def control_conclusions(sheet) -> dict[str, tuple[str, list[str]]]:
    """{control key: (status, the answers behind it as lines)} from reviewed sections."""
    from ciodesk.assessments.models import SectionAssignment

    reviewed = {s.domain_id for s in sheet.sections if s.stage == SectionAssignment.Stage.REVIEWED}
    credits: dict[str, list[Decimal]] = defaultdict(list)
    lines: dict[str, list[str]] = defaultdict(list)
    for question in sheet.questions:
        if question.domain_id not in reviewed or not question.control_keys:
            continue
        answer = sheet.answers.get(question.pk)
        earned = sheet.result.credits.get(question.pk)
        if earned is None or (question.kind == "yes_no" and answer.value == scoring.UNKNOWN):
            continue
        for key in question.control_keys:
            credits[key].append(earned)
            lines[key].append(f"{question.text} — {answer_label(question, answer)}")
    out = {}
    for key, values in credits.items():
        if all(v >= 1 for v in values):
            status = IN_PLACE
        elif all(v == 0 for v in values):
            status = NOT_IN_PLACE
        else:
            status = PARTIAL
        out[key] = (status, lines[key])
    return out


def answer_label(question, answer) -> str:
    """An answer as a reader would say it ("Yes", the choice's label, "12", the text)."""
    if answer is None or not scoring.is_answered(question.kind, answer):
        return ""
    if question.kind == "yes_no":
        return scoring.YES_NO_LABELS.get(answer.value, answer.value)
    if question.kind == "choice":
        for choice in question.choices or []:
            if str(choice.get("value")) == answer.value:
                return str(choice.get("label", answer.value))
        return answer.value
    if question.kind == "number":
        return f"{answer.number.normalize():f}"
    return answer.text


def update_controls(sheet, *, on: datetime.date, user=None) -> dict[str, str]:
    """Record the reviewed answers on the controls they inform; returns {key: what happened}
    ("set", "kept" (newer evidence or not applicable), "same")."""
    try:
        from ciodesk.security import services_controls
        from ciodesk.security.models import ClientControl, Evidence
    except ImportError:  # assessments work without the security app
        return {}
    conclusions = control_conclusions(sheet)
    if not conclusions:
        return {}
    client = require_client()
    try:
        controls = {
            c.definition.key: c
            for c in services_controls.ensure_client_controls(client)
            if c.definition.key in conclusions
        }
    except services_controls.NoOwnerError:
        return {}
    assessment = sheet.assessment
    prefix = _source_prefix(assessment)
    ids = [c.pk for c in controls.values()]
    newer = set(
        Evidence.objects.filter(control_id__in=ids, verified_on__gte=on)
        .exclude(source__startswith=prefix)
        .values_list("control_id", flat=True)
    )
    ours = set(
        Evidence.objects.filter(
            control_id__in=ids, source__startswith=prefix, verified_on=on
        ).values_list("control_id", "title")
    )
    done = {}
    for key, (status, lines) in sorted(conclusions.items()):
        control = controls.get(key)
        if control is None:
            continue
        title = f"{assessment.title}: {STATUS_WORDS[status]}"[:200]
        if (control.pk, title) in ours:
            done[key] = "same"
            continue
        keep = control.pk in newer or control.status == ClientControl.Status.NOT_APPLICABLE
        services_controls.add_evidence(
            control,
            kind="assessment",
            title=title,
            verified_on=on,
            source=source_label(assessment),
            note="\n".join(lines),
            user=user,
            status=None if keep else status,
        )
        done[key] = "kept" if keep else "set"
    return done
