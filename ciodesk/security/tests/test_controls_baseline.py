"""The built-in "ciodesk essentials" baseline: its keys, intervals and mappings."""

import pytest

from ciodesk.core.scope import scope
from ciodesk.security import baseline, reference
from ciodesk.security import services_controls as services
from ciodesk.security.models import ClientControl, ControlDefinition

FIXED_KEYS = [
    "governance",
    "risk-assessment",
    "asset-inventory",
    "software-inventory",
    "supported-software",
    "mfa-email",
    "mfa-remote-access",
    "mfa-admins",
    "legacy-auth-blocked",
    "admin-accounts",
    "access-review",
    "offboarding",
    "password-manager",
    "endpoint-protection",
    "patch-operating-systems",
    "patch-applications",
    "email-security",
    "backups",
    "backup-offline-copy",
    "restore-test",
    "saas-backup",
    "disk-encryption",
    "security-training",
    "phishing-simulation",
    "incident-response-plan",
    "logging-monitoring",
    "firewall-remote-exposure",
    "vulnerability-scanning",
    "macro-restriction",
    "application-control",
    "browser-hardening",
    "vendor-access",
]


def test_the_baseline_has_about_thirty_controls_with_the_agreed_keys():
    assert baseline.KEYS == FIXED_KEYS
    assert 28 <= len(baseline.CONTROLS) <= 34


def test_each_control_says_why_what_and_how_often():
    for c in baseline.CONTROLS:
        assert c.title and c.area and c.why and c.in_place_means and c.evidence_expected, c.key
        assert c.csf, f"{c.key} has no CSF mapping"
    assert baseline.BY_KEY["restore-test"].interval_days == 90
    assert baseline.BY_KEY["access-review"].interval_days == 180
    assert {baseline.BY_KEY[k].interval_days for k in FIXED_KEYS if k.startswith("mfa-")} == {30}


def test_every_mapping_id_exists_in_the_reference_data():
    for c in baseline.CONTROLS:
        for scheme in ("csf", "cpg", "cis", "e8"):
            unknown = set(getattr(c, scheme)) - reference.ids(scheme)
            assert not unknown, f"{c.key}: unknown {scheme} IDs {sorted(unknown)}"


def test_the_reference_data_has_the_published_counts():
    assert len(reference.csf_functions()) == 6
    assert len(reference.csf_categories()) == 22
    assert len(reference.csf_subcategories()) == 106
    assert len(reference.cpg_goals()) == 34
    assert len(reference.cis_ig1()) == 56
    assert len(reference.E8_STRATEGIES) == 8


def test_most_ig1_safeguards_have_a_baseline_control():
    mapped = {i for c in baseline.CONTROLS for i in c.cis}
    assert len(mapped) >= 50


@pytest.mark.django_db
def test_each_client_gets_every_control_once_owned_by_its_first_person(world):
    with scope(world.a):
        first = services.ensure_client_controls(world.a)
        again = services.ensure_client_controls(world.a)
        assert [c.pk for c in first] == [c.pk for c in again]
        keys = {c.definition.key for c in first}
        assert set(FIXED_KEYS) <= keys
        assert {c.status for c in first if c.definition.key in FIXED_KEYS} == {"not_assessed"}
        assert {c.owner.name for c in first if c.definition.key in FIXED_KEYS} == {"Pat Owner"}
    assert ControlDefinition.objects.filter(key__in=FIXED_KEYS).count() == len(FIXED_KEYS)
    with scope(world.b):
        services.ensure_client_controls(world.b)
    assert ClientControl.unscoped.filter(definition__key="mfa-email").count() == 2


@pytest.mark.django_db
def test_a_practices_edit_of_a_definition_survives_the_sync(world):
    with scope(world.a):
        services.ensure_client_controls(world.a)
    ControlDefinition.objects.filter(key="backups").update(interval_days=7)
    services.sync_baseline()
    assert ControlDefinition.objects.get(key="backups").interval_days == 7
    services.sync_baseline(update=True)
    assert ControlDefinition.objects.get(key="backups").interval_days == 30


@pytest.mark.django_db
def test_a_client_without_people_is_told_what_to_do_then_gets_the_practices_owner(world, as_user):
    from ciodesk.conftest import make_client
    from ciodesk.tenancy.models import Person

    make_client("charlie", "Charlie Law")
    page = as_user(world.lead)
    response = page.get("/c/charlie/security/")
    assert response.status_code == 200
    assert "Nobody can own a control yet" in response.content.decode()
    assert page.get("/c/charlie/security/rollups/").status_code == 200
    Person.unscoped.create(client=None, name="Lena Lead")
    assert "Stale: verify again" in page.get("/c/charlie/security/").content.decode()
    assert set(
        ClientControl.unscoped.filter(client__slug="charlie").values_list("owner__name", flat=True)
    ) == {"Lena Lead"}
