"""Fixtures of the assessments tests: a small template whose scores are easy to work out by
hand, and an assessment of it for client A (Alpha Dental)."""

from __future__ import annotations

import datetime

import pytest

from ciodesk.assessments import services, services_templates, yaml_io
from ciodesk.core.scope import acting_as, scope

SMALL = """\
format: ciodesk-assessment-template/1
slug: small
version: 1
name: Small test template
domains:
- key: identity
  title: Accounts and sign-in
  questions:
  - key: mfa
    text: Is multi-factor sign-in enforced on e-mail?
    kind: yes_no
    weight: 5
    insurance_critical: true
    controls: [mfa-email]
    finding:
      title: E-mail without MFA
      risk: Stolen passwords open mailboxes.
      disposition: fix
      cost_low: 0
      cost_high: 2000
  - key: admins
    text: Do admins use separate accounts?
    weight: 3
    controls: [admin-accounts]
    finding: {title: Shared admin accounts}
  - key: review
    text: How often is access reviewed?
    kind: choice
    weight: 2
    controls: [access-review]
    choices:
    - {value: often, label: Twice a year, score: 1}
    - {value: rarely, label: Rarely, score: 0.25}
    - {value: never, label: Never, score: 0}
    finding: {title: Access is not reviewed, disposition: fund}
- key: devices
  title: Devices and backup
  questions:
  - key: edr
    text: What share of devices run EDR (%)?
    kind: number
    weight: 4
    controls: [endpoint-protection]
    bands:
    - {min: 100, score: 1}
    - {min: 90, max: 100, score: 0.5}
    - {max: 90, score: 0}
    finding: {title: Devices without EDR}
  - key: daily
    text: Is data backed up every day?
    weight: 5
    controls: [backups]
    finding: {title: No daily backup, disposition: fund, cost_low: 1000, cost_high: 5000}
  - key: notes
    text: Anything else the reviewer should know?
    kind: text
    weight: 0
"""


@pytest.fixture
def small_template(db):
    return services_templates.create_from_spec(yaml_io.parse(SMALL))


@pytest.fixture
def assessment(world, small_template):
    with scope(world.a), acting_as("test setup"):
        return services.start_assessment(
            small_template,
            title="Baseline 2026",
            owner=world.records["a"]["people"],
            started_on=datetime.date(2026, 11, 1),
        )


def questions(template) -> dict:
    from ciodesk.assessments.models import TemplateQuestion

    return {q.key: q for q in TemplateQuestion.objects.filter(domain__template=template)}


def sections(world, assessment) -> dict:
    from ciodesk.assessments.models import SectionAssignment

    with scope(world.a):
        return {
            s.domain.key: s
            for s in SectionAssignment.objects.filter(assessment=assessment).select_related(
                "domain"
            )
        }


def answer_all(world, assessment, values: dict, user=None) -> None:
    """Save answers directly: {question key: value} (a number for number questions)."""
    qs = questions(assessment.template)
    with scope(world.a), acting_as("test setup"):
        for key, value in values.items():
            q = qs[key]
            field = {"number": "number", "text": "text"}.get(q.kind, "value")
            services.save_answer(assessment, q, user=user, **{field: value})


def plain(html: str | bytes) -> str:
    """A page's text as a reader sees it: tags dropped, whitespace collapsed."""
    import html as html_lib
    import re

    if isinstance(html, bytes):
        html = html.decode()
    text = re.sub(r"<[^>]+>", " ", html)
    return re.sub(r"\s+", " ", html_lib.unescape(text)).strip()
