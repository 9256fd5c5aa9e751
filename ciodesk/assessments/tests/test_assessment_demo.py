"""The demo: every client has a completed baseline assessment; Pacific Fabrication has two,
a year apart, the older one worse; running the demo again adds nothing."""

from __future__ import annotations

import datetime

from django.core.management import call_command

from ciodesk.assessments.models import Answer, Assessment, Finding
from ciodesk.core.scope import scope
from ciodesk.security import services_controls
from ciodesk.security.models import Evidence
from ciodesk.tenancy.models import Client


def totals():
    return (
        Assessment.unscoped.count(),
        Answer.unscoped.count(),
        Finding.unscoped.count(),
        Evidence.unscoped.filter(kind="assessment").count(),
    )


def test_the_demo_assessments(db):
    call_command("demo", password="demo-pass-2026")
    first = totals()
    for client in Client.objects.all():
        with scope(client):
            done = list(Assessment.objects.filter(status="complete").order_by("completed_on"))
            assert done, client.slug
            latest = done[-1]
            assert latest.template.slug == "ciodesk-baseline"
            assert latest.rating in {"Low", "Moderate", "High", "Critical"}
            assert len(latest.domain_scores) == 14
            assert Finding.objects.filter(assessment=latest).count() >= 5
            assert Answer.objects.filter(assessment=latest).count() >= 70
            # The newest control evidence still wins: the security demo's story is intact.
            assert Evidence.objects.filter(kind="assessment").exists()
    pacific = Client.objects.get(slug="pacific-fab")
    with scope(pacific):
        older, newer = Assessment.objects.filter(status="complete").order_by("completed_on")
        assert newer.completed_on - older.completed_on == datetime.timedelta(days=365)
        assert older.score < newer.score
        assert older.rating == "Critical"
    harbor = Client.objects.get(slug="harbor-cpa")
    with scope(harbor):
        stale = [row.title for row in services_controls.summary(harbor.today()).stale]
        assert services_controls.control_for("restore-test").definition.title in stale

    call_command("demo", password="demo-pass-2026")
    assert totals() == first
