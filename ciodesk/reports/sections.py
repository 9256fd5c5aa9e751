"""The registry of report sections: one provider per app area, read by every report.

A provider is a small function in ``ciodesk/reports/sources/<app>.py`` registered with
``@section(key, kinds=...)``. It receives a ``Ctx`` (the client, its today, the report kind
and, for a QBR, the quarter) and returns a dataclass of plain figures — or ``None`` when the
app holds nothing for the client, in which case the report simply has no such section.
Each provider runs a constant number of queries and reuses its app's own services, so the
brief, the QBR and the dossier show the same numbers as the app's pages.

A source module imports its app at the top; when that app (or one of its services) has
not landed yet, ``load_sources`` skips the module and its sections are absent — never
invented.
"""

from __future__ import annotations

import datetime
import importlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from ciodesk.core.scope import scope
from ciodesk.reports.periods import Quarter

BRIEF, QBR, DOSSIER = "brief", "qbr", "dossier"
KINDS = (BRIEF, QBR, DOSSIER)

SOURCES = ("people", "security", "vendors", "budget", "delivery", "roadmap", "assessments")


@dataclass(frozen=True)
class Ctx:
    client: Any
    today: datetime.date  # the client's today
    kind: str
    period: Quarter | None = None

    @property
    def as_of(self) -> datetime.date:
        """The day a QBR reads its figures on (the quarter's end, or today); else today."""
        return self.period.as_of(self.today) if self.period else self.today


# --- traffic lights ---------------------------------------------------------------------------

RED, AMBER, GREEN = "red", "amber", "green"
LIGHT_LABELS = {RED: "Red", AMBER: "Amber", GREEN: "Green"}
LIGHT_ORDER = {RED: 0, AMBER: 1, GREEN: 2}


@dataclass(frozen=True)
class Rule:
    """An area's traffic-light rule, in the words printed under the lights."""

    red: str
    amber: str
    green: str

    def text(self) -> str:
        return f"Red: {self.red} Amber: {self.amber} Green: {self.green}"


@dataclass(frozen=True)
class Light:
    colour: str  # RED, AMBER or GREEN
    reasons: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        return LIGHT_LABELS[self.colour]

    @property
    def reason(self) -> str:
        return "; ".join(self.reasons)


def judge(red: Iterable[str], amber: Iterable[str], green: str) -> Light:
    """The light for the reasons found: any red reason makes it red, else any amber one."""
    red, amber = [r for r in red if r], [a for a in amber if a]
    if red:  # a reason given at both levels (the same fact, past the red line) shows once
        return Light(RED, tuple(dict.fromkeys(red + amber)))
    if amber:
        return Light(AMBER, tuple(amber))
    return Light(GREEN, (green,))


@dataclass(frozen=True)
class Area:
    """One row of "where things stand": an area's light, its headline and the rule."""

    key: str
    title: str
    light: Light
    headline: str
    rule: Rule
    url: str = ""


# --- the registry ---------------------------------------------------------------------------

Provider = Callable[[Ctx], Any]


@dataclass(frozen=True)
class _Registered:
    key: str
    kinds: frozenset[str]
    order: int
    provider: Provider


_registry: list[_Registered] = []


def section(key: str, *, kinds: Iterable[str], order: int = 100) -> Callable[[Provider], Provider]:
    """Register a provider of section ``key`` for the given report kinds."""
    wanted = frozenset(kinds)
    unknown = wanted - set(KINDS)
    if unknown:
        raise ValueError(f"Unknown report kinds: {sorted(unknown)}")

    def add(provider: Provider) -> Provider:
        for item in list(_registry):
            if item.key == key and item.kinds & wanted:
                _registry.remove(item)  # a module imported twice replaces its providers
        _registry.append(_Registered(key, wanted, order, provider))
        return provider

    return add


_loaded: set[str] = set()


def load_sources() -> set[str]:
    """Import every source module whose app is there; returns the names loaded."""
    for name in SOURCES:
        if name in _loaded:
            continue
        try:
            importlib.import_module(f"ciodesk.reports.sources.{name}")
        except ModuleNotFoundError as exc:
            missing = exc.name or ""
            if not missing.startswith("ciodesk.") or missing.startswith("ciodesk.reports"):
                raise
            continue  # the app (or a service it needs) has not landed: no such sections
        _loaded.add(name)
    return set(_loaded)


def providers(kind: str) -> list[_Registered]:
    load_sources()
    return sorted((r for r in _registry if kind in r.kinds), key=lambda r: (r.order, r.key))


class Sections(dict):
    """Section key → figures; a missing section reads as None (absent in templates)."""

    def __init__(self, ctx: Ctx, values: dict[str, Any]) -> None:
        super().__init__(values)
        self.ctx = ctx

    def __missing__(self, key: str) -> None:
        return None

    def __getattr__(self, key: str) -> Any:
        if key.startswith("_"):
            raise AttributeError(key)
        return self.get(key)


def build(
    kind: str,
    client,
    *,
    today: datetime.date | None = None,
    period: Quarter | None = None,
    only: Iterable[str] | None = None,
    progress: Callable[[str, int, int], None] | None = None,
) -> Sections:
    """Every section of a report kind for ``client``, read inside the client's scope.

    ``progress(key, done, total)`` is called after each section (the QBR's status page).
    """
    ctx = Ctx(client, today or client.today(), kind, period)
    chosen = [p for p in providers(kind) if only is None or p.key in set(only)]
    values: dict[str, Any] = {}
    with scope(client):
        for index, registered in enumerate(chosen, start=1):
            value = registered.provider(ctx)
            if value is not None:
                values[registered.key] = value
            if progress is not None:
                progress(registered.key, index, len(chosen))
    return Sections(ctx, values)


def url_for(client, *names: str, **params: Any) -> str:
    """The first of the named pages that exists for the client ("" when none has landed)."""
    from django.urls import NoReverseMatch, reverse

    for name in names:
        try:
            return reverse(name, kwargs={"client_slug": client.slug, **params})
        except NoReverseMatch:
            continue
    return ""


def plural(n: int, word: str, many: str = "") -> str:
    """ "1 control", "3 controls" (or the irregular plural given)."""
    return f"{n} {word if n == 1 else (many or word + 's')}"


def day_label(day: datetime.date) -> str:
    """ "1 Jul 2026": a date as the reports print it."""
    return f"{day.day} {day:%b %Y}"


def days_text(days: int) -> str:
    """ "in 12 days", "today", "3 days ago"."""
    if days == 0:
        return "today"
    unit = "day" if abs(days) == 1 else "days"
    return f"in {days} {unit}" if days > 0 else f"{-days} {unit} ago"


def areas(sections: Sections) -> list[Area]:
    """The traffic-light rows, in the order of the areas, for the sections that have one."""
    order = ["security", "vendors", "projects", "budget", "roadmap"]
    found = [getattr(sections.get(key), "area", None) for key in order]
    return [area for area in found if area is not None]
