"""ciodesk import-oscal and ciodesk export-oscal."""

import io
import json

import pytest
from django.core.management import CommandError, call_command

from ciodesk.conftest import CANARY
from ciodesk.security.models import Framework
from ciodesk.security.oscal.catalog_import import CSF_FILE
from ciodesk.security.tests.test_oscal_catalog_import import SP800_53_LOW


def run(*args) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_import_oscal_prints_active_and_withdrawn_counts_per_kind():
    out = run("import_oscal", str(CSF_FILE))
    assert "NIST Cybersecurity Framework 2.0 1.0.0: imported (225 added" in out
    assert "  function: 6 active, 0 withdrawn" in out
    assert "  category: 22 active, 12 withdrawn" in out
    assert "  subcategory: 106 active, 79 withdrawn" in out
    again = run("import_oscal", str(CSF_FILE))
    assert "already imported, nothing changed" in again
    assert "subcategory: 106 active, 79 withdrawn" in again


@pytest.mark.django_db
def test_import_oscal_reads_the_800_53_json_too():
    out = run("import_oscal", str(SP800_53_LOW), "--slug", "sp800-53-low")
    assert "control: 131 active, 0 withdrawn" in out
    assert "enhancement: 18 active, 0 withdrawn" in out
    assert Framework.objects.get().slug == "sp800-53-low"


@pytest.mark.django_db
def test_a_bad_catalog_exits_2_with_one_line_and_writes_nothing(tmp_path):
    bad = tmp_path / "profile.json"
    bad.write_text('{"profile": {"uuid": "x"}}')
    with pytest.raises(CommandError) as caught:
        run("import_oscal", str(bad))
    assert caught.value.returncode == 2
    message = str(caught.value)
    assert message == (
        "profile.json: nothing imported: this is an OSCAL profile: import its resolved "
        "catalog instead"
    )
    assert "\n" not in message
    with pytest.raises(CommandError) as missing:
        run("import_oscal", str(tmp_path / "nothing.xml"))
    assert missing.value.returncode == 2
    assert not Framework.objects.exists()


def test_export_oscal_writes_the_clients_document(world, tmp_path):
    target = tmp_path / "alpha.json"
    out = run("export_oscal", "--client", "alpha", "-o", str(target))
    assert "assessment results of Alpha Dental" in out
    text = target.read_text(encoding="utf-8")
    document = json.loads(text)["assessment-results"]
    assert document["metadata"]["parties"][1]["name"] == "Alpha Dental"
    assert len(document["results"][0]["findings"]) > 30
    assert CANARY not in text


def test_export_oscal_refuses_an_unknown_client_or_folder(world, tmp_path):
    with pytest.raises(CommandError) as caught:
        run("export_oscal", "--client", "nobody", "-o", str(tmp_path / "x.json"))
    assert caught.value.returncode == 2 and "unknown client" in str(caught.value)
    with pytest.raises(CommandError) as folder:
        run("export_oscal", "--client", "alpha", "-o", str(tmp_path / "no" / "x.json"))
    assert folder.value.returncode == 2
