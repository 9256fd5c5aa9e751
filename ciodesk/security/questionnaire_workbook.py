"""The customer's questionnaire workbook: checked on upload, previewed, read, filled in.

The customer's XLSX is kept as it came (``Questionnaire.original``) and never rewritten; the
export loads it again with openpyxl and writes only the answer cells, so title blocks,
merged cells, styles, column widths, other sheets and formulas come back as they were sent.
(openpyxl does not keep pictures and charts; the upload page warns when a workbook has any.)

Between the upload and the choice of columns the file waits in the client's storage,
named by a signed token bound to the client (``store_pending`` / ``load_pending``).
"""

from __future__ import annotations

import datetime
import hashlib
import io
import re
import secrets
import zipfile
from dataclasses import dataclass

from django.core import signing
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone
from openpyxl import load_workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, MergedCell
from openpyxl.utils import column_index_from_string, get_column_letter

from ciodesk.core.tabular import MAX_BYTES, FileProblem, cell_text
from ciodesk.security.models import Questionnaire, QuestionnaireItem

MAX_UNPACKED_BYTES = 200 * 1024 * 1024  # a 10 MB upload that unpacks beyond this is refused
PREVIEW_ROWS = 20
PREVIEW_COLUMNS = 15
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


# --- the workbook -------------------------------------------------------------------------------


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def check_workbook(data: bytes, filename: str) -> list[str]:
    """The sheet names of a customer's workbook, or FileProblem saying why it is refused.

    Only .xlsx: the export fills in the very file the customer sent, which ciodesk can do
    for an XLSX workbook without macros, not for .xls, .xlsm, CSV or PDF.
    """
    name = filename.lower()
    if not data:
        raise FileProblem("the file is empty")
    if len(data) > MAX_BYTES:
        raise FileProblem(f"the file is larger than {MAX_BYTES // (1024 * 1024)} MB")
    if name.endswith(".xls") or data.startswith(b"\xd0\xcf\x11\xe0"):
        raise FileProblem("old .xls workbooks are not read; open it in Excel and save as .xlsx")
    if name.endswith(".xlsm"):
        raise FileProblem("workbooks with macros (.xlsm) are not read; save a copy as .xlsx")
    if not name.endswith(".xlsx") or not data.startswith(b"PK\x03\x04"):
        raise FileProblem(
            "a questionnaire must be an Excel workbook (.xlsx): ciodesk fills in the same "
            "file and sends it back. Save the customer's file as .xlsx and upload that"
        )
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = archive.namelist()
            unpacked = sum(info.file_size for info in archive.infolist())
    except zipfile.BadZipFile as exc:
        raise FileProblem("the file is not a readable XLSX workbook") from exc
    if "xl/workbook.xml" not in names:
        raise FileProblem("the file is not an Excel workbook (no xl/workbook.xml inside)")
    if unpacked > MAX_UNPACKED_BYTES:
        raise FileProblem("the workbook unpacks to more than 200 MB and is refused")
    try:
        book = load_workbook(io.BytesIO(data), read_only=True)
        sheets = list(book.sheetnames)
        book.close()
    except Exception as exc:  # openpyxl raises many kinds for a damaged or foreign file
        raise FileProblem("the file is not a readable XLSX workbook") from exc
    if not sheets:
        raise FileProblem("the workbook has no worksheet")
    return sheets


def has_drawings(data: bytes) -> bool:
    """Pictures and charts are not kept by openpyxl: the upload page warns about them."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return any(
            n.startswith(("xl/drawings/", "xl/charts/", "xl/media/")) for n in archive.namelist()
        )


@dataclass(frozen=True)
class Mapping:
    sheet: str
    question_column: str
    answer_column: str
    first_row: int


@dataclass
class Preview:
    sheet: str
    columns: list[str]
    rows: list[tuple[int, list[str]]]
    max_row: int
    guess: Mapping


HEADER_QUESTION = re.compile(r"\b(question|requirement|control|item|description)s?\b", re.I)
HEADER_ANSWER = re.compile(r"\b(answer|response|reply|vendor comments?|your comments?)s?\b", re.I)


def _guess(sheet: str, columns: list[str], rows: list[tuple[int, list[str]]]) -> Mapping:
    """Where the questions and answers probably are: a header row naming both, else the
    column with the most long texts and the column to its right."""
    for number, values in rows:
        q = next(
            (i for i, v in enumerate(values) if HEADER_QUESTION.search(v) and len(v) < 40), None
        )
        a = next((i for i, v in enumerate(values) if HEADER_ANSWER.search(v) and len(v) < 40), None)
        if q is not None and a is not None and q != a:
            return Mapping(sheet, columns[q], columns[a], number + 1)
    counts = [sum(1 for _, v in rows if i < len(v) and len(v[i]) > 25) for i in range(len(columns))]
    if not columns:
        return Mapping(sheet, "A", "B", 2)
    best = max(range(len(columns)), key=lambda i: counts[i])
    first = next((n for n, v in rows if best < len(v) and len(v[best]) > 25), 2)
    answer = get_column_letter(column_index_from_string(columns[best]) + 1)
    return Mapping(sheet, columns[best], answer, first)


def preview(data: bytes, sheet: str) -> Preview:
    """The first PREVIEW_ROWS rows of `sheet` as text, to pick the columns from."""
    book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    try:
        if sheet not in book.sheetnames:
            raise FileProblem(f"the workbook has no sheet “{sheet}”")
        ws = book[sheet]
        width = min(ws.max_column or 1, PREVIEW_COLUMNS)
        rows = [
            (number, [cell_text(v) for v in values])
            for number, values in enumerate(
                ws.iter_rows(max_row=PREVIEW_ROWS, max_col=width, values_only=True), start=1
            )
        ]
        max_row = ws.max_row or 0
    finally:
        book.close()
    columns = [get_column_letter(i) for i in range(1, width + 1)]
    rows = [(n, v + [""] * (width - len(v))) for n, v in rows]
    return Preview(sheet, columns, rows, max_row, _guess(sheet, columns, rows))


def read_questions(data: bytes, mapping: Mapping) -> list[tuple[int, str]]:
    """(row, question) for every non-empty question cell from ``first_row`` down.

    Section headings are skipped: a question cell merged across several columns (the usual
    "2. Access control" band). Raises FileProblem listing every row whose answer cell cannot
    be written (merged into another cell, or holding a formula), "row N, column X: reason".
    """
    values_book = load_workbook(io.BytesIO(data), data_only=True)
    formulas_book = load_workbook(io.BytesIO(data))
    if mapping.sheet not in values_book.sheetnames:
        raise FileProblem(f"the workbook has no sheet “{mapping.sheet}”")
    values, formulas = values_book[mapping.sheet], formulas_book[mapping.sheet]
    merged = {
        (row, col): rng
        for rng in values.merged_cells.ranges
        for row in range(rng.min_row, rng.max_row + 1)
        for col in range(rng.min_col, rng.max_col + 1)
    }
    q_col = column_index_from_string(mapping.question_column)
    a_col = column_index_from_string(mapping.answer_column)
    questions, errors = [], []
    for row in range(mapping.first_row, (values.max_row or 0) + 1):
        text = cell_text(values.cell(row=row, column=q_col).value)
        heading = merged.get((row, q_col))
        if not text or (heading is not None and heading.min_col != heading.max_col):
            continue
        where = f"row {row}, column {mapping.answer_column}"
        target = merged.get((row, a_col))
        if target is not None and (target.min_row, target.min_col) != (row, a_col):
            errors.append(f"{where}: the answer cell is merged into {target.coord}")
            continue
        answer = formulas.cell(row=row, column=a_col)
        if answer.data_type == "f":
            errors.append(f"{where}: the answer cell holds a formula; pick the answer column")
            continue
        questions.append((row, text))
    if errors:
        raise FileProblem("; ".join(errors[:20]))
    if not questions:
        raise FileProblem(
            f"no questions in column {mapping.question_column} of “{mapping.sheet}” from row "
            f"{mapping.first_row} on; pick the column that holds the questions"
        )
    return questions


def filled_workbook(questionnaire: Questionnaire, items: list[QuestionnaireItem]) -> bytes:
    """The customer's own workbook with the approved answers written in the answer column.

    Only the answer cells change; an answer is always written as text (never a formula,
    even when it starts with "="), with characters XLSX cannot hold removed.
    """
    with questionnaire.original.open("rb") as handle:
        book = load_workbook(io.BytesIO(handle.read()))
    sheet = book[questionnaire.sheet]
    for item in items:
        if item.status != QuestionnaireItem.Status.APPROVED:
            continue
        cell = sheet[f"{questionnaire.answer_column}{item.row}"]
        if isinstance(cell, MergedCell):
            continue  # refused at import; the workbook cannot have changed since
        cell.value = ILLEGAL_CHARACTERS_RE.sub("", item.answer)
        cell.data_type = "s"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


# --- an upload waiting for its mapping ------------------------------------------------------------


@dataclass(frozen=True)
class Pending:
    name: str
    filename: str
    data: bytes


def _salt(client) -> str:
    return f"ciodesk.security.questionnaire-upload.{client.pk}"


def _pending_dir(client) -> str:
    return f"clients/{int(client.pk)}/questionnaires/pending/"


def store_pending(client, data: bytes, filename: str) -> str:
    """Keep the upload in the client's storage until the columns are picked; a signed token
    (bound to this client, valid a day) names it. Uploads left behind for a day are removed."""
    folder = _pending_dir(client)
    cutoff = timezone.now() - datetime.timedelta(days=1)
    if default_storage.exists(folder):
        for old in default_storage.listdir(folder)[1]:
            if default_storage.get_modified_time(folder + old) < cutoff:
                default_storage.delete(folder + old)
    name = default_storage.save(f"{folder}{secrets.token_hex(12)}.xlsx", ContentFile(data))
    return signing.dumps({"name": name, "filename": filename[-255:]}, salt=_salt(client))


def load_pending(client, token: str) -> Pending | None:
    try:
        value = signing.loads(token, salt=_salt(client), max_age=datetime.timedelta(days=1))
    except signing.BadSignature:
        return None
    name = str(value.get("name", ""))
    if not name.startswith(_pending_dir(client)) or ".." in name:
        return None
    try:
        with default_storage.open(name, "rb") as handle:
            data = handle.read()
    except FileNotFoundError:
        return None
    return Pending(name, str(value.get("filename", "questionnaire.xlsx")), data)


def discard_pending(pending: Pending) -> None:
    default_storage.delete(pending.name)
