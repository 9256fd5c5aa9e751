"""One of each security record for the URL sweep and the canary crawl (called by conftest)."""

from __future__ import annotations

import datetime
import hashlib

from django.utils import timezone
from django.utils.text import slugify


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def _decider(client):
    from ciodesk.accounts.models import User

    user, _ = User.objects.get_or_create(email=f"decider-{client.slug}@example.com")
    return user


def make_security_records(client, person, text: str = "") -> dict:
    """One of each security record for `client`, every text field carrying `text`.

    Keys are free-form; every model whose pk appears in a URL needs one object here.
    """
    from ciodesk.core.scope import scope
    from ciodesk.security import models as s

    today = datetime.date(2026, 11, 22)
    now = timezone.make_aware(datetime.datetime(2026, 11, 20, 9, 30))
    definition, _ = s.ControlDefinition.objects.get_or_create(
        key="test-mfa-email" + slugify(text),
        defaults={
            "baseline": "test",
            "title": "MFA on e-mail (test)",
            "interval_days": 30,
            "csf": ["PR.AA-03"],
            "cpg": ["3.F"],
            "cis": ["6.3"],
            "e8": ["Multi-factor authentication"],
        },
    )
    with scope(client):
        control = s.ClientControl.objects.create(
            definition=definition,
            owner=person,
            status="in_place",
            notes="notes" + text,
            last_verified_on=today,
        )
        evidence = s.Evidence.objects.create(
            control=control,
            kind="note",
            title="Conditional access screenshot" + text,
            note="All users enforced" + text,
            verified_on=today,
            verified_by_name="Lena Lead" + text,
        )
        coverage = s.CoverageImport.objects.create(
            kind="mfa",
            filename="mfa" + text + ".csv",
            sha256=_sha("1" + text),
            source_format="entra",
            as_of=now,
            rows=1,
            summary={"users": 1, "registered": 1},
        )
        mfa = s.MfaAccount.objects.create(
            coverage_import=coverage,
            user_principal_name=f"pat{text.lower().replace(' ', '')}@example.com",
            display_name="Pat" + text,
            is_mfa_registered=False,
        )
        rmm = s.CoverageImport.objects.create(
            kind="rmm", filename="rmm" + text + ".csv", sha256=_sha("2" + text), as_of=now, rows=1
        )
        device = s.DeviceRecord.objects.create(
            coverage_import=rmm, name="FRONTDESK-01" + text, match_key="frontdesk-01" + text
        )
        backup = s.CoverageImport.objects.create(
            kind="backup",
            filename="backup" + text + ".csv",
            sha256=_sha("3" + text),
            as_of=now,
            rows=1,
        )
        run = s.BackupRun.objects.create(
            coverage_import=backup,
            system="FILESERVER" + text,
            job="Nightly" + text,
            result="success",
            finished_at=now,
        )
        mapping = s.CoverageMapping.objects.create(
            kind="mfa",
            headers_signature="sig" + text,
            headers=["User" + text],
            mapping={"upn": "User" + text},
        )
        risk = s.Risk.objects.create(
            title="Ransomware" + text,
            description="Files encrypted" + text,
            category="Cyber" + text,
            owner=person,
            likelihood=3,
            impact=5,
            planned_actions="Immutable backups" + text,
            next_review_on=today,
        )
        risk.controls.add(control)
        accepted = s.Risk.objects.create(
            title="Macros stay on" + text,
            owner=person,
            likelihood=2,
            impact=3,
            treatment="accept",
            status="closed",  # out of the open register the security tests count
        )
        acceptance = s.RiskAcceptance.objects.create(
            risk=accepted, decided_by=_decider(client), reason="Cost outweighs the risk" + text
        )
        policy = s.InsurancePolicy.objects.create(
            carrier="Coalition" + text,
            policy_number="C-1" + text,
            renewal_date=today.replace(year=2027),
            owner=person,
            notes="n" + text,
        )
        answer_note = s.InsuranceAnswerNote.objects.get_or_create(
            question="INS-01", defaults={"note": "ok" + text}
        )[0]
        questionnaire = s.Questionnaire.objects.create(
            title="Customer security review" + text,
            requested_by="Big Customer" + text,
            owner=person,
            original="clients/none.xlsx",
            filename="q" + text + ".xlsx",
            sha256=_sha("4" + text),
            sheet="Sheet1",
            question_column="A",
            answer_column="B",
        )
        item = s.QuestionnaireItem.objects.create(
            questionnaire=questionnaire,
            row=2,
            question="Do you use MFA?" + text,
            suggested_answer="Yes" + text,
        )
        library = s.AnswerLibraryEntry.objects.create(
            question="Do you use MFA?" + text, answer="Yes, everywhere" + text
        )
        plan, _ = s.IRPlan.objects.get_or_create(  # one per client
            defaults={
                "owner": person,
                "first_hour_steps": "1. Call the MSP" + text,
                "communication_templates": "Dear staff" + text,
            }
        )
        contact = s.IRContact.objects.create(
            plan=plan, role="msp", name="Coastline NOC" + text, phone="555-0199"
        )
        tabletop = s.Tabletop.objects.create(
            held_on=today,
            scenario="Ransomware on a Friday" + text,
            owner=person,
            participants="Owner" + text,
            findings="No offline backup" + text,
        )
        action = s.TabletopAction.objects.create(
            tabletop=tabletop, title="Buy immutable storage" + text, owner=person
        )
        incident = s.Incident.objects.create(
            title="Phishing e-mail" + text, detected_at=now, owner=person, summary="s" + text
        )
        event = s.IncidentEvent.objects.create(
            incident=incident, at=now, entry="Mailbox locked" + text
        )
    return {
        "controls": control,
        "evidence": evidence,
        "coverage_imports": coverage,
        "mfa_accounts": mfa,
        "devices": device,
        "backup_runs": run,
        "coverage_mappings": mapping,
        "risks": risk,
        "risk_acceptances": acceptance,
        "insurance_policies": policy,
        "insurance_notes": answer_note,
        "questionnaires": questionnaire,
        "questionnaire_items": item,
        "answer_library": library,
        "ir_plans": plan,
        "ir_contacts": contact,
        "tabletops": tabletop,
        "tabletop_actions": action,
        "incidents": incident,
        "incident_events": event,
    }
