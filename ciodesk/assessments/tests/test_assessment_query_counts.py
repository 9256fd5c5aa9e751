"""The assessments pages run the same number of queries with one section answered or five."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ciodesk.assessments import services, services_templates
from ciodesk.assessments.models import TemplateDomain, TemplateQuestion
from ciodesk.core.scope import acting_as, scope
from ciodesk.tenancy.access import Level


@pytest.fixture
def baseline(world):
    (template,) = services_templates.ensure_builtin_templates()
    with scope(world.a), acting_as("test setup"):
        assessment = services.start_assessment(
            template,
            title="Baseline",
            owner=world.records["a"]["people"],
            started_on=datetime.date(2026, 11, 1),
        )
    return assessment


def answer_and_review(world, assessment, domain):
    """Answer every question of a domain badly (findings too), then review its section."""
    with scope(world.a), acting_as(world.lead):
        for q in TemplateQuestion.objects.filter(domain=domain):
            field = {"number": ("number", 0), "text": ("text", "n/a")}.get(q.kind, ("value", "no"))
            if q.kind == "choice":
                field = ("value", q.choices[-1]["value"])
            services.save_answer(
                assessment, q, user=world.contrib_a, note="note", **{field[0]: field[1]}
            )
        section = assessment.sections.get(domain=domain)
        services.submit_section(section, world.lead, Level.LEAD)
        section.refresh_from_db()
        services.review_section(section, world.lead, Level.LEAD, on=world.a.today())


PAGES = [
    "/c/alpha/assessments/",
    "/c/alpha/assessments/export/?format=csv",
    "/c/alpha/assessments/{pk}/",
    "/c/alpha/assessments/{pk}/answers/export/?format=xlsx",
    "/c/alpha/assessments/findings/",
    "/c/alpha/assessments/findings/export/?format=csv",
    "/c/alpha/assessments/compare/?a={pk}&b={other}",
]


@pytest.mark.parametrize("url", PAGES)
def test_the_page_runs_a_constant_number_of_queries(world, as_user, baseline, url):
    domains = list(TemplateDomain.objects.filter(template=baseline.template))
    with scope(world.a), acting_as("test setup"):
        other = services.start_assessment(
            baseline.template,
            title="Earlier",
            owner=world.records["a"]["people"],
            started_on=datetime.date(2025, 11, 1),
        )
    url = url.format(pk=baseline.pk, other=other.pk)
    client = as_user(world.lead)

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx)

    answer_and_review(world, baseline, domains[0])
    before = count()
    for domain in domains[1:5]:
        answer_and_review(world, baseline, domain)
    assert count() == before


def test_a_section_page_runs_the_same_queries_however_many_answers(world, as_user, baseline):
    domains = list(TemplateDomain.objects.filter(template=baseline.template))
    section = baseline.sections.model.objects
    with scope(world.a):
        identity = section.get(assessment=baseline, domain__key="identity")
    url = f"/c/alpha/assessments/sections/{identity.pk}/"
    client = as_user(world.contrib_a)

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx)

    before = count()
    identity_domain = next(d for d in domains if d.key == "identity")
    with scope(world.a), acting_as("test setup"):
        for q in TemplateQuestion.objects.filter(domain=identity_domain, kind="yes_no"):
            services.save_answer(baseline, q, user=world.contrib_a, value="partial", note="n")
    assert count() == before
