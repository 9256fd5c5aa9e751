from django.core.paginator import Paginator
from django.shortcuts import render

from ciodesk.audit.models import ChangeRecord
from ciodesk.core.exports import Column, export_response
from ciodesk.tenancy.access import Level
from ciodesk.tenancy.permissions import client_view

COLUMNS = [
    Column("When", lambda r: r.at),
    Column("Who", lambda r: r.actor_label),
    Column("Action", lambda r: r.get_action_display()),
    Column("Kind", lambda r: r.kind),
    Column("Record", lambda r: r.object_repr),
    Column(
        "Changes",
        lambda r: "; ".join(f"{field}: {old} → {new}" for field, (old, new) in r.changes.items()),
    ),
]


def _records(request):
    records = ChangeRecord.objects.select_related("content_type", "actor")
    if kind := request.GET.get("action"):
        records = records.filter(action=kind)
    return records


@client_view(Level.READ)
def activity(request, client_slug):
    page = Paginator(_records(request), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "audit/activity.html",
        {
            "page": page,
            "action": request.GET.get("action", ""),
            "actions": ChangeRecord.Action.choices,
        },
    )


@client_view(Level.READ)
def activity_export(request, client_slug):
    return export_response(
        request.GET.get("format", "csv"),
        f"{request.client.slug}-activity",
        COLUMNS,
        _records(request),
    )
