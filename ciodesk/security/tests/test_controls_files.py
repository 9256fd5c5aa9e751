"""Evidence files: per client, behind membership, size-limited, never served as a page."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from ciodesk.core.scope import scope
from ciodesk.security import services_controls as services
from ciodesk.security.forms_controls import looks_like_markup

PDF = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def add_file(client, name: str, content: bytes):
    with scope(client):
        control = services.control_for("backups")
        return services.add_evidence(
            control,
            kind="file",
            title="Backup report",
            verified_on=client.today(),
            file=SimpleUploadedFile(name, content),
        )


def upload(world, as_user, name: str, content: bytes):
    with scope(world.a):
        pk = services.control_for("backups").pk
    return as_user(world.consultant).post(
        f"/c/alpha/security/controls/{pk}/evidence/",
        {
            "ev-kind": "file",
            "ev-title": "Report",
            "ev-verified_on": world.a.today().isoformat(),
            "ev-file": SimpleUploadedFile(name, content),
        },
    )


def stored_files(media):
    return [p for p in media.rglob("*") if p.is_file()]


def test_a_file_is_served_as_a_download_that_is_never_sniffed(world, as_user):
    evidence = add_file(world.a, "report.pdf", PDF)
    response = as_user(world.exec_a).get(f"/c/alpha/security/evidence/{evidence.pk}/file/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert 'filename="report.pdf"' in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == PDF


def test_a_text_file_is_plain_text_and_an_unknown_type_is_octet_stream(world, as_user):
    page = as_user(world.exec_a)
    text = add_file(world.a, "export.txt", b"user,mfa\n")
    assert page.get(f"/c/alpha/security/evidence/{text.pk}/file/")["Content-Type"].startswith(
        "text/plain"
    )
    stored = add_file(world.a, "settings.json", b"{}")  # stored by a service, not the form
    response = page.get(f"/c/alpha/security/evidence/{stored.pk}/file/")
    assert response["Content-Type"] == "application/octet-stream"


def test_another_clients_file_is_a_404(world, as_user):
    alpha_file = add_file(world.a, "alpha.pdf", PDF)
    bravo_file = add_file(world.b, "bravo.pdf", PDF)
    # Bravo's file under Alpha's address, even for the lead who may open both clients.
    lead = as_user(world.lead)
    assert lead.get(f"/c/alpha/security/evidence/{bravo_file.pk}/file/").status_code == 404
    assert lead.get(f"/c/bravo/security/evidence/{bravo_file.pk}/file/").status_code == 200
    # Alpha's file for a member of Bravo only.
    page = as_user(world.exec_b)
    assert page.get(f"/c/alpha/security/evidence/{alpha_file.pk}/file/").status_code == 404
    assert page.get(f"/c/bravo/security/evidence/{alpha_file.pk}/file/").status_code == 404


def test_files_are_stored_per_client(world):
    assert add_file(world.a, "a.pdf", PDF).file.name.startswith(f"clients/{world.a.pk}/")
    assert add_file(world.b, "b.pdf", PDF).file.name.startswith(f"clients/{world.b.pk}/")


def test_a_file_over_the_size_limit_is_refused_with_a_clear_message(
    world, as_user, settings, media
):
    settings.SECURITY_EVIDENCE_MAX_BYTES = 1024
    response = upload(world, as_user, "big.pdf", PDF + b"0" * 2048)
    assert response.status_code == 400
    assert "evidence files can be at most" in response.content.decode()
    assert stored_files(media) == []
    assert upload(world, as_user, "small.pdf", PDF).status_code == 302


@pytest.mark.parametrize(
    "name, content",
    [
        ("invoice.pdf", b"<!DOCTYPE html><html><script>alert(1)</script></html>"),
        ("report.pdf", b"\xef\xbb\xbf  \n<html><body>hi</body></html>"),
        ("chart.png", b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"></svg>'),
        ("notes.txt", b"<script>fetch('/')</script>"),
        ("scan.jpg", "<html>".encode("utf-16")),
    ],
)
def test_a_web_page_named_as_a_document_is_refused(world, as_user, media, name, content):
    response = upload(world, as_user, name, content)
    assert response.status_code == 400
    assert "contains a web page or script" in response.content.decode()
    assert stored_files(media) == []


@pytest.mark.parametrize("name", ["page.html", "logo.svg", "run.js", "setup.exe"])
def test_a_type_that_is_not_evidence_is_refused(world, as_user, media, name):
    response = upload(world, as_user, name, b"anything")
    assert response.status_code == 400
    assert "is not a type ciodesk keeps as evidence" in response.content.decode()
    assert stored_files(media) == []


def test_ordinary_documents_do_not_look_like_markup():
    assert not looks_like_markup(PDF)
    assert not looks_like_markup(b"\x89PNG\r\n\x1a\n\x00\x00")
    assert not looks_like_markup(b"PK\x03\x04 xlsx")
    assert not looks_like_markup(b"userPrincipalName,isMfaRegistered\na@b.c,True\n")
    assert not looks_like_markup(b"<bold claims> in a text file")  # not a tag browsers sniff


def test_a_note_has_no_file_to_download(world, as_user):
    with scope(world.a):
        note = services.add_evidence(
            services.control_for("backups"), kind="note", title="n", verified_on=world.a.today()
        )
    response = as_user(world.exec_a).get(f"/c/alpha/security/evidence/{note.pk}/file/")
    assert response.status_code == 200
    assert "has no file" in response.content.decode()
