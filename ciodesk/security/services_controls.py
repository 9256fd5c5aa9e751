"""Controls and evidence: the contract other security features code against.

- ``ensure_client_controls(client)`` makes sure the client has one ClientControl per
  baseline definition (creating the built-in definitions first when missing);
- ``control_for(key)`` returns the active client's control with that key;
- ``states(today)`` gives every control's effective state in a constant number of queries;
- ``add_evidence(control, ...)`` records dated evidence and keeps ``last_verified_on`` equal
  to the newest evidence's date, so staleness is always derived from evidence.

Everything here runs inside ``scope(client)``.
"""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Exists, Max, OuterRef, Subquery

from ciodesk.core.scope import require_client
from ciodesk.security import baseline
from ciodesk.security.models import ClientControl, ControlDefinition, CoverageImport, Evidence
from ciodesk.security.state import (
    IN_PLACE,
    LABELS,
    NOT_APPLICABLE,
    NOT_ASSESSED,
    NOT_IN_PLACE,
    PARTIAL,
    STALE,
    ControlState,
    state_of,
)
from ciodesk.tenancy.models import Person


class NoOwnerError(RuntimeError):
    """Controls need a named owner, and neither the client nor the practice has a person."""


def sync_baseline(update: bool = False) -> int:
    """Create the built-in definitions that are missing; with ``update``, rewrite the others.

    Existing definitions are left alone by default so that a practice's edits (a shorter
    interval, say) survive; ``update=True`` is for deliberately taking the new wording.
    Returns the number of definitions created or updated.
    """
    existing = {d.key: d for d in ControlDefinition.objects.filter(key__in=baseline.KEYS)}
    changed = 0
    missing = []
    for order, control in enumerate(baseline.CONTROLS, start=1):
        fields = baseline.definition_fields(control, order * 10)
        found = existing.get(control.key)
        if found is None:
            missing.append(ControlDefinition(key=control.key, **fields))
        elif update and any(getattr(found, k) != v for k, v in fields.items()):
            for k, v in fields.items():
                setattr(found, k, v)
            found.save()
            changed += 1
    if missing:
        ControlDefinition.objects.bulk_create(missing, ignore_conflicts=True)
    return changed + len(missing)


def default_owner(client) -> Person:
    """The client's first person by name, else the practice's first person."""
    owner = Person.unscoped.filter(client=client).order_by("name", "pk").first()
    if owner is None:
        owner = Person.practice_people.order_by("name", "pk").first()
    if owner is None:
        raise NoOwnerError("Add a person to the client or the practice before tracking controls.")
    return owner


def _ensure(client) -> None:
    """One query when everything exists; creates what is missing otherwise.

    New controls are bulk-created as "not assessed" placeholders: they record no decision,
    so they are not audited one by one (the first status change is).
    """
    rows = list(
        ControlDefinition.objects.filter(baseline=baseline.BASELINE)
        .annotate(
            has_control=Exists(
                ClientControl.unscoped.filter(client=client, definition=OuterRef("pk"))
            )
        )
        .values_list("pk", "key", "has_control")
    )
    keys = {key for _, key, _ in rows}
    if all(k in keys for k in baseline.KEYS) and all(has for _, _, has in rows):
        return
    with transaction.atomic():
        if not all(k in keys for k in baseline.KEYS):
            sync_baseline()
        owner = default_owner(client)
        have = set(
            ClientControl.unscoped.filter(client=client).values_list("definition_id", flat=True)
        )
        ClientControl.unscoped.bulk_create(
            [
                ClientControl(client=client, definition_id=pk, owner=owner)
                for pk in ControlDefinition.objects.filter(baseline=baseline.BASELINE)
                .exclude(pk__in=have)
                .values_list("pk", flat=True)
            ],
            ignore_conflicts=True,
        )


def ensure_client_controls(client) -> list[ClientControl]:
    """Every baseline control of ``client`` (created when missing), with its definition."""
    _ensure(client)
    return list(ClientControl.objects.select_related("definition", "owner"))


def control_for(key: str) -> ClientControl:
    """The active client's control with this definition key (controls are ensured first)."""
    client = require_client()
    _ensure(client)
    return ClientControl.objects.select_related("definition", "owner").get(definition__key=key)


def states(today: datetime.date, ensure: bool = True) -> dict[str, ControlState]:
    """Effective state of each of the active client's controls, keyed by definition key.

    Three queries (two when ``ensure`` is False), whatever the number of controls. Owners
    are prefetched rather than joined: a handful of people own hundreds of controls, and
    one Person object each is much cheaper to build than one per row.
    """
    if ensure:
        _ensure(require_client())
    controls = ClientControl.objects.select_related("definition").prefetch_related("owner")
    return {c.definition.key: state_of(c, today) for c in controls}


def refresh_last_verified(control: ClientControl) -> None:
    """Set ``last_verified_on`` to the newest evidence date (None when no evidence is left)."""
    newest = Evidence.objects.filter(control=control).aggregate(newest=Max("verified_on"))["newest"]
    if control.last_verified_on != newest:
        control.last_verified_on = newest
        control.save()


def user_label(user: Any) -> str:
    if user is None:
        return ""
    return str(user).strip()  # the user's full name, else their e-mail


@transaction.atomic
def add_evidence(
    control: ClientControl,
    *,
    kind: str,
    title: str,
    verified_on: datetime.date,
    source: str = "",
    note: str = "",
    url: str = "",
    file=None,
    user=None,
    status: str | None = None,
) -> Evidence:
    """Record evidence for ``control``; the control's verification date follows the newest
    evidence, and ``status`` (when given) becomes the control's status."""
    evidence = Evidence(
        control=control,
        kind=kind,
        title=title[:200],
        verified_on=verified_on,
        source=source[:200],
        note=note,
        url=url,
        verified_by=user if getattr(user, "pk", None) else None,
        verified_by_name=user_label(user)[:200],
    )
    if file is not None:
        evidence.file = file
    evidence.client = control.client if control.client_id else require_client()
    evidence.save()
    newest = Evidence.objects.filter(control=control).aggregate(newest=Max("verified_on"))["newest"]
    dirty = control.last_verified_on != newest
    control.last_verified_on = newest
    if status is not None and status != control.status:
        control.status = status
        if status != ClientControl.Status.NOT_APPLICABLE:
            control.not_applicable_reason = ""
        dirty = True
    if dirty:
        control.save()
    return evidence


def delete_evidence(evidence: Evidence) -> None:
    """Delete evidence and its stored file; the control's verification date follows."""
    control = evidence.control
    name = evidence.file.name if evidence.file else ""
    storage = evidence.file.storage if evidence.file else None
    with transaction.atomic():
        evidence.delete()
        refresh_last_verified(control)
    if name and storage is not None:
        storage.delete(name)


def save_evidence(evidence: Evidence, old_file: str = "") -> None:
    """Save an edited evidence item (its date may have moved) and drop a replaced file."""
    with transaction.atomic():
        evidence.save()
        refresh_last_verified(evidence.control)
    if old_file and evidence.file.name != old_file:
        evidence.file.storage.delete(old_file)


# --- the dashboard -------------------------------------------------------------------------------

# The order a reader scans a posture in: what is wrong first.
STATUS_ORDER = [STALE, NOT_IN_PLACE, PARTIAL, NOT_ASSESSED, IN_PLACE, NOT_APPLICABLE]
DUE_SOON_DAYS = 30


@dataclass(frozen=True)
class Summary:
    today: datetime.date
    states: list[ControlState]
    counts: dict[str, int]

    @property
    def total(self) -> int:
        return len(self.states)

    @property
    def applicable(self) -> int:
        return self.total - self.counts[NOT_APPLICABLE]

    @property
    def in_place(self) -> int:
        return self.counts[IN_PLACE]

    @property
    def percent_in_place(self) -> int | None:
        return percent(self.in_place, self.applicable)

    @property
    def stale(self) -> list[StaleRow]:
        """Stale controls, longest stale first (never verified ones first of all)."""
        rows = [StaleRow(s, self.today) for s in self.states if s.effective == STALE]
        return sorted(rows, key=lambda r: (r.days is not None, -(r.days or 0), r.title))

    @property
    def due_soon(self) -> list[ControlState]:
        """Controls still counting that go stale within DUE_SOON_DAYS, soonest first."""
        limit = self.today + datetime.timedelta(days=DUE_SOON_DAYS)
        rows = [
            s
            for s in self.states
            if s.effective in (IN_PLACE, PARTIAL) and s.due_on is not None and s.due_on <= limit
        ]
        return sorted(rows, key=lambda s: (s.due_on, s.control.definition.title))


@dataclass(frozen=True)
class StaleRow:
    state: ControlState
    today: datetime.date

    @property
    def title(self) -> str:
        return self.state.control.definition.title

    @property
    def days(self) -> int | None:
        """Days since the control went stale; None when it was never verified."""
        if self.state.due_on is None:
            return None
        return (self.today - self.state.due_on).days

    @property
    def since(self) -> str:
        if self.days is None:
            return "never verified"
        if self.days == 0:
            return "went stale today"
        return f"stale for {self.days} day{'s' if self.days != 1 else ''}"


def percent(part: int, whole: int) -> int | None:
    return round(part * 100 / whole) if whole else None


def summary(today: datetime.date) -> Summary:
    ordered = sorted(states(today).values(), key=_reading_order)
    counts = dict.fromkeys(STATUS_ORDER, 0)
    for state in ordered:
        counts[state.effective] += 1
    return Summary(today=today, states=ordered, counts=counts)


def _reading_order(state: ControlState) -> tuple:
    d = state.control.definition
    return (d.order, d.title, d.key)


def status_choices_with_counts(summary_: Summary) -> list[tuple[str, str, int]]:
    return [(key, LABELS[key], summary_.counts[key]) for key in STATUS_ORDER]


def latest_coverage() -> list[CoverageImport]:
    """The newest import of each coverage kind, from its kept summary (never its rows)."""
    newest = (
        CoverageImport.objects.filter(kind=OuterRef("kind"))
        .order_by("-as_of", "-pk")
        .values("pk")[:1]
    )
    return list(
        CoverageImport.objects.filter(pk=Subquery(newest))
        .only("kind", "filename", "as_of", "rows", "summary")
        .order_by("kind")
    )


# --- roll-ups by framework -----------------------------------------------------------------------

MET, PARTLY, NOT_MET, UNMAPPED = "met", "partly", "not", "unmapped"
VERDICT_LABELS = {
    MET: "Met",
    PARTLY: "Partly met",
    NOT_MET: "Not met",
    UNMAPPED: "No applicable control",
}
CIS_LABELS = {
    MET: "Covered",
    PARTLY: "Partly covered",
    NOT_MET: "Not covered",
    UNMAPPED: "No control mapped",
}


@dataclass
class Tally:
    """The controls mapped to one framework item, counted by effective status.

    Score = in place ÷ applicable (mapped controls that are not "not applicable"); stale
    and partial controls count as not in place, as on the dashboard.
    """

    id: str
    title: str
    group: str = ""
    states: list[ControlState] | None = None

    def __post_init__(self) -> None:
        self.states = self.states or []
        self._counts = Counter(s.effective for s in self.states)

    def count(self, effective: str) -> int:
        return self._counts[effective]

    @property
    def mapped(self) -> int:
        return len(self.states)

    @property
    def applicable(self) -> int:
        return self.mapped - self.count(NOT_APPLICABLE)

    @property
    def in_place(self) -> int:
        return self.count(IN_PLACE)

    @property
    def partial(self) -> int:
        return self.count(PARTIAL)

    @property
    def stale(self) -> int:
        return self.count(STALE)

    @property
    def gaps(self) -> int:
        """Applicable controls neither in place, partial nor stale (not in place, not assessed)."""
        return self.count(NOT_IN_PLACE) + self.count(NOT_ASSESSED)

    @property
    def score(self) -> int | None:
        return percent(self.in_place, self.applicable)

    @property
    def tenths(self) -> int:
        """The score rounded to tenths, for the bar's width class (no inline styles)."""
        return round(self.score / 10) if self.score is not None else 0

    @property
    def verdict(self) -> str:
        if self.applicable == 0:
            return UNMAPPED
        if self.in_place == self.applicable:
            return MET
        if self.in_place or self.partial:
            return PARTLY
        return NOT_MET

    @property
    def verdict_label(self) -> str:
        return VERDICT_LABELS[self.verdict]

    @property
    def cis_verdict(self) -> str:
        """For a safeguard: covered (met) as soon as one in-place control maps to it."""
        if self.applicable == 0:
            return UNMAPPED
        if self.in_place:
            return MET
        return PARTLY if self.partial else NOT_MET

    @property
    def cis_label(self) -> str:
        return CIS_LABELS[self.cis_verdict]

    @property
    def covered(self) -> bool:
        return self.in_place > 0

    @property
    def control_titles(self) -> str:
        return "; ".join(s.control.definition.title for s in self.states)

    def row(self) -> dict:
        """Plain values for a page table (rendering hundreds of cells from properties of
        nested objects is what makes a roll-up page slow)."""
        # Numbers as text: the template engine's localisation of each number costs more than
        # everything else in a cell.
        return {
            "id": self.id,
            "title": self.title,
            "group": self.group,
            "mapped": self.mapped,
            "applicable": str(self.applicable),
            "in_place": str(self.in_place),
            "partial": str(self.partial),
            "stale": self.stale and str(self.stale),
            "gaps": str(self.gaps),
            "score": None if self.score is None else str(self.score),
            "tenths": str(self.tenths),
            "verdict": self.verdict,
            "verdict_label": self.verdict_label,
            "cis_verdict": self.cis_verdict,
            "cis_label": self.cis_label,
            "covered": self.covered,
            "controls": [
                (s.control.pk, s.control.definition.title, s.label.lower()) for s in self.states
            ],
        }


@dataclass(frozen=True)
class Rollups:
    csf_functions: list[Tally]
    csf_categories: list[Tally]
    cpg: list[Tally]
    cis: list[Tally]
    e8: list[Tally]

    @property
    def cis_covered(self) -> int:
        return sum(1 for t in self.cis if t.covered)

    def rows(self) -> dict[str, list[dict]]:
        return {
            name: [t.row() for t in getattr(self, name)]
            for name in ("csf_functions", "csf_categories", "cpg", "cis", "e8")
        }

    def cpg_counts(self) -> dict[str, int]:
        counts = dict.fromkeys(VERDICT_LABELS, 0)
        for tally in self.cpg:
            counts[tally.verdict] += 1
        return counts


def rollups(all_states: list[ControlState]) -> Rollups:
    """Group the same effective states by framework item (a control counts once per item)."""
    from ciodesk.security import reference

    by: dict[str, dict[str, list[ControlState]]] = {
        k: {} for k in ("fn", "cat", "cpg", "cis", "e8")
    }

    def add(kind: str, key: str, state: ControlState) -> None:
        # States arrive control by control: a control mapped twice to one item counts once.
        bucket = by[kind].setdefault(key, [])
        if not bucket or bucket[-1] is not state:
            bucket.append(state)

    for state in all_states:
        d = state.control.definition
        for sub in sorted(set(d.csf or [])):
            add("fn", reference.csf_function_of(sub), state)
        for cat in sorted({reference.csf_category_of(s) for s in d.csf or []}):
            add("cat", cat, state)
        for kind, values in (("cpg", d.cpg), ("cis", d.cis), ("e8", d.e8)):
            for value in dict.fromkeys(values or []):
                add(kind, value, state)

    def tallies(kind: str, items, group=lambda i: "") -> list[Tally]:
        return [Tally(i.id, i.title, group(i), list(by[kind].get(i.id, []))) for i in items]

    titles = reference.titles()["csf_function"]
    return Rollups(
        csf_functions=tallies("fn", reference.csf_functions()),
        csf_categories=tallies(
            "cat", reference.csf_categories(), lambda i: titles.get(i.parent, i.parent)
        ),
        cpg=tallies("cpg", reference.cpg_goals(), lambda i: titles.get(i.extra, i.extra)),
        cis=tallies("cis", reference.cis_ig1(), lambda i: f"Control {i.parent}"),
        e8=[
            Tally(name, name, "", list(by["e8"].get(name, []))) for name in reference.E8_STRATEGIES
        ],
    )
