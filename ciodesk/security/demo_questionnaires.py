"""Demo data for questionnaires and incident response (called by the security demo loader).

Idempotent: the questionnaire (by its title), the plan, the exercise and the incident are
created only when the client has none yet. Run inside ``scope(client)``.
"""

from __future__ import annotations

import datetime
import io

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill

from ciodesk.security import services_questionnaires as services
from ciodesk.security.forms_ir import COMMUNICATION_TEMPLATES, FIRST_HOUR_STEPS
from ciodesk.security.models import (
    Incident,
    IncidentEvent,
    IRPlan,
    Questionnaire,
    Tabletop,
    TabletopAction,
)
from ciodesk.security.questionnaire_workbook import Mapping
from ciodesk.security.services_ir import prefill_contacts

SHEET = "Supplier security"
QUESTIONS = [
    ("1. Identity and access", None),
    ("Is multi-factor authentication enforced for all e-mail accounts?", True),
    ("Is MFA required for all administrator accounts?", True),
    ("Are user access rights reviewed at least twice a year?", True),
    ("Is access removed on an employee's last day?", True),
    ("2. Data protection", None),
    ("Are critical data backed up every day?", True),
    ("Is at least one backup copy offline or immutable?", True),
    ("When was a restore from backup last tested?", False),
    ("Are laptops encrypted?", True),
    ("3. Detection and response", None),
    ("Is EDR deployed on all workstations and servers?", True),
    ("Do you have a written incident response plan?", True),
    ("Do staff receive security awareness training every year?", False),
]


def customer_workbook(customer: str) -> bytes:
    """A supplier questionnaire as a customer would send it (title, section bands, widths)."""
    book = Workbook()
    ws = book.active
    ws.title = SHEET
    ws["A1"] = f"{customer} — supplier security questionnaire"
    ws["A1"].font = Font(bold=True, size=14)
    ws.merge_cells("A1:C1")
    ws.append([])
    ws.append(["Ref", "Question", "Response"])
    for cell in ws[3]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="D9E1F2")
    number = 0
    for text, _ in QUESTIONS:
        row = ws.max_row + 1
        if _ is None:
            ws.cell(row=row, column=1, value=text).font = Font(bold=True)
            ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=3)
            continue
        number += 1
        ws.cell(row=row, column=1, value=f"Q{number}")
        ws.cell(row=row, column=2, value=text).alignment = Alignment(wrap_text=True)
        ws.cell(row=row, column=3).alignment = Alignment(wrap_text=True)
    for column, width in zip("ABC", (8, 60, 50), strict=True):
        ws.column_dimensions[column].width = width
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def load_questionnaire_demo(client, owner, today: datetime.date, user=None) -> Questionnaire:
    """One answered questionnaire: most answers approved, the uncertain ones left to review."""
    customer = "Harbor Health Partners"
    existing = Questionnaire.objects.filter(title=f"{customer} supplier review").first()
    if existing is not None:
        return existing
    data = customer_workbook(customer)
    questionnaire = services.create_questionnaire(
        data=data,
        filename="Harbor Health supplier questionnaire.xlsx",
        mapping=Mapping(SHEET, "B", "C", 4),
        title=f"{customer} supplier review",
        requested_by=customer,
        due_on=today + datetime.timedelta(days=14),
        owner=owner,
        today=today,
    )
    approve = {text for text, ok in QUESTIONS if ok}
    for item in questionnaire.items.all():
        if item.question in approve and item.suggested_answer and not item.caution:
            services.approve(item, item.suggested_answer, user, today)
    return questionnaire


def load_ir_demo(client, owner, today: datetime.date) -> None:
    """A plan with prefilled contacts, last spring's tabletop and a closed phishing incident."""
    if not IRPlan.objects.exists():
        plan = IRPlan.objects.create(
            owner=owner,
            first_hour_steps=FIRST_HOUR_STEPS,
            communication_templates=COMMUNICATION_TEMPLATES,
            reviewed_on=today - datetime.timedelta(days=45),
        )
        prefill_contacts(plan)
    if not Tabletop.objects.exists():
        tabletop = Tabletop.objects.create(
            held_on=today - datetime.timedelta(days=160),
            scenario="Ransomware on a Friday afternoon",
            participants="Owner, office manager, MSP service manager, fractional CIO",
            findings="- Nobody knew the insurer's claims number.\n"
            "- The last restore test was over a year old.\n"
            "- The MSP's after-hours line went to voicemail.",
            owner=owner,
        )
        for title, days, done in [
            ("Print the one-page plan and pin it by the phone", -150, True),
            ("Test a full restore of the file server", -120, True),
            ("Agree an after-hours escalation number with the MSP", 20, False),
        ]:
            TabletopAction.objects.create(
                tabletop=tabletop,
                title=title,
                owner=owner,
                due_on=today + datetime.timedelta(days=days),
                done=done,
            )
    if not Incident.objects.exists():
        detected = timezone.make_aware(
            datetime.datetime.combine(today - datetime.timedelta(days=38), datetime.time(10, 12)),
            client.tz,
        )
        incident = Incident.objects.create(
            title="Phishing e-mail: one mailbox signed in from abroad",
            detected_at=detected,
            severity=Incident.Severity.MEDIUM,
            status=Incident.Status.CLOSED,
            owner=owner,
            summary="A staff member entered her password on a fake Microsoft page; MFA "
            "blocked the attacker's sign-in. Password reset, no data accessed.",
        )
        for minutes, entry in [
            (0, "Staff member reports a strange sign-in prompt after clicking an invoice link."),
            (9, "MSP confirms a blocked sign-in from abroad; MFA stopped it."),
            (25, "Password reset, sessions revoked, the e-mail purged from every mailbox."),
            (70, "Owner informed; no data accessed, insurer not notified (no loss)."),
        ]:
            IncidentEvent.objects.create(
                incident=incident, at=detected + datetime.timedelta(minutes=minutes), entry=entry
            )
