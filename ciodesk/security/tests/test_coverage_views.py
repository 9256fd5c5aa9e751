"""The coverage pages: figures, lists and their exports, upload, column mapping."""

import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from ciodesk.core.scope import scope
from ciodesk.security.models import CoverageImport, CoverageMapping
from ciodesk.security.tests.test_coverage_fixtures import FILES, control, load, new_client

URL = "/c/alpha/security/coverage/"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def upload(client, name, kind, **extra):
    data = {
        "kind": kind,
        "file": SimpleUploadedFile(name, (FILES / name).read_bytes()),
        "columns": "auto",
        "time_zone": "America/Los_Angeles",
        "date_order": "mdy",
    }
    return client.post(URL + "import/", data | extra)


def test_the_page_says_what_to_import_first(world, as_user):
    new_client("delta")
    page = as_user(world.lead).get("/c/delta/security/coverage/").content.decode()
    assert "Import the Entra “User registration details” export." in page
    assert "Import the RMM device list and the EDR agent list." in page
    assert "In place when every member user is registered for MFA, partial at 80 %" in page
    assert "Nothing imported yet." in page


def test_a_contributor_imports_and_sees_the_figures(world, as_user):
    client = as_user(world.contrib_a)
    response = upload(client, "entra_portal.csv", "mfa")
    with scope(world.a):
        record = CoverageImport.objects.get(filename="entra_portal.csv")
    assert response.status_code == 302
    assert response["Location"] == f"{URL}{record.pk}/"
    detail = client.get(response["Location"]).content.decode()
    assert "it-breakglass@alphadental.onmicrosoft.com" in detail
    assert "14 of 16 member users registered (87.5 %)" in detail
    page = client.get(URL).content.decode()
    assert "87.5 %" in page
    assert "As of 2026-11-20 06:12" in page  # the export's time in the client's zone
    assert control(world.a, "mfa-email").status == "partial"


def test_the_same_file_twice_says_when_it_was_imported(world, as_user):
    client = as_user(world.contrib_a)
    upload(client, "entra_portal.csv", "mfa")
    response = upload(client, "entra_portal.csv", "mfa")
    page = client.get(response["Location"]).content.decode()
    assert "entra_portal.csv was already imported on 20" in page
    with scope(world.a):
        assert CoverageImport.objects.filter(filename="entra_portal.csv").count() == 1


def test_a_bad_file_lists_its_problems_and_writes_nothing(world, as_user):
    client = as_user(world.contrib_a)
    response = upload(client, "mfa_bad_values.csv", "mfa")
    page = response.content.decode()
    assert response.status_code == 200
    assert "Nothing was imported. Fix 4 problems" in page
    assert "row 4, column userprincipalname: “carla” is not a user principal name" in page
    with scope(world.a):
        assert not CoverageImport.objects.filter(filename="mfa_bad_values.csv").exists()


def test_the_executive_reads_but_does_not_import(world, as_user):
    client = as_user(world.exec_a)
    assert client.get(URL).status_code == 200
    assert upload(client, "entra_portal.csv", "mfa").status_code == 403
    assert "Import an export" not in client.get(URL).content.decode()


def test_unknown_headers_lead_to_the_mapping_page_and_the_mapping_is_kept(world, as_user):
    client = as_user(world.contrib_a)
    response = upload(client, "inventory_custom.csv", "rmm")
    assert response.status_code == 302 and "/coverage/import/columns/?" in response["Location"]
    page = client.get(response["Location"]).content.decode()
    assert "Map the columns of inventory_custom.csv" in page
    assert "AT-0002" in page  # the preview
    key = re.search(r'name="upload" value="([0-9a-f]{32}\.csv)"', page)[1]
    form = {
        "upload": key,
        "kind": "rmm",
        "filename": "inventory_custom.csv",
        "time_zone": "America/Los_Angeles",
        "date_order": "mdy",
        "map_name": "machine",
        "map_last_seen": "checked_in",
    }
    response = client.post(URL + "import/columns/", form)
    assert response.status_code == 302
    with scope(world.a):
        record = CoverageImport.objects.get(filename="inventory_custom.csv")
        assert (record.rows, record.source_format) == (3, "mapping")
        saved = CoverageMapping.objects.get(kind="rmm", mapping__name="machine")
    assert saved.mapping == {"name": "machine", "last_seen": "checked_in"}
    # the staged upload is gone once imported
    assert client.post(URL + "import/columns/", form).status_code == 302
    assert "Upload the file first" in client.get(URL + "import/").content.decode()


def test_a_mapping_without_the_required_column_is_refused(world, as_user):
    client = as_user(world.contrib_a)
    location = upload(client, "inventory_custom.csv", "rmm")["Location"]
    page = client.get(location).content.decode()
    key = re.search(r'name="upload" value="([^"]+)"', page)[1]
    response = client.post(
        URL + "import/columns/",
        {"upload": key, "kind": "rmm", "filename": "x.csv", "time_zone": "UTC"}
        | {"date_order": "mdy", "map_name": "", "map_os": "model"},
    )
    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    with scope(world.a):
        assert not CoverageMapping.objects.filter(kind="rmm", mapping__os="model").exists()


def test_the_endpoint_lists_and_their_exports(world, as_user):
    load(world.a, "ninjaone_devices.csv", "rmm")
    record = load(world.a, "sentinelone_agents.csv", "edr").record
    client = as_user(world.exec_a)
    page = client.get(f"{URL}{record.pk}/").content.decode()
    assert "XRAY-WS" in page and "OLD-RECEPTION" in page
    assert "serial number 8CC0011224" in page
    csv = client.get(f"{URL}{record.pk}/export/?list=without-edr&format=csv").content.decode()
    assert csv.splitlines()[1].startswith("XRAY-WS,MXL9876544,Windows Desktop")
    response = client.get(f"{URL}{record.pk}/export/?list=without-rmm&format=xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert [row[0] for row in sheet.iter_rows(values_only=True)] == ["Device", "OLD-RECEPTION"]
    assert client.get(f"{URL}{record.pk}/export/?list=nonsense").status_code == 404


def test_the_backup_list_export(world, as_user):
    record = load(world.a, "veeam_job_history.csv", "backup").record
    client = as_user(world.exec_a)
    csv = client.get(f"{URL}{record.pk}/export/?list=without-7d&format=csv").content.decode()
    assert [line.split(",")[0] for line in csv.splitlines()] == [
        "\ufeffProtected system",
        "ALPHA-APP01",
    ]
    page = client.get(f"{URL}{record.pk}/").content.decode()
    assert "No successful backup in the last 24 hours" in page and "SQL-DENTRIX" in page


def test_the_mfa_export_of_admins_without_mfa(world, as_user):
    record = load(world.a, "entra_portal.csv", "mfa").record
    csv = as_user(world.exec_a).get(f"{URL}{record.pk}/export/?list=admins&format=csv")
    lines = csv.content.decode().splitlines()
    assert len(lines) == 2 and lines[1].startswith("it-breakglass@alphadental.onmicrosoft.com,")


def test_the_import_history_export(world, as_user):
    load(world.a, "cove_devices.csv", "backup")
    csv = as_user(world.exec_a).get(URL + "imports/export/?format=csv").content.decode()
    assert "cove_devices.csv" in csv and "3 of 4 systems backed up in 24 h" in csv
