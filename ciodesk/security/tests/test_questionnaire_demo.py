"""The demo's answered questionnaire and incident response records, loaded twice."""

import datetime
import io

from openpyxl import load_workbook

from ciodesk.core.scope import acting_as, scope
from ciodesk.security import questionnaire_workbook as workbook
from ciodesk.security import services_controls
from ciodesk.security.demo_questionnaires import SHEET, load_ir_demo, load_questionnaire_demo
from ciodesk.security.models import Incident, IRContact, IRPlan, Questionnaire, Tabletop

TODAY = datetime.date(2026, 11, 22)


def test_the_demo_questionnaire_is_answered_and_loads_once(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    owner = world.records["a"]["people"]
    with scope(world.a), acting_as("ciodesk demo"):
        services_controls.ensure_client_controls(world.a)
        for key in ("mfa-email", "mfa-admins", "backups", "disk-encryption"):
            services_controls.add_evidence(
                services_controls.control_for(key),
                kind="note",
                title="Checked",
                verified_on=TODAY - datetime.timedelta(days=3),
                status="in_place",
            )
        first = load_questionnaire_demo(world.a, owner, TODAY)
        again = load_questionnaire_demo(world.a, owner, TODAY)
        assert again.pk == first.pk
        assert Questionnaire.objects.filter(requested_by="Harbor Health Partners").count() == 1
        items = list(first.items.all())
        approved = [i for i in items if i.status == "approved"]
        assert len(items) == 11 and len(approved) == 4
        data = workbook.filled_workbook(first, items)
    sheet = load_workbook(io.BytesIO(data))[SHEET]
    assert sheet["C5"].value.startswith("Yes.")  # MFA on e-mail, row 5


def test_the_demo_incident_response_records_load_once(world):
    owner = world.records["a"]["people"]
    with scope(world.a), acting_as("ciodesk demo"):
        IRPlan.objects.all().delete()
        Tabletop.objects.all().delete()
        Incident.objects.all().delete()
        for _ in range(2):
            load_ir_demo(world.a, owner, TODAY)
        assert IRPlan.objects.count() == 1 and Tabletop.objects.count() == 1
        assert Incident.objects.get().events.count() == 4
        assert IRContact.objects.filter(role="msp").count() == 1
