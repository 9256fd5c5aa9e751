"""The vendor register, contract pages, documents, SLA and priority pages, import, figures."""

import csv
import datetime
import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from ciodesk.conftest import CANARY
from ciodesk.core.scope import acting_as, scope
from ciodesk.tenancy.models import Client
from ciodesk.vendors.models import Contract, Escalation, Holiday, PriorityMapping, SLAPolicy, Ticket
from ciodesk.vendors.tests.test_contracts_import import csv_bytes


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def add_contract(client, days_to_deadline, title, notice=30, **extra):
    """A contract of the client's MSP whose notice deadline is `days_to_deadline` days away."""
    today = client.today()
    with scope(client), acting_as("test"):
        vendor = extra.pop("vendor", None) or client_vendor(client)
        return Contract.objects.create(
            vendor=vendor,
            title=title,
            end_date=today + datetime.timedelta(days=days_to_deadline + notice),
            notice_days=notice,
            auto_renew=True,
            annual_value=Decimal("1200.00"),
            owner=vendor.owner,
            **extra,
        )


def client_vendor(client):
    from ciodesk.vendors.models import Vendor

    return Vendor.objects.order_by("pk").first()


# --- the vendors landing page -------------------------------------------------------------------


def test_the_vendor_list_shows_the_next_notice_deadline_and_status(world, as_user):
    contract = add_contract(world.a, 12, "Backup add-on")
    deadline = contract.end_date - datetime.timedelta(days=30)
    body = as_user(world.exec_a).get("/c/alpha/vendors/").content.decode()
    assert "Coastline Managed IT" in body and "MSP" in body and "Pat Owner" in body
    assert f"{deadline:%Y-%m-%d}" in body and "in 12 days" in body and "Backup add-on" in body
    assert '<span class="badge attention">Act now</span>' in body
    assert CANARY not in body


def test_an_empty_register_says_what_to_do(world, as_user):
    with acting_as("test"):
        Client.objects.create(slug="charlie", name="Charlie Co", employee_count=5)
    body = as_user(world.lead).get("/c/charlie/vendors/").content.decode()
    assert "No vendors yet" in body and "add the MSP first" in body
    assert "import contracts from a spreadsheet" in body


def test_a_consultant_adds_a_vendor(world, as_user):
    owner = world.records["a"]["people"]
    response = as_user(world.consultant).post(
        "/c/alpha/vendors/new/", {"name": "Comcast Business", "category": "isp", "owner": owner.pk}
    )
    assert response.status_code == 302 and response["Location"] == "/c/alpha/vendors/"
    assert "Comcast Business" in as_user(world.consultant).get("/c/alpha/vendors/").content.decode()


def test_the_vendor_export_has_one_row_per_vendor(world, as_user):
    response = as_user(world.exec_a).get("/c/alpha/vendors/export/?format=csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert [r["vendor"] for r in rows] == ["Coastline Managed IT"]
    assert rows[0]["contracts"] == "1" and rows[0]["status"] == "ok"


# --- contracts ----------------------------------------------------------------------------------


def test_the_contract_list_is_sorted_by_notice_deadline(world, as_user):
    add_contract(world.a, 200, "Later")
    add_contract(world.a, -3, "Passed")
    add_contract(world.a, 45, "Soon")
    client = as_user(world.exec_a)
    body = client.get("/c/alpha/vendors/contracts/").content.decode()
    assert body.index("Passed") < body.index("Soon") < body.index("Later")
    assert '<span class="badge attention">Locked\u00a0in</span>' in body
    assert ">Upcoming</span>" in body
    reverse = client.get("/c/alpha/vendors/contracts/?sort=-notice").content.decode()
    assert reverse.index("Later") < reverse.index("Soon") < reverse.index("Passed")
    only = client.get("/c/alpha/vendors/contracts/?status=upcoming").content.decode()
    assert "Soon" in only and "Later" not in only


def test_the_contract_list_fragment_for_htmx(world, as_user):
    response = as_user(world.exec_a).get("/c/alpha/vendors/contracts/", HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert "Managed services" in body and "<html" not in body


def test_the_contract_export_can_be_imported_again_unchanged(world, as_user):
    with scope(world.a):
        before = Contract.objects.count()
    response = as_user(world.exec_a).get("/c/alpha/vendors/contracts/export/?format=csv")
    text = response.content.decode("utf-8-sig")
    header = text.splitlines()[0].split(",")
    assert header[:9] == [
        "vendor",
        "contract",
        "start_date",
        "end_date",
        "auto_renew",
        "renewal_term_months",
        "notice_days",
        "annual_value",
        "currency",
    ]
    assert header[9:13] == ["renewal_date", "notice_deadline", "days_to_notice_deadline", "status"]
    from ciodesk.vendors.importers.contracts import import_contracts

    result = import_contracts(world.a, response.content, "export.csv")
    assert (result.created, result.updated, result.unchanged) == (0, 0, before)
    xlsx = as_user(world.exec_a).get("/c/alpha/vendors/contracts/export/?format=xlsx")
    assert import_contracts(world.a, xlsx.content, "export.xlsx").unchanged == before


def test_a_consultant_adds_a_contract_with_its_document(world, as_user, media):
    vendor, owner = world.records["a"]["vendors"], world.records["a"]["people"]
    client = as_user(world.consultant)
    assert (
        f'value="{vendor.pk}" selected'
        in client.get(f"/c/alpha/vendors/contracts/new/?vendor={vendor.pk}").content.decode()
    )
    response = client.post(
        "/c/alpha/vendors/contracts/new/",
        {
            "vendor": vendor.pk,
            "title": "Projects block",
            "end_date": "2027-06-30",
            "auto_renew": "on",
            "renewal_term_months": 12,
            "notice_days": 30,
            "annual_value": "9000.00",
            "currency": "USD",
            "billing_frequency": "monthly",
            "owner": owner.pk,
            "document": SimpleUploadedFile("signed.pdf", b"%PDF-1.7 signed", "application/pdf"),
        },
    )
    assert response.status_code == 302, response.content.decode()
    with scope(world.a):
        contract = Contract.objects.get(title="Projects block")
    assert contract.document.name.startswith(f"clients/{world.a.pk}/contracts/")
    download = as_user(world.exec_a).get(f"/c/alpha/vendors/contracts/{contract.pk}/document/")
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == b"%PDF-1.7 signed"
    assert 'filename="signed.pdf"' in download["Content-Disposition"]


def test_a_document_is_served_only_to_its_clients_members(world, as_user, media):
    bravo = world.records["b"]["contracts"]
    with scope(world.b), acting_as("test"):
        bravo.document.save("bravo-terms.pdf", io.BytesIO(b"secret terms " + CANARY.encode()))
    name = bravo.document.name
    assert (media / name).exists()
    for user in (world.exec_a, world.consultant, world.contrib_a):
        client = as_user(user)
        assert client.get(f"/c/alpha/vendors/contracts/{bravo.pk}/document/").status_code == 404
        assert client.get(f"/c/bravo/vendors/contracts/{bravo.pk}/document/").status_code == 404
        assert client.get(f"/media/{name}").status_code == 404
        assert client.get(f"/{name}").status_code == 404
    own = as_user(world.exec_b).get(f"/c/bravo/vendors/contracts/{bravo.pk}/document/")
    assert own.status_code == 200


def test_a_contract_without_a_document_says_so(world, as_user):
    contract = world.records["a"]["contracts"]
    response = as_user(world.exec_a).get(f"/c/alpha/vendors/contracts/{contract.pk}/document/")
    assert "No signed copy has been uploaded" in response.content.decode()


def test_the_contract_page_shows_the_dates_and_the_sla(world, as_user):
    contract = world.records["a"]["contracts"]
    body = as_user(world.exec_a).get(f"/c/alpha/vendors/contracts/{contract.pk}/").content.decode()
    assert "2027-11-22" in body and "2027-09-23" in body  # renewal, and 60 days before it
    assert "08:00–17:00" in body and "Monday, Tuesday, Wednesday, Thursday, Friday" in body
    assert "/edit/" not in body  # an executive reads only


def test_deleting_a_contract_removes_its_sla_and_holidays(world, as_user):
    contract = world.records["a"]["contracts"]
    response = as_user(world.consultant).post(f"/c/alpha/vendors/contracts/{contract.pk}/delete/")
    assert response.status_code == 302
    with scope(world.a):
        assert not Contract.objects.filter(pk=contract.pk).exists()
        assert not SLAPolicy.objects.exists() and not Holiday.objects.exists()


# --- SLA policy ---------------------------------------------------------------------------------


def sla_post(**changes):
    data = {
        "calendar": "business",
        "weekdays": ["0", "1", "2", "3", "4"],
        "opens_at": "07:30",
        "closes_at": "18:00",
        "time_zone": "America/Denver",
        "p1_response_minutes": 15,
        "p1_resolution_minutes": 240,
        "p2_response_minutes": 60,
        "p2_resolution_minutes": 480,
        "p3_response_minutes": 240,
        "p3_resolution_minutes": 960,
        "p4_response_minutes": 480,
        "p4_resolution_minutes": 2400,
        "holidays-TOTAL_FORMS": 3,
        "holidays-INITIAL_FORMS": 0,
        "holidays-MIN_NUM_FORMS": 0,
        "holidays-MAX_NUM_FORMS": 1000,
        "holidays-0-date": "2026-12-25",
        "holidays-0-name": "Christmas",
        "holidays-1-date": "",
        "holidays-1-name": "",
        "holidays-2-date": "",
        "holidays-2-name": "",
    }
    data.update(changes)
    return data


def test_a_consultant_sets_the_sla_of_a_new_contract(world, as_user):
    contract = add_contract(world.a, 200, "Second MSP contract")
    url = f"/c/alpha/vendors/contracts/{contract.pk}/sla/"
    client = as_user(world.consultant)
    assert client.get(url).status_code == 200
    response = client.post(url, sla_post())
    assert response.status_code == 302, response.content.decode()
    with scope(world.a):
        policy = SLAPolicy.objects.get(contract=contract)
        assert [(h.date, h.name) for h in policy.holidays.all()] == [
            (datetime.date(2026, 12, 25), "Christmas")
        ]
    assert policy.targets()["P1"] == (15, 240)
    assert (policy.opens_at, policy.time_zone) == (datetime.time(7, 30), "America/Denver")
    assert policy.weekday_set() == frozenset(range(5))


def test_holidays_are_added_and_removed(world, as_user):
    contract, holiday = world.records["a"]["contracts"], world.records["a"]["holidays"]
    url = f"/c/alpha/vendors/contracts/{contract.pk}/sla/"
    data = sla_post(
        **{
            "holidays-TOTAL_FORMS": 2,
            "holidays-INITIAL_FORMS": 1,
            "holidays-0-id": holiday.pk,
            "holidays-0-date": f"{holiday.date:%Y-%m-%d}",
            "holidays-0-name": holiday.name,
            "holidays-0-DELETE": "on",
            "holidays-1-date": "2027-01-01",
            "holidays-1-name": "New Year",
        }
    )
    response = as_user(world.consultant).post(url, data)
    assert response.status_code == 302, response.content.decode()
    with scope(world.a):
        assert [h.name for h in Holiday.objects.all()] == ["New Year"]


def test_an_sla_with_closing_before_opening_is_refused(world, as_user):
    contract = world.records["a"]["contracts"]
    url = f"/c/alpha/vendors/contracts/{contract.pk}/sla/"
    response = as_user(world.consultant).post(url, sla_post(opens_at="17:00", closes_at="08:00"))
    assert response.status_code == 200
    assert "Closing time must be after opening time." in response.content.decode()


# --- priority mappings --------------------------------------------------------------------------


def test_the_priority_page_lists_labels_seen_in_tickets_and_remaps_them(world, as_user):
    vendor = world.records["a"]["vendors"]
    url = f"/c/alpha/vendors/{vendor.pk}/priorities/"
    client = as_user(world.consultant)
    body = client.get(url).content.decode()
    assert "Priority 2 - High" in body and "Emergency" in body
    assert CANARY not in body
    data = {
        "labels-TOTAL_FORMS": 3,
        "labels-INITIAL_FORMS": 2,
        "labels-MIN_NUM_FORMS": 0,
        "labels-MAX_NUM_FORMS": 1000,
        "labels-0-label": "Emergency",
        "labels-0-priority": "",  # back to the default
        "labels-1-label": "Priority 2 - High",
        "labels-1-priority": "P1",
        "labels-2-label": "Site down",
        "labels-2-priority": "P1",
    }
    response = client.post(url, data)
    assert response.status_code == 302
    with scope(world.a):
        mappings = dict(PriorityMapping.objects.values_list("label", "priority"))
        ticket = Ticket.objects.get(number="1001")
    assert mappings == {"Priority 2 - High": "P1", "Site down": "P1"}
    assert ticket.priority == "P1"


# --- import page --------------------------------------------------------------------------------


def test_the_import_page_imports_a_file(world, as_user):
    upload = SimpleUploadedFile("contracts.csv", csv_bytes(), "text/csv")
    response = as_user(world.consultant).post(
        "/c/alpha/vendors/contracts/import/", {"file": upload}
    )
    assert response.status_code == 302
    assert response["Location"] == "/c/alpha/vendors/contracts/"
    with scope(world.a):
        assert Contract.objects.count() == 6


def test_the_import_page_lists_every_error_and_writes_nothing(world, as_user):
    from ciodesk.vendors.tests.test_contracts_import import ROWS

    rows = [*ROWS[:5], ROWS[5].replace("2027-03-31", "2027-13-01")]
    upload = SimpleUploadedFile("contracts.csv", csv_bytes(rows), "text/csv")
    response = as_user(world.consultant).post(
        "/c/alpha/vendors/contracts/import/", {"file": upload}
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "Nothing was imported" in body and "row 7, column end_date" in body
    with scope(world.a):
        assert Contract.objects.count() == 1


# --- figures on the portfolio and the client home -----------------------------------------------


def test_renewals_and_escalations_on_the_client_home(world, as_user):
    body = as_user(world.exec_a).get("/c/alpha/").content.decode()
    assert 'Renewals: <span class="value">0</span>' in body
    assert 'Open escalations: <span class="value">1</span>' in body
    add_contract(world.a, 10, "Urgent")
    escalation = world.records["a"]["escalations"]
    with scope(world.a), acting_as("test"):
        escalation.due = world.a.today() - datetime.timedelta(days=1)
        escalation.save()
    body = as_user(world.exec_a).get("/c/alpha/").content.decode()
    assert 'Renewals: <span class="value">1</span>' in body
    assert "(in 10 days): Coastline Managed IT" in body
    assert "1 past due" in body


def test_the_renewals_figure_needs_attention_only_for_act_now(world):
    from ciodesk.vendors.portfolio import open_escalations, renewals

    add_contract(world.a, -5, "Locked")
    figure = renewals([world.a, world.b])[world.a.pk]
    assert (figure.value, figure.attention) == ("1", False)
    add_contract(world.a, 0, "Due today")
    figure = renewals([world.a, world.b])[world.a.pk]
    assert (figure.value, figure.attention) == ("2", True)
    assert "(today)" in figure.detail
    with scope(world.a), acting_as("test"):
        Escalation.objects.update(resolved_on=world.a.today())
    assert world.a.pk not in open_escalations([world.a, world.b])
