"""Read an OSCAL catalog (JSON or XML) into a flat list of items, without touching the database.

Both formats are first brought to the same shape (the OSCAL JSON one: ``groups``,
``controls``, ``parts``, ``props``, ``links``, ``params``), so one walker serves both and
a JSON and an XML copy of the same catalog give the same items.

What an item keeps:

* ``item_id``: the OSCAL id (``GV.OC-01``, ``ac-2.1``), the key other OSCAL documents use;
* ``kind``: the class the catalog gives it (``function``, ``category``, ``subcategory``,
  ``family``); publication-specific classes such as ``SP800-53`` become ``control``, and
  ``SP800-53-enhancement`` becomes ``enhancement``;
* ``text``: the official statement (parts named ``statement`` with their lettered items;
  a group's ``overview`` when it has no statement), parameters written as NIST prints them
  (``[Assignment: personnel or roles]``, ``[Selection (one or more): …]``);
* ``withdrawn``: see ``_withdrawn_reason``. The CSF 2.0 catalog needs a rule of its own: it
  still carries the CSF 1.1 categories and subcategories that 2.0 dropped, word for word and
  with no status, and the only marks that tell them apart are the catalog's own (an empty
  category statement; no implementation examples on a subcategory).

XML is parsed with defusedxml: a document type declaration or an entity is refused.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import defusedxml.ElementTree as SafeET
from defusedxml import DefusedXmlException

OSCAL_NS = "http://csrc.nist.gov/ns/oscal/1.0"
CPRT_NS = "https://csrc.nist.gov/ns/cprt"
MAX_ID = 50
MAX_TITLE = 500
MAX_KIND = 30
WITHDRAWING_LINKS = {"moved-to", "incorporated-into"}
OTHER_MODELS = {
    "profile": "an OSCAL profile: import its resolved catalog instead",
    "component-definition": "an OSCAL component definition, not a catalog",
    "system-security-plan": "an OSCAL system security plan, not a catalog",
    "assessment-plan": "an OSCAL assessment plan, not a catalog",
    "assessment-results": "an OSCAL assessment results document, not a catalog",
    "plan-of-action-and-milestones": "an OSCAL POA&M, not a catalog",
    "mapping-collection": "an OSCAL mapping collection, not a catalog",
}
INSERT = re.compile(r"\{\{\s*insert:\s*param,\s*([^\s}]+)\s*\}\}")
BLOCKS = {"p", "h1", "h2", "h3", "h4", "h5", "h6", "pre", "blockquote"}


class CatalogProblem(Exception):
    """The file is not an OSCAL catalog ciodesk can import; the message says why."""


@dataclass
class ParsedItem:
    item_id: str
    kind: str
    title: str
    text: str
    withdrawn: bool
    parent_id: str | None
    depth: int


@dataclass
class ParsedCatalog:
    uuid: str
    title: str
    version: str
    oscal_version: str
    last_modified: str
    published: str
    publisher: str
    publisher_is_nist: bool
    props: dict[str, str]
    items: list[ParsedItem] = field(default_factory=list)


# --- reading the bytes ---------------------------------------------------------------------


def parse_catalog(data: bytes) -> ParsedCatalog:
    """The catalog in ``data`` (JSON or XML, told apart by the first character)."""
    text = _decode(data)
    start = text.lstrip()[:1]
    if start == "{":
        try:
            document = json.loads(text)
        except json.JSONDecodeError as exc:
            raise CatalogProblem(f"not valid JSON: line {exc.lineno}: {exc.msg}") from exc
        catalog = _json_catalog(document)
    elif start == "<":
        catalog = _xml_catalog(data)
    else:
        raise CatalogProblem("not an OSCAL catalog: the file is neither JSON nor XML")
    return _walk(catalog)


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise CatalogProblem(f"not UTF-8 text (byte {exc.start})") from exc


def _json_catalog(document: Any) -> dict:
    if not isinstance(document, dict):
        raise CatalogProblem("not an OSCAL catalog: the JSON is not an object")
    if "catalog" not in document:
        for key, what in OTHER_MODELS.items():
            if key in document:
                raise CatalogProblem(f"this is {what}")
        raise CatalogProblem("not an OSCAL catalog: no top-level “catalog”")
    catalog = document["catalog"]
    if not isinstance(catalog, dict):
        raise CatalogProblem("not an OSCAL catalog: “catalog” is not an object")
    return catalog


# --- XML into the JSON shape ---------------------------------------------------------------


def _local(tag: Any) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _xml_catalog(data: bytes) -> dict:
    try:
        root = SafeET.fromstring(data, forbid_dtd=True)
    except DefusedXmlException as exc:
        raise CatalogProblem(
            "refused: the XML declares a document type or entities, which OSCAL never needs"
        ) from exc
    except SafeET.ParseError as exc:
        raise CatalogProblem(f"not well-formed XML: {exc}") from exc
    name = _local(root.tag)
    if name != "catalog":
        what = OTHER_MODELS.get(name)
        raise CatalogProblem(f"this is {what}" if what else f"not an OSCAL catalog: <{name}>")
    if not root.tag.startswith("{" + OSCAL_NS):
        raise CatalogProblem(f"not an OSCAL catalog: its namespace is not {OSCAL_NS}")
    out: dict[str, Any] = {"uuid": root.get("uuid", "")}
    metadata = _child(root, "metadata")
    if metadata is not None:
        out["metadata"] = {
            key: _inline(el)
            for key in ("title", "version", "oscal-version", "last-modified", "published")
            if (el := _child(metadata, key)) is not None
        }
        out["metadata"]["props"] = [_xml_prop(p) for p in _children(metadata, "prop")]
        out["metadata"]["parties"] = [
            {
                "name": _inline(name) if (name := _child(p, "name")) is not None else "",
                "email-addresses": [_inline(e) for e in _children(p, "email-address")],
            }
            for p in _children(metadata, "party")
        ]
    out.update(_xml_containers(root))
    return out


def _child(el, name: str):
    for child in el:
        if _local(child.tag) == name:
            return child
    return None


def _children(el, name: str) -> list:
    return [child for child in el if _local(child.tag) == name]


def _xml_prop(el) -> dict:
    return {k: el.get(k) for k in ("name", "value", "ns", "class") if el.get(k) is not None}


def _xml_containers(el) -> dict:
    return {
        "params": [_xml_param(p) for p in _children(el, "param")],
        "groups": [_xml_node(g) for g in _children(el, "group")],
        "controls": [_xml_node(c) for c in _children(el, "control")],
    }


def _xml_node(el) -> dict:
    title = _child(el, "title")
    node = {
        "id": el.get("id"),
        "class": el.get("class"),
        "title": _inline(title) if title is not None else "",
        "props": [_xml_prop(p) for p in _children(el, "prop")],
        "links": [{"href": a.get("href"), "rel": a.get("rel")} for a in _children(el, "link")],
        "parts": [_xml_part(p) for p in _children(el, "part")],
    }
    node.update(_xml_containers(el))
    return node


def _xml_part(el) -> dict:
    title = _child(el, "title")
    return {
        "id": el.get("id"),
        "name": el.get("name", ""),
        "ns": el.get("ns"),
        "title": _inline(title) if title is not None else "",
        "props": [_xml_prop(p) for p in _children(el, "prop")],
        "prose": _prose(el),
        "parts": [_xml_part(p) for p in _children(el, "part")],
    }


def _xml_param(el) -> dict:
    param: dict[str, Any] = {"id": el.get("id")}
    if (label := _child(el, "label")) is not None:
        param["label"] = _inline(label)
    if (select := _child(el, "select")) is not None:
        param["select"] = {
            "how-many": select.get("how-many", "one"),
            "choice": [_inline(c) for c in _children(select, "choice")],
        }
    values = [_inline(v) for v in _children(el, "value")]
    if values:
        param["values"] = values
    return param


def _inline(el) -> str:
    """The text of an inline-markup element, parameter inserts kept as OSCAL JSON writes them."""
    pieces = [el.text or ""]
    for child in el:
        if _local(child.tag) == "insert":
            if child.get("type", "param") == "param":
                pieces.append(f"{{{{ insert: param, {child.get('id-ref', '')} }}}}")
        else:
            pieces.append(_inline(child))
        pieces.append(child.tail or "")
    return re.sub(r"\s+", " ", "".join(pieces)).strip()


def _prose(part) -> str:
    """A part's prose blocks (paragraphs, lists, tables) as plain lines."""
    lines = []
    for child in part:
        name = _local(child.tag)
        if name in BLOCKS:
            lines.append(_inline(child))
        elif name in ("ul", "ol"):
            lines.extend(f"- {_inline(li)}" for li in child if _local(li.tag) == "li")
        elif name == "table":
            for row in child.iter():
                if _local(row.tag) == "tr":
                    lines.append(" | ".join(_inline(cell) for cell in row))
    return "\n".join(line for line in lines if line)


# --- walking the catalog ---------------------------------------------------------------------


def _props(node: dict) -> list[dict]:
    props = node.get("props") or []
    return [p for p in props if isinstance(p, dict)] if isinstance(props, list) else []


def _list(node: dict, key: str, where: str) -> list:
    value = node.get(key) or []
    if not isinstance(value, list):
        raise CatalogProblem(f"{where}: “{key}” is not a list")
    return value


def _walk(catalog: dict) -> ParsedCatalog:
    metadata = catalog.get("metadata")
    if not isinstance(metadata, dict) or not str(metadata.get("title") or "").strip():
        raise CatalogProblem("not a valid OSCAL catalog: it has no metadata title")
    uuid = str(catalog.get("uuid") or "")
    if not re.fullmatch(r"[0-9A-Fa-f]{8}(-[0-9A-Fa-f]{4}){3}-[0-9A-Fa-f]{12}", uuid):
        raise CatalogProblem("not a valid OSCAL catalog: its uuid is missing or malformed")
    props = {str(p.get("name")): str(p.get("value", "")) for p in _props(metadata)}
    parties = [p for p in metadata.get("parties") or [] if isinstance(p, dict)]
    parsed = ParsedCatalog(
        uuid=uuid.lower(),
        title=str(metadata["title"]).strip()[:200],
        version=str(metadata.get("version") or "")[:50],
        oscal_version=str(metadata.get("oscal-version") or ""),
        last_modified=str(metadata.get("last-modified") or ""),
        published=str(metadata.get("published") or ""),
        publisher=next((str(p.get("name") or "") for p in parties), ""),
        publisher_is_nist=any(_is_nist(p) for p in parties),
        props=props,
    )
    params = {p["id"]: p for p in _all_params(catalog) if isinstance(p, dict) and p.get("id")}
    walker = _Walker(params, csf2=_is_csf2(parsed))
    parsed.items = list(walker.containers(catalog, None, 0, False, "the catalog"))
    if not parsed.items:
        raise CatalogProblem("the catalog has no groups or controls")
    return parsed


def _is_nist(party: dict) -> bool:
    emails = party.get("email-addresses") or []
    return "National Institute of Standards and Technology" in str(party.get("name")) or any(
        str(e).lower().endswith("@nist.gov") for e in emails if isinstance(emails, list)
    )


def _is_csf2(catalog: ParsedCatalog) -> bool:
    """NIST's CPRT-generated CSF 2.0 catalog (the one that mixes in CSF 1.1 leftovers)."""
    framework = catalog.props.get("framework-identifier", "")
    version = catalog.props.get("framework-version-identifier", "")
    if framework:
        return framework.upper() == "CSF" and version.upper().startswith("CSF_2")
    return catalog.title.startswith("NIST Cybersecurity Framework 2")


def _all_params(node: dict) -> Iterator[dict]:
    params = node.get("params")
    if isinstance(params, list):
        yield from params
    for key in ("groups", "controls"):
        children = node.get(key)
        if isinstance(children, list):
            for child in children:
                if isinstance(child, dict):
                    yield from _all_params(child)


class _Walker:
    def __init__(self, params: dict[str, dict], csf2: bool) -> None:
        self.params = params
        self.csf2 = csf2
        self.seen: set[str] = set()

    def containers(
        self, node: dict, parent: str | None, depth: int, withdrawn: bool, where: str
    ) -> Iterator[ParsedItem]:
        for key, default in (("groups", "group"), ("controls", "control")):
            for number, child in enumerate(_list(node, key, where), start=1):
                if not isinstance(child, dict):
                    raise CatalogProblem(f"{where}: {default} no. {number} is not an object")
                yield from self.item(child, default, number, parent, depth, withdrawn, where)

    def item(
        self,
        node: dict,
        default_kind: str,
        number: int,
        parent: str | None,
        depth: int,
        parent_withdrawn: bool,
        where: str,
    ) -> Iterator[ParsedItem]:
        title = str(node.get("title") or "").strip()
        item_id = str(node.get("id") or "").strip()
        if not item_id:
            if default_kind == "control":
                raise CatalogProblem(f"{where}: control no. {number} (“{title}”) has no id")
            item_id = re.sub(r"[^A-Za-z0-9.-]+", "-", title).strip("-")[:MAX_ID] or f"g{number}"
        if len(item_id) > MAX_ID:
            raise CatalogProblem(f"{where}: the id “{item_id[:60]}…” is longer than {MAX_ID}")
        if item_id in self.seen:
            raise CatalogProblem(f"the id “{item_id}” appears twice")
        self.seen.add(item_id)
        kind = _kind(node.get("class"), default_kind)
        withdrawn = parent_withdrawn or _withdrawn_reason(node, kind, self.csf2) is not None
        yield ParsedItem(
            item_id=item_id,
            kind=kind,
            title=(title if len(title) <= MAX_TITLE else title[: MAX_TITLE - 1] + "…"),
            text=self.text(node),
            withdrawn=withdrawn,
            parent_id=parent,
            depth=depth,
        )
        yield from self.containers(node, item_id, depth + 1, withdrawn, f"{default_kind} {item_id}")

    def text(self, node: dict) -> str:
        parts = [p for p in node.get("parts") or [] if isinstance(p, dict)]
        for name in ("statement", "overview"):
            chosen = [p for p in parts if p.get("name") == name]
            if chosen:
                return "\n".join(
                    line for part in chosen for line in self.part_lines(part, 0)
                ).strip()
        return ""

    def part_lines(self, part: dict, depth: int) -> list[str]:
        label = next((str(p.get("value")) for p in _props(part) if p.get("name") == "label"), "")
        prose = self.fill(str(part.get("prose") or "").strip())
        head = " ".join(piece for piece in (label, prose) if piece)
        lines = ["  " * depth + line for line in head.splitlines()] if head else []
        child_depth = depth + 1 if head else depth
        for sub in part.get("parts") or []:
            if isinstance(sub, dict) and sub.get("name") in ("item", "statement"):
                lines.extend(self.part_lines(sub, child_depth))
        return lines

    def fill(self, prose: str, seen: frozenset[str] = frozenset()) -> str:
        """Parameters written as NIST prints them: [Assignment: …] or [Selection (…): …]."""

        def replace(match: re.Match) -> str:
            name = match.group(1)
            param = self.params.get(name)
            if param is None or name in seen:
                return f"[Assignment: {name}]"
            select = param.get("select")
            if isinstance(select, dict):
                how = "one or more" if select.get("how-many") == "one-or-more" else "one"
                choices = [self.fill(str(c), seen | {name}) for c in select.get("choice") or []]
                return f"[Selection ({how}): {'; '.join(choices)}]"
            if param.get("label"):
                return f"[Assignment: {self.fill(str(param['label']), seen | {name})}]"
            if param.get("values"):
                return ", ".join(str(v) for v in param["values"])
            return f"[Assignment: {name}]"

        return INSERT.sub(replace, prose)


def _kind(cls: Any, default: str) -> str:
    if not isinstance(cls, str) or not cls:
        return default
    lowered = cls.lower()
    if lowered.endswith("enhancement"):
        return "enhancement"
    if re.fullmatch(r"[a-z][a-z_-]*", lowered) and len(lowered) <= MAX_KIND:
        return lowered
    return default


def _has_words(part: dict) -> bool:
    if str(part.get("prose") or "").strip():
        return True
    return any(_has_words(p) for p in part.get("parts") or [] if isinstance(p, dict))


def _withdrawn_reason(node: dict, kind: str, csf2: bool) -> str | None:
    """Why the catalog itself says this item is withdrawn, or None when it is active.

    * OSCAL's own flag: a property ``status`` = ``withdrawn`` (SP 800-53 uses it);
    * a link ``moved-to`` or ``incorporated-into`` (what a withdrawn control points to);
    * a statement part with no words: the catalog keeps the item's place but says nothing;
    * CSF 2.0 only: a subcategory with no implementation example. Every CSF 2.0
      subcategory has at least one (a part named ``example``); the 79 CSF 1.1 subcategories
      the catalog still carries have none. (Children of a withdrawn item are withdrawn too:
      the walker passes that down.)
    """
    for prop in _props(node):
        if prop.get("name") == "status" and str(prop.get("value", "")).lower() == "withdrawn":
            return "status withdrawn"
    links = node.get("links") or []
    if any(isinstance(a, dict) and a.get("rel") in WITHDRAWING_LINKS for a in links):
        return "moved or incorporated"
    parts = [p for p in node.get("parts") or [] if isinstance(p, dict)]
    statements = [p for p in parts if p.get("name") == "statement"]
    if statements and not any(_has_words(p) for p in statements):
        return "empty statement"
    if csf2 and kind == "subcategory" and not any(p.get("name") == "example" for p in parts):
        return "CSF 1.1 subcategory without CSF 2.0 implementation examples"
    return None
