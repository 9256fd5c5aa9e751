"""Action items: the list (overdue first), filters, export, and marking one done.

Agendas and the carry-over of open items into the next meeting are the meetings' part
(views_meetings.py, services_agenda.py); this is the register itself.
"""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.db.models import Case, F, IntegerField, QuerySet, Value, When
from django.http import HttpResponseNotAllowed
from django.shortcuts import redirect, render

from ciodesk.core.crud import Crud
from ciodesk.core.exports import Column, export_response
from ciodesk.delivery.forms_work import ActionItemForm
from ciodesk.delivery.models import ActionItem
from ciodesk.tenancy.access import Level
from ciodesk.tenancy.models import Person
from ciodesk.tenancy.permissions import client_view, get_for_client_or_404

OPEN = ActionItem.Status.OPEN
STATUSES = [*ActionItem.Status.choices, ("all", "All")]

COLUMNS = [
    Column("Action", lambda a: a.title),
    Column("Owner", lambda a: a.owner.name),
    Column("Due", lambda a: a.due_on),
    Column("Status", lambda a: a.get_status_display()),
    Column("Overdue", lambda a: "yes" if a.overdue else "no"),
    Column("Done on", lambda a: a.done_on),
    Column("Project", lambda a: a.project.name if a.project else ""),
    Column("Meeting", lambda a: str(a.meeting) if a.meeting else ""),
    Column("Notes", lambda a: a.notes),
]


class ActionCrud(Crud):
    """Create and edit go back to the list; marking done fills in the day."""

    def _save(self, request, form, verb):
        item = form.instance
        if item.status != OPEN and item.done_on is None:
            item.done_on = request.client.today()
        return super()._save(request, form, verb)


ACTIONS = ActionCrud(
    model=ActionItem,
    form_class=ActionItemForm,
    kind="action",
    title="Action items",
    columns=COLUMNS,
    namespace="delivery",
)


def ordered(qs: QuerySet[ActionItem], today: datetime.date) -> QuerySet[ActionItem]:
    """Overdue first, then the other open items by due date (none last), then closed ones."""
    rank = Case(
        When(status=OPEN, due_on__lt=today, then=Value(0)),
        When(status=OPEN, then=Value(1)),
        default=Value(2),
        output_field=IntegerField(),
    )
    overdue = Case(
        When(status=OPEN, due_on__lt=today, then=Value(True)),
        default=Value(False),
    )
    return (
        qs.select_related("owner", "project", "meeting")
        .annotate(rank=rank, overdue=overdue)
        .order_by("rank", F("due_on").asc(nulls_last=True), "pk")
    )


def _filtered(request) -> tuple[QuerySet[ActionItem], dict]:
    status = request.GET.get("status", OPEN)
    owner = request.GET.get("owner", "")
    qs = ActionItem.objects.all()
    if status in ActionItem.Status.values:
        qs = qs.filter(status=status)
    else:
        status = "all"
    if owner.isdigit():
        qs = qs.filter(owner_id=int(owner))
    else:
        owner = ""
    query = {"status": status, "owner": owner}
    return ordered(qs, request.client.today()), query


@client_view(Level.READ)
def action_list(request, client_slug):
    items, query = _filtered(request)
    items = list(items)
    context = {
        "items": items,
        "overdue": sum(1 for a in items if a.overdue),
        "statuses": STATUSES,
        "owners": list(Person.objects.all()),
        "status": query["status"],
        "owner": query["owner"],
        "today": request.client.today(),
        "can_write": request.access >= Level.PRACTICE,
        "can_close": request.access >= Level.CONTRIBUTOR,
    }
    template = "delivery/action_list.html" + ("#rows" if request.htmx else "")
    return render(request, template, context)


@client_view(Level.READ)
def action_export(request, client_slug):
    items, _ = _filtered(request)
    filename = f"{request.client.slug}-action-items"
    return export_response(request.GET.get("format", "csv"), filename, COLUMNS, items)


@client_view(Level.CONTRIBUTOR, ActionItem)
def action_done(request, client_slug, pk):
    """Mark an item done (or open again): a contributor may close the items they work on."""
    item = get_for_client_or_404(ActionItem, pk=pk)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    today = request.client.today()
    if item.status == OPEN:
        item.status, item.done_on = ActionItem.Status.DONE, today
    else:
        item.status, item.done_on = OPEN, None
    item.save(update_fields=["status", "done_on"])
    if request.htmx:
        item = ordered(ActionItem.objects.filter(pk=item.pk), today).get()
        context = {"a": item, "today": today, "can_write": request.access >= Level.PRACTICE}
        context["can_close"] = True
        return render(request, "delivery/action_list.html#item", context)
    messages.success(request, f"“{item}” marked {item.get_status_display().lower()}.")
    return redirect("delivery:action-list", client_slug=client_slug)
