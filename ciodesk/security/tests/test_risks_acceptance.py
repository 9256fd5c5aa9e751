"""Accepting a risk is the client executive's decision: who, when and why are recorded;
the practice (even the lead) and contributors are refused with a reason."""

import datetime

import pytest

from ciodesk.core.scope import scope
from ciodesk.security.models import Risk, RiskAcceptance
from ciodesk.security.views_risks import risk_accept
from ciodesk.tenancy.access import Level


def url(world) -> str:
    return f"/c/alpha/security/risks/{world.records['a']['risks'].pk}/accept/"


def test_the_view_is_marked_read_level_because_an_executive_writes_through_it():
    assert risk_accept.ciodesk_level == Level.READ
    assert risk_accept.ciodesk_model is Risk


def test_an_executive_accepts_a_risk_with_a_reason(world, as_user):
    client = as_user(world.exec_a)
    assert client.get(url(world)).status_code == 200
    review_by = world.a.today() + datetime.timedelta(days=180)
    response = client.post(
        url(world), {"reason": "Cheaper to insure than to fix", "review_by": review_by}
    )
    risk = world.records["a"]["risks"]
    assert response.status_code == 302
    assert response["Location"] == f"/c/alpha/security/risks/{risk.pk}/"
    with scope(world.a):
        risk.refresh_from_db()
        acceptance = RiskAcceptance.objects.get(risk=risk)
    assert risk.treatment == "accept"
    assert risk.next_review_on == review_by
    assert acceptance.decided_by == world.exec_a
    page = client.get(response["Location"]).content.decode()
    assert "Ava Exec" in page and "Cheaper to insure than to fix" in page
    assert acceptance.decided_at.astimezone(world.a.tz).strftime("%Y-%m-%d") in page
    listing = client.get("/c/alpha/security/risks/").content.decode()
    assert "by Ava Exec on" in listing


def test_a_reason_is_required(world, as_user):
    response = as_user(world.exec_a).post(url(world), {"reason": "   "})
    assert response.status_code == 200
    assert "Say why the risk is accepted" in response.content.decode()
    with scope(world.a):
        assert not RiskAcceptance.objects.filter(risk=world.records["a"]["risks"]).exists()
        assert Risk.objects.get(pk=world.records["a"]["risks"].pk).treatment == "mitigate"


@pytest.mark.parametrize("persona", ["lead", "consultant", "contrib_a"])
def test_no_one_else_accepts_on_the_clients_behalf(world, as_user, persona):
    client = as_user(getattr(world, persona))
    for method in ("get", "post"):
        response = getattr(client, method)(url(world), {"reason": "We can live with it"})
        assert response.status_code == 403
        assert "Only an executive of Alpha Dental can accept a risk." in response.content.decode()
    with scope(world.a):
        assert not RiskAcceptance.objects.filter(risk=world.records["a"]["risks"]).exists()
        assert Risk.objects.get(pk=world.records["a"]["risks"].pk).treatment == "mitigate"


def test_only_the_executive_sees_the_accept_button(world, as_user):
    detail = f"/c/alpha/security/risks/{world.records['a']['risks'].pk}/"
    assert "Accept this risk" in as_user(world.exec_a).get(detail).content.decode()
    assert "Accept this risk" not in as_user(world.lead).get(detail).content.decode()


def test_another_clients_executive_cannot_reach_the_risk(world, as_user):
    assert as_user(world.exec_b).post(url(world), {"reason": "x"}).status_code == 404
