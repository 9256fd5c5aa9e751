"""The security demo: a realistic posture per client, loaded through the importers."""

from django.core.management import call_command

from ciodesk.core.scope import scope
from ciodesk.security import services_controls
from ciodesk.security.models import (
    CoverageImport,
    InsurancePolicy,
    Questionnaire,
    QuestionnaireItem,
    Risk,
)
from ciodesk.security.services_insurance import readiness
from ciodesk.tenancy.models import Client


def test_each_demo_client_has_a_realistic_posture(db):
    call_command("demo", password="demo-pass-2026")
    for client in Client.objects.all():
        with scope(client):
            today = client.today()
            kinds = set(CoverageImport.objects.values_list("kind", flat=True))
            assert kinds == {"mfa", "rmm", "edr", "backup"}
            assert 8 <= Risk.objects.count() <= 15
            assert InsurancePolicy.objects.count() == 1
            summary = services_controls.summary(today)
            assert 0 < summary.in_place < summary.applicable  # some in place, some missing
            answers = [a.answer for a in readiness(today).answers]
            assert "Yes" in answers and ("No" in answers or "Partial" in answers)
    harbor = Client.objects.get(slug="harbor-cpa")
    with scope(harbor):
        stale = [row.title for row in services_controls.summary(harbor.today()).stale]
        restore = services_controls.control_for("restore-test")
        assert restore.definition.title in stale  # the restore test was 200 days ago
        assert Questionnaire.objects.count() == 1
        assert QuestionnaireItem.objects.filter(status="approved").exists()
