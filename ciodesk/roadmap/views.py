"""The roadmap's pages: the board by quarter, by goal, by disposition, the item list and
the item itself; creating, editing, moving and deleting items; a finding in one click."""

from __future__ import annotations

from django.contrib import messages
from django.db.models import Prefetch, Q, QuerySet
from django.http import HttpResponseNotAllowed, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from ciodesk.assessments.models import Disposition, Finding
from ciodesk.core.exports import Column, export_response
from ciodesk.roadmap import planning, services
from ciodesk.roadmap.forms import ItemForm, MoveForm
from ciodesk.roadmap.models import Goal, RoadmapItem, RoadmapItemVersion
from ciodesk.roadmap.services_history import ItemState
from ciodesk.tenancy.access import Level
from ciodesk.tenancy.permissions import client_view, get_for_client_or_404

Status = RoadmapItem.Status
STATUS_FILTERS = [("", "Open (not dropped)"), *Status.choices, ("all", "All")]


def _money(value) -> str:
    return f"{value:,.2f}"


ITEM_COLUMNS = [
    Column("Item", lambda i: i.title, link=True),
    Column("Why", lambda i: i.why),
    Column("Disposition", lambda i: i.get_disposition_display()),
    Column("Status", lambda i: i.get_status_display()),
    Column("Owner", lambda i: i.owner.name),
    Column("Fiscal year", lambda i: i.fiscal_year),
    Column("Quarter", lambda i: i.quarter),
    Column("One-time cost", lambda i: i.one_time_cost),
    Column("Recurring cost per year", lambda i: i.recurring_cost),
    Column("Currency", lambda i: i.currency),
    Column("Effort", lambda i: i.get_effort_display()),
    Column("Risk reduced", lambda i: i.risk_reduced),
    Column("Business value", lambda i: i.business_value),
    Column("Priority score", lambda i: i.score),
    Column("Manual rank", lambda i: i.manual_rank),
    Column("Goals", lambda i: "; ".join(g.text for g in i.goals.all())),
]


def items() -> QuerySet[RoadmapItem]:
    """Items with what every page shows, in a fixed number of queries."""
    return RoadmapItem.objects.select_related("owner").prefetch_related("goals")


def _can_write(request) -> bool:
    return request.access >= Level.PRACTICE


def _base(request, **extra) -> dict:
    weights = planning.weights_for(request.client)
    return {
        "can_write": _can_write(request),
        "weights": weights,
        "findings_url": reverse("assessments:finding-list", args=[request.client.slug]),
        **extra,
    }


def _filtered(request) -> tuple[QuerySet[RoadmapItem], dict]:
    qs = items()
    get = request.GET
    status, disposition = get.get("status", ""), get.get("disposition", "")
    goal, plan, q = get.get("goal", ""), get.get("plan", ""), get.get("q", "").strip()
    if status in Status.values:
        qs = qs.filter(status=status)
    elif status != "all":
        status = ""
        qs = qs.exclude(status=Status.DROPPED)
    if disposition in Disposition.values:
        qs = qs.filter(disposition=disposition)
    else:
        disposition = ""
    if goal == "none":
        qs = qs.filter(goals__isnull=True)
    elif goal.isdigit():
        qs = qs.filter(goals=int(goal))
    else:
        goal = ""
    if plan == "unscheduled":
        qs = qs.filter(Q(fiscal_year__isnull=True) | Q(quarter__isnull=True))
    else:
        try:
            fy, quarter = planning.parse_slot(plan, request.client)
        except ValueError:
            fy = quarter = None
        if fy:
            qs = qs.filter(fiscal_year=fy, quarter=quarter)
        else:
            plan = ""
    if q:
        qs = qs.filter(Q(title__icontains=q) | Q(why__icontains=q))
    filters = {"status": status, "disposition": disposition, "goal": goal, "plan": plan, "q": q}
    return qs.distinct(), filters


@client_view(Level.READ)
def board(request, client_slug):
    weights = planning.weights_for(request.client)
    rows = planning.by_priority(items().exclude(status=Status.DROPPED), weights)
    columns = planning.board(request.client, rows)
    context = _base(
        request,
        columns=columns,
        choices=planning.plan_choices(request.client, short=True),
        current=planning.current_quarter(request.client),
        count=len(rows),
    )
    return render(request, "roadmap/board.html", context)


@client_view(Level.READ)
def by_goal(request, client_slug):
    weights = planning.weights_for(request.client)
    open_items = items().exclude(status=Status.DROPPED)
    goals = list(
        Goal.objects.select_related("owner").prefetch_related(
            Prefetch("items", queryset=open_items.select_related(None).select_related("owner"))
        )
    )
    groups = [(g, planning.by_priority(g.items.all(), weights)) for g in goals]
    no_goal = planning.by_priority(open_items.filter(goals__isnull=True), weights)
    context = _base(request, groups=groups, no_goal=no_goal)
    return render(request, "roadmap/by_goal.html", context)


@client_view(Level.READ)
def by_disposition(request, client_slug):
    weights = planning.weights_for(request.client)
    rows = planning.by_priority(items().exclude(status=Status.DROPPED), weights)
    groups = [
        (value, label, [i for i in rows if i.disposition == value])
        for value, label in Disposition.choices
    ]
    return render(request, "roadmap/by_disposition.html", _base(request, groups=groups))


@client_view(Level.READ)
def item_list(request, client_slug):
    qs, filters = _filtered(request)
    weights = planning.weights_for(request.client)
    context = _base(
        request,
        items=planning.by_priority(qs, weights),
        filters=filters,
        query="&".join(f"{k}={v}" for k, v in filters.items() if v),
        statuses=STATUS_FILTERS,
        dispositions=Disposition.choices,
        goals=list(Goal.objects.only("text")),
        plans=planning.plan_choices(request.client)[1:],
    )
    template = "roadmap/item_list.html" + ("#results" if request.htmx else "")
    return render(request, template, context)


@client_view(Level.READ)
def item_export(request, client_slug):
    qs, filters = _filtered(request)
    rows = planning.by_priority(qs, planning.weights_for(request.client))
    name = f"{client_slug}-roadmap" + "".join(f"-{v}" for v in filters.values() if v)
    return export_response(request.GET.get("format", "csv"), name[:80], ITEM_COLUMNS, rows)


@client_view(Level.READ, RoadmapItem)
def item_detail(request, client_slug, pk):
    item = get_for_client_or_404(RoadmapItem, pk=pk)
    weights = planning.weights_for(request.client)
    item.score = planning.score(item, weights)
    versions = list(
        RoadmapItemVersion.objects.filter(item_id_ref=item.pk)
        .select_related("changed_by")
        .order_by("-valid_from", "-pk")
    )
    context = _base(
        request,
        item=item,
        goals=list(item.goals.all()),
        findings=list(item.findings.select_related("assessment")),
        risks=list(item.risks.all()),
        formula=planning.explain(item, weights),
        versions=[(v, ItemState.from_version(v)) for v in versions],
        when=planning.slot_label(item.fiscal_year, item.quarter),
    )
    return render(request, "roadmap/item_detail.html", context)


def _edit(request, item: RoadmapItem | None):
    data = request.POST if request.method == "POST" else None
    form = ItemForm(data, instance=item, client=request.client)
    if data is not None and form.is_valid():
        saved = services.save_item(request.client, form, request.user)
        messages.success(request, f"Roadmap item “{saved}” {'saved' if item else 'added'}.")
        return redirect("roadmap:item-detail", client_slug=request.client.slug, pk=saved.pk)
    cancel = (
        reverse("roadmap:item-detail", args=[request.client.slug, item.pk])
        if item
        else reverse("roadmap:board", args=[request.client.slug])
    )
    context = {
        "form": form,
        "heading": f"Edit “{item}”" if item else "Add a roadmap item",
        "cancel_url": cancel,
    }
    return render(request, "core/form.html", context)


@client_view(Level.PRACTICE)
def item_create(request, client_slug):
    return _edit(request, None)


@client_view(Level.PRACTICE, RoadmapItem)
def item_edit(request, client_slug, pk):
    return _edit(request, get_for_client_or_404(RoadmapItem, pk=pk))


@client_view(Level.PRACTICE, RoadmapItem)
def item_delete(request, client_slug, pk):
    item = get_for_client_or_404(RoadmapItem, pk=pk)
    if request.method == "POST":
        services.delete_item(item, request.user)
        messages.success(request, f"Roadmap item “{item}” deleted (its history is kept).")
        return redirect("roadmap:board", client_slug=request.client.slug)
    cancel = reverse("roadmap:item-detail", args=[request.client.slug, item.pk])
    return render(request, "core/confirm_delete.html", {"object": item, "cancel_url": cancel})


def _wants_json(request) -> bool:
    return "application/json" in request.headers.get("Accept", "")


@client_view(Level.PRACTICE, RoadmapItem)
def item_move(request, client_slug, pk):
    """Plan an item for another quarter: the board's drag and drop, or its Move button."""
    item = get_for_client_or_404(RoadmapItem, pk=pk)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    form = MoveForm(request.POST, client=request.client)
    if not form.is_valid():
        if _wants_json(request):
            return JsonResponse({"ok": False, "error": form.errors["to"][0]}, status=400)
        messages.error(request, form.errors["to"][0])
        return redirect("roadmap:board", client_slug=request.client.slug)
    fy, quarter = form.cleaned_data["to"]
    moved = services.move_item(item, fy, quarter, request.user)
    when = planning.slot_label(fy, quarter)
    if moved:
        messages.success(request, f"“{item}” moved to {when}.")
    if _wants_json(request):
        payload = {"ok": True, "moved": moved, "to": form.data.get("to", ""), "label": when}
        return JsonResponse(payload)
    return redirect("roadmap:board", client_slug=request.client.slug)


@client_view(Level.PRACTICE, Finding)
def item_from_finding(request, client_slug, pk):
    """One click on a finding: its roadmap item, made the first time, linked for good."""
    finding = get_for_client_or_404(Finding, pk=pk)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    item, created = services.from_finding(request.client, finding, request.user)
    if created:
        messages.success(request, f"“{item}” is on the roadmap: give it a quarter and a goal.")
    else:
        messages.info(request, f"“{finding}” is already on the roadmap.")
    return redirect("roadmap:item-detail", client_slug=request.client.slug, pk=item.pk)
