"""The customer's workbook: refused when it is not XLSX, read with its headings skipped, and
sent back with only the answer cells changed (values, styles, merges, widths all kept)."""

import io

import pytest
from django.core.files.base import ContentFile
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.worksheet.datavalidation import DataValidation

from ciodesk.core.scope import acting_as, scope
from ciodesk.core.tabular import FileProblem
from ciodesk.security import questionnaire_workbook as workbook
from ciodesk.security.models import Questionnaire, QuestionnaireItem

QUESTIONS = {
    6: "Do you enforce multi-factor authentication for all e-mail accounts?",
    7: "Is MFA required for remote access (VPN, remote desktop)?",
    8: "Are user access rights reviewed at least twice a year?",
    10: "Are critical data backed up every day?",
    11: "Is at least one backup copy offline or immutable?",
    12: "Are laptops encrypted?",
    13: "Does your company carry cyber insurance?",
}
SHEET = "Security Questionnaire"


def customer_workbook() -> bytes:
    """A questionnaire as customers send them: a title block, instructions, a styled header
    row, section bands merged across the table, wrapped answer cells with a drop-down,
    a formula, frozen panes, set widths and heights, and a second and a hidden sheet."""
    book = Workbook()
    ws = book.active
    ws.title = SHEET
    ws["A1"] = "Acme Manufacturing — Supplier Security Assessment 2026"
    ws["A1"].font = Font(bold=True, size=16, color="FFFFFF")
    ws["A1"].fill = PatternFill("solid", fgColor="1F4E78")
    ws.merge_cells("A1:D1")
    ws["A2"] = "Answer every question in column C and return the file by 30 June."
    ws["A2"].font = Font(italic=True)
    ws.merge_cells("A2:D2")
    thin = Side(style="thin", color="999999")
    for col, header in zip("ABCD", ["Ref", "Question", "Answer", "Comments"], strict=True):
        cell = ws[f"{col}4"]
        cell.value = header
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="D9E1F2")
        cell.border = Border(top=thin, bottom=thin, left=thin, right=thin)
    sections = {5: "1. Access control", 9: "2. Data protection"}
    for row, title in sections.items():
        ws[f"A{row}"] = title
        ws[f"A{row}"].font = Font(bold=True)
        ws[f"A{row}"].fill = PatternFill("solid", fgColor="EDEDED")
        ws.merge_cells(f"A{row}:D{row}")
    answers = DataValidation(type="list", formula1='"Yes,No,Partly,N/A"', allow_blank=True)
    ws.add_data_validation(answers)
    for n, (row, question) in enumerate(QUESTIONS.items(), start=1):
        ws[f"A{row}"] = f"Q{n}"
        ws[f"B{row}"] = question
        ws[f"B{row}"].alignment = Alignment(wrap_text=True, vertical="top")
        ws[f"C{row}"].fill = PatternFill("solid", fgColor="FFF2CC")
        ws[f"C{row}"].alignment = Alignment(wrap_text=True, vertical="top")
        ws[f"C{row}"].border = Border(bottom=thin)
        answers.add(f"C{row}")
        ws.row_dimensions[row].height = 32
    ws["D13"] = "=LEN(B13)"
    ws["A15"] = "Answered questions:"
    ws["C15"] = '=COUNTA(C6:C13)&" answered"'
    ws.column_dimensions["A"].width = 8
    ws.column_dimensions["B"].width = 62
    ws.column_dimensions["C"].width = 48
    ws.column_dimensions["D"].width = 24
    ws.freeze_panes = "A5"
    notes = book.create_sheet("Instructions")
    notes["A1"] = "How to complete this assessment"
    notes["A1"].font = Font(bold=True, size=13)
    notes["A3"] = "Questions count"
    notes["B3"] = f"=COUNTA('{SHEET}'!B6:B13)"
    notes.column_dimensions["A"].width = 40
    notes.merge_cells("A5:C6")
    notes["A5"] = "Contact procurement@acme.example with questions."
    scoring = book.create_sheet("Scoring")
    scoring["A1"] = 3.5
    scoring["A1"].number_format = "0.00%"
    scoring.sheet_state = "hidden"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


MAPPING = workbook.Mapping(SHEET, "B", "C", 5)


# --- upload checks ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "name", "reason"),
    [
        (b"question,answer\nMFA?,yes\n", "questions.csv", "must be an Excel workbook (.xlsx)"),
        (b"<html><body>hi</body></html>", "questions.xlsx", "must be an Excel workbook (.xlsx)"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"0" * 100, "old.xls", "old .xls workbooks"),
        (b"PK\x03\x04not really a zip", "broken.xlsx", "not a readable XLSX"),
        (b"", "empty.xlsx", "empty"),
    ],
)
def test_a_file_that_is_not_an_xlsx_workbook_is_refused_with_a_reason(data, name, reason):
    with pytest.raises(FileProblem, match=reason.replace("(", r"\(").replace(")", r"\)")):
        workbook.check_workbook(data, name)


def test_a_workbook_with_macros_is_refused():
    with pytest.raises(FileProblem, match="macros"):
        workbook.check_workbook(customer_workbook(), "questions.xlsm")


def test_the_sheets_of_a_real_workbook_are_listed():
    sheets = workbook.check_workbook(customer_workbook(), "Acme assessment.xlsx")
    assert sheets == [SHEET, "Instructions", "Scoring"]


# --- reading ------------------------------------------------------------------------------------


def test_the_preview_shows_the_first_rows_and_guesses_the_columns():
    view = workbook.preview(customer_workbook(), SHEET)
    assert view.columns == ["A", "B", "C", "D"]
    assert view.rows[0] == (
        1,
        ["Acme Manufacturing — Supplier Security Assessment 2026", "", "", ""],
    )
    assert view.rows[3] == (4, ["Ref", "Question", "Answer", "Comments"])
    assert (view.guess.question_column, view.guess.answer_column, view.guess.first_row) == (
        "B",
        "C",
        5,
    )


def test_every_question_cell_is_read_and_the_merged_section_headings_are_skipped():
    questions = workbook.read_questions(customer_workbook(), MAPPING)
    assert questions == list(QUESTIONS.items())


def test_section_headings_in_the_question_column_are_skipped_too():
    """Questions in column A this time, where the section bands start."""
    book = load_workbook(io.BytesIO(customer_workbook()))
    ws = book[SHEET]
    for row, question in QUESTIONS.items():
        ws[f"A{row}"] = question
    ws["C15"] = None
    out = io.BytesIO()
    book.save(out)
    mapping = workbook.Mapping(SHEET, "A", "C", 5)
    rows = [row for row, _ in workbook.read_questions(out.getvalue(), mapping)]
    assert rows == [*QUESTIONS, 15]  # not 5 or 9, the merged bands; 15 is a plain cell


def test_an_answer_column_that_cannot_be_written_is_named_by_row_and_column():
    with pytest.raises(FileProblem, match="row 13, column D: the answer cell holds a formula"):
        workbook.read_questions(customer_workbook(), workbook.Mapping(SHEET, "B", "D", 5))


def test_a_column_without_questions_says_so():
    with pytest.raises(FileProblem, match="no questions in column D"):
        workbook.read_questions(customer_workbook(), workbook.Mapping(SHEET, "D", "C", 14))


# --- the round trip -----------------------------------------------------------------------------


def _style(cell) -> tuple:
    return (
        repr(cell.font),
        repr(cell.fill),
        repr(cell.border),
        repr(cell.alignment),
        cell.number_format,
        repr(cell.protection),
    )


def _snapshot(data: bytes) -> dict:
    """Everything a customer would see of the workbook, cell by cell."""
    book = load_workbook(io.BytesIO(data))
    sheets = {}
    for ws in book.worksheets:
        cells = {
            cell.coordinate: (cell.value, _style(cell))
            for row in ws.iter_rows(min_row=1, max_row=ws.max_row, max_col=ws.max_column)
            for cell in row
        }
        sheets[ws.title] = {
            "cells": cells,
            "merged": sorted(str(r) for r in ws.merged_cells.ranges),
            "widths": {k: d.width for k, d in ws.column_dimensions.items()},
            "heights": {k: d.height for k, d in ws.row_dimensions.items()},
            "freeze": ws.freeze_panes,
            "state": ws.sheet_state,
            "validations": [(v.formula1, str(v.sqref)) for v in ws.data_validations.dataValidation],
        }
    return {"order": book.sheetnames, "sheets": sheets}


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def test_the_export_changes_only_the_answer_cells(world, media):
    original = customer_workbook()
    person = world.records["a"]["people"]
    answers = {
        6: "Yes. Every user signs in with a second factor.",
        10: "=Yes, nightly to an immutable store",  # text, never a formula
        12: "Yes — BitLocker on every laptop.\nVerified 2026-11-01.",
    }
    with scope(world.a), acting_as("test"):
        questionnaire = Questionnaire(
            title="Acme",
            owner=person,
            filename="acme.xlsx",
            sha256=workbook.sha256(original),
            sheet=SHEET,
            question_column="B",
            answer_column="C",
            first_row=5,
        )
        questionnaire.original.save("acme.xlsx", ContentFile(original), save=False)
        questionnaire.save()
        items = [
            QuestionnaireItem(
                questionnaire=questionnaire,
                row=row,
                question=question,
                answer=answers.get(row, "not approved: must not be written"),
                status="approved" if row in answers else "suggested",
            )
            for row, question in QUESTIONS.items()
        ]
        exported = workbook.filled_workbook(questionnaire, items)

    before, after = _snapshot(original), _snapshot(exported)
    assert after["order"] == before["order"] == [SHEET, "Instructions", "Scoring"]
    for title, sheet in before["sheets"].items():
        for key in ("merged", "widths", "heights", "freeze", "state", "validations"):
            assert after["sheets"][title][key] == sheet[key], (title, key)
        for coordinate, (value, style) in sheet["cells"].items():
            new_value, new_style = after["sheets"][title]["cells"][coordinate]
            assert new_style == style, (title, coordinate)
            row = int(coordinate[1:]) if title == SHEET and coordinate[0] == "C" else None
            if row in answers:
                assert new_value == answers[row], coordinate
            else:
                assert new_value == value, (title, coordinate)
        assert set(after["sheets"][title]["cells"]) == set(sheet["cells"]), title
    assert before["sheets"][SHEET]["merged"] == ["A1:D1", "A2:D2", "A5:D5", "A9:D9"]
    assert before["sheets"][SHEET]["cells"]["D13"][0] == "=LEN(B13)"
    # the answer that starts with "=" is stored as text, not as a formula
    cell = load_workbook(io.BytesIO(exported))[SHEET]["C10"]
    assert cell.data_type == "s"
