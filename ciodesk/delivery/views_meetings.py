"""Meeting pages: the list with the next meeting due, the record of one meeting, planning
one with a generated agenda, editing it, sending the invitation, and the action items
taken in it. Thin: the agenda is ``services_agenda``, the invitation ``ics_meetings``."""

from __future__ import annotations

import datetime
import smtplib

from django.contrib import messages
from django.db import transaction
from django.db.models import Count, Q
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.views.decorators.http import require_POST

from ciodesk.core.exports import Column, export_response
from ciodesk.delivery import ics_meetings
from ciodesk.delivery import services_agenda as agenda
from ciodesk.delivery.forms_meetings import MeetingActionForm, MeetingCreateForm, MeetingForm
from ciodesk.delivery.models import ActionItem, Meeting
from ciodesk.tenancy.access import Level
from ciodesk.tenancy.models import Person
from ciodesk.tenancy.permissions import client_view, get_for_client_or_404


def _url(request, name: str, pk: int | None = None) -> str:
    kwargs = {"client_slug": request.client.slug} | ({"pk": pk} if pk is not None else {})
    return reverse(f"delivery:{name}", kwargs=kwargs)


def _meetings(request):
    q = request.GET.get("q", "").strip()
    meetings = (
        Meeting.objects.select_related("owner")
        .prefetch_related("attendees")
        .annotate(
            n_decisions=Count("decisions", distinct=True),
            n_actions=Count("action_items", distinct=True),
            n_open=Count(
                "action_items",
                filter=Q(action_items__status=ActionItem.Status.OPEN),
                distinct=True,
            ),
        )
        .order_by("-starts_at")
    )
    if q:
        meetings = meetings.filter(
            Q(title__icontains=q) | Q(agenda__icontains=q) | Q(minutes__icontains=q)
        )
    meetings = list(meetings)
    for meeting in meetings:
        meeting.client = request.client  # already loaded: no query per row
    return q, meetings


def _local(meeting: Meeting) -> datetime.datetime:
    return timezone.localtime(meeting.starts_at, meeting.client.tz).replace(tzinfo=None)


COLUMNS = [
    Column("Date and time", _local),
    Column("Minutes long", lambda m: m.duration_minutes),
    Column("Title", lambda m: m.title, link=True),
    Column("Location", lambda m: m.location),
    Column("Organiser", lambda m: m.owner.name),
    Column("Attendees", lambda m: "; ".join(p.name for p in m.attendees.all())),
    Column("Decisions taken", lambda m: m.n_decisions),
    Column("Action items", lambda m: m.n_actions),
    Column("Still open", lambda m: m.n_open),
    Column("Invitation sent", lambda m: m.sent_at),
    Column("Agenda", lambda m: m.agenda),
    Column("Minutes", lambda m: m.minutes),
]


@client_view(Level.READ)
def meeting_list(request, client_slug):
    q, meetings = _meetings(request)
    context = {
        "q": q,
        "meetings": meetings,
        "next": agenda.next_meeting(request.client),
        "cadence": request.client.get_meeting_cadence_display().lower(),
        "can_write": request.access >= Level.PRACTICE,
    }
    template = "delivery/meeting_list.html" + ("#rows" if request.htmx else "")
    return render(request, template, context)


@client_view(Level.READ)
def meeting_export(request, client_slug):
    _q, meetings = _meetings(request)
    fmt = request.GET.get("format", "csv")
    return export_response(fmt, f"{request.client.slug}-meetings", COLUMNS, meetings)


def _detail_context(request, meeting: Meeting, action_form=None) -> dict:
    actions = list(meeting.action_items.select_related("owner").order_by("status", "due_on"))
    carried = list(
        ActionItem.objects.filter(
            status=ActionItem.Status.OPEN, meeting__starts_at__lt=meeting.starts_at
        )
        .select_related("owner", "meeting")
        .order_by("due_on", "pk")
    )
    can_write = request.access >= Level.PRACTICE
    if can_write and action_form is None:
        action_form = MeetingActionForm(
            initial={"due_on": agenda.following(request.client, _local(meeting).date())}
        )
    return {
        "meeting": meeting,
        "attendees": list(meeting.attendees.all()),
        "decisions": list(meeting.decisions.select_related("decider").order_by("pk")),
        "actions": actions,
        "carried": carried,
        "today": request.client.today(),
        "decision_url": agenda.url_for(request.client, ("delivery:decision-list", None)),
        "action_form": action_form,
        "can_write": can_write,
    }


@client_view(Level.READ, Meeting)
def meeting_detail(request, client_slug, pk):
    meeting = get_for_client_or_404(Meeting, pk=pk)
    return render(request, "delivery/meeting_detail.html", _detail_context(request, meeting))


def _me(request) -> Person | None:
    """The practice's person record of the signed-in user (matched by e-mail), if any."""
    return Person.practice_people.filter(email__iexact=request.user.email).first()


def _regenerated(request, meeting: Meeting | None) -> str:
    starts_at = parse_datetime(request.GET.get("starts_at", ""))
    if starts_at is None:
        starts_at = meeting.starts_at if meeting else timezone.now()
    elif timezone.is_naive(starts_at):
        starts_at = timezone.make_aware(starts_at, request.client.tz)
    return agenda.generate(request.client, starts_at, meeting)


def _form_page(request, form, heading: str, meeting: Meeting | None = None):
    context = {
        "form": form,
        "heading": heading,
        "meeting": meeting,
        "cancel_url": _url(request, "meeting-detail", meeting.pk)
        if meeting
        else _url(request, "meeting-list"),
    }
    return render(request, "delivery/meeting_form.html", context)


@client_view(Level.PRACTICE)
def meeting_create(request, client_slug):
    client = request.client
    if request.method == "POST":
        form = MeetingCreateForm(request.POST)
        if form.is_valid():
            with transaction.atomic():
                meeting = form.save(commit=False)
                meeting.client = client
                meeting.ics_uid = ics_meetings.new_uid()
                meeting.save()
                form.save_m2m()
            messages.success(request, f"Meeting of {_local(meeting):%Y-%m-%d %H:%M} planned.")
            return redirect(_url(request, "meeting-detail", meeting.pk))
        return _form_page(request, form, "Plan a meeting")
    due = agenda.next_meeting(client)
    if due.planned is not None:  # one is planned already: this one comes after it
        due = agenda.NextMeeting(agenda.following(client, due.due_on), due.planned, None, due.today)
    starts_at = agenda.default_start(client, max(due.due_on, due.today), due.last)
    owner = _me(request) or (due.last.owner if due.last else None)
    initial = {
        "starts_at": starts_at.replace(tzinfo=None),
        "owner": owner,
        "attendees": list(due.last.attendees.all()) if due.last else ([owner] if owner else []),
        "duration_minutes": due.last.duration_minutes if due.last else 60,
        "title": due.last.title if due.last else "IT review",
        "location": due.last.location if due.last else "",
        "agenda": agenda.generate(client, starts_at),
    }
    if "regenerate" in request.GET:
        initial["agenda"] = _regenerated(request, None)
    return _form_page(request, MeetingCreateForm(initial=initial), "Plan a meeting")


@client_view(Level.PRACTICE, Meeting)
def meeting_edit(request, client_slug, pk):
    meeting = get_for_client_or_404(Meeting, pk=pk)
    if request.method == "POST":
        form = MeetingForm(request.POST, instance=meeting)
        if form.is_valid():
            with transaction.atomic():
                form.save()
            messages.success(request, "Meeting saved.")
            return redirect(_url(request, "meeting-detail", meeting.pk))
    else:
        initial = {"agenda": _regenerated(request, meeting)} if "regenerate" in request.GET else {}
        form = MeetingForm(instance=meeting, initial=initial)
    return _form_page(request, form, f"Edit {meeting}", meeting)


@client_view(Level.PRACTICE, Meeting)
@require_POST
def meeting_send(request, client_slug, pk):
    meeting = get_for_client_or_404(Meeting, pk=pk)
    try:
        sent = ics_meetings.send_invitation(meeting)
    except ics_meetings.NoRecipients as exc:
        messages.error(request, str(exc))
    except (smtplib.SMTPException, OSError) as exc:
        messages.error(request, f"The invitation could not be sent ({exc}). Nothing was saved.")
    else:
        verb = "Invitation sent" if sent.sequence == 0 else f"Update {sent.sequence} sent"
        text = f"{verb} to {', '.join(sent.to)}."
        if sent.without_address:
            text += f" No e-mail address for {', '.join(sent.without_address)}."
        messages.success(request, text)
    return redirect(_url(request, "meeting-detail", meeting.pk))


@client_view(Level.READ, Meeting)
def meeting_ics(request, client_slug, pk):
    meeting = get_for_client_or_404(Meeting, pk=pk)
    response = HttpResponse(
        ics_meetings.invitation(meeting, method="PUBLISH"), content_type="text/calendar"
    )
    response["Content-Disposition"] = f'attachment; filename="{ics_meetings.filename(meeting)}"'
    return response


@client_view(Level.PRACTICE, Meeting)
@require_POST
def meeting_action_create(request, client_slug, pk):
    meeting = get_for_client_or_404(Meeting, pk=pk)
    form = MeetingActionForm(request.POST)
    if not form.is_valid():
        context = _detail_context(request, meeting, action_form=form)
        return render(request, "delivery/meeting_detail.html", context, status=400)
    with transaction.atomic():
        item = form.save(commit=False)
        item.client = request.client
        item.meeting = meeting
        item.save()
    messages.success(request, f"Action “{item.title}” added for {item.owner.name}.")
    return redirect(_url(request, "meeting-detail", meeting.pk) + "#actions")


@client_view(Level.PRACTICE, ActionItem)
@require_POST
def meeting_action_done(request, client_slug, pk):
    item = get_for_client_or_404(ActionItem, pk=pk)
    back = request.POST.get("meeting", "")
    meeting = get_for_client_or_404(Meeting, pk=back) if back.isdigit() else item.meeting
    if item.status == ActionItem.Status.OPEN:
        item.status = ActionItem.Status.DONE
        item.done_on = request.client.today()
        item.save()
        messages.success(request, f"“{item.title}” marked done.")
    if meeting is None:
        return redirect(_url(request, "meeting-list"))
    return redirect(_url(request, "meeting-detail", meeting.pk) + "#actions")
