"""The readiness page and its exports run the same number of queries with one evidence item
per control or five."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ciodesk.core.scope import acting_as, scope
from ciodesk.security import services_controls as controls

KEYS = ["mfa-email", "backups", "restore-test", "endpoint-protection", "governance"]


def add_evidence(world, n: int) -> None:
    today = world.a.today()
    with scope(world.a), acting_as("test setup"):
        for key in KEYS:
            control = controls.control_for(key)
            for i in range(n):
                controls.add_evidence(
                    control,
                    kind="note",
                    title=f"{key} check {i}",
                    verified_on=today - datetime.timedelta(days=i),
                    status="in_place",
                )


@pytest.mark.parametrize(
    "url",
    ["/c/alpha/security/insurance/", "/c/alpha/security/insurance/readiness.xlsx"],
)
def test_the_readiness_pages_run_a_constant_number_of_queries(world, as_user, url):
    client = as_user(world.exec_a)

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx)

    add_evidence(world, 1)
    count()  # the first visit creates the client's baseline controls
    before = count()
    add_evidence(world, 4)
    assert count() == before
