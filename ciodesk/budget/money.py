"""Sums of money to the cent, on every database.

SQLite stores a DecimalField with NUMERIC affinity: 149.90 becomes a binary float, and
SUM() over many of them drifts by fractions of a cent (Django returns that drift as a
Decimal with six decimals). Summing ROUND(amount × 100), whole cents, is exact on SQLite
(integral floats add exactly below 2**53) and on PostgreSQL alike; `from_cents` turns the
result back into a Decimal with two places.
"""

from __future__ import annotations

from decimal import Decimal

from django.db import models
from django.db.models import F, Sum
from django.db.models.functions import Round

CENT = Decimal("0.01")
ZERO = Decimal("0.00")


def cents_sum(field: str = "amount", **extra) -> Sum:
    """Sum of a money field in whole cents (an integer, or None over no rows)."""
    return Sum(Round(F(field) * 100), output_field=models.IntegerField(), **extra)


def from_cents(value) -> Decimal:
    if value is None:
        return ZERO
    return (Decimal(int(round(value))) / 100).quantize(CENT)
