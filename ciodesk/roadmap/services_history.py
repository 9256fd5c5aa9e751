"""The roadmap as of any past moment, and what changed between two moments.

Rebuilt from the versions alone (one query): for each item the last version that began at
or before the moment; an item whose last version is its deletion is gone. The comparison
("what changed since the last review") sorts the differences the way a review reads them:

* added — on the roadmap now, not then;
* dropped — on it then (not dropped), now deleted or with the status "dropped";
* moved — planned for another quarter;
* re-costed — one-time or recurring cost changed.

An item can be both moved and re-costed.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils import timezone

from ciodesk.roadmap.models import RoadmapItemVersion, RoadmapReview
from ciodesk.roadmap.planning import slot_label

DROPPED = "dropped"
DEFAULT_LOOKBACK_DAYS = 90


@dataclass(frozen=True)
class ItemState:
    """An item as a version recorded it."""

    pk: int
    title: str
    disposition: str
    status: str
    fiscal_year: int | None
    quarter: int | None
    one_time_cost: Decimal
    recurring_cost: Decimal
    currency: str
    owner: str
    goal_names: tuple[str, ...]
    manual_rank: int | None
    valid_from: datetime.datetime

    @classmethod
    def from_version(cls, version: RoadmapItemVersion) -> ItemState:
        d = version.data or {}
        return cls(
            pk=version.item_id_ref,
            title=d.get("title", ""),
            disposition=d.get("disposition", ""),
            status=d.get("status", "proposed"),
            fiscal_year=d.get("fiscal_year"),
            quarter=d.get("quarter"),
            one_time_cost=Decimal(d.get("one_time_cost") or "0.00"),
            recurring_cost=Decimal(d.get("recurring_cost") or "0.00"),
            currency=d.get("currency", ""),
            owner=d.get("owner", ""),
            goal_names=tuple(d.get("goal_names", ())),
            manual_rank=d.get("manual_rank"),
            valid_from=version.valid_from,
        )

    @property
    def slot(self) -> tuple[int, int] | None:
        return (self.fiscal_year, self.quarter) if self.fiscal_year and self.quarter else None

    @property
    def when(self) -> str:
        return slot_label(self.fiscal_year, self.quarter)

    @property
    def dropped(self) -> bool:
        return self.status == DROPPED

    @property
    def status_label(self) -> str:
        return self.status.replace("_", " ").capitalize()

    @property
    def disposition_label(self) -> str:
        return self.disposition.capitalize()


def roadmap_as_of(client: Any, moment: datetime.datetime) -> dict[int, ItemState]:
    """Every item that existed at `moment`, as it then was, by item id (one query)."""
    latest: dict[int, RoadmapItemVersion] = {}
    for version in RoadmapItemVersion.objects.filter(valid_from__lte=moment).order_by(
        "item_id_ref", "valid_from", "pk"
    ):
        latest[version.item_id_ref] = version
    return {pk: ItemState.from_version(v) for pk, v in latest.items() if not v.deleted}


@dataclass(frozen=True)
class Change:
    then: ItemState | None
    now: ItemState | None

    @property
    def item(self) -> ItemState:
        return self.now or self.then  # type: ignore[return-value]

    @property
    def one_time_delta(self) -> Decimal:
        return self.now.one_time_cost - self.then.one_time_cost  # type: ignore[union-attr]

    @property
    def recurring_delta(self) -> Decimal:
        return self.now.recurring_cost - self.then.recurring_cost  # type: ignore[union-attr]


@dataclass
class Diff:
    since: datetime.datetime
    until: datetime.datetime
    added: list[Change] = field(default_factory=list)
    dropped: list[Change] = field(default_factory=list)
    moved: list[Change] = field(default_factory=list)
    recosted: list[Change] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (self.added or self.dropped or self.moved or self.recosted)

    def rows(self) -> list[tuple[str, Change]]:
        """Every change with its kind, for the export."""
        kinds = [
            ("Added", self.added),
            ("Dropped", self.dropped),
            ("Moved", self.moved),
            ("Re-costed", self.recosted),
        ]
        return [(kind, change) for kind, changes in kinds for change in changes]


def diff(then: dict[int, ItemState], now: dict[int, ItemState], since=None, until=None) -> Diff:
    """What changed from `then` to `now` (two results of roadmap_as_of)."""
    result = Diff(since=since, until=until)
    live_then = {pk: s for pk, s in then.items() if not s.dropped}
    for pk, state in now.items():
        before = live_then.get(pk)
        if before is None:
            if not state.dropped:  # new, or taken up again after being dropped
                result.added.append(Change(None, state))
            continue
        if state.dropped:
            result.dropped.append(Change(before, state))
            continue
        if before.slot != state.slot:
            result.moved.append(Change(before, state))
        if (before.one_time_cost, before.recurring_cost) != (
            state.one_time_cost,
            state.recurring_cost,
        ):
            result.recosted.append(Change(before, state))
    for pk, before in live_then.items():
        if pk not in now:
            result.dropped.append(Change(before, None))
    for changes in (result.added, result.dropped, result.moved, result.recosted):
        changes.sort(key=lambda c: c.item.title.lower())
    return result


def end_of_day(client: Any, day: datetime.date) -> datetime.datetime:
    """The last moment of `day` in the client's time zone."""
    naive = datetime.datetime.combine(day, datetime.time.max)
    return timezone.make_aware(naive, client.tz)


def last_review(client: Any) -> RoadmapReview | None:
    return RoadmapReview.objects.filter(reviewed_on__lte=client.today()).first()


def default_since(client: Any) -> tuple[datetime.datetime, RoadmapReview | None]:
    """The comparison point: the end of the last review's day, else 90 days ago."""
    review = last_review(client)
    if review is not None:
        return end_of_day(client, review.reviewed_on), review
    day = client.today() - datetime.timedelta(days=DEFAULT_LOOKBACK_DAYS)
    return end_of_day(client, day), None


def changes_since(client: Any, since: datetime.datetime, until=None) -> Diff:
    until = until or timezone.now()
    return diff(roadmap_as_of(client, since), roadmap_as_of(client, until), since, until)
