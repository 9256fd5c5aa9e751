import csv
import io

from openpyxl import load_workbook

from ciodesk.core.scope import scope
from ciodesk.tenancy.models import KeySystem, Note


def test_a_contributor_adds_a_key_system(world, as_user):
    client = as_user(world.contrib_a)
    owner = world.records["a"]["people"]
    response = client.post(
        "/c/alpha/systems/new/",
        {
            "name": "Dentrix",
            "purpose": "Practice management",
            "vendor_name": "Henry Schein One",
            "owner": owner.pk,
            "criticality": "critical",
            "data_location": "On-prem server",
        },
    )
    assert response.status_code == 302
    with scope(world.a):
        system = KeySystem.objects.get(name="Dentrix")
    assert system.client == world.a
    assert "Dentrix" in client.get("/c/alpha/systems/").content.decode()


def test_another_clients_person_cannot_own_a_system(world, as_user):
    foreign = world.records["b"]["people"]
    response = as_user(world.lead).post(
        "/c/alpha/systems/new/",
        {
            "name": "Sneaky",
            "purpose": "x",
            "owner": foreign.pk,
            "criticality": "low",
        },
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()


def test_an_executive_sees_no_edit_links(world, as_user):
    body = as_user(world.exec_a).get("/c/alpha/systems/").content.decode()
    assert "Microsoft 365" in body
    assert "/edit/" not in body
    assert ">Add<" not in body


def test_a_required_field_left_empty_is_named(world, as_user):
    response = as_user(world.lead).post("/c/alpha/sites/new/", {"name": "", "address": ""})
    assert response.status_code == 200
    assert response.content.decode().count("This field is required.") == 2


def test_notes_render_markdown_without_scripts(world, as_user):
    with scope(world.a):
        Note.objects.create(
            title="Risky", body="**bold** <script>alert(1)</script> [x](javascript:alert(2))"
        )
    body = as_user(world.exec_a).get("/c/alpha/notes/").content.decode()
    assert "<strong>bold</strong>" in body
    assert "<script>alert(1)" not in body
    assert "javascript:" not in body


def test_the_exports_equal_the_page(world, as_user):
    client = as_user(world.exec_a)
    with scope(world.a):
        KeySystem.objects.create(
            name="Épicor — ERP",
            purpose="Orders, inventory",
            owner=world.records["a"]["people"],
            criticality="high",
        )
    rows_csv = list(
        csv.reader(
            io.StringIO(
                client.get("/c/alpha/systems/export/?format=csv").content.decode("utf-8-sig")
            )
        )
    )
    book = load_workbook(io.BytesIO(client.get("/c/alpha/systems/export/?format=xlsx").content))
    rows_xlsx = [[c if c is not None else "" for c in row] for row in book.active.values]
    assert rows_csv[0] == [
        "System",
        "Purpose",
        "Vendor",
        "Owner",
        "Criticality",
        "Where its data lives",
    ]
    assert rows_csv == rows_xlsx
    assert ["Épicor — ERP", "Orders, inventory", "", "Pat Owner", "High", ""] in rows_csv
    page = client.get("/c/alpha/systems/").content.decode()
    for row in rows_csv[1:]:
        assert row[0] in page


def test_search_filters_rows_and_exports(world, as_user):
    client = as_user(world.exec_a)
    with scope(world.a):
        KeySystem.objects.create(
            name="Dentrix", purpose="Charts", owner=world.records["a"]["people"], criticality="high"
        )
    fragment = client.get("/c/alpha/systems/?q=dentrix", HTTP_HX_REQUEST="true").content.decode()
    assert "Dentrix" in fragment and "Microsoft 365" not in fragment
    exported = client.get("/c/alpha/systems/export/?format=csv&q=dentrix").content.decode()
    assert "Dentrix" in exported and "Microsoft 365" not in exported


def test_the_client_home_shows_money_in_the_clients_currency(world, as_user):
    world.a.currency = "EUR"
    world.a.save()
    body = as_user(world.exec_a).get("/c/alpha/").content.decode()
    assert "€4,500.00 a month" in body


def test_dates_are_shown_in_the_clients_time_zone(world, as_user):
    world.a.time_zone = "Asia/Tokyo"
    world.a.save()
    body = as_user(world.exec_a).get("/c/alpha/activity/").content.decode()
    assert " JST</td>" in body
