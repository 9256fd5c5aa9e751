"""“Owned by”: one person's items across the apps, overdue first (see ownership.py)."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import render

from ciodesk.core.exports import Column, export_response
from ciodesk.delivery.ownership import owned_by
from ciodesk.tenancy.access import Level
from ciodesk.tenancy.models import Person
from ciodesk.tenancy.permissions import client_view

COLUMNS = [
    Column("Kind", lambda r: r.kind),
    Column("Item", lambda r: r.title),
    Column("Due", lambda r: r.due),
    Column("Overdue", lambda r: "yes" if r.overdue else "no"),
    Column("Detail", lambda r: r.detail),
]


def _person(request) -> Person | None:
    """The ?person= of this client or of the practice; anyone else's is a 404."""
    value = request.GET.get("person", "")
    if not value:
        return None
    # Person.objects is scoped: this client's people and the practice's, nobody else's.
    person = Person.objects.filter(pk=value).first() if value.isdigit() else None
    if person is None:
        raise Http404("No such person here")
    return person


@client_view(Level.READ)
def owned_by_view(request, client_slug):
    person = _person(request)
    rows = owned_by(request.client, person, request.client.today()) if person else []
    context = {
        "person": person,
        "people": list(Person.objects.all()),
        "rows": rows,
        "overdue": sum(1 for r in rows if r.overdue),
    }
    return render(request, "delivery/owned_by.html", context)


@client_view(Level.READ)
def owned_by_export(request, client_slug):
    person = _person(request)
    # Without ?person= the file has the headers only: there is no one to list.
    rows = owned_by(request.client, person, request.client.today()) if person else []
    filename = f"{request.client.slug}-owned-by-{person.pk if person else 'nobody'}"
    return export_response(request.GET.get("format", "csv"), filename, COLUMNS, rows)
