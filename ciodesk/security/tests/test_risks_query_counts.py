"""The risk register's pages run the same number of queries with one risk or five."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ciodesk.core.scope import acting_as, scope
from ciodesk.security.models import ClientControl, Risk, RiskAcceptance


def add_risks(world, n: int) -> None:
    today = world.a.today()
    with scope(world.a), acting_as("test setup"):
        control = ClientControl.objects.first()
        for i in range(n):
            risk = Risk.objects.create(
                title=f"Extra risk {i}",
                owner=world.records["a"]["people"],
                likelihood=1 + i % 5,
                impact=5 - i % 5,
                residual_likelihood=1,
                residual_impact=2,
                next_review_on=today - datetime.timedelta(days=i),
                treatment="accept",
            )
            risk.controls.add(control)
            RiskAcceptance.objects.create(risk=risk, decided_by=world.exec_a, reason="ok")


@pytest.mark.parametrize(
    "url",
    [
        "/c/alpha/security/risks/",
        "/c/alpha/security/risks/export/?format=csv",
        "/c/alpha/security/risks/export/?format=xlsx",
    ],
)
def test_the_risk_pages_run_a_constant_number_of_queries(world, as_user, url):
    client = as_user(world.lead)

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx)

    add_risks(world, 1)
    before = count()
    add_risks(world, 4)
    assert count() == before


def test_a_risks_page_does_not_grow_with_its_controls(world, as_user):
    risk = world.records["a"]["risks"]
    client = as_user(world.exec_a)
    url = f"/c/alpha/security/risks/{risk.pk}/"

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx)

    before = count()
    from ciodesk.security import services_controls

    with scope(world.a), acting_as("test setup"):
        risk.controls.add(*services_controls.ensure_client_controls(world.a)[:5])
        RiskAcceptance.objects.create(risk=risk, decided_by=world.exec_a, reason="ok")
    assert count() == before
