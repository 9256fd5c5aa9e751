from __future__ import annotations

import pytest
from django.test import override_settings

from ciodesk.intake.tests.dns_server import local_dns


@pytest.fixture
def dns_zone():
    """Start a local DNS server with the given records and point the review at it."""
    started = []

    def start(records: dict | None = None, silent: bool = False):
        manager = local_dns(records, silent)
        server = manager.__enter__()
        settings = override_settings(
            RISK_REVIEW_DNS_SERVERS=["127.0.0.1"], RISK_REVIEW_DNS_PORT=server.port
        )
        settings.enable()
        started.append((manager, settings))
        return server

    yield start
    for manager, settings in reversed(started):
        settings.disable()
        manager.__exit__(None, None, None)
