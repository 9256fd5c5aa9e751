"""Customer questionnaires: import (upload, then pick the columns), review, export; the library.

The review is the CIO's: every answer is approved one by one (or, for suggestions that rest
on a control in place or on the library, all at once). Executives read everything and can
download both the customer's original and the answered copy.
"""

from __future__ import annotations

from pathlib import PurePath

from django.contrib import messages
from django.core.files.storage import default_storage
from django.db.models import Count, Q
from django.http import FileResponse, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header

from ciodesk.core.crud import Crud
from ciodesk.core.exports import Column, export_response
from ciodesk.core.tabular import FileProblem
from ciodesk.security import questionnaire_workbook as workbook
from ciodesk.security import services_questionnaires as services
from ciodesk.security.forms_questionnaires import (
    AnswerForm,
    AnswerLibraryForm,
    MappingForm,
    QuestionnaireForm,
    UploadForm,
)
from ciodesk.security.models import AnswerLibraryEntry, Questionnaire, QuestionnaireItem
from ciodesk.security.services_controls import NoOwnerError, default_owner
from ciodesk.tenancy.access import Level
from ciodesk.tenancy.permissions import client_view, get_for_client_or_404


def _detail_url(client, pk: int) -> str:
    return reverse("security:questionnaire-detail", kwargs={"client_slug": client.slug, "pk": pk})


def upload(request):
    """Step 1: the customer's workbook, checked, kept aside until its columns are picked."""
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        existing = Questionnaire.objects.filter(sha256=workbook.sha256(form.data_bytes)).first()
        if existing is not None:
            messages.info(request, f"This workbook was already imported as “{existing}”.")
            return redirect(_detail_url(request.client, existing.pk))
        token = workbook.store_pending(request.client, form.data_bytes, upload.name)
        url = reverse("security:questionnaire-map", kwargs={"client_slug": request.client.slug})
        return redirect(f"{url}?token={token}")
    return render(request, "security/questionnaire_import.html", {"form": form})


class QuestionnaireCrud(Crud):
    """Crud's list, export, edit, history; "create" is the upload; delete removes the file."""

    def create_view(self, request, client_slug):
        return upload(request)

    def delete_view(self, request, client_slug, pk):
        name = self._get(pk).original.name
        response = super().delete_view(request, client_slug, pk)
        if request.method == "POST" and name and not Questionnaire.objects.filter(pk=pk).exists():
            default_storage.delete(name)
        return response


QUESTIONNAIRES = QuestionnaireCrud(
    model=Questionnaire,
    form_class=QuestionnaireForm,
    kind="questionnaire",
    title="Customer questionnaires",
    intro="Security questionnaires from the client's customers: imported as sent, answered "
    "from the answer library and the controls, approved one by one, sent back in the same "
    "workbook.",
    columns=[
        Column("Questionnaire", lambda q: q.title),
        Column("Customer", lambda q: q.requested_by),
        Column("Due on", lambda q: q.due_on),
        Column("Owner", lambda q: q.owner.name),
        Column("Status", lambda q: q.get_status_display()),
        Column("Questions", lambda q: q.total),
        Column("Approved", lambda q: q.approved),
        Column("File", lambda q: q.filename),
        Column("Imported", lambda q: q.created_at),
    ],
    search_fields=["title", "requested_by", "filename"],
    list_template="security/questionnaire_list.html",
    queryset=lambda: Questionnaire.objects.select_related("owner").annotate(
        total=Count("items"), approved=Count("items", filter=Q(items__status="approved"))
    ),
    empty_text="No questionnaires yet.",
    namespace="security",
)

ANSWERS = Crud(
    model=AnswerLibraryEntry,
    form_class=AnswerLibraryForm,
    kind="answer",
    title="Answer library",
    intro="Answers approved before, reused as suggestions for new questionnaires. Approving an "
    "answer adds it here or updates the entry for the same question.",
    columns=[
        Column("Question", lambda e: e.question),
        Column("Answer", lambda e: e.answer),
        Column("Control", lambda e: e.control.definition.title if e.control else ""),
        Column("Approved on", lambda e: e.approved_on),
        Column("Approved by", lambda e: str(e.approved_by) if e.approved_by else ""),
        Column("Source", lambda e: e.source),
    ],
    search_fields=["question", "answer", "source"],
    queryset=lambda: AnswerLibraryEntry.objects.select_related(
        "control__definition", "approved_by"
    ),
    empty_text="The library is empty: approving questionnaire answers fills it.",
    namespace="security",
)


@client_view(Level.PRACTICE)
def questionnaire_map(request, client_slug):
    """Step 2: pick the sheet, the question and answer columns and the first question row on
    a preview of the sheet's first rows; then the items are created with their suggestions."""
    token = request.POST.get("token") or request.GET.get("token", "")
    pending = workbook.load_pending(request.client, token)
    if pending is None:
        messages.error(request, "That upload has expired or is unknown: upload the workbook again.")
        return redirect("security:questionnaire-create", client_slug=client_slug)
    existing = Questionnaire.objects.filter(sha256=workbook.sha256(pending.data)).first()
    if existing is not None:  # imported meanwhile (a second tab, a double submit)
        workbook.discard_pending(pending)
        return redirect(_detail_url(request.client, existing.pk))
    sheets = workbook.check_workbook(pending.data, pending.filename)
    form = MappingForm(request.POST or None, sheets=sheets)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            questionnaire = services.create_questionnaire(
                data=pending.data,
                filename=pending.filename,
                mapping=form.mapping(),
                title=data["title"],
                requested_by=data["requested_by"],
                due_on=data["due_on"],
                owner=data["owner"],
                today=request.client.today(),
            )
        except FileProblem as exc:
            form.add_error(None, str(exc))
        else:
            workbook.discard_pending(pending)
            count = questionnaire.items.count()
            messages.success(request, f"“{questionnaire}”: {count} questions imported.")
            return redirect(_detail_url(request.client, questionnaire.pk))
    chosen = (form.data.get("sheet") if form.is_bound else request.GET.get("sheet")) or sheets[0]
    view = workbook.preview(pending.data, chosen if chosen in sheets else sheets[0])
    if not form.is_bound:
        form = MappingForm(
            initial={
                "title": PurePath(pending.filename).stem[:200],
                "owner": _default_owner(request.client),
                "sheet": view.sheet,
                "question_column": view.guess.question_column,
                "answer_column": view.guess.answer_column,
                "first_row": view.guess.first_row,
            },
            sheets=sheets,
        )
    try:
        first = int(form["first_row"].value() or 0)
    except (TypeError, ValueError):
        first = 0
    context = {
        "form": form,
        "preview": view,
        "rows": [(n, list(zip(view.columns, values, strict=False))) for n, values in view.rows],
        "marks": {
            "question": form["question_column"].value(),
            "answer": form["answer_column"].value(),
            "first": first,
        },
        "token": token,
        "sheets": sheets,
        "filename": pending.filename,
        "drawings": workbook.has_drawings(pending.data),
    }
    return render(request, "security/questionnaire_map.html", context)


def _default_owner(client):
    try:
        return default_owner(client)
    except NoOwnerError:
        return None


SHOW = {
    "all": ("All", None),
    "review": ("To review", lambda i: i.status != QuestionnaireItem.Status.APPROVED),
    "caution": (
        "Needs care",
        lambda i: i.caution and i.status != QuestionnaireItem.Status.APPROVED,
    ),
    "approved": ("Approved", lambda i: i.status == QuestionnaireItem.Status.APPROVED),
}


def _counts(items: list[QuestionnaireItem]) -> dict:
    approved = sum(1 for i in items if i.status == QuestionnaireItem.Status.APPROVED)
    return {
        "total": len(items),
        "approved": approved,
        "to_review": len(items) - approved,
        "caution": sum(1 for i in items if i.caution and i.status != "approved"),
        "firm": len(services.firm_items(items)),
    }


@client_view(Level.READ, Questionnaire)
def questionnaire_detail(request, client_slug, pk):
    questionnaire = get_for_client_or_404(Questionnaire, pk=pk)
    items = list(questionnaire.items.select_related("approved_by"))
    show = request.GET.get("show", "all")
    label, keep = SHOW.get(show, SHOW["all"])
    context = {
        "questionnaire": questionnaire,
        "owner": questionnaire.owner,
        "items": [i for i in items if keep is None or keep(i)],
        "counts": _counts(items),
        "show": show if show in SHOW else "all",
        "shows": [(k, v[0]) for k, v in SHOW.items()],
        "can_write": request.access >= Level.PRACTICE,
    }
    return render(request, "security/questionnaire_detail.html", context)


@client_view(Level.PRACTICE, QuestionnaireItem)
def questionnaire_item_approve(request, client_slug, pk):
    item = get_for_client_or_404(QuestionnaireItem, pk=pk)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    questionnaire = item.questionnaire
    form = AnswerForm(request.POST, prefix=f"item-{item.pk}")
    if form.is_valid():
        services.approve(item, form.cleaned_data["answer"], request.user, request.client.today())
    if not request.htmx:
        if form.is_valid():
            messages.success(request, f"Row {item.row}: answer approved.")
        else:
            messages.error(request, f"Row {item.row}: write the answer before approving it.")
        return redirect(f"{_detail_url(request.client, questionnaire.pk)}#item-{item.pk}")
    items = list(questionnaire.items.select_related("approved_by"))
    item = next(i for i in items if i.pk == item.pk)
    context = {
        "questionnaire": questionnaire,
        "item": item,
        "error": form.errors.get("answer"),
        "counts": _counts(items),
        "can_write": True,
        "oob": True,
    }
    return render(request, "security/questionnaire_row.html", context)


@client_view(Level.PRACTICE, Questionnaire)
def questionnaire_approve_all(request, client_slug, pk):
    questionnaire = get_for_client_or_404(Questionnaire, pk=pk)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    approved, skipped = services.approve_all_suggested(
        questionnaire, request.user, request.client.today()
    )
    text = f"{approved} suggested answer{'s' if approved != 1 else ''} approved."
    if skipped:
        text += f" {skipped} changed since they were suggested and wait for review one by one."
    messages.success(request, text)
    return redirect(_detail_url(request.client, questionnaire.pk))


@client_view(Level.PRACTICE, Questionnaire)
def questionnaire_refresh(request, client_slug, pk):
    questionnaire = get_for_client_or_404(Questionnaire, pk=pk)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    changed = services.refresh_suggestions(questionnaire, request.client.today())
    messages.success(
        request, f"Suggestions refreshed from the library and controls: {changed} changed."
    )
    return redirect(_detail_url(request.client, questionnaire.pk))


def _missing(request, questionnaire):
    return render(request, "security/questionnaire_missing.html", {"questionnaire": questionnaire})


@client_view(Level.READ, Questionnaire)
def questionnaire_original(request, client_slug, pk):
    """The customer's workbook as uploaded: only through this membership-checked view."""
    questionnaire = get_for_client_or_404(Questionnaire, pk=pk)
    try:
        handle = questionnaire.original.open("rb")
    except (FileNotFoundError, ValueError):
        return _missing(request, questionnaire)
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=questionnaire.filename,
        content_type=workbook.XLSX_TYPE,
    )
    response["Cache-Control"] = "private, no-store"
    return response


@client_view(Level.READ, Questionnaire)
def questionnaire_download(request, client_slug, pk):
    """The customer's workbook with the approved answers filled in, layout untouched."""
    questionnaire = get_for_client_or_404(Questionnaire, pk=pk)
    items = list(questionnaire.items.all())
    try:
        data = workbook.filled_workbook(questionnaire, items)
    except (FileNotFoundError, ValueError):
        return _missing(request, questionnaire)
    stem = PurePath(questionnaire.filename).stem
    response = HttpResponse(data, content_type=workbook.XLSX_TYPE)
    response["Content-Disposition"] = content_disposition_header(True, f"{stem} (answered).xlsx")
    response["Cache-Control"] = "private, no-store"
    return response


ITEM_COLUMNS = [
    Column("Row", lambda i: i.row),
    Column("Question", lambda i: i.question),
    Column("Status", lambda i: i.get_status_display()),
    Column("Answer", lambda i: i.answer),
    Column("Suggested answer", lambda i: i.suggested_answer),
    Column("Suggestion source", lambda i: i.suggestion_source),
    Column("Needs care", lambda i: "yes" if i.caution else ""),
    Column("Approved by", lambda i: str(i.approved_by) if i.approved_by else ""),
    Column("Approved at", lambda i: i.approved_at),
]


@client_view(Level.READ, Questionnaire)
def questionnaire_items_export(request, client_slug, pk):
    questionnaire = get_for_client_or_404(Questionnaire, pk=pk)
    items = questionnaire.items.select_related("approved_by")
    filename = f"{request.client.slug}-questionnaire-{questionnaire.pk}"
    return export_response(request.GET.get("format", "csv"), filename, ITEM_COLUMNS, items)
