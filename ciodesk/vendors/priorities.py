"""A vendor's own priority labels → P1–P4.

Each vendor's PriorityMapping rows win; without one, the PSAs' default labels are
recognised (ConnectWise "Priority 1 - Emergency Response" … "Priority 4 - Scheduled
Maintenance", Autotask Critical/High/Medium/Low, HaloPSA and Freshservice
Urgent/Critical/High/Medium/Low, Syncro "0 Urgent" … "3 Low") and labels such as "P2",
"2", "2 - High" or "Priority 2". A label that says nothing recognisable maps to "" (no
priority): the scorecard leaves such tickets out until someone maps the label.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from ciodesk.core.scope import scope
from ciodesk.vendors.models import PriorityMapping, Ticket, Vendor

# Words that name a level, whatever their PSA (HaloPSA, Freshservice, Autotask, Syncro,
# ITIL-style "Severity"). A label's word wins over its number: Syncro's "2 Normal" is P3.
WORDS: dict[str, str] = {
    "critical": "P1",
    "emergency": "P1",
    "urgent": "P1",
    "highest": "P1",
    "very high": "P1",
    "high": "P2",
    "medium": "P3",
    "normal": "P3",
    "moderate": "P3",
    "standard": "P3",
    "low": "P4",
    "lowest": "P4",
    "very low": "P4",
    "planning": "P4",
}

# Full labels recognised as they are (normalised: lower case, single spaces).
LABELS: dict[str, str] = {
    # ConnectWise PSA's default priorities.
    "priority 1 - emergency response": "P1",
    "priority 2 - quick response": "P2",
    "priority 3 - normal response": "P3",
    "priority 4 - scheduled maintenance": "P4",
    "do not respond": "",
}

_LEADING_NUMBER = re.compile(
    r"^(?:priority|prio|p|sev|severity)?\s*#?\s*(\d+)\b\s*(?:[-–—:.)]\s*)?(.*)$"
)


def normalise(label: str) -> str:
    return " ".join(str(label).split()).casefold()


def _by_word(text: str) -> str:
    text = text.strip(" -–—:()[]")
    if text in WORDS:
        return WORDS[text]
    for word in text.replace("-", " ").split():
        if word in WORDS:
            return WORDS[word]
    return ""


def default_priority(label: str) -> str:
    """P1–P4 for the PSAs' default labels and the usual "P2" / "2" / "2 - High" forms."""
    text = normalise(label)
    if not text:
        return ""
    if text in LABELS:
        return LABELS[text]
    match = _LEADING_NUMBER.match(text)
    if match:
        number, rest = int(match.group(1)), match.group(2)
        numbered = 1 <= number <= 4
        if text[0].isalpha() and numbered:
            # "Priority 2 - Quick Response", "P2", "Sev 2": the number is the priority.
            return f"P{number}"
        # "2 - High", Syncro's "2 Normal": a level word wins over a bare leading number.
        by_word = _by_word(rest) if rest else ""
        if by_word:
            return by_word
        return f"P{number}" if numbered and not text[0].isalpha() else ""
    return _by_word(text)


def mapping_table(vendor: Vendor) -> dict[str, str]:
    """The vendor's own mappings, keyed by normalised label."""
    with scope(vendor.client):
        rows = PriorityMapping.objects.filter(vendor=vendor).values_list("label", "priority")
        return {normalise(label): priority for label, priority in rows}


def resolver(vendor: Vendor, extra_defaults: dict[str, str] | None = None) -> Callable[[str], str]:
    """A fast `label → priority` function for one import: one query, then a cache.

    `extra_defaults` are a format's own defaults (e.g. Autotask's numeric picklist), used
    after the vendor's mappings and before the generic defaults.
    """
    own = mapping_table(vendor)
    extra = {normalise(k): v for k, v in (extra_defaults or {}).items()}
    cache: dict[str, str] = {}

    def resolve_label(label: str) -> str:
        found = cache.get(label)
        if found is None:
            key = normalise(label)
            if key in own:
                found = own[key]
            elif key in extra:
                found = extra[key]
            else:
                found = default_priority(label)
            cache[label] = found
        return found

    return resolve_label


def resolve(vendor: Vendor, label: str) -> str:
    """The priority of one label for this vendor: its mapping row, else the defaults."""
    return resolver(vendor)(label)


def apply_mappings(vendor: Vendor) -> int:
    """Re-compute Ticket.priority from priority_label after a mapping edit.

    One UPDATE per distinct label whose priority changes; returns the rows changed.
    """
    resolve_label = resolver(vendor)
    changed = 0
    with scope(vendor.client):
        tickets = Ticket.objects.filter(vendor=vendor)
        labels = tickets.values_list("priority_label", flat=True).distinct().order_by()
        for label in list(labels):
            priority = resolve_label(label)
            changed += (
                tickets.filter(priority_label=label)
                .exclude(priority=priority)
                .update(priority=priority)
            )
    return changed
