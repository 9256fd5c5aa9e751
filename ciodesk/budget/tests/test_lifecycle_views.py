"""The lifecycle pages: overview, devices with exports, import, policies."""

import csv
import datetime
import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from ciodesk.budget.models import Device, LifecyclePolicy
from ciodesk.budget.tests.test_lifecycle_import import FILES
from ciodesk.core.scope import acting_as, scope

BASE = "/c/alpha/budget/lifecycle/"


def upload(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="text/csv")


def test_the_overview_shows_overdue_devices_and_windows_10(world, as_user):
    """The sweep's device: a workstation bought in 2019 (5-year policy) running Windows 10."""
    page = as_user(world.exec_a).get(BASE).content.decode()
    assert 'id="overdue-count">1<' in page
    assert 'id="os-past-count">1<' in page
    assert "FRONT-DESK-01" in page and "14 October 2025" in page
    assert "Replacements by fiscal year" in page and "FY" in page
    assert "Import an RMM export" not in page  # an executive reads only


def test_importing_an_export_from_the_page(world, as_user):
    client = as_user(world.lead)
    data = (FILES / "lifecycle_ninjaone.csv").read_bytes()
    response = client.post(BASE + "import/", {"format": "auto", "file": upload("ninja.csv", data)})
    assert response.status_code == 302
    with scope(world.a):
        assert Device.objects.count() == 6  # five imported + the sweep's
        types = set(LifecyclePolicy.objects.values_list("device_type", flat=True))
    assert {"Laptop", "Server", "Workstation"} <= types
    page = client.get(BASE).content.decode()
    assert "No unit cost set for Laptop, Server" in page


def test_a_bad_export_lists_the_problem_and_writes_nothing(world, as_user):
    data = (FILES / "lifecycle_ninjaone.csv").read_bytes().replace(b"2022-06-12", b"2022-13-12")
    response = as_user(world.lead).post(
        BASE + "import/", {"format": "auto", "file": upload("ninja.csv", data)}
    )
    assert response.status_code == 200
    assert "row 2, column warranty end date" in response.content.decode()
    with scope(world.a):
        assert Device.objects.count() == 1


def test_unknown_headers_go_through_the_mapping(world, as_user):
    client = as_user(world.lead)
    data = b"Asset Tag,Kind,Bought\nPC-9,Laptop,2024-01-31\n"
    response = client.post(BASE + "import/", {"format": "auto", "file": upload("a.csv", data)})
    assert response.status_code == 200 and "Map the columns of a.csv" in response.content.decode()
    key = response.context["form"]["upload"].value()
    response = client.post(
        BASE + "import/",
        {
            "upload": key,
            "filename": "a.csv",
            "map_name": "asset_tag",
            "map_device_type": "kind",
            "map_purchase_date": "bought",
        },
    )
    assert response.status_code == 302
    with scope(world.a):
        pc = Device.objects.get(name="PC-9")
    assert pc.purchase_date == datetime.date(2024, 1, 31)


def test_the_device_list_filters_and_exports(world, as_user):
    client = as_user(world.lead)
    data = (FILES / "lifecycle_datto.csv").read_bytes()
    client.post(BASE + "import/", {"format": "datto", "file": upload("datto.csv", data)})
    page = client.get(BASE + "devices/?show=os").content.decode()
    assert "BRAVO-BUILD" in page and "BRAVO-LT-07" not in page  # Windows 7, not Windows 11
    rows = list(
        csv.DictReader(
            io.StringIO(
                client.get(BASE + "devices/export/?format=csv&show=os").content.decode("utf-8-sig")
            )
        )
    )
    names = sorted(r["Name"] for r in rows)
    assert names == ["BRAVO-BUILD", "BRAVO-SRV", "BRAVO-WS-01", "FRONT-DESK-01"]
    book = load_workbook(
        io.BytesIO(client.get(BASE + "devices/export/?format=xlsx&show=os").content)
    )
    sheet = list(book.active.iter_rows(values_only=True))
    assert sorted(r[0] for r in sheet[1:]) == names
    front = next(r for r in rows if r["Name"] == "FRONT-DESK-01")
    assert front["OS end of support"] == "2025-10-14" and front["Status"] == "overdue"


def test_the_replacements_export_has_the_quarters_and_years(world, as_user):
    response = as_user(world.exec_a).get(BASE + "replacements/export/?format=csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0]["Period"] == "Overdue now" and rows[0]["Devices due"] == "1"
    assert rows[0]["Cost (USD)"] == "1200.00"
    assert sum(1 for r in rows if r["Period"] == "Fiscal year") == 5


def test_benchmark_defaults_are_added_from_the_policy_page(world, as_user):
    client = as_user(world.lead)
    response = client.post(BASE + "policies/defaults/")
    assert response.status_code == 302
    with scope(world.a):
        assert LifecyclePolicy.objects.count() == 8  # Workstation was already there
    page = client.get(BASE + "policies/").content.decode()
    assert "summitdnc.com" in page and "not stated" in page and "not set" in page


def test_a_policy_is_edited_and_a_duplicate_type_refused(world, as_user):
    client = as_user(world.lead)
    policy = world.records["a"]["lifecycle_policies"]
    response = client.post(
        BASE + f"policies/{policy.pk}/edit/",
        {"device_type": "Workstation", "replacement_years": "4.5", "unit_cost": "1350.00",
         "currency": "USD", "source": "Client policy", "source_year": "2026"},
    )  # fmt: skip
    assert response.status_code == 302
    policy.refresh_from_db()
    assert policy.replacement_years == Decimal("4.5")
    response = client.post(
        BASE + "policies/new/",
        {"device_type": "workstation", "replacement_years": "3", "unit_cost": "1",
         "currency": "USD"},
    )  # fmt: skip
    assert response.status_code == 200
    assert "already has a policy" in response.content.decode()


@pytest.mark.parametrize(
    "url",
    [BASE, BASE + "devices/", BASE + "devices/export/?format=csv", BASE + "policies/",
     BASE + "replacements/export/?format=xlsx"],
)  # fmt: skip
def test_the_lifecycle_pages_run_a_constant_number_of_queries(world, as_user, url):
    client = as_user(world.lead)

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx)

    before = count()
    with scope(world.a), acting_as("test setup"):
        for i, kind in enumerate(("Laptop", "Server", "Switch", "Workstation")):
            Device.objects.create(
                name=f"DEV-{i}",
                device_type=kind,
                os="Windows 10 Pro",
                purchase_date=datetime.date(2022, 1, 1 + i),
                warranty_end=world.a.today() + datetime.timedelta(days=10),
                natural_key=f"name:dev-{i}",
            )
            if kind != "Workstation":
                LifecyclePolicy.objects.create(
                    device_type=kind, replacement_years=4, unit_cost=Decimal("100.00")
                )
    assert count() == before


def test_devices_missing_from_the_latest_export_can_be_removed(world, as_user):
    client = as_user(world.lead)
    data = (FILES / "lifecycle_ninjaone.csv").read_bytes()
    client.post(BASE + "import/", {"format": "auto", "file": upload("ninja.csv", data)})
    page = client.get(BASE).content.decode()
    assert "1 device was not in the latest export (ninja.csv)" in page
    assert client.post(BASE + "devices/remove-missing/").status_code == 302
    with scope(world.a):
        assert Device.objects.count() == 5
        assert not Device.objects.filter(natural_key="SN123").exists()  # the sweep's device
