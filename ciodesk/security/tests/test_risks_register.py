"""The risk register: scores fall in the documented bands, pages show what needs attention."""

import datetime
import io

import pytest
from openpyxl import load_workbook

from ciodesk.core.scope import acting_as, scope
from ciodesk.security.models import ClientControl, Risk
from ciodesk.security.services_risks import band


@pytest.mark.parametrize(
    ("score", "expected"),
    [
        (1, "Low"),
        (4, "Low"),
        (5, "Moderate"),
        (9, "Moderate"),
        (10, "High"),
        (16, "High"),
        (20, "Critical"),
        (25, "Critical"),
    ],
)
def test_a_score_falls_in_its_band_at_the_boundaries(score, expected):
    assert band(score) == expected


def test_every_possible_score_has_a_band_and_nothing_else_does():
    scores = {lik * imp for lik in range(1, 6) for imp in range(1, 6)}
    assert {band(s) for s in scores} == {"Low", "Moderate", "High", "Critical"}
    for wrong in (0, 26):
        with pytest.raises(ValueError):
            band(wrong)


def make_risk(world, title, likelihood=2, impact=3, **extra):
    with scope(world.a), acting_as("test setup"):
        return Risk.objects.create(
            title=title,
            owner=world.records["a"]["people"],
            likelihood=likelihood,
            impact=impact,
            **extra,
        )


def test_the_list_shows_score_band_and_a_review_that_is_past(world, as_user):
    today = world.a.today()
    make_risk(world, "Laptop stolen", 4, 4, next_review_on=today - datetime.timedelta(days=1))
    make_risk(world, "Printer jam", 1, 1, next_review_on=today)
    page = as_user(world.lead).get("/c/alpha/security/risks/").content.decode()
    assert "Laptop stolen" in page
    assert "4 × 4 = <strong>16</strong>" in page
    assert 'badge attention">High' in page
    assert "past review</strong>" in page  # the summary line counts the past one
    assert page.count('badge attention">past review') == 1 + _world_overdue(world)


def _world_overdue(world) -> int:
    record = world.records["a"]["risks"]
    return int(record.next_review_on < world.a.today())


def test_a_risk_whose_linked_control_is_stale_says_so(world, as_user):
    today = world.a.today()
    control = world.records["a"]["controls"]  # 30-day interval, in place
    with scope(world.a), acting_as("test setup"):
        ClientControl.objects.filter(pk=control.pk).update(
            last_verified_on=today - datetime.timedelta(days=30)
        )
    risk = make_risk(world, "Mailbox takeover", 4, 4)
    with scope(world.a):
        risk.controls.add(control)
    client = as_user(world.exec_a)
    detail = client.get(f"/c/alpha/security/risks/{risk.pk}/").content.decode()
    assert "1 linked control is stale: MFA on e-mail (test)" in detail
    listing = client.get("/c/alpha/security/risks/?q=Mailbox").content.decode()
    assert "1 linked: 1 stale" in listing
    with scope(world.a), acting_as("test setup"):
        ClientControl.objects.filter(pk=control.pk).update(last_verified_on=today)
    detail = client.get(f"/c/alpha/security/risks/{risk.pk}/").content.decode()
    assert "is stale" not in detail and ">In place<" in detail


def test_the_practice_adds_a_risk_and_lands_on_it(world, as_user):
    client = as_user(world.consultant)
    form = client.get("/c/alpha/security/risks/new/").content.decode()
    assert 'value="accept"' not in form  # accepting is the executive's decision
    response = client.post(
        "/c/alpha/security/risks/new/",
        {
            "title": "Ransomware on the file server",
            "owner": world.records["a"]["people"].pk,
            "likelihood": "3",
            "impact": "5",
            "treatment": "mitigate",
            "cost_estimate": "4200.00",
            "currency": "USD",
            "controls": [world.records["a"]["controls"].pk],
            "residual_likelihood": "1",
            "residual_impact": "5",
            "next_review_on": "2027-02-01",
            "status": "open",
        },
    )
    assert response.status_code == 302
    with scope(world.a):
        risk = Risk.objects.get(title="Ransomware on the file server")
        assert risk.controls.count() == 1
    assert response["Location"] == f"/c/alpha/security/risks/{risk.pk}/"
    page = client.get(response["Location"]).content.decode()
    assert "= <strong>15</strong>" in page and "= <strong>5</strong>" in page
    assert "$4,200.00" in page


def test_the_form_refuses_accept_and_half_a_residual_rating(world, as_user):
    response = as_user(world.lead).post(
        "/c/alpha/security/risks/new/",
        {
            "title": "Half rated",
            "owner": world.records["a"]["people"].pk,
            "likelihood": "3",
            "impact": "3",
            "treatment": "accept",
            "currency": "USD",
            "residual_likelihood": "2",
            "status": "open",
        },
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Select a valid choice" in page
    assert "Rate both residual likelihood and impact, or neither." in page
    with scope(world.a):
        assert not Risk.objects.filter(title="Half rated").exists()


def test_the_export_has_the_pages_facts(world, as_user):
    today = world.a.today()
    make_risk(world, "Supplier outage", 5, 4, next_review_on=today - datetime.timedelta(days=3))
    client = as_user(world.exec_a)
    response = client.get("/c/alpha/security/risks/export/?format=xlsx&q=Supplier")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    header, row = rows[0], dict(zip(rows[0], rows[1], strict=True))
    assert len(rows) == 2
    assert {"Score", "Band", "Residual band", "Linked controls", "Accepted by"} <= set(header)
    assert (row["Score"], row["Band"], row["Review overdue"]) == (20, "Critical", "Yes")
    csv = client.get("/c/alpha/security/risks/export/?format=csv&q=Supplier").content.decode()
    assert "Supplier outage" in csv and "Critical" in csv
