"""Findings (the list with its filters, editing), the comparison of two assessments, and the
answers export.

The findings list is where the practice decides what to do about each finding; turning one
into a roadmap item is the roadmap's page (its button shows here when that URL exists).
"""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse

from ciodesk.assessments import compare as comparing
from ciodesk.assessments import scoring, services
from ciodesk.assessments.forms import FindingForm
from ciodesk.assessments.models import Assessment, Disposition, Finding
from ciodesk.assessments.services_findings import answer_label
from ciodesk.assessments.views import assessment_or_404
from ciodesk.core.crud import Crud
from ciodesk.core.exports import Column, export_response
from ciodesk.tenancy.access import Level
from ciodesk.tenancy.permissions import client_view


def _cost(f: Finding) -> str:
    if f.cost_low is None and f.cost_high is None:
        return ""
    low = f"{f.cost_low:,.0f}" if f.cost_low is not None else "?"
    high = f"{f.cost_high:,.0f}" if f.cost_high is not None else "?"
    return f"{low}–{high} {f.currency}"


FINDING_COLUMNS = [
    Column("Finding", lambda f: f.title, link=True),
    Column("Severity", lambda f: f.severity),
    Column("Disposition", lambda f: f.get_disposition_display()),
    Column("Status", lambda f: f.get_status_display()),
    Column("Risk", lambda f: f.risk),
    Column("Recommendation", lambda f: f.recommendation),
    Column("Cost low", lambda f: f.cost_low),
    Column("Cost high", lambda f: f.cost_high),
    Column("Currency", lambda f: f.currency),
    Column("Domain", lambda f: f.question.domain.title if f.question else ""),
    Column("Assessment", lambda f: f.assessment.title),
    Column("Owner", lambda f: f.owner.name),
]

finding_crud = Crud(
    model=Finding,
    form_class=FindingForm,
    kind="finding",
    title="Findings",
    columns=FINDING_COLUMNS,
    namespace="assessments",
    write_level=Level.PRACTICE,
)

STATUS_FILTERS = [("", "Not resolved"), *Finding.Status.choices, ("all", "All")]


def _filtered(request):
    qs = Finding.objects.select_related("assessment", "owner", "question__domain")
    disposition = request.GET.get("disposition", "")
    status = request.GET.get("status", "")
    assessment = request.GET.get("assessment", "")
    if disposition in Disposition.values:
        qs = qs.filter(disposition=disposition)
    else:
        disposition = ""
    if status in Finding.Status.values:
        qs = qs.filter(status=status)
    elif status != "all":
        status = ""
        qs = qs.exclude(status=Finding.Status.RESOLVED)
    if assessment.isdigit():
        qs = qs.filter(assessment_id=int(assessment))
    elif assessment != "all":
        # By default the latest assessment's findings: an older assessment's are history
        # (the comparison page says which were resolved since).
        latest = Assessment.objects.order_by("-started_on", "-pk").values("pk")[:1]
        qs = qs.filter(assessment_id__in=latest)
        assessment = ""
    filters = {"disposition": disposition, "status": status, "assessment": assessment}
    return qs.order_by("-severity", "title", "pk"), filters


def roadmap_url(client_slug: str) -> str:
    """The roadmap's "from a finding" address with a placeholder pk, or "" when the roadmap
    has none (the roadmap app is built separately)."""
    try:
        return reverse(
            "roadmap:item-from-finding", kwargs={"client_slug": client_slug, "pk": 999999999}
        )
    except NoReverseMatch:
        return ""


@client_view(Level.READ)
def finding_list(request, client_slug):
    findings, filters = _filtered(request)
    findings = list(findings)
    query = "&".join(f"{k}={v}" for k, v in filters.items() if v)
    to_roadmap = roadmap_url(client_slug) if request.access >= Level.PRACTICE else ""
    context = {
        "findings": findings,
        "filters": filters,
        "dispositions": Disposition.choices,
        "statuses": STATUS_FILTERS,
        "assessments": list(Assessment.objects.only("title", "started_on")),
        "query": query,
        "can_write": request.access >= Level.PRACTICE,
        "rows": [
            (f, to_roadmap.replace("999999999", str(f.pk)) if to_roadmap else "") for f in findings
        ],
    }
    return render(request, "assessments/finding_list.html", context)


@client_view(Level.READ)
def finding_export(request, client_slug):
    findings, filters = _filtered(request)
    name = f"{client_slug}-findings" + "".join(f"-{v}" for v in filters.values() if v)
    return export_response(request.GET.get("format", "csv"), name, FINDING_COLUMNS, findings)


ANSWER_COLUMNS = [
    Column("Domain", lambda r: r["question"].domain.title),
    Column("Question key", lambda r: r["question"].key),
    Column("Question", lambda r: r["question"].text),
    Column("Kind", lambda r: r["question"].get_kind_display()),
    Column("Weight", lambda r: r["question"].weight),
    Column("Insurance critical", lambda r: r["question"].insurance_critical),
    Column("Controls", lambda r: " ".join(r["question"].control_keys or [])),
    Column("Answer", lambda r: r["label"]),
    Column("Credit", lambda r: r["credit"]),
    Column("Note", lambda r: r["answer"].note if r["answer"] else ""),
    Column("Evidence link", lambda r: r["answer"].evidence_url if r["answer"] else ""),
    Column(
        "Evidence file",
        lambda r: _file_name(r["answer"].evidence_file.name) if r["answer"] else "",
    ),
    Column("Answered by", lambda r: r["answer"].answered_by if r["answer"] else ""),
    Column("Answered at", lambda r: r["answer"].answered_at if r["answer"] else None),
]


def _file_name(name: str) -> str:
    """The uploaded file's own name, without the storage path and random prefix."""
    stored = name.rsplit("/", 1)[-1] if name else ""
    return stored.split("-", 1)[1] if "-" in stored else stored


@client_view(Level.READ, Assessment)
def answer_export(request, client_slug, pk):
    assessment = assessment_or_404(pk)
    sheet = services.load_sheet(assessment)
    rows = [
        {
            "question": q,
            "answer": sheet.answers.get(q.pk),
            "label": answer_label(q, sheet.answers.get(q.pk)),
            "credit": sheet.result.credits.get(q.pk),
        }
        for q in sheet.questions
    ]
    name = f"{client_slug}-assessment-{assessment.pk}-answers"
    return export_response(request.GET.get("format", "csv"), name, ANSWER_COLUMNS, rows)


def _pick(value: str) -> Assessment | None:
    if not value:
        return None
    if not value.isdigit():
        raise Http404("No such assessment here")
    return assessment_or_404(int(value))


@client_view(Level.READ)
def compare_view(request, client_slug):
    """?a=<pk>&b=<pk>: both must be this client's (another client's is a 404)."""
    first, second = _pick(request.GET.get("a", "")), _pick(request.GET.get("b", ""))
    assessments = list(Assessment.objects.select_related("template").order_by("started_on", "pk"))
    context = {"assessments": assessments, "a": first, "b": second, "comparison": None}
    if first is not None and second is not None and first.pk != second.pk:
        then, now = sorted([first, second], key=lambda a: (a.completed_on or a.started_on, a.pk))
        sheets = [services.load_sheet(then), services.load_sheet(now)]
        findings = {then.pk: [], now.pk: []}
        for f in Finding.objects.filter(assessment__in=[then, now]):
            findings[f.assessment_id].append(f)
        context["comparison"] = comparing.compare(
            sheets[0], sheets[1], findings[then.pk], findings[now.pk]
        )
        context["then"], context["now"] = then, now
        context["ratings"] = {
            "then": sheets[0].result.rating,
            "now": sheets[1].result.rating,
        }
        context["rating_change"] = _rating_change(sheets[0].result.rating, sheets[1].result.rating)
    return render(request, "assessments/compare.html", context)


def _rating_change(then: str, now: str) -> str:
    order = {r: i for i, r in enumerate(scoring.RATINGS)}
    if then not in order or now not in order or then == now:
        return "same"
    return "better" if order[now] < order[then] else "worse"
