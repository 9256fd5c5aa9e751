"""One of each assessments record for the URL sweep and the canary crawl (called by conftest)."""

from __future__ import annotations

import datetime


def make_assessments_records(client, person, text: str = "") -> dict:
    """One of each assessments record for `client`, every text field carrying `text`."""
    from ciodesk.assessments import models as m
    from ciodesk.core.scope import scope

    template, _ = m.AssessmentTemplate.objects.get_or_create(
        slug="test-template", version=1, defaults={"name": "Test template"}
    )
    domain, _ = m.TemplateDomain.objects.get_or_create(
        template=template, key="identity", defaults={"title": "Identity and access"}
    )
    question, _ = m.TemplateQuestion.objects.get_or_create(
        domain=domain,
        key="mfa-email",
        defaults={
            "text": "Is MFA enforced on e-mail?",
            "weight": 3,
            "insurance_critical": True,
            "control_keys": ["mfa-email"],
            "finding_title": "E-mail without MFA",
        },
    )
    with scope(client):
        assessment = m.Assessment.objects.create(
            template=template,
            title="Baseline assessment" + text,
            owner=person,
            started_on=datetime.date(2026, 10, 1),
        )
        section = m.SectionAssignment.objects.create(assessment=assessment, domain=domain)
        answer = m.Answer.objects.create(
            assessment=assessment, question=question, value="no", note="Only admins" + text
        )
        finding = m.Finding.objects.create(
            assessment=assessment,
            question=question,
            title="E-mail without MFA" + text,
            risk="Stolen passwords open mailboxes" + text,
            recommendation="Enforce MFA" + text,
            cost_low="500.00",
            cost_high="1500.00",
            owner=person,
        )
    return {
        "assessments": assessment,
        "sections": section,
        "answers": answer,
        "findings": finding,
    }
