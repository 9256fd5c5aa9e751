"""Shared fixtures: a small practice with personas, in the spirit of healthchecks' BaseTestCase.

    lead         practice lead (sees every client)
    consultant   practice consultant assigned to client A only
    exec_a       executive of client A         contrib_a   contributor of client A
    exec_b       executive of client B
Client B's records carry CANARY in every text field: it must never reach A's users.
"""

from __future__ import annotations

import functools
import os
from dataclasses import dataclass
from decimal import Decimal

import pytest

from ciodesk.core.scope import acting_as, scope

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API + ORM

CANARY = "CANARY-b7e4q"
PASSWORD = "correct-horse-battery-77"


@dataclass
class World:
    practice: object
    a: object
    b: object
    lead: object
    consultant: object
    exec_a: object
    contrib_a: object
    exec_b: object
    records: dict


def make_client(slug: str, name: str, text: str = ""):
    from ciodesk.tenancy.models import Client

    return Client.objects.create(
        slug=slug,
        name=name + text,
        industry="Accounting" + text,
        employee_count=40,
        time_zone="America/Los_Angeles",
        retainer_monthly_fee=Decimal("4500.00"),
        retainer_included_hours=Decimal("16"),
    )


def make_records(client, text: str = "") -> dict:
    """One of each dossier record for a client, every text field carrying `text`."""
    from ciodesk.tenancy.models import KeySystem, Note, Person, Site

    with scope(client):
        person = Person.objects.create(
            client=client,
            name="Pat Owner" + text,
            title="Owner" + text,
            email=f"pat{text.lower()}@example.com",
            phone="555-0100",
            notes="notes" + text,
        )
        system = KeySystem.objects.create(
            name="Microsoft 365" + text,
            purpose="E-mail" + text,
            vendor_name="Microsoft" + text,
            owner=person,
            criticality="critical",
            data_location="US" + text,
        )
        site = Site.objects.create(
            name="Head office" + text,
            address="1 Main St" + text,
            internet_circuit="Fibre" + text,
            notes="closet" + text,
        )
        note = Note.objects.create(title="Context" + text, body="Some **markdown**" + text)
    records = {"people": person, "systems": system, "sites": site, "notes": note}
    records.update(make_vendor_records(client, person, text))
    from ciodesk.budget.testing import make_budget_records
    from ciodesk.security.testing import make_security_records

    records.update(make_security_records(client, person, text))
    records.update(make_budget_records(client, person, text))
    from ciodesk.delivery.testing import make_delivery_records
    from ciodesk.reports.testing import make_reports_records

    records.update(make_delivery_records(client, person, text))
    records.update(make_reports_records(client, person, text))
    from ciodesk.assessments.testing import make_assessments_records
    from ciodesk.roadmap.testing import make_roadmap_records

    records.update(make_assessments_records(client, person, text))
    records.update(make_roadmap_records(client, person, text))
    return records


def make_vendor_records(client, person, text: str = "") -> dict:
    """One of each vendors record, every text field carrying `text`."""
    import datetime

    from django.utils import timezone

    from ciodesk.vendors import models as v

    today = datetime.date(2026, 11, 22)
    with scope(client):
        vendor = v.Vendor.objects.create(
            name="Coastline Managed IT" + text,
            category="msp",
            owner=person,
            account_manager="Jo Manager" + text,
            notes="MSP" + text,
        )
        contract = v.Contract.objects.create(
            vendor=vendor,
            title="Managed services" + text,
            start_date=today.replace(year=2024),
            end_date=today.replace(year=2027),
            auto_renew=True,
            renewal_term_months=12,
            notice_days=60,
            annual_value="54000.00",
            owner=person,
            cancellation_method="Written notice" + text,
        )
        policy = v.SLAPolicy.objects.create(contract=contract)
        holiday = v.Holiday.objects.create(policy=policy, date=today, name="Holiday" + text)
        mapping = v.PriorityMapping.objects.create(
            vendor=vendor, label="Emergency" + text, priority="P1"
        )
        ticket_import = v.TicketImport.objects.create(
            vendor=vendor,
            filename="tickets" + text + ".csv",
            sha256="0" * 64,
            source_format="connectwise",
            status="done",
            rows_total=1,
            rows_done=1,
        )
        created = timezone.make_aware(datetime.datetime(2026, 10, 5, 9, 0))
        ticket = v.Ticket.objects.create(
            vendor=vendor,
            number="1001",
            summary="Printer down" + text,
            board="Help Desk",
            status="Closed",
            priority_label="Priority 2 - High",
            priority="P2",
            category="Printing" + text,
            requester="Pat" + text,
            created_at=created,
            first_response_at=created + datetime.timedelta(minutes=20),
            resolved_at=created + datetime.timedelta(hours=3),
            last_import=ticket_import,
        )
        column_mapping = v.ColumnMapping.objects.create(
            vendor=vendor,
            headers_signature="sig" + text,
            headers=["Ticket" + text],
            mapping={"number": "Ticket" + text},
        )
        review = v.VendorReview.objects.create(
            vendor=vendor,
            quarter="2026-Q3",
            since=datetime.date(2026, 7, 1),
            until=datetime.date(2026, 9, 30),
            responsiveness=4,
            communication=3,
            proactivity=2,
            value=3,
            comments="Slow on projects" + text,
            owner=person,
            reviewed_on=today,
        )
        escalation = v.Escalation.objects.create(
            vendor=vendor,
            issue="Backups failing" + text,
            raised_on=today,
            vendor_contact="Jo" + text,
            owner=person,
            ticket_numbers="1001",
        )
        evaluation = v.Evaluation.objects.create(
            title="MSP market check" + text, incumbent=vendor, owner=person, notes="n" + text
        )
        criterion = v.EvaluationCriterion.objects.create(
            evaluation=evaluation, name="Security" + text, weight=3
        )
        candidate = v.Candidate.objects.create(
            evaluation=evaluation, name="Harborview IT" + text, annual_cost="48000.00"
        )
        score = v.CandidateScore.objects.create(candidate=candidate, criterion=criterion, score=4)
        task = v.TransitionTask.objects.create(
            evaluation=evaluation, title="Collect admin passwords" + text, owner=person
        )
    return {
        "vendors": vendor,
        "contracts": contract,
        "sla": policy,
        "holidays": holiday,
        "priority_mappings": mapping,
        "ticket_imports": ticket_import,
        "tickets": ticket,
        "column_mappings": column_mapping,
        "reviews": review,
        "escalations": escalation,
        "evaluations": evaluation,
        "criteria": criterion,
        "candidates": candidate,
        "scores": score,
        "transition_tasks": task,
    }


@functools.cache
def _password_hash() -> str:
    """PASSWORD hashed once with the real (argon2) hasher: hashing per user is slow by design."""
    from django.contrib.auth.hashers import make_password

    return make_password(PASSWORD)


def make_user(email: str, **extra):
    from ciodesk.accounts.models import User

    return User.objects.create(
        email=email, password=_password_hash(), full_name=extra.pop("name", "")
    )


@pytest.fixture
def world(db) -> World:
    from ciodesk.tenancy.models import ClientMembership, Practice, PracticeMembership

    with acting_as("test setup"):
        practice = Practice.objects.create(name="Test Practice")
        a = make_client("alpha", "Alpha Dental")
        b = make_client("bravo", "Bravo Fab", f" {CANARY}")
        lead = make_user("lead@example.com", name="Lena Lead")
        consultant = make_user("consultant@example.com", name="Carl Consultant")
        exec_a = make_user("exec-a@example.com", name="Ava Exec")
        contrib_a = make_user("contrib-a@example.com", name="Cory Contributor")
        exec_b = make_user("exec-b@example.com", name=f"Bea Exec {CANARY}")
        PracticeMembership.objects.create(user=lead, role="lead")
        PracticeMembership.objects.create(user=consultant, role="consultant")
        records = {"a": make_records(a), "b": make_records(b, f" {CANARY}")}
        for client, user, role in [
            (a, consultant, "consultant"),
            (a, exec_a, "executive"),
            (a, contrib_a, "contributor"),
            (b, exec_b, "executive"),
        ]:
            with scope(client):
                ClientMembership.objects.create(user=user, role=role)
    return World(practice, a, b, lead, consultant, exec_a, contrib_a, exec_b, records)


def sign_in(django_client, user):
    """Log in as `user` with the second factor passed, as after a real TOTP sign-in."""
    django_client.force_login(user)
    session = django_client.session
    session["otp_verified"] = True
    session.save()
    return django_client


@pytest.fixture
def as_user(client):
    def login(user):
        return sign_in(client, user)

    return login


def sweep_object(world: World, model, client):
    """An object of `model` belonging to `client`, for the URL sweep and the canary crawl.

    New client-owned models that appear in URLs get a line here (or a record in make_records).
    """
    from ciodesk.tenancy.models import ClientMembership, Invitation

    key = "a" if client.pk == world.a.pk else "b"
    for obj in world.records[key].values():
        if isinstance(obj, model):
            return obj
    with scope(client), acting_as("test setup"):
        if model is ClientMembership:
            return ClientMembership.objects.filter(role="executive").first()
        if model is Invitation:
            import datetime

            from django.utils import timezone

            obj, _ = Invitation.objects.get_or_create(
                email=f"invitee-{key}@example.com",
                defaults={
                    "role": "executive",
                    "token_hash": f"sweep-{key}",
                    "invited_by": world.lead,
                    "expires_at": timezone.now() + datetime.timedelta(days=7),
                },
            )
            return obj
    raise AssertionError(f"No sweep object for {model.__name__}: add one in ciodesk/conftest.py")
