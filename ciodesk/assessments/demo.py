"""The assessments demo: registered with ciodesk.core.demo (after security, whose posture the
answers follow).

Each demo client gets a completed baseline assessment, answered, submitted, reviewed and
completed through the same services as the pages, so its findings and control evidence are
the real thing. Pacific Fabrication also gets the one from a year before, which was worse.

Idempotent: a client that already has a demo assessment (``source`` = DEMO_SOURCE) is left
alone. The dates are counted back from the day of the first load: the latest assessment was
completed 330 days before it, older than the security demo's evidence, so by the rule in
services_findings ("newer evidence wins") it adds history to those controls without
changing them, and sets only controls that had no evidence at all.
"""

from __future__ import annotations

import datetime

from django.contrib.auth import get_user_model
from django.utils import timezone

from ciodesk.assessments import services
from ciodesk.assessments.demo_data import CLIENTS, PACIFIC_A_YEAR_EARLIER, POSTURE_YES_NO, TYPICAL
from ciodesk.assessments.models import Assessment, SectionAssignment, TemplateQuestion
from ciodesk.assessments.services_templates import BASELINE_SLUG, ensure_builtin_templates
from ciodesk.core import demo
from ciodesk.core.scope import scope
from ciodesk.tenancy.access import Level
from ciodesk.tenancy.models import Person

DEMO_SOURCE = "ciodesk demo"
LATEST_DAYS_AGO = 330
LEAD_EMAIL = "lead@practice.example"


def _posture(slug: str) -> dict[str, str]:
    """{control key: status} of the client's security demo posture ({} without security)."""
    try:
        from ciodesk.security.demo_data import COMMON, SPECS
    except ImportError:
        return {}
    spec = SPECS.get(slug)
    rows = COMMON | (spec.posture if spec else {})
    return {key: status for key, (status, _days, _title) in rows.items()}


def _choice_for(question: TemplateQuestion, status: str) -> str:
    choices = sorted(question.choices, key=lambda c: c["score"])
    if status == "in_place":
        return choices[-1]["value"]
    if status == "partial":
        middle = [c for c in choices if 0 < c["score"] < 1]
        if middle:
            return min(middle, key=lambda c: abs(c["score"] - 0.5))["value"]
    return choices[0]["value"]


def answer_for(question: TemplateQuestion, slug: str, posture: dict[str, str]):
    """The demo client's answer to ``question`` (None leaves it unanswered)."""
    own = CLIENTS.get(slug, {})
    if question.key in own:
        return own[question.key]
    status = next((posture[k] for k in question.control_keys or [] if k in posture), None)
    if status is not None and question.kind == "yes_no":
        return POSTURE_YES_NO[status]
    if status is not None and question.kind == "choice":
        return _choice_for(question, status)
    if question.key in TYPICAL:
        return TYPICAL[question.key]
    if question.kind == "yes_no":
        return "yes"
    if question.kind == "choice":
        return _choice_for(question, "in_place")
    return None  # numbers and texts without an entry stay unanswered


def _fields(question: TemplateQuestion, value) -> dict:
    if question.kind == "number":
        return {"number": value}
    if question.kind == "text":
        return {"text": str(value)}
    return {"value": str(value)}


def _moment(client, day: datetime.date, hour: int) -> datetime.datetime:
    import zoneinfo

    naive = datetime.datetime.combine(day, datetime.time(hour))
    return timezone.make_aware(naive, zoneinfo.ZoneInfo(client.time_zone))


def run_assessment(
    client, template, *, on: datetime.date, answers: dict, owner, user
) -> Assessment:
    """Start, answer, submit, review and complete one assessment completed on ``on``."""
    assessment = services.start_assessment(
        template,
        title=f"Baseline IT assessment {on.year}",
        owner=owner,
        started_on=on - datetime.timedelta(days=21),
        source=DEMO_SOURCE,
    )
    answered_at = _moment(client, on - datetime.timedelta(days=10), 10)
    for question in TemplateQuestion.objects.filter(domain__template=template):
        value = answers.get(question.key)
        if value is not None:
            services.save_answer(
                assessment, question, user=user, now=answered_at, **_fields(question, value)
            )
    submitted_at = _moment(client, on - datetime.timedelta(days=7), 16)
    reviewed_at = _moment(client, on, 11)
    for section in SectionAssignment.objects.filter(assessment=assessment).select_related(
        "assessment", "domain"
    ):
        services.submit_section(section, user, Level.LEAD, now=submitted_at)
        services.review_section(section, user, Level.LEAD, on=on, now=reviewed_at)
    assessment.refresh_from_db()
    services.complete(assessment, on=on, user=user)
    return assessment


@demo.register("assessments: completed baseline assessments and their findings", order=40)
def load(context) -> None:
    templates = ensure_builtin_templates()
    template = next(t for t in templates if t.slug == BASELINE_SLUG)
    questions = list(TemplateQuestion.objects.filter(domain__template=template))
    user = get_user_model().objects.filter(email=LEAD_EMAIL).first()
    for slug in ("harbor-cpa", "bright-smile", "pacific-fab"):
        client = context.clients.get(slug)
        if client is None:
            continue
        with scope(client):
            if Assessment.objects.filter(source=DEMO_SOURCE).exists():
                continue
            owner = (
                Person.practice_people.filter(email=LEAD_EMAIL).first()
                or Person.objects.order_by("name").first()
            )
            posture = _posture(slug)
            answers = {q.key: answer_for(q, slug, posture) for q in questions}
            latest = client.today() - datetime.timedelta(days=LATEST_DAYS_AGO)
            if slug == "pacific-fab":
                run_assessment(
                    client,
                    template,
                    on=latest - datetime.timedelta(days=365),
                    answers=answers | PACIFIC_A_YEAR_EARLIER,
                    owner=owner,
                    user=user,
                )
            done = run_assessment(
                client, template, on=latest, answers=answers, owner=owner, user=user
            )
            context.stdout.write(f"      {client.name}: {done.title}, {done.score} ({done.rating})")
