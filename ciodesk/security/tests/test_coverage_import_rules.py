"""Import rules: the whole file checked first, row and column named, nothing written on
failure, and the same file twice adds nothing."""

import os

import pytest

from ciodesk.core.scope import scope
from ciodesk.security.importers.common import CoverageFailed, UnknownColumns, signature
from ciodesk.security.models import CoverageMapping
from ciodesk.security.services_coverage import AlreadyImported
from ciodesk.security.tests.test_coverage_fixtures import (
    FILES,
    counts,
    load,
    load_bytes,
    new_client,
)

NOTHING = {
    "CoverageImport": 0,
    "MfaAccount": 0,
    "DeviceRecord": 0,
    "BackupRun": 0,
    "Evidence": 0,
    "CoverageMapping": 0,
}


@pytest.fixture
def delta(db):
    return new_client()


def refused(client, name, kind="mfa") -> list[str]:
    with pytest.raises(CoverageFailed) as caught:
        load(client, name, kind)
    assert counts(client) == NOTHING
    return caught.value.errors


def test_an_empty_file(delta):
    assert refused(delta, "empty.csv") == ["the file is empty"]


def test_headers_without_rows(delta):
    assert refused(delta, "header_only.csv") == ["the file has a header row but no rows below it"]


def test_a_missing_column_asks_for_a_mapping(delta):
    with pytest.raises(UnknownColumns) as caught:
        load(delta, "mfa_missing_column.csv", "mfa")
    assert "MFA registered" in caught.value.errors[0]
    assert "user_principal_name" in caught.value.errors[0]  # what the file has
    assert counts(delta) == NOTHING


def test_every_bad_cell_is_named_by_row_and_column(delta):
    errors = refused(delta, "mfa_bad_values.csv")
    assert errors == [
        "row 3, column ismfaregistered: “maybe” is not true or false (yes or no)",
        "row 3, column lastupdateddatetime: “2026-11-31T06:12:44Z” is not a date and time "
        "(such as 2026-11-03T14:15:07Z, 11/3/2026 2:15:07 PM or Nov 3, 2026 2:15 PM)",
        "row 4, column userprincipalname: “carla” is not a user principal name (name@domain)",
        "row 4, column lastupdateddatetime: “yesterday” is not a date and time "
        "(such as 2026-11-03T14:15:07Z, 11/3/2026 2:15:07 PM or Nov 3, 2026 2:15 PM)",
    ]


def test_a_bad_row_at_the_end_means_nothing_is_written(delta):
    good = (FILES / "ninjaone_devices.csv").read_text()
    with pytest.raises(CoverageFailed) as caught:
        load_bytes(delta, (good + ",Alpha,,Desktop,,,2026-11-20,\n").encode(), "n.csv", "rmm")
    assert caught.value.errors == ["row 14, column name: is empty"]
    assert counts(delta) == NOTHING


def test_the_wrong_encoding(delta):
    errors = refused(delta, "mfa_windows1252.csv")
    assert errors == [
        "the file is not UTF-8 text; save it from the spreadsheet as “CSV UTF-8” or XLSX"
    ]


def test_ten_megabytes_of_garbage(delta):
    with pytest.raises(CoverageFailed) as caught:
        load_bytes(delta, os.urandom(10 * 1024 * 1024 + 10), "big.csv", "mfa")
    assert caught.value.errors == ["the file is larger than 10 MB"]
    with pytest.raises(CoverageFailed) as caught:
        load_bytes(delta, b"\x00\x01" + os.urandom(4096), "garbage.csv", "backup")
    assert "not UTF-8" in caught.value.errors[0] or "binary" in caught.value.errors[0]
    with pytest.raises(CoverageFailed) as caught:
        load_bytes(delta, b"PK\x03\x04" + os.urandom(4096), "garbage.xlsx", "edr")
    assert caught.value.errors == ["the file is not a readable XLSX workbook"]
    assert counts(delta) == NOTHING


def test_a_repeated_user_is_refused(delta):
    text = "userPrincipalName,isMfaRegistered\na@delta.com,true\nA@delta.com,false\n"
    with pytest.raises(CoverageFailed) as caught:
        load_bytes(delta, text.encode(), "dup.csv", "mfa")
    assert caught.value.errors == [
        "row 3, column userprincipalname: A@delta.com appears again (first in row 2)"
    ]


def test_an_export_of_guests_only_is_refused(delta):
    text = "userPrincipalName,userType,isMfaRegistered\nx#EXT#@delta.com,guest,true\n"
    with pytest.raises(CoverageFailed, match="no enabled member users"):
        load_bytes(delta, text.encode(), "guests.csv", "mfa")


def test_an_unknown_time_zone(delta):
    with pytest.raises(CoverageFailed, match="is not a time zone"):
        load(delta, "entra_graph.csv", "mfa", time_zone="Mars/Olympus")


def test_the_same_file_twice_adds_nothing(delta):
    first = load(delta, "entra_portal.csv", "mfa").record
    before = counts(delta)
    with pytest.raises(AlreadyImported) as caught:
        load(delta, "entra_portal.csv", "mfa")
    assert caught.value.record == first
    assert str(caught.value).startswith("entra_portal.csv was already imported on 20")
    assert "nothing was added" in str(caught.value)
    expected = NOTHING | {"CoverageImport": 1, "MfaAccount": 20, "Evidence": 2}
    assert counts(delta) == before == expected


def test_the_same_bytes_under_another_name_are_the_same_file(delta):
    load(delta, "entra_graph.csv", "mfa")
    data = (FILES / "entra_graph.csv").read_bytes()
    with pytest.raises(AlreadyImported):
        load_bytes(delta, data, "renamed.csv", "mfa")


def test_a_saved_mapping_reads_a_file_with_other_headers(delta):
    with pytest.raises(UnknownColumns) as caught:
        load(delta, "inventory_custom.csv", "rmm")
    with scope(delta):
        CoverageMapping.objects.create(
            kind="rmm",
            headers_signature=signature(caught.value.headers),
            headers=caught.value.headers,
            mapping={"name": "machine", "last_seen": "checked_in"},
        )
    record = load(delta, "inventory_custom.csv", "rmm").record
    assert (record.source_format, record.rows) == ("mapping", 3)
