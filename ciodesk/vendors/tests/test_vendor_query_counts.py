"""Vendors pages run the same number of queries with one record of each kind or five."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ciodesk.conftest import make_vendor_records
from ciodesk.core.scope import acting_as

PAGES = [
    "/c/alpha/vendors/",
    "/c/alpha/vendors/contracts/",
    "/c/alpha/vendors/reviews/",
    "/c/alpha/vendors/escalations/",
    "/c/alpha/vendors/evaluations/",
    "/c/alpha/vendors/evaluations/export/?format=csv",
]


@pytest.mark.parametrize("url", PAGES)
def test_the_page_runs_a_constant_number_of_queries(world, as_user, url):
    client = as_user(world.lead)

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx)

    before = count()
    with acting_as("test setup"):
        for i in range(4):
            make_vendor_records(world.a, world.records["a"]["people"], f" {i}")
    assert count() == before


@pytest.mark.parametrize("page", ["", "tickets/", "tickets/imports/", "scorecard/"])
def test_a_vendors_pages_run_a_constant_number_of_queries(world, as_user, page):
    import datetime

    from ciodesk.core.scope import scope
    from ciodesk.vendors.models import Ticket

    vendor = world.records["a"]["vendors"]
    url = f"/c/alpha/vendors/{vendor.pk}/{page}?since=2026-10-01&until=2026-10-31"
    client = as_user(world.lead)

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx)

    before = count()
    first = world.records["a"]["tickets"]
    with scope(world.a), acting_as("test setup"):
        for i in range(5):
            Ticket.objects.create(
                vendor=vendor,
                number=f"20{i}",
                summary="Printer",
                priority="P3",
                priority_label="Priority 3 - Normal Response",
                created_at=first.created_at + datetime.timedelta(hours=i),
            )
    assert count() == before
