"""The decision log: waiting requests (the executive's own first), search, export, queries."""

import csv
import datetime
import io

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from openpyxl import load_workbook

from ciodesk.core.scope import acting_as, scope
from ciodesk.delivery.models import Decision, DecisionOption

LIST = "/c/alpha/delivery/decisions/"
EXPORT = "/c/alpha/delivery/decisions/export/"


def decided(world, question, comment, status="approved", days_ago=3):
    with scope(world.a), acting_as("test"):
        decision = Decision.objects.create(
            question=question,
            decider=world.exec_a,
            owner=world.records["a"]["people"],
            status=status,
            decided_by=world.exec_a,
            decided_at=timezone.now() - datetime.timedelta(days=days_ago),
            decision_comment=comment,
        )
        option = DecisionOption.objects.create(decision=decision, title=f"{question} option")
        decision.chosen_option = option
        decision.contracts.add(world.records["a"]["contracts"])
        decision.risks.add(world.records["a"]["risks"])
        decision.save()
    return decision


def pending(world, question, decider, days):
    with scope(world.a), acting_as("test"):
        return Decision.objects.create(
            question=question,
            decider=decider,
            owner=world.records["a"]["people"],
            deadline=world.a.today() + datetime.timedelta(days=days),
        )


def test_the_executive_sees_their_own_waiting_decisions_first(world, as_user):
    pending(world, "Someone else's, due soon", world.lead, 1)
    pending(world, "Mine, due later", world.exec_a, 20)
    body = as_user(world.exec_a).get(LIST).content.decode()
    waiting = body.split("Decision log")[0]
    assert waiting.index("Mine, due later") < waiting.index("Someone else&#x27;s, due soon")
    assert waiting.index("Mine, due later") < waiting.index("Replace the firewall?")


def test_the_log_shows_what_who_when_why(world, as_user):
    decided(world, "Enforce MFA everywhere?", "The insurer requires it.")
    body = as_user(world.exec_a).get(LIST).content.decode()
    log = body.split("Decision log")[1]
    assert "Enforce MFA everywhere?" in log
    assert "Approved" in log and "Ava Exec" in log
    assert "The insurer requires it." in log
    assert "Managed services" in log  # the linked contract


def test_the_log_is_searchable(world, as_user):
    decided(world, "Enforce MFA everywhere?", "The insurer requires it.")
    decided(world, "Renew the MSP for three years?", "Wait for the scorecard.", "deferred")
    client = as_user(world.exec_a)
    body = client.get(LIST + "?q=scorecard").content.decode()
    assert "Renew the MSP for three years?" in body
    assert "Enforce MFA everywhere?" not in body
    fragment = client.get(LIST + "?q=insurer", HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in fragment
    assert "Enforce MFA everywhere?" in fragment and "Renew the MSP" not in fragment
    # a search by an option's title finds the decision once
    body = client.get(LIST + "?q=everywhere%3F option").content.decode()
    assert body.count(">Enforce MFA everywhere?</a>") == 1


def test_the_log_exports_as_csv_and_xlsx(world, as_user):
    decided(world, "Enforce MFA everywhere?", "The insurer requires it.")
    decided(world, "Renew the MSP for three years?", "Wait for the scorecard.", "deferred")
    client = as_user(world.exec_a)
    response = client.get(EXPORT + "?format=csv&q=insurer")
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert [r["What"] for r in rows] == ["Enforce MFA everywhere?"]
    row = rows[0]
    assert (row["Status"], row["Decided by"], row["Why"]) == (
        "Approved",
        "Ava Exec",
        "The insurer requires it.",
    )
    assert row["Chosen option"] == "Enforce MFA everywhere? option"
    assert row["Links"] == "Contract: Coastline Managed IT — Managed services; Risk: Ransomware"

    response = client.get(EXPORT + "?format=xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).active
    questions = [r[0] for r in sheet.iter_rows(min_row=2, values_only=True)]
    assert set(questions) == {
        "Replace the firewall?",
        "Enforce MFA everywhere?",
        "Renew the MSP for three years?",
    }


def count(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx)


def test_the_decision_pages_run_a_constant_number_of_queries(world, as_user):
    client = as_user(world.exec_a)
    first = decided(world, "Decision 0", "why 0")
    urls = [LIST, EXPORT + "?format=csv", f"/c/alpha/delivery/decisions/{first.pk}/"]
    before = [count(client, url) for url in urls]
    for i in range(1, 5):
        decided(world, f"Decision {i}", f"why {i}")
        pending(world, f"Waiting {i}", world.exec_a, i)
    with scope(world.a), acting_as("test"):
        for i in range(4):
            DecisionOption.objects.create(decision=first, title=f"Extra option {i}")
    assert [count(client, url) for url in urls] == before
