"""Time against the retainer: hours used this month against the hours the retainer includes.

* The month is the calendar month of the client's today (its time zone), first to last day.
* Minutes add up exactly; hours are minutes ÷ 60 rounded half up to 0.01 (755 min → 12.58 h).
* Utilisation is hours used ÷ hours included, rounded half up to a whole percent; it needs
  attention above 100 %. A retainer with no included hours has no percentage.

``retainer_figures(client, today)`` is what the time page, the client home's block
("delivery/time_retainer_block.html") and the portfolio all read. It runs two queries.
"""

from __future__ import annotations

import calendar
import datetime
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Sum

from ciodesk.delivery.models import TimeEntry

CENT = Decimal("0.01")
CATEGORY_LABELS = dict(TimeEntry.Category.choices)


def hours(minutes: int) -> Decimal:
    """Minutes as hours to the hundredth, rounded half up."""
    return (Decimal(minutes) / 60).quantize(CENT, rounding=ROUND_HALF_UP)


def plain(number: Decimal) -> str:
    """12.50 → “12.5”, 16.00 → “16”: figures read better without trailing zeros."""
    text = f"{number.quantize(CENT):f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def month_bounds(day: datetime.date) -> tuple[datetime.date, datetime.date]:
    """The first and last day of `day`'s calendar month."""
    last = calendar.monthrange(day.year, day.month)[1]
    return day.replace(day=1), day.replace(day=last)


def parse_month(text: str, default: datetime.date) -> datetime.date:
    """“2026-11” → 2026-11-01; anything else → the first of `default`'s month."""
    try:
        year, month = (int(part) for part in text.split("-"))
        return datetime.date(year, month, 1)
    except (TypeError, ValueError):
        return default.replace(day=1)


def shift_month(first: datetime.date, months: int) -> datetime.date:
    index = first.year * 12 + first.month - 1 + months
    return datetime.date(index // 12, index % 12 + 1, 1)


@dataclass(frozen=True)
class RetainerFigures:
    month_start: datetime.date
    month_end: datetime.date
    minutes: int
    included_hours: Decimal
    by_category: Sequence[tuple[str, int]] = field(default_factory=tuple)

    @property
    def used_hours(self) -> Decimal:
        return hours(self.minutes)

    @property
    def remaining_hours(self) -> Decimal:
        return self.included_hours - self.used_hours

    @property
    def percent(self) -> int | None:
        if not self.included_hours:
            return None
        ratio = self.used_hours / self.included_hours * 100
        return int(ratio.quantize(Decimal("1"), rounding=ROUND_HALF_UP))

    @property
    def over(self) -> bool:
        return self.used_hours > self.included_hours

    @property
    def label(self) -> str:
        """“12.5 / 16 h (78 %)”: the portfolio's figure."""
        text = f"{plain(self.used_hours)} / {plain(self.included_hours)} h"
        return f"{text} ({self.percent} %)" if self.percent is not None else text

    @property
    def bar_percent(self) -> int:
        """The used share for a bar, capped at 100."""
        return min(self.percent or 0, 100)

    @property
    def remaining_text(self) -> str:
        """Hours left (or over, when negative) without the sign or trailing zeros."""
        return plain(abs(self.remaining_hours))

    @property
    def used_text(self) -> str:
        return plain(self.used_hours)

    @property
    def categories(self) -> list[tuple[str, str]]:
        """(label, hours as text) per category, most time first."""
        return [(CATEGORY_LABELS.get(k, k), plain(hours(m))) for k, m in self.by_category]


def retainer_figures(client: Any, today: datetime.date | None = None) -> RetainerFigures:
    """Hours used in the month of `today` (default: the client's today) against the retainer.

    Runs inside the client's scope (the request's, or one opened here).
    """
    from ciodesk.core.scope import active_client, scope

    today = today or client.today()
    start, end = month_bounds(today)
    if active_client() is None or active_client().pk != client.pk:
        with scope(client):
            return _figures(client, start, end)
    return _figures(client, start, end)


def _figures(client: Any, start: datetime.date, end: datetime.date) -> RetainerFigures:
    per_category = (
        TimeEntry.objects.filter(on__gte=start, on__lte=end)
        .values_list("category")
        .annotate(total=Sum("minutes"))
        .order_by("-total", "category")
    )
    by_category = tuple((k, int(m)) for k, m in per_category)
    return RetainerFigures(
        month_start=start,
        month_end=end,
        minutes=sum(m for _, m in by_category),
        included_hours=client.retainer_included_hours or Decimal("0"),
        by_category=by_category,
    )


def figures_for_clients(clients: Iterable[Any]) -> dict[int, RetainerFigures]:
    """Every client's figures for its own current month, in one query (the portfolio).

    Clients' months start on different instants (time zones), so the query reads the widest
    window and each client keeps the days of its own month.
    """
    clients = list(clients)
    if not clients:
        return {}
    bounds = {c.pk: month_bounds(c.today()) for c in clients}
    low = min(b[0] for b in bounds.values())
    high = max(b[1] for b in bounds.values())
    minutes: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    # Explicit cross-client read for the portfolio: limited to the clients on the page.
    for client_id, on, category, total in (
        TimeEntry.unscoped.filter(client__in=list(bounds), on__gte=low, on__lte=high)
        .values_list("client_id", "on", "category")
        .annotate(total=Sum("minutes"))
        .order_by()
    ):
        start, end = bounds[client_id]
        if start <= on <= end:
            minutes[client_id][category] += int(total)
    out = {}
    for client in clients:
        per = sorted(minutes[client.pk].items(), key=lambda kv: (-kv[1], kv[0]))
        start, end = bounds[client.pk]
        out[client.pk] = RetainerFigures(
            start,
            end,
            sum(m for _, m in per),
            client.retainer_included_hours or Decimal("0"),
            tuple(per),
        )
    return out
