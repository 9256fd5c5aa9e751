"""Endpoint protection: the RMM's device list against the EDR's agent list."""

import datetime

import pytest

from ciodesk.core.scope import scope
from ciodesk.security.importers.devices import Device, match_devices, match_key, runs_agent
from ciodesk.security.services_coverage import endpoint_match, endpoint_status, overview
from ciodesk.security.tests.test_coverage_fixtures import control, evidence, load, new_client


@pytest.fixture
def delta(db):
    return new_client()


def device(name, serial="", device_type="Desktop", seen=None):
    return Device(name, match_key(name), serial, device_type, "", seen)


@pytest.mark.parametrize(
    ("name", "kind", "source"),
    [
        ("ninjaone_devices.csv", "rmm", "ninjaone"),
        ("datto_rmm_devices.csv", "rmm", "datto-rmm"),
        ("ncentral_devices.csv", "rmm", "n-able"),
        ("automate_computers.csv", "rmm", "cw-automate"),
        ("sentinelone_agents.csv", "edr", "sentinelone"),
        ("defender_devices.csv", "edr", "defender"),
        ("crowdstrike_hosts.csv", "edr", "crowdstrike"),
        ("huntress_agents.csv", "edr", "huntress"),
    ],
)
def test_each_vendors_export_is_recognised(delta, name, kind, source):
    record = load(delta, name, kind).record
    assert record.source_format == source
    assert record.rows == record.summary["devices"] > 0


def test_ninjaone_against_sentinelone(delta):
    load(delta, "ninjaone_devices.csv", "rmm")
    record = load(delta, "sentinelone_agents.csv", "edr").record
    pair = record.summary["endpoint"]
    # 12 RMM entries, a printer and a switch not counted: 10 devices, 9 with an agent
    assert (pair["devices"], pair["covered"], pair["percent"]) == (10, 9, 90.0)
    assert (pair["without_edr"], pair["without_rmm"], pair["excluded"]) == (1, 1, 2)
    assert pair["by_serial"] == 1  # OFFICE-MGR is DESKTOP-7KQ2M1P in SentinelOne
    with scope(delta):
        _, match = endpoint_match(record)
    assert [d.name for d in match.without_edr] == ["XRAY-WS"]
    assert [a.name for a in match.without_rmm] == ["OLD-RECEPTION"]
    names = {(d.name, a.name) for d, a, _ in match.covered}
    assert ("DR-MOREAU-LT", "DR-MOREAU-LT.alphadental.local") in names
    assert ("HYGIENE-03", "hygiene-03") in names
    assert control(delta, "endpoint-protection").status == "partial"


def test_the_order_of_the_two_imports_does_not_matter(delta):
    load(delta, "sentinelone_agents.csv", "edr")
    record = load(delta, "ninjaone_devices.csv", "rmm").record
    assert record.summary["endpoint"]["covered"] == 9
    with scope(delta):
        endpoint = overview()[1]
    assert endpoint.value == "90.0 %"
    assert endpoint.record == record


def test_a_newer_edr_list_covering_everything_puts_the_control_in_place(delta):
    load(delta, "ninjaone_devices.csv", "rmm")
    load(delta, "sentinelone_agents.csv", "edr")
    record = load(delta, "defender_devices.csv", "edr").record
    pair = record.summary["endpoint"]
    assert (pair["covered"], pair["devices"], pair["percent"]) == (10, 10, 100.0)
    endpoint = control(delta, "endpoint-protection")
    assert endpoint.status == "in_place"
    # dated with the older of the two lists: the RMM's, 2026-11-20 in the client's zone
    assert endpoint.last_verified_on == datetime.date(2026, 11, 20)
    assert len(evidence(delta, "endpoint-protection")) == 2


def test_one_list_alone_records_no_evidence(delta):
    load(delta, "ninjaone_devices.csv", "rmm")
    assert evidence(delta, "endpoint-protection") == []
    with scope(delta):
        endpoint = overview()[1]
    assert endpoint.value == "—"
    assert "EDR agent list" in endpoint.missing


def test_datto_rmm_day_first_dates_and_the_hypervisor_host(delta):
    record = load(delta, "datto_rmm_devices.csv", "rmm").record
    assert record.summary == {"devices": 5, "excluded": 1}
    assert record.as_of.date() == datetime.date(2026, 11, 21)  # "21/11/2026 08:12"
    pair = load(delta, "huntress_agents.csv", "edr").record.summary["endpoint"]
    assert (pair["covered"], pair["devices"], pair["percent"]) == (3, 4, 75.0)
    assert control(delta, "endpoint-protection").status == "not_in_place"


@pytest.mark.parametrize(
    ("covered", "total", "status"),
    [(49, 50, "in_place"), (98, 100, "in_place"), (48, 49, "partial"), (8, 10, "partial")]
    + [(79, 100, "not_in_place"), (0, 0, None)],
)
def test_the_thresholds(covered, total, status):
    assert endpoint_status(covered, total) == status


def test_names_are_compared_without_case_or_domain():
    assert match_key("PC-01.contoso.local") == match_key("CONTOSO\\pc-01") == "pc-01"
    assert match_key("10.0.0.5") == "10.0.0.5"


def test_the_serial_breaks_a_tie_between_two_agents_of_one_name():
    old = datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)
    new = datetime.datetime(2026, 11, 1, tzinfo=datetime.UTC)
    rmm = [device("PC-01", "SER-AAAA"), device("PC-01", "SER-BBBB")]
    edr = [device("pc-01", "SER-BBBB", seen=new), device("pc-01", "SER-AAAA", seen=old)]
    match = match_devices(rmm, edr)
    assert {(d.serial, a.serial) for d, a, _ in match.covered} == {
        ("SER-AAAA", "SER-AAAA"),
        ("SER-BBBB", "SER-BBBB"),
    }


def test_placeholder_serials_never_match():
    rmm = [device("PC-01", "To be filled by O.E.M."), device("PC-02", "Default string")]
    edr = [device("LAPTOP-X", "To be filled by O.E.M."), device("LAPTOP-Y", "0000000")]
    match = match_devices(rmm, edr)
    assert match.covered == []
    assert len(match.without_edr) == 2


@pytest.mark.parametrize(
    ("device_type", "counted"),
    [
        ("Windows Desktop", True),
        ("WINDOWS_SERVER", True),
        ("Printer", False),
        ("NMS_SWITCH", False),
        ("ESXi Host", False),
        ("Network Device", False),
        ("Unassigned", True),
        ("", True),
    ],
)
def test_what_cannot_run_an_agent_is_not_counted(device_type, counted):
    assert runs_agent(device_type) is counted
