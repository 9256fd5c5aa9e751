"""Evidence makes a control in place; its date keeps the control fresh; N/A needs a reason."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from ciodesk.core.scope import scope
from ciodesk.security import services_controls as services
from ciodesk.security.models import Evidence

PDF = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def control(world, key):
    with scope(world.a):
        return services.control_for(key)


def url(c, action=""):
    return f"/c/alpha/security/controls/{c.pk}/{action}"


def post_evidence(page, c, **fields):
    data = {f"ev-{k}": v for k, v in fields.items()}
    return page.post(url(c, "evidence/"), data)


def state(world, key):
    with scope(world.a):
        return services.states(world.a.today())[key]


def test_uploading_evidence_puts_the_control_in_place(world, as_user):
    c = control(world, "backups")
    page = as_user(world.consultant)
    today = world.a.today()
    response = post_evidence(
        page,
        c,
        kind="file",
        title="Backup job report, last 30 days",
        file=SimpleUploadedFile("veeam-report.pdf", PDF, "application/pdf"),
        verified_on=today.isoformat(),
        status="in_place",
    )
    assert response.status_code == 302
    assert state(world, "backups").effective == "in_place"
    html = page.get(url(c)).content.decode()
    assert "Backup job report, last 30 days" in html and "Carl Consultant" in html
    in_place = page.get("/c/alpha/security/controls/?status=in_place").content.decode()
    assert "Important data is backed up automatically" in in_place
    with scope(world.a):
        evidence = Evidence.objects.get(control=c)
    assert evidence.verified_by == world.consultant
    assert evidence.file.name.startswith(f"clients/{world.a.pk}/security/")


def test_the_verified_date_defaults_to_today_in_the_clients_time_zone(world, as_user):
    html = as_user(world.contrib_a).get(url(control(world, "backups"))).content.decode()
    assert f'value="{world.a.today():%Y-%m-%d}"' in html


def test_a_contributors_evidence_refreshes_a_stale_control_but_sets_no_status(world, as_user):
    c = control(world, "mfa-email")
    old = world.a.today() - datetime.timedelta(days=45)
    with scope(world.a):
        services.add_evidence(c, kind="note", title="old", verified_on=old, status="in_place")
    assert state(world, "mfa-email").effective == "stale"
    page = as_user(world.contrib_a)
    today = world.a.today().isoformat()
    response = post_evidence(
        page, c, kind="link", title="Entra report", url="https://entra.example/r", verified_on=today
    )
    assert response.status_code == 302
    assert state(world, "mfa-email").effective == "in_place"
    # A contributor's form has no status: a status sent anyway changes nothing.
    other = control(world, "restore-test")
    post_evidence(
        page, other, kind="note", title="t", note="n", verified_on=today, status="in_place"
    )
    assert state(world, "restore-test").effective == "not_assessed"
    assert page.post(url(other, "status/"), {"status": "in_place"}).status_code == 403


def test_each_kind_needs_its_content_and_no_future_date(world, as_user):
    c = control(world, "backups")
    page = as_user(world.consultant)
    tomorrow = (world.a.today() + datetime.timedelta(days=1)).isoformat()
    response = post_evidence(page, c, kind="link", title="x", verified_on=tomorrow)
    assert response.status_code == 400
    html = response.content.decode()
    assert "Enter the link." in html
    assert "cannot be verified in the future" in html


def test_not_applicable_needs_a_reason(world, as_user):
    c = control(world, "mfa-remote-access")
    page = as_user(world.consultant)
    owner = c.owner_id
    response = page.post(url(c, "status/"), {"status": "not_applicable", "owner": owner})
    assert response.status_code == 400
    assert "Say why this control does not apply" in response.content.decode()
    assert state(world, "mfa-remote-access").effective == "not_assessed"
    reason = "No VPN or remote desktop: everything is in Microsoft 365."
    response = page.post(
        url(c, "status/"),
        {"status": "not_applicable", "owner": owner, "not_applicable_reason": reason},
    )
    assert response.status_code == 302
    assert state(world, "mfa-remote-access").effective == "not_applicable"
    assert reason in page.get(url(c)).content.decode()


def test_editing_or_deleting_evidence_moves_the_last_verification(world, as_user):
    c = control(world, "restore-test")
    today = world.a.today()
    with scope(world.a):
        services.add_evidence(
            c, kind="note", title="Q1", verified_on=today - datetime.timedelta(days=100)
        )
        newest = services.add_evidence(
            c, kind="note", title="Q2", verified_on=today - datetime.timedelta(days=10)
        )
        c.refresh_from_db()
        assert c.last_verified_on == today - datetime.timedelta(days=10)
    page = as_user(world.contrib_a)
    response = page.post(
        f"/c/alpha/security/evidence/{newest.pk}/edit/",
        {
            "title": "Q2",
            "note": "n",
            "verified_on": (today - datetime.timedelta(days=5)).isoformat(),
        },
    )
    assert response.status_code == 302
    with scope(world.a):
        c.refresh_from_db()
    assert c.last_verified_on == today - datetime.timedelta(days=5)
    assert page.post(f"/c/alpha/security/evidence/{newest.pk}/delete/").status_code == 302
    with scope(world.a):
        c.refresh_from_db()
    assert c.last_verified_on == today - datetime.timedelta(days=100)
    history = page.get(url(c, "history/")).content.decode()
    assert "Q1" in history


def test_an_executive_reads_evidence_but_cannot_add_it(world, as_user):
    c = control(world, "backups")
    page = as_user(world.exec_a)
    html = page.get(url(c)).content.decode()
    assert "Add evidence" not in html and "Set the status" not in html
    assert post_evidence(page, c, kind="note", title="x", note="y").status_code == 403
