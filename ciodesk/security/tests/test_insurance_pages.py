"""The readiness page, its XLSX and the broker's PDF show the same answers."""

import datetime
import io
import re
from html.parser import HTMLParser

from openpyxl import load_workbook
from pypdf import PdfReader

from ciodesk.core.scope import acting_as, scope
from ciodesk.security import services_controls as controls
from ciodesk.security.models import Evidence, InsuranceAnswerNote, InsurancePolicy

PAGE = "/c/alpha/security/insurance/"


class TableCells(HTMLParser):
    """The text of each cell of one table (by id), row by row."""

    def __init__(self, table_id: str):
        super().__init__()
        self.table_id, self.inside, self.rows, self.cell = table_id, False, [], None

    def handle_starttag(self, tag, attrs):
        if tag == "table" and dict(attrs).get("id") == self.table_id:
            self.inside = True
        elif self.inside and tag == "tr":
            self.rows.append([])
        elif self.inside and tag in ("td", "th"):
            self.cell = ""

    def handle_endtag(self, tag):
        if tag == "table":
            self.inside = False
        elif self.inside and tag in ("td", "th") and self.cell is not None:
            self.rows[-1].append(" ".join(self.cell.split()))
            self.cell = None

    def handle_data(self, data):
        if self.cell is not None:
            self.cell += data


def cells(html: str, table_id: str) -> list[list[str]]:
    parser = TableCells(table_id)
    parser.feed(html)
    return parser.rows


def prepare(world, today):
    """MFA on e-mail in place (fresh), remote access stale, a note and a policy."""
    with scope(world.a), acting_as("test setup"):
        controls.add_evidence(
            controls.control_for("mfa-email"),
            kind="note",
            title="Conditional access: all users",
            verified_on=today - datetime.timedelta(days=2),
            status="in_place",
        )
        controls.add_evidence(
            controls.control_for("mfa-remote-access"),
            kind="link",
            title="VPN MFA setting",
            verified_on=today - datetime.timedelta(days=45),
            status="in_place",
        )
        InsurancePolicy.objects.update(renewal_date=today + datetime.timedelta(days=45))


def test_the_page_shows_answers_gaps_and_the_renewal_countdown(world, as_user):
    today = world.a.today()
    prepare(world, today)
    page = as_user(world.exec_a).get(PAGE).content.decode()
    assert "in 45 days" in page
    answers = {row[0]: row for row in cells(page, "answers")[1:]}
    assert answers["INS-01"][3] == "Yes"
    assert answers["INS-02"][3] == "No"
    assert "Multi-factor sign-in on remote access is stale since" in answers["INS-02"][7]
    gaps = [row[1].split(" ")[0] for row in cells(page, "gap-table")[1:]]
    assert gaps[0] == "INS-02" and "INS-01" not in gaps


def test_the_xlsx_equals_the_page(world, as_user):
    today = world.a.today()
    prepare(world, today)
    client = as_user(world.exec_a)
    page_rows = [row[:7] for row in cells(client.get(PAGE).content.decode(), "answers")]
    response = client.get("/c/alpha/security/insurance/readiness.xlsx")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    xlsx_rows = [
        [
            v.date().isoformat() if isinstance(v, datetime.datetime) else ("" if v is None else v)
            for v in row
        ]
        for row in sheet.iter_rows(values_only=True)
    ]
    assert len(xlsx_rows) == 32
    assert xlsx_rows[0] == [
        "ID",
        "Category",
        "Question",
        "Answer",
        "Evidence",
        "Evidence date",
        "Note",
    ]
    assert [[" ".join(str(v).split()) for v in row] for row in xlsx_rows] == page_rows


def test_the_pdf_evidence_pack_reads_back(world, as_user):
    today = world.a.today()
    prepare(world, today)
    client = as_user(world.exec_a)
    page = client.get(PAGE).content.decode()
    yes = int(re.search(r'<span class="value">(\d+)</span> Yes', page).group(1))
    response = client.get("/c/alpha/security/insurance/evidence-pack.pdf")
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    text = " ".join(" ".join(p.extract_text().split()) for p in reader.pages)
    cover = " ".join(reader.pages[0].extract_text().split())
    assert "Alpha Dental" in cover
    renewal = today + datetime.timedelta(days=45)
    assert f"Renewal date {renewal:%Y-%m-%d} (in 45 days)" in cover
    assert f"Produced {today:%Y-%m-%d}" in cover
    assert f"{yes} Yes ·" in cover and yes >= 1
    assert "Is remote desktop, or any other admin service, reachable straight from the" in text
    assert "Appendix: evidence" in text
    verified = today - datetime.timedelta(days=45)
    assert f"VPN MFA setting Link {verified:%Y-%m-%d}" in text


def test_the_cio_notes_a_question_and_an_executive_cannot(world, as_user):
    url = "/c/alpha/security/insurance/note/?question=INS-07"
    assert as_user(world.exec_a).post(url, {"note": "x"}).status_code == 403
    client = as_user(world.consultant)
    assert client.get(url).status_code == 200
    response = client.post(url, {"note": "MDR contract signed, agents rolling out in May"})
    assert response.status_code == 302
    page = client.get(PAGE).content.decode()
    row = next(r for r in cells(page, "answers") if r[0] == "INS-07")
    assert row[6] == "MDR contract signed, agents rolling out in May"
    client.post(url, {"note": ""})
    with scope(world.a):
        assert not InsuranceAnswerNote.objects.filter(question="INS-07").exists()
    assert client.get("/c/alpha/security/insurance/note/?question=INS-99").status_code == 404


def test_the_policy_is_kept_through_its_own_pages(world, as_user):
    client = as_user(world.lead)
    renewal = world.a.today() + datetime.timedelta(days=10)
    response = client.post(
        "/c/alpha/security/insurance/policies/new/",
        {
            "carrier": "At-Bay",
            "policy_number": "AB-77",
            "renewal_date": renewal.isoformat(),
            "currency": "USD",
            "owner": world.records["a"]["people"].pk,
        },
    )
    assert response.status_code == 302
    listing = client.get("/c/alpha/security/insurance/policies/").content.decode()
    assert "At-Bay" in listing
    page = client.get(PAGE).content.decode()
    assert "At-Bay" in page and "in 10 days" in page  # the policy renewing next is shown


def test_the_answer_changes_on_the_page_when_evidence_ages(world, as_user):
    today = world.a.today()
    with scope(world.a), acting_as("test setup"):
        evidence = controls.add_evidence(
            controls.control_for("restore-test"),  # every 90 days
            kind="note",
            title="Restored the file server",
            verified_on=today - datetime.timedelta(days=89),
            status="in_place",
        )
    client = as_user(world.exec_a)

    def row():
        page = client.get(PAGE).content.decode()
        return next(r for r in cells(page, "answers") if r[0] == "INS-13")

    assert row()[3] == "Yes"
    with scope(world.a), acting_as("test setup"):
        Evidence.objects.filter(pk=evidence.pk).update(
            verified_on=today - datetime.timedelta(days=90)
        )
        controls.refresh_last_verified(controls.control_for("restore-test"))
    assert row()[3] == "No"
