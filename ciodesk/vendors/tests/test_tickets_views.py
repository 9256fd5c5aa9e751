"""The import pages: upload → progress → result; the generic mapping; tickets; history."""

import re
from pathlib import Path

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile

from ciodesk.audit.models import ChangeRecord
from ciodesk.core.scope import scope
from ciodesk.vendors.models import ColumnMapping, Ticket, TicketImport

DATA = Path(__file__).parent / "data"
MAPPING = {
    "map_number": "Ref",
    "map_summary": "Problem",
    "map_requester": "Raised By",
    "map_priority_label": "Urgency Level",
    "map_created_at": "Opened On",
    "map_first_response_at": "First Reply",
    "map_resolved_at": "Fixed On",
}


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def upload(name: str, data: bytes | None = None) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data if data is not None else (DATA / name).read_bytes())


def url(world, what: str) -> str:
    return f"/c/alpha/vendors/{world.records['a']['vendors'].pk}/tickets/{what}"


def latest(world) -> TicketImport:
    with scope(world.a):
        return TicketImport.objects.order_by("-pk").first()


def test_upload_shows_the_result_with_counts(world, as_user, media):
    client = as_user(world.consultant)
    page = client.get(url(world, "import/"))
    assert page.status_code == 200
    assert 'value="America/Los_Angeles"' in page.content.decode()
    response = client.post(
        url(world, "import/"),
        {"file": upload("connectwise_api.csv"), "format": "auto", "time_zone": "UTC"},
        follow=True,
    )
    record = latest(world)
    assert response.redirect_chain[-1][0] == f"/c/alpha/vendors/imports/{record.pk}/"
    body = response.content.decode()
    assert "Done: 24 tickets in the file" in body
    assert "24 created, 0 updated, 0 unchanged" in body
    assert "<progress" in body and "hx-trigger" not in body  # finished: no more polling
    assert (record.status, record.imported_by, record.source_format) == (
        "done",
        world.consultant,
        "connectwise",
    )
    # The import is on the client's audit trail, by the consultant (the tickets, written in
    # bulk, are summed up by it).
    with scope(world.a):
        trail = ChangeRecord.objects.filter(
            content_type=ContentType.objects.get_for_model(TicketImport), object_id=str(record.pk)
        ).order_by("pk")
        assert [(c.action, c.actor) for c in trail] == [
            ("created", world.consultant),
            ("updated", world.consultant),
        ]
        assert trail.last().changes["created count"] == [0, 24]
    # The upload is kept per client, away from any public URL.
    stored = media / "clients" / str(world.a.pk) / "imports" / f"ticketimport-{record.pk}.csv"
    assert stored.read_bytes() == (DATA / "connectwise_api.csv").read_bytes()
    download = client.get(f"/c/alpha/vendors/imports/{record.pk}/file/")
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"id,summary,board")
    assert client.get(f"/media/clients/{world.a.pk}/imports/{stored.name}").status_code == 404
    # Again: nothing added.
    response = client.post(
        url(world, "import/"),
        {"file": upload("connectwise_api.csv"), "format": "connectwise", "time_zone": "UTC"},
        follow=True,
    )
    assert "0 created, 0 updated, 24 unchanged" in response.content.decode()


def test_the_ticket_list_searches_and_exports(world, as_user):
    client = as_user(world.consultant)
    client.post(
        url(world, "import/"), {"file": upload("halopsa.csv"), "format": "auto", "time_zone": "UTC"}
    )
    reader = as_user(world.exec_a)
    body = reader.get(url(world, "")).content.decode()
    assert "17 tickets imported" in body  # 16 + the fixture's own
    assert "Phishing email reported" in body
    found = reader.get(url(world, "?q=laptop"), HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in found and "New hire laptop setup" in found
    assert "Phishing" not in found
    csv_text = reader.get(url(world, "export/?format=csv")).content.decode("utf-8-sig")
    assert csv_text.startswith("Number,Created,Priority")
    assert "\r\n2200," in csv_text or "\n2200," in csv_text
    assert reader.get(url(world, "export/?format=xlsx"))["Content-Type"].startswith(
        "application/vnd.openxmlformats"
    )
    history = reader.get(url(world, "imports/")).content.decode()
    assert "halopsa.csv" in history and "Carl Consultant" in history
    assert reader.get(url(world, "imports/export/?format=csv")).status_code == 200


def test_an_executive_cannot_import(world, as_user):
    reader = as_user(world.exec_a)
    assert reader.get(url(world, "import/")).status_code == 403
    assert "Import tickets" not in reader.get(url(world, "")).content.decode()


def test_a_bad_file_is_refused_on_the_form(world, as_user, media):
    client = as_user(world.consultant)
    before = latest(world)
    response = client.post(
        url(world, "import/"),
        {
            "file": upload("garbage.csv", b"\x00\x01garbage" * 100),
            "format": "auto",
            "time_zone": "UTC",
        },
    )
    assert response.status_code == 200
    assert "This is not a CSV or XLSX file" in response.content.decode()
    assert latest(world) == before  # no import recorded
    assert not list((media / "clients" / str(world.a.pk) / "imports").iterdir())


def test_a_failed_import_lists_its_problems(world, as_user):
    data = (
        (DATA / "connectwise_api.csv")
        .read_bytes()
        .replace(b"2026-01-06T03:32:11Z", b"2026-01-06 25:61")
    )
    response = as_user(world.consultant).post(
        url(world, "import/"),
        {"file": upload("bad.csv", data), "format": "auto", "time_zone": "UTC"},
        follow=True,
    )
    body = response.content.decode()
    assert "Nothing was imported." in body
    assert "row 3, column &quot;dateEntered&quot;: “2026-01-06 25:61”" in body
    assert latest(world).status == "failed"


def test_the_progress_fragment_polls_while_the_import_runs(world, as_user):
    with scope(world.a):
        record = TicketImport.objects.create(
            vendor=world.records["a"]["vendors"],
            filename="big.csv",
            sha256="",
            source_format="connectwise",
            status="running",
            rows_total=1000,
            rows_done=300,
        )
    response = as_user(world.exec_a).get(
        f"/c/alpha/vendors/imports/{record.pk}/", HTTP_HX_REQUEST="true"
    )
    body = response.content.decode()
    assert "<html" not in body
    assert 'hx-trigger="every 1s"' in body
    assert '<progress aria-label="Import progress" max="1000" value="300">' in body
    assert "Checking the file" in body


def test_the_generic_mapping_is_saved_and_reused(world, as_user):
    client = as_user(world.consultant)
    # Unknown headers: a preview of the file and a select per ticket field.
    page = client.post(
        url(world, "import/"),
        {"file": upload("unknown_headers.csv"), "format": "auto", "time_zone": "UTC"},
    )
    body = page.content.decode()
    assert "Map the columns of unknown_headers.csv" in body
    assert body.count("<tr>") >= 12 + 13  # 12 preview rows, 13 ticket fields
    assert "HD-700" in body and "Backup job failed on HARBOR-FS01" in body
    key = re.search(r'name="upload" value="([0-9a-f]{32}\.csv)"', body).group(1)
    response = client.post(
        url(world, "import/"),
        {
            "upload": key,
            "filename": "unknown_headers.csv",
            "time_zone": "UTC",
            "date_format": "",
            **MAPPING,
        },
        follow=True,
    )
    assert "12 created, 0 updated, 0 unchanged" in response.content.decode()
    with scope(world.a):
        saved = ColumnMapping.objects.get(
            vendor=world.records["a"]["vendors"], mapping__number="Ref"
        )
        assert Ticket.objects.get(number="HD-701").priority == "P1"
    assert saved.mapping["created_at"] == "Opened On" and saved.time_zone == "UTC"
    # Next upload with the same headers: the saved mapping is filled in.
    again = client.post(
        url(world, "import/"),
        {"file": upload("unknown_headers.csv"), "format": "auto", "time_zone": "UTC"},
    ).content.decode()
    assert "The mapping saved for these headers is filled in." in again
    assert '<option value="Urgency Level" selected>' in again
    assert '<option value="Times Reopened" selected>' not in again  # not mapped last time


def test_a_mapping_without_the_required_fields_is_refused(world, as_user):
    client = as_user(world.consultant)
    body = client.post(
        url(world, "import/"),
        {"file": upload("unknown_headers.csv"), "format": "generic", "time_zone": "UTC"},
    ).content.decode()
    key = re.search(r'name="upload" value="([^"]+)"', body).group(1)
    response = client.post(
        url(world, "import/"),
        {"upload": key, "filename": "x.csv", "time_zone": "UTC", "map_number": "Ref"},
    )
    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    with scope(world.a):
        assert not Ticket.objects.filter(number="HD-700").exists()


def test_a_forged_upload_key_reads_nothing(world, as_user):
    response = as_user(world.consultant).post(
        url(world, "import/"),
        {"upload": "../../../etc/passwd", "filename": "x.csv", "time_zone": "UTC", **MAPPING},
    )
    assert "The uploaded file is gone: upload it again." in response.content.decode()
