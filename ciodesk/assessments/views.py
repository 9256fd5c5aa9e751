"""A client's assessments: the list, starting one, its overview and score, and completing it.

Sections and answers are in views_sections.py; findings, comparison and exports in
views_findings.py. Executives read everything; the practice starts, assigns, reviews and
completes; contributors answer (views_sections.py).
"""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse

from ciodesk.assessments import scoring, services
from ciodesk.assessments.forms import AssessmentEditForm, StartForm
from ciodesk.assessments.models import Assessment, Finding
from ciodesk.assessments.services_templates import BASELINE_SLUG, ensure_builtin_templates
from ciodesk.core.crud import Crud
from ciodesk.core.exports import Column, export_response
from ciodesk.tenancy.access import Level
from ciodesk.tenancy.models import Person
from ciodesk.tenancy.permissions import client_view, get_for_client_or_404

ASSESSMENT_COLUMNS = [
    Column("Assessment", lambda a: a.title, link=True),
    Column("Template", lambda a: a.template.name),
    Column("Version", lambda a: a.template.version),
    Column("Status", lambda a: a.get_status_display()),
    Column("Started", lambda a: a.started_on),
    Column("Completed", lambda a: a.completed_on),
    Column("Score", lambda a: a.score),
    Column("Rating", lambda a: a.rating),
    Column("Owner", lambda a: a.owner.name),
]

assessment_crud = Crud(
    model=Assessment,
    form_class=AssessmentEditForm,
    kind="assessment",
    title="Assessments",
    columns=ASSESSMENT_COLUMNS,
    namespace="assessments",
    queryset=lambda: Assessment.objects.select_related("template", "owner"),
)


def detail_url(client_slug: str, pk: int) -> str:
    return reverse("assessments:assessment-detail", kwargs={"client_slug": client_slug, "pk": pk})


def assessment_or_404(pk) -> Assessment:
    assessment = _assessments().filter(pk=pk).first()
    if assessment is None:
        raise Http404("No such assessment here")
    return assessment


def _assessments():
    return Assessment.objects.select_related("template", "owner")


@client_view(Level.READ)
def assessment_list(request, client_slug):
    assessments = list(_assessments())
    context = {
        "assessments": assessments,
        "can_start": request.access >= Level.PRACTICE,
        "complete": [a for a in assessments if a.status == Assessment.Status.COMPLETE],
    }
    return render(request, "assessments/assessment_list.html", context)


@client_view(Level.READ)
def assessment_export(request, client_slug):
    return export_response(
        request.GET.get("format", "csv"),
        f"{client_slug}-assessments",
        ASSESSMENT_COLUMNS,
        _assessments(),
    )


@client_view(Level.PRACTICE)
def assessment_create(request, client_slug):
    builtin = ensure_builtin_templates()  # the built-in template is always there to choose
    today = request.client.today()
    initial = {
        "template": next((t for t in builtin if t.slug == BASELINE_SLUG), None),
        "title": f"Baseline IT assessment {today.year}",
        "started_on": today,
        "owner": Person.objects.filter(client=request.client).order_by("name").first(),
    }
    form = StartForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        assessment = services.start_assessment(
            data["template"],
            title=data["title"],
            owner=data["owner"],
            started_on=data["started_on"],
        )
        messages.success(
            request,
            f"“{assessment.title}” started. Next: assign its sections to the people who "
            "will answer them.",
        )
        return redirect(detail_url(client_slug, assessment.pk))
    return render(
        request,
        "core/form.html",
        {
            "form": form,
            "heading": "Start an assessment",
            "submit_label": "Start",
            "cancel_url": reverse("assessments:assessment-list", args=[client_slug]),
        },
        status=400 if form.errors else 200,
    )


def _domain_rows(sheet: services.Sheet) -> list[dict]:
    rows = []
    for domain in sheet.domains:
        tally = sheet.result.domains.get(domain.key)
        section = sheet.section_for(domain.pk)
        answered, total = sheet.progress(domain)
        score = tally.score if tally else None
        rows.append(
            {
                "domain": domain,
                "section": section,
                "answered": answered,
                "total": total,
                "unanswered": total - answered,
                "unknown": tally.unknown if tally else 0,
                "score": score,
                "rating": scoring.rating_for(score),
                "tenths": round(score / 10) if score is not None else 0,
            }
        )
    return rows


@client_view(Level.READ, Assessment)
def assessment_detail(request, client_slug, pk):
    assessment = assessment_or_404(pk)
    sheet = services.load_sheet(assessment)
    result = sheet.result
    failed = [q for q in sheet.questions if q.pk in set(result.overall.failed_critical)]
    findings = list(Finding.objects.filter(assessment=assessment).values_list("status", flat=True))
    others = list(Assessment.objects.exclude(pk=assessment.pk).only("title", "started_on"))
    context = {
        "assessment": assessment,
        "template": assessment.template,
        "sheet": sheet,
        "rows": _domain_rows(sheet),
        "result": result,
        "failed_critical": failed,
        "formula": scoring.FORMULA,
        "open_findings": sum(1 for s in findings if s != Finding.Status.RESOLVED),
        "all_findings": len(findings),
        "others": others,
        "all_reviewed": all(s.stage == "reviewed" for s in sheet.sections),
        "can_practice": request.access >= Level.PRACTICE,
        "is_complete": assessment.status == Assessment.Status.COMPLETE,
    }
    return render(request, "assessments/assessment_detail.html", context)


@client_view(Level.PRACTICE, Assessment)
def assessment_complete(request, client_slug, pk):
    assessment = get_for_client_or_404(Assessment, pk=pk)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    try:
        sheet = services.complete(assessment, on=request.client.today(), user=request.user)
    except services.FlowError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request,
            f"“{assessment.title}” is complete: {sheet.result.score} ({sheet.result.rating} risk).",
        )
    return redirect(detail_url(client_slug, assessment.pk))


@client_view(Level.PRACTICE, Assessment)
def assessment_reopen(request, client_slug, pk):
    assessment = get_for_client_or_404(Assessment, pk=pk)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    try:
        services.reopen(assessment)
    except services.FlowError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request,
            "Reopened for review: return sections to change answers, then complete it again.",
        )
    return redirect(detail_url(client_slug, assessment.pk))
