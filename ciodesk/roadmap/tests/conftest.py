"""Helpers for the roadmap tests: items made through the services, so they have history."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from ciodesk.core.scope import acting_as, scope
from ciodesk.roadmap import services
from ciodesk.roadmap.models import RoadmapItem


@pytest.fixture
def make_item(world):
    """make_item(title, when=<aware datetime>, client=world.a, **fields) → a versioned item."""

    def make(title: str, when: datetime.datetime | None = None, client=None, **fields):
        client = client or world.a
        key = "a" if client.pk == world.a.pk else "b"
        fields.setdefault("owner", world.records[key]["people"])
        fields.setdefault("one_time_cost", Decimal("1000.00"))
        with scope(client), acting_as("test setup"):
            item = RoadmapItem.objects.create(client=client, title=title, **fields)
            services.record_version(item, when=when or timezone.now())
        return item

    return make


def moment(days_ago: int) -> datetime.datetime:
    return timezone.now() - datetime.timedelta(days=days_ago)
