"""Time against the retainer: a month's entries and hours used against the hours included."""

from __future__ import annotations

from django.shortcuts import render

from ciodesk.core.crud import Crud
from ciodesk.core.exports import Column, export_response
from ciodesk.delivery import services_time as time
from ciodesk.delivery.forms_work import TimeEntryForm
from ciodesk.delivery.models import TimeEntry
from ciodesk.tenancy.access import Level
from ciodesk.tenancy.permissions import client_view

COLUMNS = [
    Column("Date", lambda e: e.on),
    Column("Minutes", lambda e: e.minutes),
    Column("Hours", lambda e: time.hours(e.minutes)),
    Column("Category", lambda e: e.get_category_display()),
    Column("Note", lambda e: e.note),
    Column("By", lambda e: e.user),
]


class TimeCrud(Crud):
    """The entry is the signed-in user's own; a new one starts on the client's today."""

    def _form(self, request, instance=None):
        form = super()._form(request, instance)
        if instance is None and request.method == "GET":
            form.initial["on"] = request.client.today()
        return form

    def _save(self, request, form, verb):
        if form.instance.pk is None:
            form.instance.user = request.user
        return super()._save(request, form, verb)


TIME = TimeCrud(
    model=TimeEntry,
    form_class=TimeEntryForm,
    kind="time",
    title="Time",
    columns=COLUMNS,
    write_level=Level.PRACTICE,
    namespace="delivery",
)


def _month(request):
    first = time.parse_month(request.GET.get("month", ""), request.client.today())
    _, last = time.month_bounds(first)
    entries = TimeEntry.objects.filter(on__gte=first, on__lte=last).select_related("user")
    return first, entries


@client_view(Level.READ)
def time_list(request, client_slug):
    first, entries = _month(request)
    this_month = request.client.today().replace(day=1)
    context = {
        "entries": list(entries),
        "retainer": time.retainer_figures(request.client, first),
        "month": first,
        "previous": time.shift_month(first, -1),
        "next": time.shift_month(first, 1) if first < this_month else None,
        "is_current": first == this_month,
        "can_write": request.access >= Level.PRACTICE,
    }
    return render(request, "delivery/time_list.html", context)


@client_view(Level.READ)
def time_export(request, client_slug):
    first, entries = _month(request)
    filename = f"{request.client.slug}-time-{first:%Y-%m}"
    return export_response(request.GET.get("format", "csv"), filename, COLUMNS, entries)
