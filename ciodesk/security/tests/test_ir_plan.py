"""The incident response plan: written from a starting point, contacts prefilled from what
ciodesk knows, and a printed version that fits one sheet of A4 or Letter."""

import datetime
import io

import pytest
from pypdf import PdfReader

from ciodesk.conftest import CANARY
from ciodesk.core.scope import acting_as, scope
from ciodesk.security.models import InsurancePolicy, IRContact, IRPlan
from ciodesk.tenancy.models import Person

BASE = "/c/alpha/security/incident-response/"


@pytest.fixture
def no_plan(world):
    """Alpha without the plan the shared test records give it, a cyber policy with a claims
    hotline and an owner-titled person."""
    with scope(world.a), acting_as("test"):
        IRPlan.objects.all().delete()
        InsurancePolicy.objects.update(claims_hotline="1-800-555-0142")
        Person.objects.create(client=world.a, name="Dana Dentist", title="Owner", phone="555-0101")
    return world


def write_plan(client, world):
    return client.post(
        BASE + "edit/",
        {
            "owner": world.records["a"]["people"].pk,
            "reviewed_on": "2026-11-01",
            "first_hour_steps": "1. Unplug, do not switch off.\n2. Call the **MSP**.",
            "communication_templates": "## Staff notice\nDo not turn computers off.\n\n"
            "## Customer notice\nWe are working on it.",
        },
    )


def test_the_empty_state_offers_to_write_the_plan(no_plan, as_user):
    body = as_user(no_plan.lead).get(BASE).content.decode()
    assert "has no incident response plan yet" in body and "Write it now" in body
    body = as_user(no_plan.exec_a).get(BASE).content.decode()
    assert "Your practice lead writes it with you." in body


def test_a_new_plan_starts_from_ciodesks_steps_and_templates(no_plan, as_user):
    body = as_user(no_plan.lead).get(BASE + "edit/").content.decode()
    assert "Unplug, do not switch off." in body and "## Staff notice" in body


def test_saving_the_plan_prefills_the_contacts_from_the_policy_msp_and_executives(no_plan, as_user):
    client = as_user(no_plan.lead)
    response = write_plan(client, no_plan)
    assert response.status_code == 302
    with scope(no_plan.a):
        contacts = list(IRContact.objects.values_list("role", "name", "phone"))
    assert contacts == [
        ("insurer", "Coalition claims hotline", "1-800-555-0142"),
        ("msp", "Jo Manager", ""),
        ("executive", "Dana Dentist", "555-0101"),
        ("executive", "Pat Owner", "555-0100"),
    ]
    body = client.get(BASE).content.decode()
    assert "<strong>MSP</strong>" in body  # the steps are Markdown, rendered
    assert "<h2>Staff notice</h2>" in body
    assert "1-800-555-0142" in body and "is not among the contacts" not in body
    assert CANARY not in as_user(no_plan.exec_a).get(BASE).content.decode()


def test_a_hotline_missing_from_the_contacts_is_pointed_out(world, as_user):
    with scope(world.a), acting_as("test"):
        InsurancePolicy.objects.update(claims_hotline="1-800-555-0142")
    client = as_user(world.lead)
    body = client.get(BASE).content.decode()
    assert "claims hotline (1-800-555-0142) is not among the contacts" in body
    form = client.get(BASE + "contacts/new/?role=insurer").content.decode()
    assert 'value="1-800-555-0142"' in form and 'value="Coalition claims hotline"' in form


def test_contacts_are_added_to_the_plan_and_listed_in_order(world, as_user):
    client = as_user(world.lead)
    response = client.post(
        BASE + "contacts/new/",
        {"role": "legal", "name": "Sam Counsel", "phone": "555-0177", "order": 0},
    )
    assert response.status_code == 302 and response["Location"] == BASE
    body = client.get(BASE).content.decode()
    assert body.index("Sam Counsel") < body.index("Coastline NOC")
    export = client.get(BASE + "contacts/export/?format=csv").content.decode()
    assert "Legal counsel,Sam Counsel" in export


def test_an_executive_reads_the_plan_but_does_not_edit_it(world, as_user):
    client = as_user(world.exec_a)
    assert client.get(BASE).status_code == 200
    assert client.get(BASE + "edit/").status_code == 403
    assert client.post(BASE + "contacts/new/", {"role": "msp", "name": "X"}).status_code == 403


def realistic_plan(world):
    """A full plan: ciodesk's ten steps, three templates, eight contacts with long lines."""
    from ciodesk.security.forms_ir import COMMUNICATION_TEMPLATES, FIRST_HOUR_STEPS

    with scope(world.a), acting_as("test"):
        plan = IRPlan.objects.get()
        plan.first_hour_steps = FIRST_HOUR_STEPS
        plan.communication_templates = COMMUNICATION_TEMPLATES
        plan.reviewed_on = datetime.date(2026, 11, 1)
        plan.save()
        plan.contacts.all().delete()
        people = [
            (
                "insurer",
                "Coalition claims hotline",
                "Coalition Insurance Solutions",
                "1-833-866-1337",
            ),
            ("msp", "Coastline Managed IT — NOC", "Coastline Managed IT", "555-0199"),
            ("forensics", "Breach response team", "Arete Incident Response", "1-866-210-0955"),
            ("legal", "Sam Counsel", "Counsel & Partners LLP", "555-0177"),
            ("executive", "Dana Dentist", "Owner", "555-0101"),
            ("executive", "Pat Owner", "Practice manager", "555-0100"),
            ("police", "FBI field office (IC3 report)", "FBI", "555-0123"),
            ("other", "Bank fraud desk", "First Coastal Bank", "1-800-555-0188"),
        ]
        for order, (role, name, organisation, phone) in enumerate(people, start=1):
            IRContact.objects.create(
                plan=plan,
                role=role,
                name=name,
                organisation=organisation,
                phone=phone,
                email=f"contact{order}@example.com",
                when_to_call="Within the first hour, after isolating the affected machines.",
                order=order,
            )


def test_the_printed_plan_fits_one_a4_sheet(world, as_user):
    realistic_plan(world)
    response = as_user(world.exec_a).get(BASE + "print/?format=pdf")
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)  # A4 in points
    text = reader.pages[0].extract_text()
    assert "1-833-866-1337" in text and "Bank fraud desk" in text
    assert "Tell staff what to do" in text  # the tenth step made it onto the page
    assert "page 1 of 1" in text


def test_the_printed_plan_fits_one_letter_sheet(world, as_user):
    from weasyprint import CSS, HTML

    realistic_plan(world)
    html = as_user(world.exec_a).get(BASE + "print/").content.decode()
    assert '<button type="button" data-print>Print</button>' in html
    pdf = HTML(string=html).write_pdf(stylesheets=[CSS(string="@page { size: letter; }")])
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == 1
    assert round(float(reader.pages[0].mediabox.height)) == 792  # Letter: 11 in
