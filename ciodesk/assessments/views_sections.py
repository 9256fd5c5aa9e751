"""One section of an assessment: answering it (saved as you go), submitting, reviewing.

Each answer is its own small form. With htmx, a change posts that one answer and the reply is
the updated question row plus the section's progress (swapped out of band), so nothing else on
the page moves; without JavaScript the same form posts normally and the page reloads at the
question. See services.py for who may answer, submit and review.
"""

from __future__ import annotations

from pathlib import PurePath

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponseBadRequest, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse

from ciodesk.assessments import scoring, services
from ciodesk.assessments.forms import AnswerForm, AssignForm
from ciodesk.assessments.models import Answer, SectionAssignment, TemplateQuestion
from ciodesk.assessments.services_findings import answer_label
from ciodesk.tenancy.access import Level
from ciodesk.tenancy.permissions import client_view, get_for_client_or_404


def section_or_404(pk) -> SectionAssignment:
    section = (
        SectionAssignment.objects.select_related(
            "assessment", "assessment__template", "domain", "assignee", "reviewer"
        )
        .filter(pk=pk)
        .first()
    )
    if section is None:
        raise Http404("No such section here")
    return section


def section_url(client_slug: str, pk: int) -> str:
    return reverse("assessments:section-detail", kwargs={"client_slug": client_slug, "pk": pk})


def _row(question, answer, credit, form=None, saved: bool = False) -> dict:
    unknown = question.kind == "yes_no" and answer is not None and answer.value == scoring.UNKNOWN
    return {
        "question": question,
        "answer": answer,
        "label": answer_label(question, answer),
        "credit": credit,
        "bad": scoring.is_bad(credit),
        "unknown": unknown,
        "form": form,
        "saved": saved,
    }


def _context(request, section, sheet, bound: dict | None = None, saved: int | None = None) -> dict:
    """The section page's context; ``bound`` replaces one question's form (with errors)."""
    editable = services.can_answer(section, request.user, request.access)
    rows = []
    for number, question in enumerate(sheet.questions, start=1):
        answer = sheet.answers.get(question.pk)
        form = None
        if bound and question.pk in bound:
            form = bound[question.pk]
        elif editable:
            form = AnswerForm(initial=AnswerForm.initial_for(answer), question=question)
        credit = sheet.result.credits.get(question.pk)
        rows.append(_row(question, answer, credit, form, saved == question.pk) | {"number": number})
    tally = sheet.result.domains.get(section.domain.key) or scoring.Tally()
    return {
        "section": section,
        "assessment": section.assessment,
        "domain": section.domain,
        "rows": rows,
        "tally": tally,
        "rating": scoring.rating_for(tally.score),
        "editable": editable,
        "can_submit": services.can_submit(section, request.user, request.access),
        "can_review": services.can_review(section, request.access),
        "can_return": services.can_return(section, request.access),
        "can_assign": request.access >= Level.PRACTICE,
        "answer_url": reverse(
            "assessments:answer-save", kwargs={"client_slug": request.client.slug, "pk": section.pk}
        ),
    }


@client_view(Level.READ, SectionAssignment)
def section_detail(request, client_slug, pk):
    section = section_or_404(pk)
    sheet = services.load_sheet(section.assessment, domain=section.domain)
    return render(request, "assessments/section_detail.html", _context(request, section, sheet))


@client_view(Level.CONTRIBUTOR, SectionAssignment)
def answer_save(request, client_slug, pk):
    section = section_or_404(pk)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    if not services.can_answer(section, request.user, request.access):
        raise PermissionDenied("This section is not open to you for answering.")
    question = TemplateQuestion.objects.filter(
        pk=request.POST.get("question") or 0, domain=section.domain
    ).first()
    if question is None:
        return HttpResponseBadRequest("Which question? The form names none of this section's.")
    form = AnswerForm(request.POST, request.FILES, question=question)
    if form.is_valid():
        services.save_answer(
            section.assessment, question, user=request.user, **form.answer_fields()
        )
    if not request.htmx:
        if form.is_valid():
            messages.success(request, "Answer saved.")
            return redirect(f"{section_url(client_slug, section.pk)}#q-{question.pk}")
        sheet = services.load_sheet(section.assessment, domain=section.domain)
        context = _context(request, section, sheet, bound={question.pk: form})
        return render(request, "assessments/section_detail.html", context, status=400)
    sheet = services.load_sheet(section.assessment, domain=section.domain)
    bound = None if form.is_valid() else {question.pk: form}
    context = _context(request, section, sheet, bound=bound, saved=question.pk)
    context["row"] = next(r for r in context["rows"] if r["question"].pk == question.pk)
    context["oob"] = True
    return render(request, "assessments/answer_saved.html", context)


def _stage_step(request, client_slug, pk, step, done: str):
    section = section_or_404(pk)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    try:
        step(section)
    except services.FlowError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, done.format(section=section.domain.title))
    return redirect(section_url(client_slug, section.pk))


@client_view(Level.CONTRIBUTOR, SectionAssignment)
def section_submit(request, client_slug, pk):
    return _stage_step(
        request,
        client_slug,
        pk,
        lambda s: services.submit_section(s, request.user, request.access),
        "“{section}” submitted for review.",
    )


@client_view(Level.PRACTICE, SectionAssignment)
def section_review(request, client_slug, pk):
    return _stage_step(
        request,
        client_slug,
        pk,
        lambda s: services.review_section(
            s, request.user, request.access, on=request.client.today()
        ),
        "“{section}” reviewed: its findings and controls are up to date.",
    )


@client_view(Level.PRACTICE, SectionAssignment)
def section_return(request, client_slug, pk):
    return _stage_step(
        request,
        client_slug,
        pk,
        lambda s: services.return_section(s, request.access),
        "“{section}” returned for changes.",
    )


@client_view(Level.PRACTICE, SectionAssignment)
def section_assign(request, client_slug, pk):
    section = section_or_404(pk)
    form = AssignForm(request.POST or None, initial={"assignee": section.assignee})
    if request.method == "POST" and form.is_valid():
        services.assign_section(section, form.cleaned_data["assignee"])
        who = form.cleaned_data["assignee"] or "nobody in particular"
        messages.success(request, f"“{section.domain.title}” is assigned to {who}.")
        return redirect(
            reverse(
                "assessments:assessment-detail",
                kwargs={"client_slug": client_slug, "pk": section.assessment_id},
            )
        )
    return render(
        request,
        "core/form.html",
        {
            "form": form,
            "heading": f"Assign “{section.domain.title}”",
            "submit_label": "Assign",
            "cancel_url": section_url(client_slug, section.pk),
        },
        status=400 if form.errors else 200,
    )


@client_view(Level.READ, Answer)
def answer_evidence(request, client_slug, pk):
    """An answer's evidence file, for the client's members only, always as a download."""
    answer = get_for_client_or_404(Answer, pk=pk)
    if not answer.evidence_file:
        return render(request, "assessments/answer_no_file.html", {"answer": answer})
    try:
        handle = answer.evidence_file.open("rb")
    except FileNotFoundError as exc:
        raise Http404("The file is missing from storage") from exc
    stored = PurePath(answer.evidence_file.name).name
    name = stored.split("-", 1)[1] if "-" in stored else stored  # drop the random prefix
    response = FileResponse(handle, as_attachment=True, filename=name)
    try:
        from ciodesk.security.forms_controls import content_type_for
    except ImportError:
        response["Content-Type"] = "application/octet-stream"
    else:
        response["Content-Type"] = content_type_for(name)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response
