"""Framework reference data for the roll-ups: IDs and short titles only (see data/README.md).

NIST CSF 2.0 functions, categories and subcategory IDs; CISA CPG 2.0 goals; the 56 CIS
Controls v8.1 IG1 safeguard IDs with ciodesk's own paraphrase (never CIS's text); the
Essential Eight strategy names. Read once from the CSV files shipped in ``data/``.
"""

from __future__ import annotations

import csv
import functools
from dataclasses import dataclass
from pathlib import Path

from ciodesk.security import baseline

DATA = Path(__file__).resolve().parent / "data"

CSF_FUNCTION_NAMES = {
    "GV": "Govern",
    "ID": "Identify",
    "PR": "Protect",
    "DE": "Detect",
    "RS": "Respond",
    "RC": "Recover",
}

E8_STRATEGIES: list[str] = [
    baseline.E8_PATCH_APPS,
    baseline.E8_PATCH_OS,
    baseline.E8_MFA,
    baseline.E8_ADMIN,
    baseline.E8_APP_CONTROL,
    baseline.E8_MACROS,
    baseline.E8_HARDENING,
    baseline.E8_BACKUPS,
]

ATTRIBUTION = {
    "csf": "NIST Cybersecurity Framework 2.0 (NIST, US government work).",
    "cpg": "CISA Cybersecurity Performance Goals 2.0 (CISA, US government work).",
    "cis": "CIS Controls v8.1 IG1 safeguard IDs; descriptions are ciodesk's own paraphrase, "
    "not CIS text.",
    "e8": "Essential Eight strategies (Australian Signals Directorate, CC BY 4.0).",
}


@dataclass(frozen=True)
class Item:
    id: str
    title: str
    parent: str = ""  # the CSF function of a category / subcategory, the control no. for CIS
    extra: str = ""  # CPG: the CSF function; CIS: the analyst's CSF subcategory


def _rows(name: str) -> list[dict[str, str]]:
    with (DATA / name).open(newline="", encoding="utf-8-sig") as handle:
        return list(csv.DictReader(handle))


@functools.cache
def csf_functions() -> list[Item]:
    return [
        Item(r["id"], CSF_FUNCTION_NAMES.get(r["id"], r["title"].title()))
        for r in _rows("nist_csf_2_0_ids.csv")
        if r["level"] == "function"
    ]


@functools.cache
def csf_categories() -> list[Item]:
    return [
        Item(r["id"], r["title"], parent=r["function"])
        for r in _rows("nist_csf_2_0_ids.csv")
        if r["level"] == "category"
    ]


@functools.cache
def csf_subcategories() -> list[Item]:
    return [
        Item(r["id"], "", parent=r["parent"])
        for r in _rows("nist_csf_2_0_ids.csv")
        if r["level"] == "subcategory"
    ]


@functools.cache
def cpg_goals() -> list[Item]:
    return [
        Item(r["goal_id"], r["title"], extra=r["csf_function"])
        for r in _rows("cisa_cpg_2_0_goals.csv")
    ]


@functools.cache
def cis_ig1() -> list[Item]:
    return [
        Item(
            r["safeguard_id"],
            r["own_paraphrase_not_CIS_text"],
            parent=r["control_no"],
            extra=r["analyst_csf2_subcategory"],
        )
        for r in _rows("cis_controls_v8_1_ig1_safeguards.csv")
    ]


@functools.cache
def ids(scheme: str) -> frozenset[str]:
    """Every valid ID of a mapping scheme: "csf" (subcategories), "cpg", "cis" or "e8"."""
    if scheme == "csf":
        return frozenset(i.id for i in csf_subcategories())
    if scheme == "cpg":
        return frozenset(i.id for i in cpg_goals())
    if scheme == "cis":
        return frozenset(i.id for i in cis_ig1())
    if scheme == "e8":
        return frozenset(E8_STRATEGIES)
    raise ValueError(f"Unknown mapping scheme {scheme!r}")


@functools.cache
def titles() -> dict[str, dict[str, str]]:
    """{scheme: {id: short title}} for showing a mapping ID with its name."""
    return {
        "csf_function": {i.id: i.title for i in csf_functions()},
        "csf_category": {i.id: i.title for i in csf_categories()},
        "cpg": {i.id: i.title for i in cpg_goals()},
        "cis": {i.id: i.title for i in cis_ig1()},
        "e8": {name: name for name in E8_STRATEGIES},
    }


def csf_category_of(subcategory: str) -> str:
    """ "PR.AA-03" → "PR.AA"."""
    return subcategory.split("-", 1)[0]


def csf_function_of(item_id: str) -> str:
    """ "PR.AA-03" or "PR.AA" → "PR"."""
    return item_id.split(".", 1)[0]
