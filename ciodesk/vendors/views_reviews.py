"""Pages for quarterly reviews, the escalation log and vendor evaluations (thin: see
``services_reviews``)."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from ciodesk.core.crud import Crud
from ciodesk.core.exports import Column, export_response
from ciodesk.tenancy.access import Level
from ciodesk.tenancy.permissions import client_view, get_for_client_or_404
from ciodesk.vendors import services_reviews as services
from ciodesk.vendors.forms_reviews import (
    CandidateForm,
    CriterionForm,
    EscalationForm,
    EvaluationForm,
    ReviewCreateForm,
    ReviewForm,
    ScoreMatrixForm,
    TransitionTaskForm,
)
from ciodesk.vendors.models import (
    Candidate,
    Escalation,
    Evaluation,
    EvaluationCriterion,
    TransitionTask,
    Vendor,
    VendorReview,
)


@dataclass
class DetailCrud(Crud):
    """A Crud whose saves land on the record's own page rather than on the list."""

    detail: str = ""

    def _save(self, request, form, verb: str):
        with transaction.atomic():
            obj = form.save(commit=False)
            obj.client = request.client
            obj.save()
            form.save_m2m()
        messages.success(request, f"{self.model._meta.verbose_name.capitalize()} “{obj}” {verb}.")
        return redirect(_url(request, self.detail, obj.pk))


def _url(request, name: str, pk: int | None = None) -> str:
    kwargs = {"client_slug": request.client.slug} | ({"pk": pk} if pk is not None else {})
    return reverse(f"vendors:{name}", kwargs=kwargs)


def _pct(value) -> str:
    return "—" if value is None else f"{value}%"


REVIEWS = DetailCrud(
    model=VendorReview,
    form_class=ReviewForm,
    kind="review",
    title="Quarterly vendor reviews",
    namespace="vendors",
    detail="review-detail",
    columns=[
        Column("Vendor", lambda r: r.vendor.name),
        Column("Quarter", lambda r: r.quarter, link=True),
        Column("From", lambda r: r.since),
        Column("To", lambda r: r.until),
        Column("Responsiveness", lambda r: r.responsiveness),
        Column("Communication", lambda r: r.communication),
        Column("Proactivity", lambda r: r.proactivity),
        Column("Value", lambda r: r.value),
        Column("Average rating", lambda r: r.average),
        Column("Response SLA %", lambda r: services.attainment(r.scorecard, "response")),
        Column("Resolution SLA %", lambda r: services.attainment(r.scorecard, "resolution")),
        Column("Tickets", lambda r: services.ticket_count(r.scorecard)),
        Column("Reviewed by", lambda r: r.owner.name),
        Column("Reviewed on", lambda r: r.reviewed_on),
        Column("Comments", lambda r: r.comments),
    ],
    search_fields=["vendor__name", "quarter", "comments"],
    queryset=lambda: VendorReview.objects.select_related("vendor", "owner").order_by(
        "vendor__name", "since"
    ),
)

ESCALATIONS = Crud(
    model=Escalation,
    form_class=EscalationForm,
    kind="escalation",
    title="Escalation log",
    namespace="vendors",
    columns=[
        Column("Issue", lambda e: e.issue, link=True),
        Column("Vendor", lambda e: e.vendor.name),
        Column("Severity", lambda e: e.get_severity_display()),
        Column("Raised on", lambda e: e.raised_on),
        Column("Vendor contact", lambda e: e.vendor_contact),
        Column("Due", lambda e: e.due),
        Column("State", lambda e: getattr(e, "state", "")),
        Column("Linked tickets", lambda e: e.ticket_numbers),
        Column("Owner", lambda e: e.owner.name),
        Column("Resolution", lambda e: e.resolution),
        Column("Resolved on", lambda e: e.resolved_on),
    ],
    search_fields=["issue", "vendor__name", "vendor_contact", "ticket_numbers", "resolution"],
    queryset=lambda: Escalation.objects.select_related("vendor", "owner"),
    empty_text="No escalations logged. When the MSP misses something that matters, log it here.",
)

EVALUATIONS = DetailCrud(
    model=Evaluation,
    form_class=EvaluationForm,
    kind="evaluation",
    title="Vendor evaluations",
    namespace="vendors",
    detail="evaluation-detail",
    columns=[
        Column("Evaluation", lambda e: e.title, link=True),
        Column("Incumbent", lambda e: e.incumbent.name if e.incumbent else ""),
        Column("Status", lambda e: e.get_status_display()),
        Column("Owner", lambda e: e.owner.name),
        Column("Candidates", lambda e: e.n_candidates),
        Column("Leading candidate", lambda e: _leader(e)),
        Column("Open transition tasks", lambda e: e.n_open_tasks),
    ],
    search_fields=["title", "notes", "incumbent__name"],
    queryset=lambda: Evaluation.objects.select_related("incumbent", "owner").annotate(
        n_candidates=Count("candidates", distinct=True),
        n_open_tasks=Count(
            "transition_tasks", filter=Q(transition_tasks__done=False), distinct=True
        ),
    ),
)


def _leader(evaluation: Evaluation) -> str:
    ranking = evaluation.matrix.ranking  # set by _with_matrices
    if not ranking:
        return ""
    best = ranking[0]
    return f"{best.candidate.name} ({best.weighted} of 5, {best.percent}%)"


# --- reviews -------------------------------------------------------------------------------


@client_view(Level.READ)
def review_list(request, client_slug):
    q = request.GET.get("q", "").strip()
    reviews = list(REVIEWS.search(REVIEWS.objects(), q))
    context = {
        "crud": REVIEWS,
        "q": q,
        "reviews": sorted(reviews, key=lambda r: (r.since, r.vendor.name), reverse=True),
        "trends": services.review_trends(reviews),
        "vendors": list(Vendor.objects.order_by("category", "name")) if not q else [],
        "can_write": request.access >= Level.PRACTICE,
        "export_url": _url(request, "review-export"),
    }
    return render(request, "vendors/review_list.html", context)


@client_view(Level.PRACTICE, Vendor)
def review_create(request, client_slug, pk):
    vendor = get_for_client_or_404(Vendor, pk=pk)
    form = ReviewCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            review, note = services.create_review(
                request.client,
                vendor,
                quarter=data["quarter"],
                owner=data["owner"],
                reviewed_on=data["reviewed_on"],
                comments=data["comments"],
                **{name: data[name] for name in services.RATINGS},
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, f"Review of {vendor} for {review.quarter} saved.")
            if note:
                messages.warning(request, f"Saved without a scorecard — {note}.")
            return redirect(_url(request, "review-detail", review.pk))
    return render(
        request,
        "vendors/review_form.html",
        {"form": form, "vendor": vendor, "cancel_url": _url(request, "review-list")},
    )


def _add_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


@client_view(Level.READ, VendorReview)
def review_detail(request, client_slug, pk):
    review = get_for_client_or_404(VendorReview, pk=pk)
    card = review.scorecard or {}
    context = {
        "review": review,
        "card": card,
        "tickets": services.ticket_count(card),
        "response_pct": _pct(services.attainment(card, "response")),
        "resolution_pct": _pct(services.attainment(card, "resolution")),
        "disagreements": card.get("vendor_flag_disagreements"),
        "priorities": services.priority_rows(card),
        "open_at_end": card.get("open_at_end") or {},
        "ratings": [(name.capitalize(), getattr(review, name)) for name in services.RATINGS],
        "can_write": request.access >= Level.PRACTICE,
    }
    return render(request, "vendors/review_detail.html", context)


# --- escalations ---------------------------------------------------------------------------


def _escalations(request):
    q = request.GET.get("q", "").strip()
    today = request.client.today()
    rows = services.ordered_escalations(ESCALATIONS.search(ESCALATIONS.objects(), q), today)
    for escalation in rows:
        escalation.state = services.escalation_state(escalation, today)
        if escalation.state == "overdue":
            escalation.days_overdue = (today - escalation.due).days
    return q, rows


@client_view(Level.READ)
def escalation_list(request, client_slug):
    q, rows = _escalations(request)
    for escalation in rows:
        escalation.links = services.ticket_links(request.client, escalation)
    context = {
        "crud": ESCALATIONS,
        "q": q,
        "rows": rows,
        "open_count": sum(1 for e in rows if e.state != "resolved"),
        "overdue_count": sum(1 for e in rows if e.state == "overdue"),
        "can_write": request.access >= ESCALATIONS.write_level,
        "create_url": _url(request, "escalation-create"),
        "export_url": _url(request, "escalation-export"),
    }
    template = "vendors/escalation_list.html" + ("#rows" if request.htmx else "")
    return render(request, template, context)


@client_view(Level.READ)
def escalation_export(request, client_slug):
    _q, rows = _escalations(request)
    filename = f"{request.client.slug}-escalations"
    return export_response(request.GET.get("format", "csv"), filename, ESCALATIONS.columns, rows)


# --- evaluations ---------------------------------------------------------------------------


@client_view(Level.READ)
def evaluation_list(request, client_slug):
    q = request.GET.get("q", "").strip()
    evaluations = _with_matrices(EVALUATIONS.search(EVALUATIONS.objects(), q))
    rows = [(e, e.matrix) for e in evaluations]
    context = {
        "crud": EVALUATIONS,
        "q": q,
        "rows": rows,
        "can_write": request.access >= EVALUATIONS.write_level,
        "create_url": _url(request, "evaluation-create"),
        "export_url": _url(request, "evaluation-export"),
    }
    return render(request, "vendors/evaluation_list.html", context)


def _with_matrices(evaluations) -> list[Evaluation]:
    evaluations = list(evaluations)
    matrices = services.evaluation_matrices(evaluations)
    for evaluation in evaluations:
        evaluation.matrix = matrices[evaluation.pk]
    return evaluations


@client_view(Level.READ)
def evaluation_export(request, client_slug):
    q = request.GET.get("q", "").strip()
    evaluations = _with_matrices(EVALUATIONS.search(EVALUATIONS.objects(), q))
    return export_response(
        request.GET.get("format", "csv"),
        f"{request.client.slug}-evaluations",
        EVALUATIONS.columns,
        evaluations,
    )


@client_view(Level.READ, Evaluation)
def evaluation_detail(request, client_slug, pk):
    evaluation = get_for_client_or_404(Evaluation, pk=pk)
    context = {
        "evaluation": evaluation,
        "matrix": services.evaluation_matrix(evaluation),
        "tasks": list(evaluation.transition_tasks.select_related("owner")),
        "today": request.client.today(),
        "can_write": request.access >= Level.PRACTICE,
    }
    return render(request, "vendors/evaluation_detail.html", context)


@client_view(Level.READ, Evaluation)
def evaluation_matrix_export(request, client_slug, pk):
    evaluation = get_for_client_or_404(Evaluation, pk=pk)
    headers, rows = services.matrix_table(services.evaluation_matrix(evaluation))
    columns = [Column(h, lambda row, i=i: row[i]) for i, h in enumerate(headers)]
    filename = f"{request.client.slug}-evaluation-{evaluation.pk}"
    return export_response(request.GET.get("format", "csv"), filename, columns, rows)


TASK_COLUMNS = [
    Column("Task", lambda t: t.title),
    Column("Owner", lambda t: t.owner.name),
    Column("Due", lambda t: t.due),
    Column("Done", lambda t: "yes" if t.done else "no"),
]


@client_view(Level.READ, Evaluation)
def evaluation_tasks_export(request, client_slug, pk):
    evaluation = get_for_client_or_404(Evaluation, pk=pk)
    tasks = evaluation.transition_tasks.select_related("owner")
    filename = f"{request.client.slug}-evaluation-{evaluation.pk}-transition"
    return export_response(request.GET.get("format", "csv"), filename, TASK_COLUMNS, tasks)


@client_view(Level.PRACTICE, Evaluation)
def evaluation_scores(request, client_slug, pk):
    evaluation = get_for_client_or_404(Evaluation, pk=pk)
    matrix = services.evaluation_matrix(evaluation)
    form = ScoreMatrixForm(matrix, request.POST or None)
    if request.method == "POST" and form.is_valid():
        changed = services.save_scores(evaluation, form.values())
        messages.success(request, f"Scores saved ({changed} changed).")
        return redirect(_url(request, "evaluation-detail", evaluation.pk))
    return render(
        request,
        "vendors/evaluation_scores.html",
        {
            "evaluation": evaluation,
            "form": form,
            "matrix": matrix,
            "cancel_url": _url(request, "evaluation-detail", evaluation.pk),
        },
    )


def _child_form(request, evaluation: Evaluation, form_class, instance, heading: str):
    form = form_class(request.POST or None, instance=instance)
    back = _url(request, "evaluation-detail", evaluation.pk)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            obj = form.save(commit=False)
            obj.client = request.client
            obj.evaluation = evaluation
            obj.save()
        messages.success(request, f"“{obj}” saved.")
        return redirect(back)
    return render(request, "core/form.html", {"form": form, "heading": heading, "cancel_url": back})


def _child_delete(request, obj):
    back = _url(request, "evaluation-detail", obj.evaluation_id)
    if request.method == "POST":
        with transaction.atomic():
            obj.delete()
        messages.success(request, f"“{obj}” deleted.")
        return redirect(back)
    return render(request, "core/confirm_delete.html", {"object": obj, "cancel_url": back})


def _new(form_class, noun: str):
    @client_view(Level.PRACTICE, Evaluation)
    def view(request, client_slug, pk):
        evaluation = get_for_client_or_404(Evaluation, pk=pk)
        return _child_form(request, evaluation, form_class, None, f"Add a {noun} to {evaluation}")

    view.__name__ = f"{noun.replace(' ', '_')}_create"
    return view


def _edit(model, form_class):
    @client_view(Level.PRACTICE, model)
    def view(request, client_slug, pk):
        obj = get_for_client_or_404(model, pk=pk)
        return _child_form(request, obj.evaluation, form_class, obj, f"Edit {obj}")

    view.__name__ = f"{model.__name__.lower()}_edit"
    return view


def _delete(model):
    @client_view(Level.PRACTICE, model)
    def view(request, client_slug, pk):
        return _child_delete(request, get_for_client_or_404(model, pk=pk))

    view.__name__ = f"{model.__name__.lower()}_delete"
    return view


criterion_create = _new(CriterionForm, "criterion")
criterion_edit = _edit(EvaluationCriterion, CriterionForm)
criterion_delete = _delete(EvaluationCriterion)
candidate_create = _new(CandidateForm, "candidate")
candidate_edit = _edit(Candidate, CandidateForm)
candidate_delete = _delete(Candidate)
task_create = _new(TransitionTaskForm, "transition task")
task_edit = _edit(TransitionTask, TransitionTaskForm)
task_delete = _delete(TransitionTask)


@client_view(Level.PRACTICE, TransitionTask)
@require_POST
def task_toggle(request, client_slug, pk):
    task = services.toggle_task(get_for_client_or_404(TransitionTask, pk=pk))
    if request.htmx:
        return render(
            request,
            "vendors/evaluation_detail.html#task",
            {"task": task, "today": request.client.today(), "can_write": True},
        )
    messages.success(request, f"“{task}” marked {'done' if task.done else 'not done'}.")
    return redirect(_url(request, "evaluation-detail", task.evaluation_id))
