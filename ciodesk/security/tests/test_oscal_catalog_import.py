"""Importing OSCAL catalogs: NIST's two real files, withdrawn items, re-imports, bad files."""

import csv
import json

import pytest

from ciodesk.security.models import Framework, FrameworkItem
from ciodesk.security.oscal.catalog_import import (
    CSF_FILE,
    CSF_SLUG,
    SHIPPED,
    ensure_csf,
    import_catalog,
    official_items,
)
from ciodesk.security.oscal.catalog_parse import CatalogProblem

SP800_53_LOW = SHIPPED / "NIST_SP-800-53_rev5_LOW-baseline-resolved-profile_catalog.json"
CSF_IDS = SHIPPED.parent / "nist_csf_2_0_ids.csv"

pytestmark = pytest.mark.django_db


def active(kind, framework):
    return FrameworkItem.objects.filter(framework=framework, kind=kind, withdrawn=False).count()


def withdrawn(kind, framework):
    return FrameworkItem.objects.filter(framework=framework, kind=kind, withdrawn=True).count()


def test_the_csf_2_0_xml_has_6_functions_22_categories_106_subcategories():
    result = import_catalog(CSF_FILE, CSF_FILE.name)
    framework = result.framework
    assert result.created and framework.slug == CSF_SLUG
    assert result.counts == {"function": (6, 0), "category": (22, 12), "subcategory": (106, 79)}
    assert (active("function", framework), withdrawn("function", framework)) == (6, 0)
    assert (active("category", framework), withdrawn("category", framework)) == (22, 12)
    assert (active("subcategory", framework), withdrawn("subcategory", framework)) == (106, 79)
    assert framework.name == "NIST Cybersecurity Framework 2.0"
    assert "public domain" in framework.licence


def test_the_active_csf_items_are_exactly_the_published_csf_2_0_ids():
    framework = import_catalog(CSF_FILE).framework
    with CSF_IDS.open(encoding="utf-8") as handle:
        published = {row["id"] for row in csv.DictReader(handle)}
    imported = set(
        FrameworkItem.objects.filter(framework=framework, withdrawn=False).values_list(
            "item_id", flat=True
        )
    )
    assert imported == published


def test_csf_items_keep_the_official_text_and_the_hierarchy():
    framework = import_catalog(CSF_FILE).framework
    items = {i.item_id: i for i in FrameworkItem.objects.filter(framework=framework)}
    assert items["PR.AA-03"].text == "Users, services, and hardware are authenticated"
    assert items["PR.AA-03"].parent.item_id == "PR.AA"
    assert items["PR.AA"].parent.item_id == "PR"
    assert items["PR.AA"].title == "Identity Management, Authentication, and Access Control"
    assert items["GV"].title == "GOVERN" and items["GV"].parent is None
    assert items["GV"].text.startswith("The organization's cybersecurity risk management")
    first = FrameworkItem.objects.filter(framework=framework).order_by("order")[:3]
    assert [i.item_id for i in first] == ["GV", "GV.OC", "GV.OC-01"]


def test_csf_1_1_leftovers_are_withdrawn_by_the_catalogs_own_marks():
    framework = import_catalog(CSF_FILE).framework
    state = dict(
        FrameworkItem.objects.filter(framework=framework).values_list("item_id", "withdrawn")
    )
    # an empty category statement, and everything under it
    assert state["ID.BE"] and state["ID.BE-01"] and state["PR.AC"] and state["PR.AC-07"]
    # a CSF 1.1 subcategory inside a CSF 2.0 category: no implementation examples
    assert state["ID.AM-06"] and state["DE.CM-04"]
    assert not state["ID.AM-07"] and not state["DE.CM-09"] and not state["ID.AM"]


def test_the_800_53_low_json_catalog_imports_every_control_and_enhancement():
    document = json.loads(SP800_53_LOW.read_text(encoding="utf-8"))
    groups = document["catalog"]["groups"]
    controls = [c for g in groups for c in g.get("controls", [])]
    enhancements = [e for c in controls for e in c.get("controls", [])]
    assert (len(groups), len(controls), len(enhancements)) == (18, 131, 18)

    result = import_catalog(SP800_53_LOW, SP800_53_LOW.name)
    assert result.counts == {
        "family": (len(groups), 0),
        "control": (len(controls), 0),
        "enhancement": (len(enhancements), 0),
    }
    framework = result.framework
    assert framework.version == "5.1.1+u4"
    ac2 = FrameworkItem.objects.get(framework=framework, item_id="ac-2")
    assert ac2.title == "Account Management" and ac2.parent.item_id == "ac"
    assert "c. Require [Assignment: prerequisites and criteria] for group" in ac2.text
    assert "\n  1. Authorized users of the system;" in ac2.text
    ac1 = FrameworkItem.objects.get(framework=framework, item_id="ac-1")
    assert "[Selection (one or more): organization-level; mission/business" in ac1.text


def test_importing_the_same_file_again_changes_nothing():
    first = import_catalog(CSF_FILE)
    before = list(FrameworkItem.objects.order_by("pk").values_list("pk", "item_id", "text"))
    second = import_catalog(CSF_FILE)
    assert second.unchanged and second.framework.pk == first.framework.pk
    assert (second.added, second.updated, second.removed) == (0, 0, 0)
    assert list(FrameworkItem.objects.order_by("pk").values_list("pk", "item_id", "text")) == (
        before
    )
    assert Framework.objects.count() == 1


def test_a_newer_version_updates_the_framework_in_place():
    framework = import_catalog(CSF_FILE).framework
    kept = FrameworkItem.objects.get(framework=framework, item_id="PR.AA-03").pk
    data = CSF_FILE.read_bytes()
    data = data.replace(b"<version>1.0.0</version>", b"<version>1.0.1</version>")
    data = data.replace(
        b"Users, services, and hardware are authenticated",
        b"Users, services, and hardware are authenticated (corrected)",
    )
    start = data.index(b'<control id="GV.OC-05"')
    data = data[:start] + data[data.index(b"</control>", start) + len(b"</control>") :]

    result = import_catalog(data, "csf-1.0.1.xml")
    assert not result.created and result.framework.pk == framework.pk
    assert (result.added, result.updated, result.removed) == (0, 1, 1)
    assert result.counts["subcategory"] == (105, 79)
    item = FrameworkItem.objects.get(framework=framework, item_id="PR.AA-03")
    assert item.pk == kept and item.text.endswith("(corrected)")
    assert not FrameworkItem.objects.filter(item_id="GV.OC-05").exists()
    assert Framework.objects.get().version == "1.0.1"


SMALL = {
    "catalog": {
        "uuid": "7f3c9f52-5d2c-4d6b-9b8e-0c5a1f1f2a10",
        "metadata": {"title": "Small catalog", "version": "2", "oscal-version": "1.1.2"},
        "groups": [
            {
                "id": "g",
                "class": "family",
                "title": "Group",
                "controls": [
                    {
                        "id": "c-1",
                        "title": "Active",
                        "parts": [{"name": "statement", "prose": "Do {{ insert: param, p1 }}."}],
                        "params": [{"id": "p1", "values": ["the thing"]}],
                        "controls": [{"id": "c-1.1", "class": "x-enhancement", "title": "E"}],
                    },
                    {
                        "id": "c-2",
                        "title": "Flagged",
                        "props": [{"name": "status", "value": "withdrawn"}],
                        "controls": [{"id": "c-2.1", "title": "Child of a withdrawn one"}],
                    },
                    {
                        "id": "c-3",
                        "title": "Moved",
                        "links": [{"href": "#c-1", "rel": "incorporated-into"}],
                    },
                    {"id": "c-4", "title": "Emptied", "parts": [{"name": "statement"}]},
                ],
            }
        ],
    }
}


def test_withdrawn_items_are_recognised_by_status_links_and_empty_statements():
    result = import_catalog(json.dumps(SMALL).encode(), "small.json")
    state = dict(FrameworkItem.objects.values_list("item_id", "withdrawn"))
    assert state == {
        "g": False,
        "c-1": False,
        "c-1.1": False,
        "c-2": True,
        "c-2.1": True,
        "c-3": True,
        "c-4": True,
    }
    assert result.counts == {"family": (1, 0), "control": (1, 4), "enhancement": (1, 0)}
    assert FrameworkItem.objects.get(item_id="c-1").text == "Do the thing."


SMALL_XML = b"""<?xml version="1.0" encoding="UTF-8"?>
<catalog xmlns="http://csrc.nist.gov/ns/oscal/1.0" uuid="7f3c9f52-5d2c-4d6b-9b8e-0c5a1f1f2a11">
  <metadata><title>Small XML</title><version>1</version><oscal-version>1.1.3</oscal-version>
  </metadata>
  <group id="g" class="family"><title>Group</title>
    <control id="c-1"><title>Active</title>
      <param id="p1"><label>organization-defined frequency</label></param>
      <part name="statement" id="c-1_smt"><p>Review <em>every</em>
        <insert type="param" id-ref="p1"/>.</p></part>
    </control>
    <control id="c-2"><title>Gone</title><prop name="status" value="withdrawn"/></control>
  </group>
</catalog>"""


def test_an_xml_catalog_reads_like_its_json_twin():
    import_catalog(SMALL_XML, "small.xml")
    items = {i.item_id: i for i in FrameworkItem.objects.all()}
    assert items["c-1"].text == "Review every [Assignment: organization-defined frequency]."
    assert items["c-1"].parent.item_id == "g" and not items["c-1"].withdrawn
    assert items["c-2"].withdrawn


BAD_FILES = [
    (b"", "empty"),
    (b"vendor,contract\nA,B\n", "neither JSON nor XML"),
    (b'{"catalog": {"uuid": ', "not valid JSON"),
    (b'{"profile": {"uuid": "x"}}', "resolved catalog"),
    (b'{"catalog": {"uuid": "7f3c9f52-5d2c-4d6b-9b8e-0c5a1f1f2a10"}}', "no metadata title"),
    (b'{"catalog": {"uuid": "1", "metadata": {"title": "x"}}}', "uuid is missing or malformed"),
    (
        json.dumps(
            {"catalog": {"uuid": SMALL["catalog"]["uuid"], "metadata": {"title": "x"}}}
        ).encode(),
        "no groups or controls",
    ),
    (json.dumps(SMALL).replace('"c-3"', '"c-1"').encode(), "appears twice"),
    (json.dumps(SMALL).replace('"id": "c-4", ', "").encode(), "has no id"),
    (
        b'<?xml version="1.0"?><!DOCTYPE catalog [<!ENTITY a "aaaa">]>'
        b'<catalog xmlns="http://csrc.nist.gov/ns/oscal/1.0">&a;</catalog>',
        "document type or entities",
    ),
    (b"<catalog><metadata>", "not well-formed XML"),
    (b'<catalog xmlns="urn:other"/>', "namespace"),
    ("\u00e9".encode("latin-1") + b"{}", "not UTF-8"),
]


@pytest.mark.parametrize(("data", "reason"), BAD_FILES, ids=[r for _, r in BAD_FILES])
def test_a_bad_file_is_refused_with_a_reason_and_writes_nothing(data, reason):
    with pytest.raises(CatalogProblem, match=reason):
        import_catalog(data, "bad")
    assert not Framework.objects.exists() and not FrameworkItem.objects.exists()


def test_a_bad_newer_version_leaves_the_imported_framework_alone():
    framework = import_catalog(json.dumps(SMALL).encode()).framework
    broken = json.dumps(SMALL).replace('"c-3"', '"c-1"').encode()
    with pytest.raises(CatalogProblem):
        import_catalog(broken)
    assert Framework.objects.get().sha256 == framework.sha256
    assert FrameworkItem.objects.count() == 7


def test_ensure_csf_imports_the_shipped_catalog_once(django_assert_num_queries):
    framework = ensure_csf()
    assert framework.slug == CSF_SLUG and framework.items.count() == 6 + 34 + 185
    with django_assert_num_queries(1):
        assert ensure_csf().pk == framework.pk
    texts = official_items(["PR.AA-03", "RC.RP-01", "nothing"])
    assert set(texts) == {"PR.AA-03", "RC.RP-01"}
    assert texts["PR.AA-03"].text == "Users, services, and hardware are authenticated"


def test_an_item_moved_under_a_new_parent_follows_it():
    import_catalog(json.dumps(SMALL).encode())
    newer = json.loads(json.dumps(SMALL))
    moved = newer["catalog"]["groups"][0]["controls"].pop(0)  # c-1 (with c-1.1)
    newer["catalog"]["groups"].append({"id": "g2", "title": "New group", "controls": [moved]})
    result = import_catalog(json.dumps(newer).encode())
    assert (result.added, result.removed) == (1, 0)
    c1 = FrameworkItem.objects.get(item_id="c-1")
    assert c1.parent.item_id == "g2" and c1.children.get().item_id == "c-1.1"
