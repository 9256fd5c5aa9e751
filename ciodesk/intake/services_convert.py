"""Turning a lead into a client: the client, its first assessment holding the lead's answers,
and a dossier note with what the baseline has no question for.

Each review question names the baseline question it informs; its answer is written there
with a note saying where it came from. The DMARC policy read from DNS answers the baseline's
DMARC question. Everything else (answers "Not sure" on a choice question, the other DNS
findings, the score and the top risks) goes into a note on the client's dossier, which the
assessment's ``source`` points to.
"""

from __future__ import annotations

from django.db import transaction

from ciodesk.assessments import services as assessment_services
from ciodesk.assessments.models import Assessment, TemplateQuestion
from ciodesk.assessments.services_templates import BASELINE_SLUG, ensure_builtin_templates
from ciodesk.core.scope import scope
from ciodesk.intake import dns_checks
from ciodesk.intake.models import Lead
from ciodesk.intake.questions import QUESTIONS
from ciodesk.tenancy.models import Client, Note, Person


class AlreadyConverted(RuntimeError):
    """The lead already became a client."""


def practice_person(user) -> Person:
    """The practice's person for ``user`` (created when the practice has none for them)."""
    person = Person.practice_people.filter(email__iexact=user.email).first()
    if person is None:
        person = Person.objects.create(
            client=None, name=user.full_name or user.email, email=user.email
        )
    return person


def _source(lead: Lead) -> str:
    return f"Free risk review of {lead.created_at:%Y-%m-%d}"


def baseline_answers(lead: Lead) -> tuple[dict[str, dict], list[str]]:
    """({baseline question key: Answer fields}, [lines for the note that have no home])."""
    answers, loose = {}, []
    for question in QUESTIONS:
        option = question.option(str(lead.answers.get(question.key, "")))
        if option is None:
            loose.append(f"- {question.text} — *not answered*")
        elif option.baseline is None:
            loose.append(f"- {question.text} — {option.label}")
        else:
            note = f"From the free risk review ({lead.created_at:%Y-%m-%d}): “{option.label}”."
            answers[question.baseline] = {**option.baseline, "note": note}
    dmarc = (lead.dns_results or {}).get("dmarc") or {}
    if dmarc.get("policy") in ("reject", "quarantine", "none", "missing"):
        answers["dmarc-policy"] = {
            "value": dmarc["policy"],
            "note": f"Read from DNS by the free risk review: {dmarc.get('summary', '')}",
        }
    return answers, loose


def note_body(lead: Lead, loose: list[str]) -> str:
    lines = [
        f"**{_source(lead)}**: score {lead.score} ({lead.rating}).",
        "",
        "Top risks at the time:",
        *[f"1. {r.get('title', '')}: {r.get('risk', '')}" for r in lead.top_risks],
        "",
        f"Outside-in checks of {lead.domain}:",
        *[
            f"- {row['title']}: {row.get('summary', '')}"
            for row in dns_checks.rows(lead.dns_results)
        ],
    ]
    if loose:
        lines += ["", "Answers the baseline assessment has no place for:", *loose]
    if worry := str(lead.answers.get("worry", "")).strip():
        lines += [
            "",
            "What worried them most, in their words:",
            "",
            "> " + worry.replace("\n", " "),
        ]
    return "\n".join(lines)


@transaction.atomic
def convert_lead(lead: Lead, client: Client, user) -> Assessment:
    """Attach ``client`` (just created) to ``lead`` and start its first assessment."""
    lead = Lead.objects.select_for_update().get(pk=lead.pk)
    if lead.client_id is not None:
        raise AlreadyConverted(f"{lead.company} is already a client.")
    template = next(t for t in ensure_builtin_templates() if t.slug == BASELINE_SLUG)
    answers, loose = baseline_answers(lead)
    with scope(client):
        owner = practice_person(user)
        assessment = assessment_services.start_assessment(
            template,
            title="First assessment (from the free risk review)",
            owner=owner,
            started_on=client.today(),
            source=_source(lead),
        )
        questions = TemplateQuestion.objects.filter(
            domain__template=template, key__in=list(answers)
        )
        for question in questions:
            assessment_services.save_answer(
                assessment, question, user=user, **answers[question.key]
            )
        Note.objects.create(title=f"{_source(lead)}: {lead.company}", body=note_body(lead, loose))
    lead.client = client
    lead.status = Lead.Status.CONVERTED
    lead.save(update_fields=["client", "status"])
    return assessment
