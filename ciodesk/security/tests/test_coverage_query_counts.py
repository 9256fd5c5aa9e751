"""The coverage pages run as many queries with five imports (or rows) as with one."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ciodesk.security.tests.test_coverage_fixtures import load_bytes, new_client

BASE = "/c/delta/security/coverage/"


@pytest.fixture
def delta(world):
    return new_client()


def mfa_file(i: int, users: int) -> bytes:
    rows = ["userPrincipalName,userType,isAdmin,isMfaRegistered,lastUpdatedDateTime"]
    rows += [
        f"u{n}@f{i}.com,member,{'true' if n == 0 else 'false'},false,2026-11-{10 + i}T08:00:00Z"
        for n in range(users)
    ]
    rows.append(f"ok@f{i}.com,member,false,true,2026-11-{10 + i}T08:00:00Z")
    return "\n".join(rows).encode()


def device_file(i: int, devices: int, label: str) -> bytes:
    rows = ["Hostname,Serial Number,Last Seen"]
    rows += [f"PC-{label}{n},SER{i}X{n:04d},2026-11-{10 + i} 08:00" for n in range(devices)]
    return "\n".join(rows).encode()


def backup_file(i: int, systems: int) -> bytes:
    rows = ["VM Name,Job Name,Status,End Time"]
    for n in range(systems):
        rows.append(f"SRV{n},Nightly,Success,11/{10 + i}/2026 1:00 AM")
        rows.append(f"SRV{n},Nightly,Failed,11/{10 + i}/2026 2:00 AM")
    return "\n".join(rows).encode()


def add_imports(client, count: int, start: int = 0) -> dict:
    made = {}
    for i in range(start, start + count):
        made["mfa"] = load_bytes(client, mfa_file(i, 2), f"m{i}.csv", "mfa").record
        made["rmm"] = load_bytes(client, device_file(i, 2, "r"), f"r{i}.csv", "rmm").record
        made["edr"] = load_bytes(client, device_file(i, 1, "r"), f"e{i}.csv", "edr").record
        made["backup"] = load_bytes(client, backup_file(i, 2), f"b{i}.csv", "backup").record
    return made


def queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx)


def test_the_coverage_page(delta, world, as_user):
    client = as_user(world.lead)
    add_imports(delta, 1)
    before = queries(client, BASE)
    add_imports(delta, 4, start=1)
    assert queries(client, BASE) == before


@pytest.mark.parametrize("kind", ["mfa", "edr", "rmm", "backup"])
def test_an_imports_page_and_its_export(delta, world, as_user, kind):
    client = as_user(world.lead)
    small = add_imports(delta, 1)[kind]
    large = {
        "mfa": lambda: load_bytes(delta, mfa_file(8, 5), "big-m.csv", "mfa"),
        "rmm": lambda: load_bytes(delta, device_file(8, 5, "r"), "big-r.csv", "rmm"),
        "edr": lambda: load_bytes(delta, device_file(8, 5, "r"), "big-e.csv", "edr"),
        "backup": lambda: load_bytes(delta, backup_file(8, 5), "big-b.csv", "backup"),
    }[kind]().record
    for suffix in ("", "export/?format=csv"):
        one = queries(client, f"{BASE}{small.pk}/{suffix}")
        assert queries(client, f"{BASE}{large.pk}/{suffix}") == one, suffix
