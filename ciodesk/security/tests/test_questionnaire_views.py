"""The questionnaire pages: upload, pick the columns, review with htmx, download; who may."""

import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from ciodesk.conftest import CANARY
from ciodesk.core.scope import acting_as, scope
from ciodesk.security import forms_questionnaires
from ciodesk.security.models import AnswerLibraryEntry, Questionnaire, QuestionnaireItem
from ciodesk.security.tests.test_questionnaire_workbook import QUESTIONS, SHEET, customer_workbook

BASE = "/c/alpha/security/questionnaires/"


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def upload(client, data: bytes, name: str = "Acme assessment.xlsx"):
    return client.post(BASE + "new/", {"file": SimpleUploadedFile(name, data)})


def import_acme(client, person, data: bytes | None = None) -> Questionnaire:
    response = upload(client, data or customer_workbook())
    assert response.status_code == 302
    token = re.search(r"token=([^&]+)", response["Location"])[1]
    response = client.post(
        BASE + "columns/",
        {
            "token": token,
            "title": "Acme supplier assessment",
            "requested_by": "Acme Manufacturing",
            "owner": person.pk,
            "sheet": SHEET,
            "question_column": "B",
            "answer_column": "C",
            "first_row": 5,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    with scope(person.client):
        return Questionnaire.objects.get(title="Acme supplier assessment")


def test_import_preview_review_and_download(world, as_user, media):
    client = as_user(world.consultant)
    response = upload(client, customer_workbook())
    assert response.status_code == 302 and "/questionnaires/columns/?token=" in response["Location"]
    preview = client.get(response["Location"])
    body = preview.content.decode()
    assert "Acme Manufacturing — Supplier Security Assessment 2026" in body
    assert '<option value="Instructions">' in body  # another sheet can be previewed
    assert re.search(r'name="question_column"[^>]*>.*?<option value="B" selected', body, re.S)
    assert re.search(r'name="answer_column"[^>]*>.*?<option value="C" selected', body, re.S)
    assert 'name="first_row" value="5"' in body

    questionnaire = import_acme(client, world.records["a"]["people"])
    detail = client.get(f"{BASE}{questionnaire.pk}/").content.decode()
    assert "0 of 7 answers approved" in detail
    assert QUESTIONS[6] in detail and "No suggestion" in detail  # the insurance question

    with scope(world.a):
        item = QuestionnaireItem.objects.get(row=13)
    response = client.post(
        f"{BASE}items/{item.pk}/approve/",
        {f"item-{item.pk}-answer": "Yes, a $2M cyber policy."},
        HTTP_HX_REQUEST="true",
    )
    fragment = response.content.decode()
    assert fragment.lstrip().startswith(f'<tr id="item-{item.pk}"')
    assert "Approved by" in fragment and 'hx-swap-oob="true"' in fragment
    assert "1 of 7 answers approved" in fragment
    with scope(world.a):
        assert AnswerLibraryEntry.objects.filter(answer="Yes, a $2M cyber policy.").exists()

    download = client.get(f"{BASE}{questionnaire.pk}/answered/")
    assert download.status_code == 200
    assert 'filename="Acme assessment (answered).xlsx"' in download["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(download.content))[SHEET]
    assert sheet["C13"].value == "Yes, a $2M cyber policy."
    assert sheet["C6"].value is None  # not approved yet: left empty
    assert sheet["A1"].value == "Acme Manufacturing — Supplier Security Assessment 2026"

    original = client.get(f"{BASE}{questionnaire.pk}/original/")
    assert b"".join(original.streaming_content) == customer_workbook_bytes(questionnaire)


def customer_workbook_bytes(questionnaire) -> bytes:
    with questionnaire.original.open("rb") as handle:
        return handle.read()


def test_the_same_workbook_twice_opens_the_first_import(world, as_user, media):
    client = as_user(world.lead)
    data = customer_workbook()  # the same bytes twice (a new build differs in its timestamps)
    questionnaire = import_acme(client, world.records["a"]["people"], data)
    response = upload(client, data, "renamed copy.xlsx")
    assert response["Location"] == f"{BASE}{questionnaire.pk}/"
    with scope(world.a):
        assert Questionnaire.objects.filter(filename__startswith="Acme").count() == 1


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"question,answer\n", "questions.csv", "must be an Excel workbook (.xlsx)"),
        (b"<html><script>alert(1)</script></html>", "questions.xlsx", "must be an Excel"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"0" * 64, "old.xls", "old .xls workbooks"),
    ],
)
def test_a_file_that_is_not_xlsx_is_refused_with_a_clear_message(
    world, as_user, media, data, name, message
):
    response = upload(as_user(world.lead), data, name)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not (media / "clients").exists()


def test_a_workbook_over_the_size_limit_is_refused(world, as_user, media, monkeypatch):
    monkeypatch.setattr(forms_questionnaires, "MAX_BYTES", 1024)
    response = upload(as_user(world.lead), customer_workbook())
    assert "is larger than" in response.content.decode()
    assert not (media / "clients").exists()


def test_a_mapping_that_cannot_be_written_names_the_row_and_imports_nothing(world, as_user, media):
    client = as_user(world.lead)
    token = re.search(r"token=([^&]+)", upload(client, customer_workbook())["Location"])[1]
    response = client.post(
        BASE + "columns/",
        {
            "token": token,
            "title": "Acme",
            "owner": world.records["a"]["people"].pk,
            "sheet": SHEET,
            "question_column": "B",
            "answer_column": "D",
            "first_row": 5,
        },
    )
    body = response.content.decode()
    assert "Nothing was imported." in body
    assert "row 13, column D: the answer cell holds a formula" in body
    with scope(world.a):
        assert not Questionnaire.objects.filter(title="Acme").exists()


def test_an_upload_token_of_another_client_is_refused(world, as_user, media):
    client = as_user(world.lead)
    token = re.search(r"token=([^&]+)", upload(client, customer_workbook())["Location"])[1]
    response = client.get(f"/c/bravo/security/questionnaires/columns/?token={token}")
    assert response.status_code == 302
    assert response["Location"] == "/c/bravo/security/questionnaires/new/"


def test_the_original_file_is_for_the_clients_members_only(world, as_user, media):
    questionnaire = import_acme(as_user(world.lead), world.records["a"]["people"])
    url = f"{BASE}{questionnaire.pk}/original/"
    assert as_user(world.exec_a).get(url).status_code == 200
    assert as_user(world.exec_b).get(url).status_code == 404
    # Bravo's questionnaire under Alpha's address is not there either, even for the lead
    foreign = world.records["b"]["questionnaires"]
    for page in ("original/", "answered/", ""):
        assert as_user(world.lead).get(f"{BASE}{foreign.pk}/{page}").status_code == 404


def test_an_executive_reads_but_does_not_approve(world, as_user, media):
    questionnaire = import_acme(as_user(world.lead), world.records["a"]["people"])
    client = as_user(world.exec_a)
    body = client.get(f"{BASE}{questionnaire.pk}/").content.decode()
    assert "<button" not in body.split("q-items")[1] and "<textarea" not in body
    with scope(world.a):
        item = questionnaire.items.first()
    response = client.post(f"{BASE}items/{item.pk}/approve/", {f"item-{item.pk}-answer": "Yes"})
    assert response.status_code == 403


def test_the_list_shows_progress_and_the_empty_state_says_what_to_do(world, as_user, media):
    with scope(world.a), acting_as("test"):
        Questionnaire.objects.all().delete()
    body = as_user(world.lead).get(BASE).content.decode()
    assert "import it" in body
    import_acme(as_user(world.lead), world.records["a"]["people"])
    body = as_user(world.exec_a).get(BASE).content.decode()
    assert "Acme supplier assessment" in body and "0 of 7" in body
    assert CANARY not in body


def test_the_detail_page_runs_the_same_queries_for_1_or_20_items(world, as_user):
    client = as_user(world.lead)
    questionnaire = world.records["a"]["questionnaires"]
    url = f"{BASE}{questionnaire.pk}/"

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx)

    before = count()
    with scope(world.a), acting_as("test"):
        for row in range(3, 22):
            QuestionnaireItem.objects.create(
                questionnaire=questionnaire,
                row=row,
                question=f"Question {row}?",
                answer="Yes",
                status="approved",
                approved_by=world.lead if row % 2 else world.consultant,
            )
        assert questionnaire.items.count() == 20
    assert count() == before


@pytest.mark.parametrize("url", [BASE, BASE + "library/"])
def test_the_lists_run_a_constant_number_of_queries(world, as_user, url):
    client = as_user(world.lead)

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx)

    before = count()
    with scope(world.a), acting_as("test"):
        for i in range(5):
            questionnaire = Questionnaire.objects.create(
                title=f"Q{i}",
                owner=world.records["a"]["people"],
                original="clients/none.xlsx",
                filename="q.xlsx",
                sha256=str(i),
                sheet="Sheet1",
                question_column="A",
                answer_column="B",
            )
            QuestionnaireItem.objects.create(questionnaire=questionnaire, row=2, question="MFA?")
            AnswerLibraryEntry.objects.create(
                question=f"Q{i}?", answer="Yes", approved_by=world.lead
            )
    assert count() == before
