"""Importing RMM device exports: NinjaOne, Datto RMM, N-able, and mapped columns."""

import datetime
import io
import zoneinfo
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from ciodesk.budget.importers.devices import (
    NeedsMapping,
    detect,
    device_category,
    import_devices,
)
from ciodesk.budget.models import Device, DeviceImport, LifecyclePolicy
from ciodesk.budget.tests.test_licences_import import alpha  # noqa: F401
from ciodesk.core.scope import acting_as, scope

FILES = Path(__file__).parent / "files"
D = datetime.date
LA = zoneinfo.ZoneInfo("America/Los_Angeles")


def load(client, name: str, **kwargs):
    path = FILES / name
    with acting_as("test"):
        return import_devices(client, path.read_bytes(), path.name, **kwargs)


def devices(client) -> dict[str, Device]:
    with scope(client):
        return {d.name: d for d in Device.objects.all()}


def test_a_ninjaone_export(alpha):  # noqa: F811
    result = load(alpha, "lifecycle_ninjaone.csv")
    assert result.ok, result.errors
    assert (result.source_format, result.created) == ("ninjaone", 5)
    found = devices(alpha)
    desk = found["FRONT-DESK-01"]
    assert (desk.device_type, desk.manufacturer, desk.model) == (
        "Workstation",
        "Dell Inc.",
        "OptiPlex 7070",
    )
    assert (desk.serial, desk.os) == ("7XK2M33", "Windows 10 Pro")
    assert (desk.purchase_date, desk.warranty_end) == (D(2019, 6, 12), D(2022, 6, 12))
    assert desk.assigned_user == "ALPHA\\jsmith"
    assert desk.last_seen == datetime.datetime(2026, 11, 20, 8, 14, 2, tzinfo=LA)
    assert found["HYG-LAPTOP-02"].device_type == "Laptop"
    assert found["DC01"].device_type == "Server"
    assert found["RECEPTION-MAC"].device_type == "Laptop"  # a MacBook
    xray = found["XRAY-PC"]
    assert xray.purchase_date is None and xray.last_seen is None
    with scope(alpha):
        types = set(LifecyclePolicy.objects.values_list("device_type", flat=True))
    assert types == {"Workstation", "Laptop", "Server"}  # benchmark defaults for types seen


def test_a_datto_export_with_day_first_dates(alpha):  # noqa: F811
    result = load(alpha, "lifecycle_datto.csv")
    assert result.ok and result.source_format == "datto"
    found = devices(alpha)
    ws = found["BRAVO-WS-01"]
    assert (ws.device_type, ws.purchase_date, ws.warranty_end) == (
        "Workstation",
        D(2021, 1, 15),
        D(2024, 1, 15),
    )
    assert ws.last_seen == datetime.datetime(2026, 11, 20, 8, 2, tzinfo=LA)
    assert ws.assigned_user == "BRAVO\\anna"
    assert found["BRAVO-LT-07"].device_type == "Laptop"
    build = found["BRAVO-BUILD"]
    assert build.serial == "" and build.natural_key == "name:bravo-build"  # placeholder serial


def test_an_nable_export_keeps_the_latest_of_a_repeated_serial(alpha):  # noqa: F811
    result = load(alpha, "lifecycle_nable.csv")
    assert result.ok and result.source_format == "nable"
    assert (result.rows, result.merged) == (3, 1)
    assert "1 row(s) repeated a serial number" in result.summary()
    found = devices(alpha)
    pc = found["CHARLIE-PC1"]
    assert pc.os == "Windows 11 Pro"  # the row seen on 11/21
    assert pc.last_seen == datetime.datetime(2026, 11, 21, 8, 0, tzinfo=LA)
    assert (pc.device_type, pc.purchase_date) == ("Workstation", D(2022, 3, 15))
    assert found["CHARLIE-LT2"].last_seen == datetime.datetime(2026, 11, 20, 14, 31, tzinfo=LA)
    assert found["CHARLIE-NAS"].device_type == "Other"


def test_the_same_export_twice_adds_nothing_and_a_later_one_updates_by_serial(alpha):  # noqa: F811
    load(alpha, "lifecycle_ninjaone.csv")
    again = load(alpha, "lifecycle_ninjaone.csv")
    assert again.already is not None and "already imported" in again.summary()
    data = (FILES / "lifecycle_ninjaone.csv").read_bytes()
    data = data.replace(b"FRONT-DESK-01,FRONT-DESK-01", b"FRONTDESK-NEW,FRONTDESK-NEW")
    data = data.replace(b"Windows 10 Pro", b"Windows 11 Pro")
    result = import_devices(alpha, data, "later.csv")
    assert (result.created, result.updated, result.unchanged) == (0, 1, 4)
    found = devices(alpha)
    assert "FRONT-DESK-01" not in found
    assert found["FRONTDESK-NEW"].os == "Windows 11 Pro"
    with scope(alpha):
        assert DeviceImport.objects.count() == 2


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (
            b"2022-06-12",
            b"2022-06-31",
            "row 2, column warranty end date: “2022-06-31” is not a real date",
        ),  # fmt: skip
        (
            b"2026-11-19 16:40:10",
            b"2026-11-19 25:40",
            "row 3, column last contact: “2026-11-19 25:40” is not a real time",
        ),  # fmt: skip
        (
            b"DC01,DC01",
            b",",
            "row 4, column display name: is empty (every device needs a name)",
        ),  # fmt: skip
    ],
)
def test_a_bad_cell_names_the_row_and_column_and_writes_nothing(alpha, old, new, expected):  # noqa: F811
    data = (FILES / "lifecycle_ninjaone.csv").read_bytes()
    assert old in data
    result = import_devices(alpha, data.replace(old, new, 1), "ninja.csv")
    assert expected in result.errors
    with scope(alpha):
        assert not Device.objects.exists() and not DeviceImport.objects.exists()
        assert not LifecyclePolicy.objects.exists()


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"", "the file is empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "the file is not UTF-8 text"),
        (b"Hostname,Last User,Warranty Expiry\n", "the file has a header row but no devices"),
    ],
)
def test_an_empty_or_garbage_file_is_refused(alpha, data, expected):  # noqa: F811
    result = import_devices(alpha, data, "devices.csv")
    assert result.errors and expected in result.errors[0]
    with scope(alpha):
        assert not Device.objects.exists()


def test_unknown_headers_need_a_mapping(alpha):  # noqa: F811
    data = b"Asset Tag,Kind,Bought\nPC-9,Laptop,2024-01-31\n"
    with pytest.raises(NeedsMapping):
        import_devices(alpha, data, "assets.csv")
    mapping = {"name": "asset_tag", "device_type": "kind", "purchase_date": "bought"}
    result = import_devices(alpha, data, "assets.csv", mapping=mapping)
    assert result.ok and result.source_format == "mapped"
    pc = devices(alpha)["PC-9"]
    assert (pc.device_type, pc.purchase_date) == ("Laptop", D(2024, 1, 31))


def test_recognised_synonyms_import_without_a_mapping(alpha):  # noqa: F811
    data = b"Computer Name,Serial,Purchase Date\nPC-1,ABC123,01/02/2024\n"
    assert detect(["computer_name", "serial", "purchase_date"])[0] == "generic"
    result = import_devices(alpha, data, "inventory.csv")
    assert result.ok and devices(alpha)["PC-1"].purchase_date == D(2024, 1, 2)


@pytest.mark.parametrize(
    ("raw", "os", "model", "expected"),
    [
        ("WINDOWS_WORKSTATION", "", "", "Workstation"),
        ("Workstations - Windows", "", "", "Workstation"),
        ("Desktop", "", "Latitude 7420", "Laptop"),
        ("ESXi Host", "", "", "Server"),
        ("NMS Firewall", "", "", "Firewall"),
        ("", "Windows Server 2019", "", "Server"),
        ("Printer", "", "", "Printer"),
        ("Kiosk", "", "", "Kiosk"),
        ("iPad", "", "", "Mobile"),
        ("Meraki MR Access Point", "", "", "Wireless access point"),
    ],
)
def test_device_types_become_lifecycle_types(raw, os, model, expected):
    assert device_category(raw, os, model) == expected


def test_the_cli_imports_and_exits_2_on_bad_input(alpha, tmp_path):  # noqa: F811
    out = io.StringIO()
    call_command(
        "import_devices", "--client", "alpha", str(FILES / "lifecycle_datto.csv"), stdout=out
    )
    assert "(Datto RMM): 4 device(s) read — 4 added" in out.getvalue()
    bad = tmp_path / "assets.csv"
    bad.write_bytes(b"Asset Tag,Kind\nPC-9,Laptop\n")
    with pytest.raises(CommandError) as error:
        call_command("import_devices", "--client", "alpha", str(bad))
    assert error.value.returncode == 2 and "--map name=HEADER" in str(error.value)
    bad.write_bytes(b"Hostname,Last User,Warranty Expiry\nPC-1,pat,someday\n")
    with pytest.raises(CommandError) as error:
        call_command("import_devices", "--client", "alpha", str(bad))
    assert error.value.returncode == 2
    assert "row 2, column warranty expiry: “someday” is not a date" in str(error.value)
    with scope(alpha):
        assert not Device.objects.filter(name="PC-1").exists()


def test_the_demo_samples_import_through_the_importers(alpha):  # noqa: F811
    from ciodesk.budget.data.samples import m365_active_users, rmm_devices
    from ciodesk.budget.services_licences import licence_waste
    from ciodesk.budget.services_lifecycle import lifecycle_overview

    today = D(2026, 11, 22)
    with acting_as("test"):
        assert import_devices(alpha, rmm_devices(today, "Alpha Dental"), "ninja.csv").ok
        from ciodesk.budget.importers.licences import import_licences

        report = m365_active_users(today, "alphadental.com")
        assert import_licences(alpha, report, "activeusers.csv").ok
    overview = lifecycle_overview(alpha, 5, today=today)
    assert len(overview.plans) == 16 and overview.overdue and overview.os_past
    assert overview.warranties_ending
    waste = licence_waste(alpha, 30)
    assert waste.deleted_with_licence == 2 and waste.overlap_users == 2
    assert waste.inactive[30] >= 2
