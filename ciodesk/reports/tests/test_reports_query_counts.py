"""The reports pages run the same number of queries with one record of each kind or five."""

import pytest
from django.db import connection

from ciodesk.conftest import make_records
from ciodesk.core.scope import acting_as

PAGES = [
    "/c/alpha/reports/brief/",
    "/c/alpha/reports/brief/card/",
    "/c/alpha/reports/dossier/",
    "/c/alpha/reports/",
]


@pytest.mark.parametrize("url", PAGES)
def test_the_page_runs_a_constant_number_of_queries(world, as_user, url):
    client = as_user(world.lead)

    def count() -> int:
        # Counted with an execute wrapper: the cursor stays as in production (the debug
        # cursor of CaptureQueriesContext formats every statement with its parameters).
        statements = []

        def counted(execute, sql, params, many, context):
            statements.append(sql)
            return execute(sql, params, many, context)

        with connection.execute_wrapper(counted):
            assert client.get(url).status_code == 200
        return len(statements)

    before = count()
    with acting_as("test setup"):
        for i in range(4):
            make_records(world.a, f" more {i}")
    assert count() == before
