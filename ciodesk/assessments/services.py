"""Running an assessment for a client: starting it, answering, the two review stages.

The flow of a section (one domain): a contributor (or the practice) answers it while it is
*being answered*, then submits it; the practice reviews it (*reviewed*) or returns it for
changes. Reviewing a section turns its badly answered questions into findings and records
the answers as evidence on the controls they inform (services_findings). When every section
is reviewed the practice completes the assessment, which freezes its scores.

Who may answer which section (``can_answer``): the practice any section not yet reviewed;
a contributor only a section being answered that is assigned to them or to nobody. An
unassigned section is open to every contributor of the client: assigning is how the CIO
divides the work, not a lock against colleagues.

Everything here runs inside the client's scope.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from ciodesk.assessments import scoring
from ciodesk.assessments.models import (
    Answer,
    Assessment,
    AssessmentTemplate,
    SectionAssignment,
    TemplateDomain,
    TemplateQuestion,
)
from ciodesk.tenancy.access import Level

Stage = SectionAssignment.Stage


class FlowError(RuntimeError):
    """The step is not possible in the section's or the assessment's current state."""


# --- loading and scoring -------------------------------------------------------------------------


@dataclass
class Sheet:
    """An assessment with everything needed to show or score it, in a constant number of
    queries (domains, questions, answers, sections)."""

    assessment: Assessment
    domains: list[TemplateDomain]
    questions: list[TemplateQuestion]
    answers: dict[int, Answer]
    sections: list[SectionAssignment]
    result: scoring.Result

    def questions_of(self, domain_id: int) -> list[TemplateQuestion]:
        return [q for q in self.questions if q.domain_id == domain_id]

    def section_for(self, domain_id: int) -> SectionAssignment | None:
        return next((s for s in self.sections if s.domain_id == domain_id), None)

    def progress(self, domain: TemplateDomain) -> tuple[int, int]:
        tally = self.result.domains.get(domain.key)
        return (tally.answered, tally.questions) if tally else (0, 0)


def load_sheet(assessment: Assessment, domain: TemplateDomain | None = None) -> Sheet:
    """Everything of ``assessment`` (or of one of its domains) with its score."""
    domains = list(TemplateDomain.objects.filter(template_id=assessment.template_id))
    questions = TemplateQuestion.objects.filter(domain__template_id=assessment.template_id)
    answers = Answer.objects.filter(assessment=assessment)
    if domain is not None:
        questions = questions.filter(domain=domain)
        answers = answers.filter(question__domain=domain)
    questions = list(questions.order_by("domain__order", "order", "pk"))
    by_id = {d.pk: d for d in domains}
    for q in questions:
        q.domain = by_id[q.domain_id]  # no query per question
    answer_map = {a.question_id: a for a in answers.select_related("answered_by")}
    sections = list(
        SectionAssignment.objects.filter(assessment=assessment).select_related(
            "assignee", "reviewer"
        )
    )
    for s in sections:
        s.domain = by_id[s.domain_id]
    result = scoring.score([(by_id[q.domain_id].key, q) for q in questions], answer_map)
    return Sheet(assessment, domains, questions, answer_map, sections, result)


# --- who may do what -----------------------------------------------------------------------------


def can_answer(section: SectionAssignment, user, level: Level) -> bool:
    if section.assessment.status == Assessment.Status.COMPLETE:
        return False
    if level >= Level.PRACTICE:
        return section.stage != Stage.REVIEWED
    if level >= Level.CONTRIBUTOR:
        return section.stage == Stage.ANSWERING and section.assignee_id in (None, user.pk)
    return False


def can_submit(section: SectionAssignment, user, level: Level) -> bool:
    return section.stage == Stage.ANSWERING and can_answer(section, user, level)


def can_review(section: SectionAssignment, level: Level) -> bool:
    return (
        level >= Level.PRACTICE
        and section.stage == Stage.SUBMITTED
        and section.assessment.status != Assessment.Status.COMPLETE
    )


def can_return(section: SectionAssignment, level: Level) -> bool:
    return (
        level >= Level.PRACTICE
        and section.stage != Stage.ANSWERING
        and section.assessment.status != Assessment.Status.COMPLETE
    )


# --- starting ------------------------------------------------------------------------------------


@transaction.atomic
def start_assessment(
    template: AssessmentTemplate,
    *,
    title: str,
    owner,
    started_on: datetime.date,
    source: str = "",
) -> Assessment:
    """A new assessment of the active client, with one section per domain of the template."""
    assessment = Assessment.objects.create(
        template=template, title=title, owner=owner, started_on=started_on, source=source
    )
    for domain in TemplateDomain.objects.filter(template=template):
        SectionAssignment.objects.create(assessment=assessment, domain=domain)
    return assessment


# --- answering -----------------------------------------------------------------------------------


def _clean_number(value) -> Decimal | None:
    if value in (None, ""):
        return None
    return Decimal(value)


@transaction.atomic
def save_answer(
    assessment: Assessment,
    question: TemplateQuestion,
    *,
    user,
    value: str = "",
    number=None,
    text: str = "",
    note: str = "",
    evidence_url: str = "",
    evidence_file=None,
    clear_file: bool = False,
    now: datetime.datetime | None = None,
) -> Answer:
    """Create or update the one answer to ``question`` (saved as the user goes)."""
    answer = Answer.objects.filter(assessment=assessment, question=question).first()
    if answer is None:
        answer = Answer(assessment=assessment, question=question)
    old_file = answer.evidence_file.name if answer.evidence_file else ""
    kind = question.kind
    answer.value = value if kind in ("yes_no", "choice") else ""
    answer.number = _clean_number(number) if kind == "number" else None
    answer.text = text if kind == "text" else ""
    answer.note = note
    answer.evidence_url = evidence_url
    if evidence_file is not None:
        answer.evidence_file = evidence_file
    elif clear_file:
        answer.evidence_file = None
    if scoring.is_answered(kind, answer):
        answer.answered_by = user if getattr(user, "pk", None) else None
        answer.answered_at = now or timezone.now()
    answer.save()
    new_file = answer.evidence_file.name if answer.evidence_file else ""
    if old_file and old_file != new_file:
        storage = Answer._meta.get_field("evidence_file").storage
        transaction.on_commit(lambda: storage.delete(old_file))
    return answer


# --- the two stages ------------------------------------------------------------------------------


def _refresh_status(assessment: Assessment) -> None:
    """In progress while any section is being answered, in review once all are submitted or
    reviewed (complete is set only by ``complete``)."""
    if assessment.status == Assessment.Status.COMPLETE:
        return
    answering = SectionAssignment.objects.filter(
        assessment=assessment, stage=Stage.ANSWERING
    ).exists()
    status = Assessment.Status.IN_PROGRESS if answering else Assessment.Status.IN_REVIEW
    if status != assessment.status:
        assessment.status = status
        assessment.save(update_fields=["status"])


@transaction.atomic
def submit_section(section: SectionAssignment, user, level: Level, now=None) -> None:
    if not can_submit(section, user, level):
        raise FlowError("This section cannot be submitted now.")
    section.stage = Stage.SUBMITTED
    section.submitted_at = now or timezone.now()
    section.save()
    _refresh_status(section.assessment)


@transaction.atomic
def review_section(
    section: SectionAssignment, user, level: Level, *, on: datetime.date, now=None
) -> None:
    """Mark a submitted section reviewed, then refresh its findings and its controls."""
    from ciodesk.assessments import services_findings

    if not can_review(section, level):
        raise FlowError("Only a submitted section can be reviewed.")
    section.stage = Stage.REVIEWED
    section.reviewer = user if getattr(user, "pk", None) else None
    section.reviewed_at = now or timezone.now()
    section.save()
    _refresh_status(section.assessment)
    sheet = load_sheet(section.assessment)
    services_findings.refresh_findings(sheet, domains={section.domain_id})
    services_findings.update_controls(sheet, on=on, user=user)


@transaction.atomic
def return_section(section: SectionAssignment, level: Level) -> None:
    """Send a section back to its answerer (its findings stay until it is reviewed again)."""
    if not can_return(section, level):
        raise FlowError("This section is already being answered.")
    section.stage = Stage.ANSWERING
    section.submitted_at = None
    section.reviewed_at = None
    section.save()
    _refresh_status(section.assessment)


def assign_section(section: SectionAssignment, assignee) -> None:
    section.assignee = assignee
    section.save(update_fields=["assignee"])


@transaction.atomic
def complete(assessment: Assessment, *, on: datetime.date, user=None) -> Sheet:
    """Freeze the scores of an assessment whose sections are all reviewed."""
    from ciodesk.assessments import services_findings

    if assessment.status == Assessment.Status.COMPLETE:
        raise FlowError("This assessment is already complete.")
    if (
        SectionAssignment.objects.filter(assessment=assessment)
        .exclude(stage=Stage.REVIEWED)
        .exists()
    ):
        raise FlowError("Review every section before completing the assessment.")
    sheet = load_sheet(assessment)
    services_findings.refresh_findings(sheet)
    services_findings.update_controls(sheet, on=on, user=user)
    result = sheet.result
    assessment.status = Assessment.Status.COMPLETE
    assessment.completed_on = on
    assessment.score = result.score
    assessment.rating = result.rating
    assessment.domain_scores = result.domain_scores()
    assessment.save()
    return sheet


@transaction.atomic
def reopen(assessment: Assessment) -> None:
    """Back to review: the frozen scores are cleared until it is completed again."""
    if assessment.status != Assessment.Status.COMPLETE:
        raise FlowError("Only a complete assessment can be reopened.")
    assessment.status = Assessment.Status.IN_REVIEW
    assessment.completed_on = None
    assessment.score = None
    assessment.rating = ""
    assessment.domain_scores = {}
    assessment.save()
