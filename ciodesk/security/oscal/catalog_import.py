"""Import an OSCAL catalog as a reference framework (Framework + FrameworkItem rows).

The whole file is parsed and checked before anything is written; a bad file raises
``CatalogProblem`` with a one-line reason and leaves the database as it was. Writing happens
in one transaction.

Which framework a file updates, first match wins:

1. the ``slug`` the caller names (``ciodesk import-oscal --slug``);
2. the framework imported earlier from a catalog with the same OSCAL uuid;
3. the slug derived from the catalog: NIST's CPRT catalogs name their framework and version
   (CSF 2.0 → ``nist-csf-2-0``, so a corrected CSF 2.0 catalog updates the same framework);
   other catalogs are known by their title.

Importing the same bytes again changes nothing (the file's sha256 is kept). A newer version
updates the framework in place: items are matched on their OSCAL id, changed ones are
rewritten, new ones added, and items the new version no longer has are removed.

Frameworks are practice-wide reference data (no client's data), so they are written with
bulk operations; the framework row records when and from which file it was last imported.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import slugify

from ciodesk.core.tabular import FileProblem, read_bytes
from ciodesk.security.models import Framework, FrameworkItem
from ciodesk.security.oscal.catalog_parse import CatalogProblem, ParsedCatalog, parse_catalog

MAX_BYTES = 50 * 1024 * 1024  # the full SP 800-53 rev5 catalog is about 10 MB
SHIPPED = Path(__file__).resolve().parent.parent / "data" / "oscal"
CSF_FILE = SHIPPED / "NIST_CSF_v2.0_catalog.xml"
CSF_SLUG = "nist-csf-2-0"
NIST_LICENCE = "US government work (NIST): public domain in the US, dedicated CC0 1.0 worldwide"


@dataclass
class CatalogImportResult:
    framework: Framework
    created: bool = False
    unchanged: bool = False
    added: int = 0
    updated: int = 0
    removed: int = 0
    counts: dict[str, tuple[int, int]] = field(default_factory=dict)  # kind → (active, withdrawn)

    @property
    def headline(self) -> str:
        if self.unchanged:
            return f"{self.framework}: already imported, nothing changed"
        verb = "imported" if self.created else "updated"
        return (
            f"{self.framework}: {verb} ({self.added} added, {self.updated} changed, "
            f"{self.removed} removed)"
        )

    def kind_lines(self) -> list[str]:
        return [f"{kind}: {a} active, {w} withdrawn" for kind, (a, w) in self.counts.items()]

    def summary(self) -> str:
        """For the command line: the headline, then one line per kind."""
        return "\n".join([self.headline, *(f"  {line}" for line in self.kind_lines())])


def count_kinds(items: Iterable) -> dict[str, tuple[int, int]]:
    """(active, withdrawn) per kind, kinds in the order they first appear."""
    active: Counter[str] = Counter()
    withdrawn: Counter[str] = Counter()
    kinds: dict[str, None] = {}
    for item in items:
        kinds.setdefault(item.kind)
        (withdrawn if item.withdrawn else active)[item.kind] += 1
    return {kind: (active[kind], withdrawn[kind]) for kind in kinds}


def derived_slug(parsed: ParsedCatalog) -> str:
    framework = parsed.props.get("framework-identifier", "")
    version = parsed.props.get("framework-version-identifier", "")
    numbers = re.findall(r"\d+", version)
    if framework and numbers:
        return slugify(f"nist {framework} {' '.join(numbers[:2])}")[:80]
    return slugify(parsed.title)[:80] or "oscal-catalog"


def import_catalog(
    file: bytes | str | Path | IO[bytes],
    filename: str = "",
    *,
    slug: str | None = None,
    licence: str | None = None,
) -> CatalogImportResult:
    """Import (or update) the framework in an OSCAL catalog file; see the module docstring."""
    try:
        data = read_bytes(file, MAX_BYTES)
    except FileProblem as exc:
        raise CatalogProblem(str(exc)) from exc
    if len(data) > MAX_BYTES:
        raise CatalogProblem(f"the file is larger than {MAX_BYTES // (1024 * 1024)} MB")
    if not data.strip():
        raise CatalogProblem("the file is empty")
    if slug is not None and not re.fullmatch(r"[-a-z0-9_]{1,80}", slug):
        raise CatalogProblem(f"“{slug}” is not a slug (lower-case letters, digits, dashes)")
    sha256 = hashlib.sha256(data).hexdigest()
    parsed = parse_catalog(data)
    counts = count_kinds(parsed.items)
    with transaction.atomic():
        framework = _framework_for(parsed, slug)
        if framework is not None and framework.sha256 == sha256:
            return CatalogImportResult(framework, unchanged=True, counts=counts)
        created = framework is None
        if framework is None:
            framework = Framework(slug=slug or derived_slug(parsed))
        framework.name = parsed.title
        framework.version = parsed.version
        framework.source = _source(parsed, filename)
        framework.licence = licence if licence is not None else _licence(parsed, framework)
        framework.oscal_uuid = parsed.uuid
        framework.sha256 = sha256
        framework.imported_at = timezone.now()
        framework.save()
        result = CatalogImportResult(framework, created=created, counts=counts)
        _write_items(framework, parsed, result)
    return result


def _framework_for(parsed: ParsedCatalog, slug: str | None) -> Framework | None:
    frameworks = Framework.objects.select_for_update()
    if slug:
        return frameworks.filter(slug=slug).first()
    return (
        frameworks.filter(oscal_uuid=parsed.uuid).order_by("pk").first()
        or frameworks.filter(slug=derived_slug(parsed)).first()
    )


def _source(parsed: ParsedCatalog, filename: str) -> str:
    pieces = [f"OSCAL catalog {filename}".strip()]
    if parsed.publisher:
        pieces.append(f"published by {parsed.publisher}")
    if parsed.last_modified:
        pieces.append(f"last modified {parsed.last_modified[:10]}")
    if parsed.oscal_version:
        pieces.append(f"OSCAL {parsed.oscal_version.lstrip('v')}")
    return ", ".join(pieces)[:300]


def _licence(parsed: ParsedCatalog, framework: Framework) -> str:
    if parsed.publisher_is_nist:
        return NIST_LICENCE
    return framework.licence


def _write_items(framework: Framework, parsed: ParsedCatalog, result: CatalogImportResult) -> None:
    """New items are bulk-created level by level (a parent has its key before its children
    are written); items already there are updated one by one, only when they differ."""
    existing = {item.item_id: item for item in FrameworkItem.objects.filter(framework=framework)}
    wanted = {p.item_id for p in parsed.items}
    by_id = dict(existing)
    levels: dict[int, list[FrameworkItem]] = {}
    updates: list[tuple[FrameworkItem, dict, FrameworkItem | None]] = []
    for order, p in enumerate(parsed.items, start=1):
        values = {
            "kind": p.kind,
            "title": p.title,
            "text": p.text,
            "withdrawn": p.withdrawn,
            "order": order,
        }
        parent = by_id[p.parent_id] if p.parent_id else None
        item = existing.get(p.item_id)
        if item is None:
            by_id[p.item_id] = FrameworkItem(
                framework=framework, item_id=p.item_id, parent=parent, **values
            )
            levels.setdefault(p.depth, []).append(by_id[p.item_id])
            continue
        updates.append((item, values, parent))
    for depth in sorted(levels):
        for item in levels[depth]:
            if item.parent is not None:
                item.parent_id = item.parent.pk
        FrameworkItem.objects.bulk_create(levels[depth], batch_size=500)
    for item, values, parent in updates:  # after the creations: a new parent has its key now
        values["parent_id"] = parent.pk if parent else None
        differs = {name for name, value in values.items() if getattr(item, name) != value}
        if differs:
            FrameworkItem.objects.filter(pk=item.pk).update(**values)
            if differs != {"order"}:  # an item that only moved along is not a change
                result.updated += 1
    gone = [item.pk for item_id, item in existing.items() if item_id not in wanted]
    FrameworkItem.objects.filter(pk__in=gone).delete()
    result.added = sum(len(items) for items in levels.values())
    result.removed = len(gone)


def ensure_csf() -> Framework:
    """The NIST CSF 2.0 framework, imported from the shipped catalog the first time it is
    needed (one query once it is there)."""
    framework = Framework.objects.filter(slug=CSF_SLUG).first()
    if framework is not None:
        return framework
    try:
        return import_catalog(CSF_FILE, CSF_FILE.name, slug=CSF_SLUG).framework
    except IntegrityError:  # another request imported it at the same moment
        return Framework.objects.get(slug=CSF_SLUG)


def official_items(ids: Iterable[str], slug: str = CSF_SLUG) -> dict[str, FrameworkItem]:
    """The imported items with these IDs (official text and title), in one query."""
    return {
        item.item_id: item
        for item in FrameworkItem.objects.filter(framework__slug=slug, item_id__in=list(ids))
    }
