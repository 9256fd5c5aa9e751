"""The roadmap as of a past date, what changed since (the last review by default), the cost
roll-up, the priority weights, and the goals and reviews (Crud pages)."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone

from ciodesk.core.crud import Crud
from ciodesk.core.exports import Column, export_response
from ciodesk.roadmap import planning
from ciodesk.roadmap import services_history as history
from ciodesk.roadmap.forms import GoalForm, ReviewForm, WeightsForm
from ciodesk.roadmap.models import Goal, PriorityWeights, RoadmapItem, RoadmapReview
from ciodesk.tenancy.access import Level
from ciodesk.tenancy.permissions import client_view

GOALS = Crud(
    model=Goal,
    form_class=GoalForm,
    kind="goal",
    title="Business goals",
    columns=[
        Column("Goal", lambda g: g.text, link=True),
        Column("By when", lambda g: g.target),
        Column("Owner", lambda g: g.owner.name),
        Column("Detail", lambda g: g.detail),
    ],
    search_fields=("text", "detail"),
    empty_text="No business goals yet. Write the client's goals in their own words, e.g. "
    "“Open a second office in Q3”, then link roadmap items to them.",
    intro="The client's business goals in their own words; roadmap items say which they serve.",
    queryset=lambda: Goal.objects.select_related("owner"),
    namespace="roadmap",
)

REVIEWS = Crud(
    model=RoadmapReview,
    form_class=ReviewForm,
    kind="review",
    title="Roadmap reviews",
    columns=[
        Column("Reviewed on", lambda r: r.reviewed_on, link=True),
        Column("Owner", lambda r: r.owner.name),
        Column("Note", lambda r: r.note),
    ],
    search_fields=("note",),
    empty_text="No review recorded yet. Record one after each roadmap review: “what changed "
    "since the last review” compares with it.",
    intro="Each review is a comparison point for “what changed since the last review”.",
    queryset=lambda: RoadmapReview.objects.select_related("owner"),
    namespace="roadmap",
)


def _date(text: str) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(text)
    except (TypeError, ValueError):
        return None


@client_view(Level.READ)
def as_of(request, client_slug):
    """The roadmap as it stood at the end of a past day (the client's time zone)."""
    client = request.client
    day = _date(request.GET.get("on", "")) or client.today() - datetime.timedelta(days=90)
    day = min(day, client.today())
    states = sorted(
        history.roadmap_as_of(client, history.end_of_day(client, day)).values(),
        key=lambda s: (s.slot or (9999, 9), s.manual_rank or 10**6, s.title.lower()),
    )
    context = {
        "day": day,
        "today": client.today(),
        "states": [s for s in states if not s.dropped],
        "dropped": [s for s in states if s.dropped],
        "rollup": planning.rollup([s for s in states if not s.dropped]),
    }
    return render(request, "roadmap/as_of.html", context)


def _changes(request) -> tuple[history.Diff, RoadmapReview | None, datetime.date]:
    client = request.client
    day = _date(request.GET.get("since", ""))
    if day is None:
        since, review = history.default_since(client)
        day = timezone.localtime(since, client.tz).date()
    else:
        since, review = history.end_of_day(client, day), None
    return history.changes_since(client, since), review, day


@client_view(Level.READ)
def changes(request, client_slug):
    result, review, day = _changes(request)
    context = {
        "diff": result,
        "review": review,
        "since_day": day,
        "today": request.client.today(),
        "reviews": list(RoadmapReview.objects.only("reviewed_on")[:8]),
        "can_write": request.access >= Level.PRACTICE,
    }
    return render(request, "roadmap/changes.html", context)


def _slot_then(c: history.Change) -> str:
    return c.then.when if c.then else ""


CHANGE_COLUMNS = [
    Column("Change", lambda r: r[0]),
    Column("Item", lambda r: r[1].item.title),
    Column("Quarter then", lambda r: _slot_then(r[1])),
    Column("Quarter now", lambda r: r[1].now.when if r[1].now else "deleted"),
    Column("One-time cost then", lambda r: r[1].then.one_time_cost if r[1].then else ""),
    Column("One-time cost now", lambda r: r[1].now.one_time_cost if r[1].now else ""),
    Column("Recurring cost then", lambda r: r[1].then.recurring_cost if r[1].then else ""),
    Column("Recurring cost now", lambda r: r[1].now.recurring_cost if r[1].now else ""),
    Column("Currency", lambda r: r[1].item.currency),
    Column("Status now", lambda r: r[1].now.status_label if r[1].now else "Deleted"),
]


@client_view(Level.READ)
def changes_export(request, client_slug):
    result, _, day = _changes(request)
    name = f"{client_slug}-roadmap-changes-since-{day.isoformat()}"
    return export_response(request.GET.get("format", "csv"), name, CHANGE_COLUMNS, result.rows())


def _open_items():
    return RoadmapItem.objects.exclude(status=RoadmapItem.Status.DROPPED).only(
        "fiscal_year", "quarter", "currency", "one_time_cost", "recurring_cost"
    )


ROLLUP_COLUMNS = [
    Column("Period", lambda r: r.label),
    Column("Fiscal year", lambda r: r.fiscal_year),
    Column("Quarter", lambda r: r.quarter or ""),
    Column("Items", lambda r: r.items),
    Column("One-time cost", lambda r: r.one_time),
    Column("Recurring cost per year", lambda r: r.recurring),
    Column("Currency", lambda r: r.currency),
]


@client_view(Level.READ)
def rollup(request, client_slug):
    rows = planning.rollup(_open_items())
    return render(request, "roadmap/rollup.html", {"rows": rows})


@client_view(Level.READ)
def rollup_export(request, client_slug):
    rows = planning.rollup(_open_items())
    name = f"{client_slug}-roadmap-costs"
    return export_response(request.GET.get("format", "csv"), name, ROLLUP_COLUMNS, rows)


@client_view(Level.PRACTICE)
def weights_edit(request, client_slug):
    instance = PriorityWeights.objects.first() or PriorityWeights(client=request.client)
    data = request.POST if request.method == "POST" else None
    form = WeightsForm(data, instance=instance)
    if data is not None and form.is_valid():
        weights = form.save(commit=False)
        weights.client = request.client
        weights.save()
        messages.success(request, "Priority weights saved; the scores use them now.")
        return redirect("roadmap:item-list", client_slug=request.client.slug)
    context = {
        "form": form,
        "heading": "Priority weights",
        "intro": "Priority = (risk reduced × risk weight) × (business value × value weight) "
        "÷ cost in cost units (at least one unit). A manual rank overrides the score.",
        "cancel_url": f"/c/{request.client.slug}/roadmap/items/",
    }
    return render(request, "roadmap/weights.html", context)
