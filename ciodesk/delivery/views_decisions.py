"""Decision requests, the executive's decision, and the decision log."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import redirect, render

from ciodesk.core.crud import Crud
from ciodesk.core.exports import Column, export_response
from ciodesk.delivery import services_decisions as decisions
from ciodesk.delivery.forms_decisions import DecideForm, DecisionForm, WithdrawForm, option_formset
from ciodesk.delivery.models import Decision
from ciodesk.tenancy.access import Level
from ciodesk.tenancy.permissions import client_view, get_for_client_or_404

COLUMNS = [
    Column("What", lambda d: d.question),
    Column("Status", lambda d: d.get_status_display()),
    Column("Decided by", lambda d: d.decided_by or ""),
    Column("When", lambda d: d.decided_at),
    Column("Why", lambda d: d.decision_comment),
    Column("Chosen option", lambda d: d.chosen_option or ""),
    Column("Asked of", lambda d: d.decider),
    Column("Recommendation", lambda d: d.recommendation),
    Column("Why recommended", lambda d: d.recommendation_why),
    Column("Deadline", lambda d: d.deadline),
    Column("Owner", lambda d: d.owner.name),
    Column("Requested", lambda d: d.requested_at),
    Column("Links", decisions.links_text),
]

# History (from the audit records) and nothing else: the other views are written below.
DECISIONS = Crud(
    model=Decision,
    form_class=DecisionForm,
    kind="decision",
    title="Decisions",
    columns=COLUMNS,
    namespace="delivery",
)


def _url(request, name: str, pk: int | None = None):
    kwargs = {"client_slug": request.client.slug}
    if pk is not None:
        kwargs["pk"] = pk
    return redirect(f"delivery:{name}", **kwargs)


@client_view(Level.READ)
def decision_list(request, client_slug):
    q = request.GET.get("q", "").strip()
    waiting = list(decisions.for_list(decisions.search(decisions.pending(request.user), q)))
    context = {
        "waiting": waiting,
        "logged": list(decisions.log(q)),
        "q": q,
        "today": request.client.today(),
        "can_write": request.access >= Level.PRACTICE,
        "can_decide": decisions.can_decide(request.user, request.client),
        "badges": decisions.STATUS_BADGES,
    }
    template = "delivery/decision_list.html" + ("#results" if request.htmx else "")
    return render(request, template, context)


@client_view(Level.READ)
def decision_export(request, client_slug):
    q = request.GET.get("q", "").strip()
    rows = list(decisions.for_list(decisions.search(decisions.pending(request.user), q)))
    rows += list(decisions.log(q))
    filename = f"{request.client.slug}-decisions"
    return export_response(request.GET.get("format", "csv"), filename, COLUMNS, rows)


def _detail_context(request, decision: Decision, form=None) -> dict:
    can_decide = decisions.can_decide(request.user, request.client)
    pending = decision.status == Decision.Status.PENDING
    if form is None and pending and can_decide:
        form = DecideForm(decision=decision)
    return {
        "decision": decision,
        "options": list(decision.options.all()),
        "contracts": list(decision.contracts.select_related("vendor")),
        "risks": list(decision.risks.all()),
        "roadmap_items": list(decision.roadmap_items.all()),
        "meetings": list(decision.meetings.all()),
        "form": form,
        "pending": pending,
        "can_decide": can_decide,
        "can_write": request.access >= Level.PRACTICE,
        "badge": decisions.STATUS_BADGES.get(decision.status, ""),
        "today": request.client.today(),
        "withdraw_form": WithdrawForm() if pending else None,
    }


def _get(pk) -> Decision:
    related = ("decider", "decided_by", "owner", "chosen_option")
    decision = Decision.objects.select_related(*related).filter(pk=pk).first()
    if decision is None:
        raise Http404("No such decision here")
    return decision


@client_view(Level.READ, Decision)
def decision_detail(request, client_slug, pk):
    decision = _get(pk)
    return render(request, "delivery/decision_detail.html", _detail_context(request, decision))


@client_view(Level.READ, Decision)
def decision_decide(request, client_slug, pk):
    """An executive's write: approve, reject or defer. Practice users are refused (403)."""
    decision = _get(pk)
    if request.method == "GET":
        return render(request, "delivery/decision_detail.html", _detail_context(request, decision))
    if request.method != "POST":
        return HttpResponseNotAllowed(["GET", "POST"])
    if not decisions.can_decide(request.user, request.client):
        raise PermissionDenied(decisions.REFUSAL)
    if decision.status != Decision.Status.PENDING:
        messages.error(request, "This decision has already been made.")
        return _url(request, "decision-detail", decision.pk)
    form = DecideForm(request.POST, decision=decision)
    if form.is_valid():
        try:
            decisions.decide(
                decision,
                request.user,
                request.client,
                form.cleaned_data["outcome"],
                form.cleaned_data["comment"],
                form.cleaned_data.get("option"),
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request, f"Decision recorded: “{decision}” — {decision.get_status_display()}."
            )
            return _url(request, "decision-list")
    context = _detail_context(request, decision, form)
    return render(request, "delivery/decision_detail.html", context, status=400)


@client_view(Level.PRACTICE, Decision)
def decision_withdraw(request, client_slug, pk):
    decision = _get(pk)
    if request.method != "POST":
        return _url(request, "decision-detail", decision.pk)
    form = WithdrawForm(request.POST)
    if form.is_valid():
        try:
            decisions.withdraw(decision, form.cleaned_data["reason"])
        except ValidationError as exc:
            messages.error(request, exc.messages[0])
        else:
            messages.success(request, f"“{decision}” withdrawn.")
    else:
        messages.error(request, "Say why the request is withdrawn.")
    return _url(request, "decision-detail", decision.pk)


def _edit(request, decision: Decision | None):
    data = request.POST if request.method == "POST" else None
    form = DecisionForm(data, instance=decision, client=request.client)
    options = option_formset(extra=3 if decision is None else 1)(
        data,
        instance=decision or Decision(client=request.client),
        prefix="options",
        form_kwargs={"currency": request.client.currency},
    )
    if data is not None and form.is_valid() and options.is_valid():
        previous = decision.decider_id if decision else None
        saved = decisions.save_request(request.client, form, options, previous)
        verb = "saved" if decision else "requested"
        note = "" if saved.decider_id == previous else f"; {saved.decider} has been e-mailed"
        messages.success(request, f"Decision “{saved}” {verb}{note}.")
        return _url(request, "decision-detail", saved.pk)
    context = {
        "form": form,
        "options": options,
        "decision": decision,
        "heading": f"Edit “{decision}”" if decision else "Request a decision",
        "has_executives": form.fields["decider"].queryset.exists(),
    }
    return render(request, "delivery/decision_form.html", context)


@client_view(Level.PRACTICE)
def decision_create(request, client_slug):
    return _edit(request, None)


@client_view(Level.PRACTICE, Decision)
def decision_edit(request, client_slug, pk):
    decision = get_for_client_or_404(Decision, pk=pk)
    if decision.status != Decision.Status.PENDING:
        messages.error(request, "A decision that has been made is kept as it was decided.")
        return _url(request, "decision-detail", decision.pk)
    return _edit(request, decision)
