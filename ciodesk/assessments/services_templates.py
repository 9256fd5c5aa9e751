"""Assessment templates: the built-in one, versions, copies, YAML import and export.

Templates belong to the practice, not to a client. A version that an assessment has used is
frozen: editing it would change what a past assessment asked. To change it, the practice
copies it to a new version (same slug) or a new template (new slug) and edits the copy;
every assessment keeps pointing at the version it was run with.
"""

from __future__ import annotations

import contextlib
from pathlib import Path

from django.db import transaction
from django.db.models import Max, ProtectedError

from ciodesk.assessments import yaml_io
from ciodesk.assessments.models import (
    Assessment,
    AssessmentTemplate,
    TemplateDomain,
    TemplateQuestion,
)
from ciodesk.assessments.yaml_io import DomainSpec, FindingSpec, QuestionSpec, TemplateSpec

DATA_DIR = Path(__file__).resolve().parent / "data"
BUILTIN_FILES = ["baseline.yaml"]
BASELINE_SLUG = "ciodesk-baseline"


class TemplateLocked(RuntimeError):
    """The template version is built in or already used by an assessment."""


class AlreadyExists(ValueError):
    """A template with this slug and version exists with different content."""


# --- between the database and the spec ----------------------------------------------------------


def _question_spec(q: TemplateQuestion) -> QuestionSpec:
    finding = None
    if q.kind != TemplateQuestion.Kind.TEXT and q.finding_title:
        finding = FindingSpec(
            title=q.finding_title,
            risk=q.finding_risk,
            recommendation=q.finding_recommendation,
            disposition=q.finding_disposition,
            cost_low=q.cost_low,
            cost_high=q.cost_high,
        )
    return QuestionSpec(
        key=q.key,
        text=q.text,
        kind=q.kind,
        help=q.help,
        weight=q.weight,
        insurance_critical=q.insurance_critical,
        controls=list(q.control_keys or []),
        choices=[dict(c) for c in q.choices or []] if q.kind == "choice" else [],
        bands=[dict(b) for b in q.number_bands or []] if q.kind == "number" else [],
        finding=finding,
    )


def spec_of(template: AssessmentTemplate) -> TemplateSpec:
    """The template as a spec (two queries: domains, then questions)."""
    domains = list(template.domains.all())
    questions: dict[int, list[TemplateQuestion]] = {d.pk: [] for d in domains}
    for q in TemplateQuestion.objects.filter(domain__template=template).order_by(
        "domain__order", "order", "pk"
    ):
        questions[q.domain_id].append(q)
    return TemplateSpec(
        slug=template.slug,
        version=template.version,
        name=template.name,
        description=template.description,
        domains=[
            DomainSpec(
                key=d.key,
                title=d.title,
                description=d.description,
                questions=[_question_spec(q) for q in questions[d.pk]],
            )
            for d in domains
        ],
    )


def export_yaml(template: AssessmentTemplate) -> str:
    return yaml_io.dump(spec_of(template))


def _question_fields(q: QuestionSpec, order: int) -> dict:
    f = q.finding or FindingSpec()
    return {
        "text": q.text,
        "help": q.help,
        "kind": q.kind,
        "choices": [dict(c) for c in q.choices],
        "number_bands": [dict(b) for b in q.bands],
        "weight": q.weight,
        "insurance_critical": q.insurance_critical,
        "control_keys": list(q.controls),
        "finding_title": f.title if q.finding else "",
        "finding_risk": f.risk,
        "finding_recommendation": f.recommendation,
        "finding_disposition": f.disposition,
        "cost_low": f.cost_low,
        "cost_high": f.cost_high,
        "order": order,
    }


@transaction.atomic
def create_from_spec(
    spec: TemplateSpec,
    *,
    builtin: bool = False,
    created_by=None,
    based_on: AssessmentTemplate | None = None,
) -> AssessmentTemplate:
    template = AssessmentTemplate.objects.create(
        slug=spec.slug,
        version=spec.version,
        name=spec.name,
        description=spec.description,
        builtin=builtin,
        created_by=created_by if getattr(created_by, "pk", None) else None,
        based_on=based_on,
    )
    for d_order, d in enumerate(spec.domains, start=1):
        domain = TemplateDomain.objects.create(
            template=template,
            key=d.key,
            title=d.title,
            description=d.description,
            order=d_order * 10,
        )
        TemplateQuestion.objects.bulk_create(
            [
                TemplateQuestion(domain=domain, key=q.key, **_question_fields(q, q_order * 10))
                for q_order, q in enumerate(d.questions, start=1)
            ]
        )
    return template


# --- the built-in templates ----------------------------------------------------------------------


def builtin_specs() -> list[TemplateSpec]:
    return [yaml_io.parse((DATA_DIR / name).read_text("utf-8")) for name in BUILTIN_FILES]


def ensure_builtin_templates() -> list[AssessmentTemplate]:
    """Install or update the built-in templates, by slug and version (idempotent).

    A missing version is created; an existing one is brought in line with the file
    (domains and questions matched by key). Questions that assessments have answered are
    never deleted (they are protected); they are only updated in place.
    """
    installed = []
    for spec in builtin_specs():
        template = AssessmentTemplate.objects.filter(slug=spec.slug, version=spec.version).first()
        if template is None:
            template = create_from_spec(spec, builtin=True)
        elif yaml_io.as_data(spec_of(template)) != yaml_io.as_data(spec) or not template.builtin:
            _sync(template, spec)
        installed.append(template)
    return installed


@transaction.atomic
def _sync(template: AssessmentTemplate, spec: TemplateSpec) -> None:
    template.name, template.description, template.builtin = spec.name, spec.description, True
    template.save()
    domains = {d.key: d for d in template.domains.all()}
    wanted_domains = set()
    for d_order, d in enumerate(spec.domains, start=1):
        domain = domains.get(d.key) or TemplateDomain(template=template, key=d.key)
        domain.title, domain.description, domain.order = d.title, d.description, d_order * 10
        domain.save()
        wanted_domains.add(domain.pk)
        existing = {q.key: q for q in domain.questions.all()}
        for q_order, q in enumerate(d.questions, start=1):
            question = existing.pop(q.key, None) or TemplateQuestion(domain=domain, key=q.key)
            for name, value in _question_fields(q, q_order * 10).items():
                setattr(question, name, value)
            question.save()
        for gone in existing.values():
            with contextlib.suppress(ProtectedError):  # answered in an assessment: kept
                gone.delete()
    for domain in domains.values():
        if domain.pk not in wanted_domains:
            with contextlib.suppress(ProtectedError):
                domain.delete()


# --- versions and copies -------------------------------------------------------------------------


def is_used(template: AssessmentTemplate) -> bool:
    """Whether any client's assessment uses this version (a cross-client existence check,
    hence the unscoped manager; no client data is read)."""
    return Assessment.unscoped.filter(template=template).exists()


def is_editable(template: AssessmentTemplate) -> bool:
    return not template.builtin and not is_used(template)


def require_editable(template: AssessmentTemplate) -> None:
    if template.builtin:
        raise TemplateLocked(
            f"“{template}” is built in: copy it to a new version or template to change it."
        )
    if is_used(template):
        raise TemplateLocked(
            f"“{template}” has been used by an assessment: copy it to a new version to change "
            "it, so that past assessments keep the questions they were asked."
        )


def next_version(slug: str) -> int:
    top = AssessmentTemplate.objects.filter(slug=slug).aggregate(top=Max("version"))["top"]
    return (top or 0) + 1


def copy_template(
    template: AssessmentTemplate, *, slug: str = "", name: str = "", created_by=None
) -> AssessmentTemplate:
    """A copy as the next version of ``slug`` (the same slug by default), editable."""
    spec = spec_of(template)
    spec.slug = slug or template.slug
    spec.version = next_version(spec.slug)
    spec.name = name or template.name
    return create_from_spec(spec, created_by=created_by, based_on=template)


def import_yaml(data: str | bytes, *, created_by=None) -> tuple[AssessmentTemplate, bool]:
    """Import a YAML template; (template, created).

    Importing a file whose slug and version exist with the same content changes nothing
    (created is False); with different content it is refused, naming the next free version.
    Raises yaml_io.TemplateProblem listing every problem in the file.
    """
    spec = yaml_io.parse(data)
    existing = AssessmentTemplate.objects.filter(slug=spec.slug, version=spec.version).first()
    if existing is not None:
        if yaml_io.as_data(spec_of(existing)) == yaml_io.as_data(spec):
            return existing, False
        raise AlreadyExists(
            f"{spec.slug} version {spec.version} already exists with different questions; "
            f"set “version: {next_version(spec.slug)}” (or another slug) in the file to import "
            "it as a new version."
        )
    return create_from_spec(spec, created_by=created_by), True


# --- editing a version in place ------------------------------------------------------------------


def next_order(queryset) -> int:
    top = queryset.aggregate(top=Max("order"))["top"]
    return (top or 0) + 10
