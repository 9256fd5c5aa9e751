from ciodesk.audit.models import ChangeRecord
from ciodesk.core.scope import scope


def system_url(world, action):
    return f"/c/alpha/systems/{world.records['a']['systems'].pk}/{action}/"


def edit_payload(world, **changes):
    system = world.records["a"]["systems"]
    data = {
        "name": system.name,
        "purpose": system.purpose,
        "vendor_name": system.vendor_name,
        "owner": system.owner_id,
        "criticality": system.criticality,
        "data_location": system.data_location,
    }
    data.update(changes)
    return data


def test_an_edit_records_who_when_and_what(world, as_user):
    client = as_user(world.contrib_a)
    response = client.post(
        system_url(world, "edit"), edit_payload(world, purpose="Mail and files", criticality="high")
    )
    assert response.status_code == 302
    with scope(world.a):
        record = ChangeRecord.objects.filter(action="updated").get()
    assert record.actor == world.contrib_a
    assert record.actor_label == "Cory Contributor"
    assert record.changes == {
        "purpose": ["E-mail", "Mail and files"],
        "criticality": ["Critical — the business stops without it", "High"],
    }


def test_the_history_page_shows_the_change(world, as_user):
    client = as_user(world.contrib_a)
    client.post(system_url(world, "edit"), edit_payload(world, purpose="Mail and files"))
    body = client.get(system_url(world, "history")).content.decode()
    assert "Cory Contributor" in body
    assert "<del>E-mail</del> → <ins>Mail and files</ins>" in body
    assert "Created" in body


def test_saving_without_changes_records_nothing(world, as_user):
    with scope(world.a):
        before = ChangeRecord.objects.count()
    as_user(world.contrib_a).post(system_url(world, "edit"), edit_payload(world))
    with scope(world.a):
        assert ChangeRecord.objects.count() == before


def test_a_delete_is_recorded_and_its_history_stays_readable(world, as_user):
    site = world.records["a"]["sites"]
    client = as_user(world.lead)
    assert client.post(f"/c/alpha/sites/{site.pk}/delete/").status_code == 302
    with scope(world.a):
        record = ChangeRecord.objects.get(action="deleted")
    assert record.object_repr == "Head office"
    assert record.changes["name"] == ["Head office", ""]
    assert "Deleted" in client.get(f"/c/alpha/sites/{site.pk}/history/").content.decode()


def test_changes_to_the_client_itself_are_recorded(world, as_user):
    client = as_user(world.lead)
    data = {
        "name": "Alpha Dental Group",
        "slug": "alpha",
        "industry": "Dental",
        "employee_count": 42,
        "time_zone": "America/Los_Angeles",
        "currency": "USD",
        "fiscal_year_start_month": 7,
        "retainer_monthly_fee": "4500.00",
        "retainer_included_hours": "16",
        "meeting_cadence": "weekly",
        "status": "active",
    }
    assert client.post("/c/alpha/edit/", data).status_code == 302
    body = client.get("/c/alpha/history/").content.decode()
    assert "<del>Alpha Dental</del> → <ins>Alpha Dental Group</ins>" in body
    assert "<del>40</del> → <ins>42</ins>" in body


def test_the_activity_feed_and_its_export(world, as_user):
    client = as_user(world.contrib_a)
    client.post(system_url(world, "edit"), edit_payload(world, purpose="Mail and files"))
    feed = client.get("/c/alpha/activity/?action=updated").content.decode()
    assert "Mail and files" in feed
    csv = client.get("/c/alpha/activity/export/?format=csv").content.decode("utf-8-sig")
    header, first = csv.splitlines()[:2]
    assert header == "When,Who,Action,Kind,Record,Changes"
    assert (
        "Cory Contributor,Updated,key system,Microsoft 365,purpose: E-mail → Mail and files"
        in first
    )


def test_a_deleted_persons_protected_items_are_refused_clearly(world, as_user):
    person = world.records["a"]["people"]
    client = as_user(world.lead)
    response = client.post(f"/c/alpha/people/{person.pk}/delete/", follow=True)
    body = response.content.decode()
    assert "“Pat Owner” is still in use (" in body
    assert "Backups failing" in body.split("still in use")[1][:300]
    with scope(world.a):
        assert not ChangeRecord.objects.filter(action="deleted").exists()
