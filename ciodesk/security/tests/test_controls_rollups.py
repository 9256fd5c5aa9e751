"""Roll-ups of the same effective state by CSF function and category, CPG goal, CIS IG1, E8."""

import csv
import io
from types import SimpleNamespace

import pytest

from ciodesk.core.scope import scope
from ciodesk.security import services_controls as services
from ciodesk.security.state import ControlState


def state(title, effective, csf=(), cpg=(), cis=(), e8=()):
    definition = SimpleNamespace(
        title=title, key=title, csf=list(csf), cpg=list(cpg), cis=list(cis), e8=list(e8)
    )
    return ControlState(SimpleNamespace(definition=definition), effective, None)


@pytest.fixture
def result():
    return services.rollups(
        [
            state(
                "A",
                "in_place",
                ["PR.AA-03", "PR.AA-05"],
                ["3.F"],
                ["6.3"],
                ["Multi-factor authentication"],
            ),
            state("B", "stale", ["PR.DS-11"], ["3.O"], ["11.2"], ["Regular backups"]),
            state("C", "partial", ["PR.DS-01", "ID.AM-01"], ["3.K"], ["3.6"]),
            state("D", "not_applicable", ["GV.PO-01"], ["1.A"]),
            state("E", "not_assessed", ["PR.PS-02"], ["2.B", "3.F"], ["7.3"]),
        ]
    )


def by_id(tallies):
    return {t.id: t for t in tallies}


def test_a_function_scores_in_place_over_applicable_mapped_controls(result):
    fn = by_id(result.csf_functions)
    assert [t.id for t in result.csf_functions] == ["GV", "ID", "PR", "DE", "RS", "RC"]
    assert (fn["PR"].applicable, fn["PR"].in_place, fn["PR"].score) == (4, 1, 25)
    assert (fn["PR"].stale, fn["PR"].partial, fn["PR"].gaps) == (1, 1, 1)
    assert (fn["ID"].applicable, fn["ID"].score) == (1, 0)
    assert fn["GV"].mapped == 1 and fn["GV"].applicable == 0 and fn["GV"].score is None
    assert fn["DE"].score is None


def test_a_control_mapped_twice_in_a_category_counts_once(result):
    cat = by_id(result.csf_categories)
    assert len(result.csf_categories) == 22
    assert (cat["PR.AA"].mapped, cat["PR.AA"].score) == (1, 100)
    assert (cat["PR.DS"].applicable, cat["PR.DS"].in_place, cat["PR.DS"].score) == (2, 0, 0)
    assert cat["PR.AA"].group == "Protect"


def test_cpg_goals_are_met_partly_not_or_unmapped(result):
    cpg = by_id(result.cpg)
    assert cpg["3.F"].verdict == "partly"  # A in place, E not assessed
    assert cpg["3.K"].verdict == "partly"  # C partial
    assert cpg["3.O"].verdict == "not"  # B stale counts as not in place
    assert cpg["2.B"].verdict == "not"
    assert cpg["1.A"].verdict == "unmapped"  # only a not-applicable control
    counts = result.cpg_counts()
    assert counts == {"met": 0, "partly": 2, "not": 2, "unmapped": 30}


def test_an_ig1_safeguard_is_covered_only_by_an_in_place_control(result):
    cis = by_id(result.cis)
    assert len(result.cis) == 56
    assert result.cis_covered == 1
    assert cis["6.3"].cis_label == "Covered"
    assert cis["11.2"].cis_label == "Not covered"
    assert cis["3.6"].cis_label == "Partly covered"
    assert cis["1.1"].cis_label == "No control mapped"


def test_essential_eight_strategies(result):
    e8 = by_id(result.e8)
    assert e8["Multi-factor authentication"].score == 100
    assert e8["Regular backups"].score == 0
    assert e8["Application control"].score is None


def test_the_page_and_its_exports_show_the_same_numbers(world, as_user):
    with scope(world.a):
        world.records["a"]["controls"].status = "not_in_place"  # the URL sweep's control
        world.records["a"]["controls"].save()
        services.add_evidence(
            services.control_for("mfa-admins"),
            kind="note",
            title="All admins registered",
            verified_on=world.a.today(),
            status="in_place",
        )
    page = as_user(world.exec_a)
    html = page.get("/c/alpha/security/rollups/").content.decode()
    assert "1 of 56</strong> IG1 safeguards covered" in html
    response = page.get("/c/alpha/security/rollups/export/?table=cis&format=csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert len(rows) == 56
    assert [r["safeguard"] for r in rows if r["coverage"] == "Covered"] == ["6.5"]
    response = page.get("/c/alpha/security/rollups/export/?table=csf-functions&format=xlsx")
    assert response["Content-Disposition"].endswith('.xlsx"')
    assert page.get("/c/alpha/security/rollups/export/?table=nope").status_code == 404
