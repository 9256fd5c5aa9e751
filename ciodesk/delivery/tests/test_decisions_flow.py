"""A decision is requested, e-mailed to the executive, and decided by them — not the practice."""

import datetime
import re

import pytest

from ciodesk.conftest import PASSWORD
from ciodesk.core.scope import acting_as, scope
from ciodesk.delivery.models import Decision, DecisionOption


def make_decision(world, **extra):
    with scope(world.a), acting_as("test"):
        decision = Decision.objects.create(
            question=extra.pop("question", "Replace the firewall now?"),
            decider=extra.pop("decider", world.exec_a),
            owner=world.records["a"]["people"],
            deadline=world.a.today() + datetime.timedelta(days=7),
            **extra,
        )
        option = DecisionOption.objects.create(decision=decision, title="Replace now", cost=4800)
        DecisionOption.objects.create(decision=decision, title="Extend support", cost=1200)
    return decision, option


def decide_url(decision):
    return f"/c/alpha/delivery/decisions/{decision.pk}/decide/"


def test_the_executive_approves_with_a_comment_and_an_option(world, as_user):
    decision, option = make_decision(world)
    response = as_user(world.exec_a).post(
        decide_url(decision),
        {"outcome": "approve", "option": option.pk, "comment": "Go ahead before the audit."},
    )
    assert response.status_code == 302
    assert response["Location"] == "/c/alpha/delivery/decisions/"
    decision.refresh_from_db()
    assert decision.status == "approved"
    assert decision.decided_by == world.exec_a
    assert decision.chosen_option == option
    assert decision.decision_comment == "Go ahead before the audit."
    assert decision.decided_at is not None


@pytest.mark.parametrize("persona", ["lead", "consultant"])
def test_a_practice_user_cannot_decide_for_the_client(world, as_user, persona):
    decision, option = make_decision(world, decider=getattr(world, persona))
    client = as_user(getattr(world, persona))
    page = client.get(f"/c/alpha/delivery/decisions/{decision.pk}/").content.decode()
    assert "Only the client&#x27;s executives decide" in page or "executives decide" in page
    assert "Record my decision" not in page
    response = client.post(
        decide_url(decision), {"outcome": "approve", "option": option.pk, "comment": "Yes"}
    )
    assert response.status_code == 403
    assert "Only the client" in response.content.decode()
    decision.refresh_from_db()
    assert decision.status == "pending"


def test_a_contributor_cannot_decide(world, as_user):
    decision, option = make_decision(world)
    response = as_user(world.contrib_a).post(
        decide_url(decision), {"outcome": "reject", "comment": "No"}
    )
    assert response.status_code == 403


def test_another_executive_of_the_client_may_decide_and_is_recorded(world, as_user):
    """Any executive of the client decides; the log keeps who did and whom it was asked of."""
    from ciodesk.conftest import make_user
    from ciodesk.tenancy.models import ClientMembership

    with scope(world.a), acting_as("test"):
        cfo = make_user("cfo-a@example.com", name="Cleo CFO")
        ClientMembership.objects.create(user=cfo, role="executive")
    decision, _ = make_decision(world)
    response = as_user(cfo).post(decide_url(decision), {"outcome": "defer", "comment": "Q3"})
    assert response.status_code == 302
    decision.refresh_from_db()
    assert (decision.status, decision.decided_by, decision.decider) == (
        "deferred",
        cfo,
        world.exec_a,
    )
    log = as_user(cfo).get("/c/alpha/delivery/decisions/").content.decode()
    assert "asked of Ava Exec" in log


def test_approving_needs_the_option_and_a_reason(world, as_user):
    decision, _ = make_decision(world)
    response = as_user(world.exec_a).post(decide_url(decision), {"outcome": "approve"})
    assert response.status_code == 400
    body = response.content.decode()
    assert "Choose the option you approve." in body
    assert "This field is required." in body
    decision.refresh_from_db()
    assert decision.status == "pending"


def test_a_decision_is_made_once(world, as_user):
    decision, _ = make_decision(world)
    client = as_user(world.exec_a)
    client.post(decide_url(decision), {"outcome": "reject", "comment": "Too costly"})
    client.post(decide_url(decision), {"outcome": "defer", "comment": "Changed my mind"})
    decision.refresh_from_db()
    assert (decision.status, decision.decision_comment) == ("rejected", "Too costly")


def test_the_request_form_offers_only_the_clients_executives(world, as_user):
    body = as_user(world.lead).get("/c/alpha/delivery/decisions/new/").content.decode()
    decider = re.search(r'<select name="decider".*?</select>', body, re.S).group(0)
    assert "Ava Exec" in decider
    assert "Lena Lead" not in decider and "Bea Exec" not in decider
    assert "Cory Contributor" not in decider


def request_decision(world, as_user):
    client = as_user(world.lead)
    owner = world.records["a"]["people"]
    data = {
        "question": "Move the file shares to SharePoint?",
        "context": "The server is six years old.",
        "recommendation": "Move in two waves.",
        "recommendation_why": "No server to replace.",
        "deadline": "2026-12-15",
        "decider": world.exec_a.pk,
        "owner": owner.pk,
        "options-TOTAL_FORMS": "3",
        "options-INITIAL_FORMS": "0",
        "options-MIN_NUM_FORMS": "0",
        "options-MAX_NUM_FORMS": "1000",
        "options-0-title": "SharePoint in two waves",
        "options-0-cost": "2600",
        "options-0-currency": "USD",
        "options-0-order": "0",
        "options-1-title": "New server",
        "options-1-cost": "9500",
        "options-1-currency": "USD",
        "options-1-order": "1",
        "options-2-currency": "USD",
        "options-2-order": "0",
    }
    response = client.post("/c/alpha/delivery/decisions/new/", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    client.logout()
    with scope(world.a):
        return Decision.objects.get(question="Move the file shares to SharePoint?")


def test_requesting_a_decision_saves_its_options_and_emails_the_decider(world, as_user, mailoutbox):
    decision = request_decision(world, as_user)
    with scope(world.a):
        assert [o.title for o in decision.options.all()] == [
            "SharePoint in two waves",
            "New server",
        ]
    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert mail.to == ["exec-a@example.com"]
    assert "Move the file shares to SharePoint?" in mail.subject
    assert f"/c/alpha/delivery/decisions/{decision.pk}/" in mail.body
    assert "SharePoint in two waves (2600.00 USD)" in mail.body


def test_the_emailed_link_leads_to_the_decision_after_login(world, client, as_user, mailoutbox):
    decision = request_decision(world, as_user)
    link = re.search(r"https?://\S+/c/alpha/delivery/decisions/\d+/", mailoutbox[0].body).group(0)
    path = "/" + link.split("/", 3)[3]
    assert path == f"/c/alpha/delivery/decisions/{decision.pk}/"

    # Signed out: the link asks for a login and remembers where it was going.
    response = client.get(path, follow=True)
    login_url, status = response.redirect_chain[-1]
    assert status == 302 and login_url.startswith("/accounts/login/?next=")
    assert response.context["next"] == path

    # Signing in lands on the decision, ready to be decided.
    response = client.post(
        login_url, {"email": "exec-a@example.com", "password": PASSWORD, "next": path}, follow=True
    )
    assert response.redirect_chain[-1] == (path, 302)
    body = response.content.decode()
    assert "Move the file shares to SharePoint?" in body
    assert "Record my decision" in body


def test_the_practice_withdraws_a_request_and_it_stays_in_the_log(world, as_user):
    decision, _ = make_decision(world)
    client = as_user(world.consultant)
    response = client.post(
        f"/c/alpha/delivery/decisions/{decision.pk}/withdraw/", {"reason": "Vendor went bust"}
    )
    assert response.status_code == 302
    decision.refresh_from_db()
    assert decision.status == "withdrawn"
    log = client.get("/c/alpha/delivery/decisions/?q=bust").content.decode()
    assert "Replace the firewall now?" in log
