"""Classifying ledger lines: rules set the vendor and the IT category of a line.

Rules are tried in priority order (lowest number first). The first matching rule that
names a vendor sets the vendor; the first that names a category sets the category. A
line with a vendor but no category rule takes the category that follows from the
vendor's own kind (an MSP → managed services, an ISP → telecom and internet…). A line left
without a category waits in the queue. Lines classified by hand are never changed by
rules.

Ledgers repeat the same payee, account and memo thousands of times, so each distinct
combination is classified once.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.db import transaction

from ciodesk.budget.models import DEFAULT_CATEGORIES, NOT_IT, Category, LedgerLine, MatchRule

# A vendor's kind (vendors.Vendor.category) → the slug of the IT category it implies.
VENDOR_KIND_CATEGORY = {
    "msp": "managed-services",
    "saas": "saas",
    "telecom": "telecom-internet",
    "isp": "telecom-internet",
    "hardware": "hardware",
    "cyber_insurance": "cyber-insurance",
    "lease": "hardware",
    "other": "other",
}

Result = tuple[int | None, int | None, int | None]  # vendor id, category id, rule id
CHUNK = 500


def ensure_categories() -> list[Category]:
    """The active client's categories, the defaults created the first time they are needed.

    Created one by one (not in bulk) so that each has its audit record.
    """
    categories = list(Category.objects.all())
    if categories:
        return categories
    seeds = [*DEFAULT_CATEGORIES, NOT_IT]
    with transaction.atomic():
        for order, (slug, name) in enumerate(seeds, start=1):
            category = Category(slug=slug, name=name, order=order * 10, is_spend=slug != NOT_IT[0])
            category.save()
            categories.append(category)
    return categories


def compile_pattern(match_type: str, pattern: str) -> Callable[[str], bool]:
    """A test of one field's text, case-insensitive; raises re.error for a bad expression."""
    wanted = pattern.strip().casefold()
    if match_type == MatchRule.MatchType.EXACT:
        return lambda text: text.strip().casefold() == wanted
    if match_type == MatchRule.MatchType.CONTAINS:
        return lambda text: wanted in text.casefold()
    expression = re.compile(pattern.strip(), re.IGNORECASE)
    return lambda text: expression.search(text) is not None


@dataclass(frozen=True)
class CompiledRule:
    pk: int | None
    field: str
    test: Callable[[str], bool]
    vendor_id: int | None
    category_id: int | None


class Matcher:
    """Classifies (payee, account, memo) with the active client's rules.

    Each field's text is tested once against the rules on that field (payees and accounts
    repeat; memos rarely do, and only memo rules look at them), and each combination of
    matching rules is resolved once.
    """

    def __init__(self, rules: Iterable[MatchRule], vendor_category: dict[int, int]):
        self.rules = [
            CompiledRule(
                r.pk, r.field, compile_pattern(r.match_type, r.pattern), r.vendor_id, r.category_id
            )
            for r in rules
        ]
        self.vendor_category = vendor_category
        self._by_field = {
            field: [(i, rule.test) for i, rule in enumerate(self.rules) if rule.field == field]
            for field in ("payee", "account", "memo")
        }
        self._hits: dict[str, dict[str, tuple[int, ...]]] = {f: {} for f in self._by_field}
        self._resolved: dict[tuple[int, ...], Result] = {}

    @classmethod
    def for_active_client(cls) -> Matcher:
        from ciodesk.vendors.models import Vendor

        by_slug = {c.slug: c.pk for c in ensure_categories()}
        vendor_category = {
            pk: by_slug[VENDOR_KIND_CATEGORY[kind]]
            for pk, kind in Vendor.objects.values_list("pk", "category")
            if VENDOR_KIND_CATEGORY.get(kind) in by_slug
        }
        rules = []
        for rule in MatchRule.objects.order_by("priority", "pk"):
            try:
                compile_pattern(rule.match_type, rule.pattern)
            except re.error:
                continue  # saved before the check existed: the form refuses such patterns
            rules.append(rule)
        return cls(rules, vendor_category)

    def _matching(self, field: str, text: str) -> tuple[int, ...]:
        cache = self._hits[field]
        found = cache.get(text)
        if found is None:
            found = tuple(i for i, test in self._by_field[field] if test(text))
            cache[text] = found
        return found

    def classify(self, payee: str, account: str, memo: str) -> Result:
        hits = self._matching("payee", payee) + self._matching("account", account)
        if self._by_field["memo"]:
            hits += self._matching("memo", memo)
        found = self._resolved.get(hits)
        if found is None:
            found = self._resolve(sorted(hits))
            self._resolved[hits] = found
        return found

    def _resolve(self, hits: list[int]) -> Result:
        """The first matching rule (in priority order) naming a vendor sets the vendor; the
        first naming a category sets the category."""
        vendor = category = None
        vendor_rule = category_rule = None
        for index in hits:
            rule = self.rules[index]
            if vendor is None and rule.vendor_id is not None:
                vendor, vendor_rule = rule.vendor_id, rule.pk
            if category is None and rule.category_id is not None:
                category, category_rule = rule.category_id, rule.pk
        if category is None and vendor is not None:
            category = self.vendor_category.get(vendor)
        return vendor, category, category_rule or vendor_rule


def apply_rules() -> int:
    """Re-classify every line of the active client not classified by hand; returns how
    many lines changed. One UPDATE per outcome and chunk of lines, not one per line."""
    matcher = Matcher.for_active_client()
    changes: dict[Result, list[int]] = defaultdict(list)
    rows = (
        LedgerLine.objects.filter(manually_classified=False)
        .values_list("pk", "payee", "account", "memo", "vendor_id", "category_id", "matched_by_id")
        .iterator(chunk_size=5000)
    )
    for pk, payee, account, memo, vendor, category, rule in rows:
        result = matcher.classify(payee, account, memo)
        if result != (vendor, category, rule):
            changes[result].append(pk)
    changed = 0
    with transaction.atomic():
        for (vendor, category, rule), pks in changes.items():
            for start in range(0, len(pks), CHUNK):
                changed += LedgerLine.objects.filter(pk__in=pks[start : start + CHUNK]).update(
                    vendor_id=vendor, category_id=category, matched_by_id=rule
                )
    return changed


def count_matching(rule: MatchRule) -> int:
    """How many lines not classified by hand this rule's pattern matches (for the form)."""
    test = compile_pattern(rule.match_type, rule.pattern)
    seen = 0
    rows = LedgerLine.objects.filter(manually_classified=False).values_list(rule.field, flat=True)
    for text in rows.iterator(chunk_size=5000):
        if test(text):
            seen += 1
    return seen


def classify_line(
    line: LedgerLine, category: Category | None, vendor=None, *, by_hand: bool = True
) -> LedgerLine:
    """Classify one line by hand (saved through save(), so the change is audited)."""
    line.category = category
    line.vendor = vendor
    line.matched_by = None
    line.manually_classified = by_hand
    line.save()
    return line
