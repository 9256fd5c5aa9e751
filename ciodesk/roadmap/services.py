"""Writing roadmap items: every create, update, move and delete keeps a version.

A version (RoadmapItemVersion) holds the fields that matter as they were from its
``valid_from`` on, so ``services_history`` can rebuild the roadmap as of any past moment.
Everything here runs inside ``scope(client)``.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from ciodesk.roadmap.models import RoadmapItem, RoadmapItemVersion

TWO_PLACES = Decimal("0.01")


def snapshot(item: RoadmapItem) -> dict[str, Any]:
    """The fields a later reader needs to show the item as it was (JSON-safe)."""
    goals = sorted(item.goals.all(), key=lambda g: g.pk)
    return {
        "title": item.title,
        "disposition": item.disposition,
        "status": item.status,
        "fiscal_year": item.fiscal_year,
        "quarter": item.quarter,
        "one_time_cost": str(item.one_time_cost),
        "recurring_cost": str(item.recurring_cost),
        "currency": item.currency,
        "owner_id": item.owner_id,
        "owner": item.owner.name if item.owner_id else "",
        "goals": [g.pk for g in goals],
        "goal_names": [g.text for g in goals],
        "effort": item.effort,
        "risk_reduced": item.risk_reduced,
        "business_value": item.business_value,
        "manual_rank": item.manual_rank,
    }


def record_version(
    item: RoadmapItem,
    user: Any = None,
    when: datetime.datetime | None = None,
    deleted: bool = False,
) -> RoadmapItemVersion:
    """Keep the item's present state (or its deletion) from `when` (now) on."""
    return RoadmapItemVersion.objects.create(
        item_id_ref=item.pk,
        valid_from=when or timezone.now(),
        deleted=deleted,
        data=snapshot(item),
        changed_by=user if getattr(user, "is_authenticated", False) else None,
    )


def save_item(client: Any, form: Any, user: Any = None) -> RoadmapItem:
    """Save an item from its form (fields and goals), then keep the new version."""
    with transaction.atomic():
        item = form.save(commit=False)
        item.client = client
        item.save()
        form.save_m2m()
        record_version(item, user)
    return item


def delete_item(item: RoadmapItem, user: Any = None) -> None:
    with transaction.atomic():
        record_version(item, user, deleted=True)
        item.delete()


def move_item(
    item: RoadmapItem,
    fiscal_year: int | None,
    quarter: int | None,
    user: Any = None,
    when: datetime.datetime | None = None,
) -> bool:
    """Plan the item for another quarter (None, None: unscheduled). False if nothing moved."""
    if (item.fiscal_year, item.quarter) == (fiscal_year, quarter):
        return False
    with transaction.atomic():
        item.fiscal_year, item.quarter = fiscal_year, quarter
        item.save(update_fields=["fiscal_year", "quarter"])
        record_version(item, user, when)
    return True


def update_item(item: RoadmapItem, user: Any = None, when=None, **fields: Any) -> RoadmapItem:
    """Change some fields of an item in code (the demo, imports) and keep the version."""
    with transaction.atomic():
        for name, value in fields.items():
            setattr(item, name, value)
        item.save()
        record_version(item, user, when)
    return item


def midpoint(low: Decimal | None, high: Decimal | None) -> Decimal:
    """The middle of a finding's cost range (one end when only one is known)."""
    known = [v for v in (low, high) if v is not None]
    if not known:
        return Decimal("0.00")
    return (sum(known, Decimal(0)) / len(known)).quantize(TWO_PLACES)


def item_for_finding(finding: Any) -> RoadmapItem | None:
    return RoadmapItem.objects.filter(findings=finding).order_by("pk").first()


def from_finding(
    client: Any, finding: Any, user: Any = None, when: datetime.datetime | None = None
) -> tuple[RoadmapItem, bool]:
    """The roadmap item of a finding, made from it the first time: (item, created).

    Copies the title, the recommendation as the why, the disposition, the owner and the
    midpoint of the cost range as the one-time cost; the finding stays linked and is marked
    "on the roadmap".
    """
    existing = item_for_finding(finding)
    if existing is not None:
        return existing, False
    with transaction.atomic():
        item = RoadmapItem.objects.create(
            client=client,
            title=finding.title[:200],
            why=finding.recommendation or finding.risk,
            disposition=finding.disposition,
            owner_id=finding.owner_id,
            one_time_cost=midpoint(finding.cost_low, finding.cost_high),
            currency=finding.currency,
            risk_reduced=min(5, max(1, finding.severity)),
        )
        item.findings.add(finding)
        if finding.status == finding.Status.OPEN:
            finding.status = finding.Status.PLANNED
            finding.save(update_fields=["status"])
        record_version(item, user, when)
    return item, True
