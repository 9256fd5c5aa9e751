"""The client dossier: everything a successor CIO needs, in the page and in the PDF."""

from ciodesk.conftest import CANARY
from ciodesk.core.scope import scope
from ciodesk.reports.tests.factories import pdf_text


def expected(world) -> list[str]:
    from ciodesk.vendors import contracts

    with scope(world.a):
        contract = world.records["a"]["contracts"]
        deadline = contracts.facts(contract, world.a.today()).notice_deadline
    control = world.records["a"]["controls"]
    return [
        "Pat Owner",  # people
        "Microsoft 365",  # key systems
        "Head office",  # sites
        "Coastline Managed IT",  # vendors
        f"{deadline:%Y-%m-%d}",  # the contract's notice deadline
        f"{control.last_verified_on:%Y-%m-%d}",  # the control's evidence date
        "Conditional access screenshot",  # the evidence itself
        "Ransomware",  # risks
        "Enforce MFA",  # roadmap
        "Replace the firewall?",  # decisions
        "Office move",  # open projects
        "Coastline NOC",  # incident response contacts
        "555-0199",
        "Coalition",  # the insurer
    ]


def test_the_dossier_page_holds_what_a_successor_needs(world, as_user):
    body = as_user(world.exec_a).get("/c/alpha/reports/dossier/").content.decode()
    for fact in expected(world):
        assert fact in body, fact
    assert CANARY not in body


def test_the_dossier_pdf_holds_the_same(world, as_user):
    response = as_user(world.exec_a).get("/c/alpha/reports/dossier/pdf/")
    assert response["Content-Type"] == "application/pdf"
    pages, text = pdf_text(response.content)
    assert pages >= 2
    for fact in expected(world):
        assert fact in text, fact
    assert CANARY not in text
