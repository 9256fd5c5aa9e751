"""A control's effective state: what its status claims, held to its evidence's age.

A control counts as in place only while its latest verification is younger than its
interval: verified on day D with an interval of N days, it is in place through day D+N-1
and `stale` from day D+N on (and when it has no dated evidence at all). A stale control is
shown distinctly and counted as not in place. A partial control goes stale the same way.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

IN_PLACE = "in_place"
PARTIAL = "partial"
NOT_IN_PLACE = "not_in_place"
NOT_ASSESSED = "not_assessed"
NOT_APPLICABLE = "not_applicable"
STALE = "stale"

LABELS = {
    IN_PLACE: "In place",
    PARTIAL: "Partial",
    NOT_IN_PLACE: "Not in place",
    NOT_ASSESSED: "Not assessed",
    NOT_APPLICABLE: "Not applicable",
    STALE: "Stale",
}


def due_on(last_verified_on: datetime.date | None, interval_days: int) -> datetime.date | None:
    """The first day on which the control is stale unless verified again."""
    if last_verified_on is None:
        return None
    return last_verified_on + datetime.timedelta(days=interval_days)


def effective_status(
    status: str,
    last_verified_on: datetime.date | None,
    interval_days: int,
    today: datetime.date,
) -> str:
    if status not in (IN_PLACE, PARTIAL):
        return status
    due = due_on(last_verified_on, interval_days)
    if due is None or today >= due:
        return STALE
    return status


@dataclass(frozen=True)
class ControlState:
    control: object  # ClientControl with its definition
    effective: str
    due_on: datetime.date | None

    @property
    def in_place(self) -> bool:
        return self.effective == IN_PLACE

    @property
    def label(self) -> str:
        return LABELS[self.effective]


def state_of(control, today: datetime.date) -> ControlState:
    interval = control.definition.interval_days
    return ControlState(
        control=control,
        effective=effective_status(control.status, control.last_verified_on, interval, today),
        due_on=due_on(control.last_verified_on, interval),
    )
