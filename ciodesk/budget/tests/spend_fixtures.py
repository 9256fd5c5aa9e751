"""Shared by the spend and budget tests: client A's spend and budget emptied of the sweep
records, so that sums and counts are those of what the test itself imports and sets."""

from __future__ import annotations

from decimal import Decimal

import pytest

from ciodesk.budget.models import (
    Budget,
    BudgetLine,
    Category,
    LedgerLine,
    MatchRule,
    SpendColumnMapping,
    SpendImport,
    VarianceNote,
)
from ciodesk.budget.money import cents_sum, from_cents
from ciodesk.core.scope import scope


@pytest.fixture
def fresh(world):
    with scope(world.a):
        for model in (
            LedgerLine,
            SpendImport,
            SpendColumnMapping,
            MatchRule,
            VarianceNote,
            BudgetLine,
            Budget,
            Category,
        ):
            model.objects.all().delete()
    return world


def ledger_total(client, **filters) -> Decimal:
    with scope(client):
        return from_cents(LedgerLine.objects.filter(**filters).aggregate(c=cents_sum())["c"])
