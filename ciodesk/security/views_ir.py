"""Incident response: the plan (whom to call, the first hour, what to say), its one-page
print, tabletop exercises with their action items, and incidents with their timeline.

The plan is built before it is needed: when it is first saved, its contacts are prefilled
from what ciodesk already knows (``services_ir.prefill_contacts``).
"""

from __future__ import annotations

import re

from django.contrib import messages
from django.db import transaction
from django.db.models import Count, Q
from django.http import HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header

from ciodesk.core.crud import Crud
from ciodesk.core.exports import Column, export_response
from ciodesk.security.forms_ir import (
    COMMUNICATION_TEMPLATES,
    FIRST_HOUR_STEPS,
    IncidentEventForm,
    IncidentForm,
    IRContactForm,
    IRPlanForm,
    TabletopActionForm,
    TabletopForm,
)
from ciodesk.security.models import (
    Incident,
    IRContact,
    IRPlan,
    Tabletop,
    TabletopAction,
)
from ciodesk.security.services_ir import hotline_policy, prefill_contacts, template_titles
from ciodesk.tenancy.access import Level
from ciodesk.tenancy.permissions import client_view, get_for_client_or_404


def _url(client, name: str, pk: int | None = None) -> str:
    kwargs = {"client_slug": client.slug} | ({"pk": pk} if pk is not None else {})
    return reverse(f"security:{name}", kwargs=kwargs)


# --- the plan -----------------------------------------------------------------------------------


def _plan() -> IRPlan | None:
    return IRPlan.objects.select_related("owner").first()


def _plan_context(request) -> dict:
    plan = _plan()
    contacts = list(plan.contacts.all()) if plan else []
    policy = hotline_policy()
    phones = {re.sub(r"\D", "", c.phone) for c in contacts}
    return {
        "plan": plan,
        "contacts": contacts,
        "missing_hotline": policy
        if policy and re.sub(r"\D", "", policy.claims_hotline) not in phones
        else None,
        "template_titles": template_titles(plan.communication_templates) if plan else [],
        "can_write": request.access >= Level.PRACTICE,
        "today": request.client.today(),
    }


@client_view(Level.READ)
def ir_plan(request, client_slug):
    context = _plan_context(request)
    context["tabletop_count"] = Tabletop.objects.count()
    context["open_incidents"] = Incident.objects.exclude(status=Incident.Status.CLOSED).count()
    return render(request, "security/ir_plan.html", context)


@client_view(Level.PRACTICE)
def ir_plan_edit(request, client_slug):
    plan = _plan()
    creating = plan is None
    initial = {}
    if creating:
        initial = {
            "first_hour_steps": FIRST_HOUR_STEPS,
            "communication_templates": COMMUNICATION_TEMPLATES,
        }
    form = IRPlanForm(request.POST or None, instance=plan, initial=initial)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            plan = form.save(commit=False)
            plan.client = request.client
            plan.save()
            added = prefill_contacts(plan) if creating else 0
        text = "Incident response plan saved."
        if added:
            text += f" {added} contact{'s' if added != 1 else ''} filled in from the insurance "
            text += "policy, the vendors and the client's people: check them."
        messages.success(request, text)
        return redirect(_url(request.client, "ir-plan"))
    heading = "Write the incident response plan" if creating else "Edit the incident response plan"
    context = {"form": form, "heading": heading, "cancel_url": _url(request.client, "ir-plan")}
    return render(request, "core/form.html", context)


def _no_fetch(url, *args, **kwargs):
    raise ValueError(f"The printed plan loads nothing from outside: {url}")


@client_view(Level.READ)
def ir_plan_print(request, client_slug):
    """The plan on one sheet (A4 or Letter) to pin by the phone; ?format=pdf renders it."""
    context = _plan_context(request)
    context["printed_at"] = timezone.localtime()
    html = render_to_string("security/ir_plan_print.html", context, request=request)
    if request.GET.get("format") != "pdf":
        return HttpResponse(html)
    from weasyprint import HTML

    pdf = HTML(string=html, url_fetcher=_no_fetch).write_pdf()
    response = HttpResponse(pdf, content_type="application/pdf")
    filename = f"{request.client.slug}-incident-response-plan.pdf"
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


class PlanContactCrud(Crud):
    """Contacts live on the plan's page: no list of their own; they need a plan first."""

    def url(self, client, action: str, pk: int | None = None) -> str:
        if action == "list":
            return _url(client, "ir-plan")
        return super().url(client, action, pk)

    def create_view(self, request, client_slug):
        if _plan() is None:
            messages.info(request, "Write the plan first; its contacts come next.")
            return redirect(_url(request.client, "ir-plan-edit"))
        return super().create_view(request, client_slug)

    def _form(self, request, instance=None):
        form = super()._form(request, instance)
        if instance is None and request.method == "GET":
            form.initial["order"] = IRContact.objects.count() + 1
            policy = hotline_policy() if request.GET.get("role") == "insurer" else None
            if policy is not None:
                form.initial.update(
                    role=IRContact.Role.INSURER,
                    name=f"{policy.carrier} claims hotline",
                    organisation=policy.carrier,
                    phone=policy.claims_hotline,
                )
        return form

    def _save(self, request, form, verb: str):
        if form.instance.plan_id is None:
            form.instance.plan = _plan()
        return super()._save(request, form, verb)


CONTACTS = PlanContactCrud(
    model=IRContact,
    form_class=IRContactForm,
    kind="ir-contact",
    title="Incident response contacts",
    columns=[
        Column("Order", lambda c: c.order),
        Column("Role", lambda c: c.get_role_display()),
        Column("Name", lambda c: c.name),
        Column("Organisation", lambda c: c.organisation),
        Column("Phone", lambda c: c.phone),
        Column("Email", lambda c: c.email),
        Column("When to call", lambda c: c.when_to_call),
    ],
    namespace="security",
)


# --- tabletop exercises -------------------------------------------------------------------------


class DetailCrud(Crud):
    """After a save, go to the record's own page (``detail``) rather than the list."""

    detail: str = ""

    def _save(self, request, form, verb: str):
        super()._save(request, form, verb)  # saved, with its message; then to its page
        return redirect(_url(request.client, self.detail, self._target(form.instance).pk))

    def _target(self, obj):
        return obj


class TabletopCrud(DetailCrud):
    detail = "tabletop-detail"


class ActionCrud(DetailCrud):
    detail = "tabletop-detail"

    def _target(self, obj):
        return obj.tabletop

    def _form(self, request, instance=None):
        form = super()._form(request, instance)
        pk = request.GET.get("tabletop", "")
        if instance is None and request.method == "GET" and pk.isdigit():
            tabletop = Tabletop.objects.filter(pk=pk).first()
            if tabletop is not None:
                form.initial.update(tabletop=tabletop.pk, owner=tabletop.owner_id)
        return form


class IncidentCrud(DetailCrud):
    detail = "incident-detail"

    def _form(self, request, instance=None):
        form = super()._form(request, instance)
        if instance is None and request.method == "GET":
            form.initial["detected_at"] = timezone.localtime().replace(second=0, microsecond=0)
        return form


TABLETOPS = TabletopCrud(
    model=Tabletop,
    form_class=TabletopForm,
    kind="tabletop",
    title="Tabletop exercises",
    intro="Walk through an incident on paper before it happens: who calls whom, what breaks, "
    "what is missing. Each gap becomes an action item with an owner and a due date.",
    columns=[
        Column("Held on", lambda t: t.held_on),
        Column("Scenario", lambda t: t.scenario),
        Column("Participants", lambda t: t.participants),
        Column("Findings", lambda t: t.findings),
        Column("Owner", lambda t: t.owner.name),
        Column("Actions", lambda t: t.action_count),
        Column("Open actions", lambda t: t.open_count),
    ],
    search_fields=["scenario", "participants", "findings"],
    list_template="security/ir_tabletop_list.html",
    queryset=lambda: Tabletop.objects.select_related("owner").annotate(
        action_count=Count("actions"), open_count=Count("actions", filter=Q(actions__done=False))
    ),
    empty_text="No tabletop exercise yet.",
    namespace="security",
)

ACTIONS = ActionCrud(
    model=TabletopAction,
    form_class=TabletopActionForm,
    kind="tabletop-action",
    title="Actions from exercises",
    intro="Every gap a tabletop exercise found, with its owner and due date; open ones first.",
    columns=[
        Column("Action", lambda a: a.title),
        Column("Exercise", lambda a: str(a.tabletop)),
        Column("Owner", lambda a: a.owner.name),
        Column("Due on", lambda a: a.due_on),
        Column("Done", lambda a: "yes" if a.done else "no"),
    ],
    search_fields=["title", "tabletop__scenario"],
    queryset=lambda: TabletopAction.objects.select_related("tabletop", "owner"),
    empty_text="No actions yet: they come from the findings of a tabletop exercise.",
    namespace="security",
)


@client_view(Level.READ, Tabletop)
def tabletop_detail(request, client_slug, pk):
    tabletop = get_for_client_or_404(Tabletop, pk=pk)
    context = {
        "tabletop": tabletop,
        "owner": tabletop.owner,
        "actions": list(tabletop.actions.select_related("owner")),
        "can_write": request.access >= Level.PRACTICE,
        "today": request.client.today(),
    }
    return render(request, "security/ir_tabletop_detail.html", context)


@client_view(Level.PRACTICE, TabletopAction)
def tabletop_action_toggle(request, client_slug, pk):
    action = get_for_client_or_404(TabletopAction, pk=pk)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    action.done = not action.done
    action.save()
    if request.htmx:
        context = {"action": action, "can_write": True, "today": request.client.today()}
        return render(request, "security/ir_tabletop_detail.html#action", context)
    return redirect(_url(request.client, "tabletop-detail", action.tabletop_id))


# --- incidents ----------------------------------------------------------------------------------

INCIDENTS = IncidentCrud(
    model=Incident,
    form_class=IncidentForm,
    kind="incident",
    title="Incidents",
    intro="Security incidents and suspected ones, each with a timeline of what happened and "
    "what was done, in the client's time zone.",
    columns=[
        Column("Detected at", lambda i: i.detected_at),
        Column("Incident", lambda i: i.title),
        Column("Severity", lambda i: i.get_severity_display()),
        Column("Status", lambda i: i.get_status_display()),
        Column("Incident lead", lambda i: i.owner.name),
        Column("Insurer notified at", lambda i: i.insurer_notified_at),
        Column("Timeline entries", lambda i: i.event_count),
        Column("Summary", lambda i: i.summary),
    ],
    search_fields=["title", "summary"],
    list_template="security/ir_incident_list.html",
    queryset=lambda: Incident.objects.select_related("owner").annotate(event_count=Count("events")),
    empty_text="No incidents recorded.",
    namespace="security",
)


@client_view(Level.READ, Incident)
def incident_detail(request, client_slug, pk):
    incident = get_for_client_or_404(Incident, pk=pk)
    now = timezone.localtime().replace(second=0, microsecond=0)
    context = {
        "incident": incident,
        "owner": incident.owner,
        "events": list(incident.events.select_related("author")),
        "form": IncidentEventForm(initial={"at": now}),
        "can_write": request.access >= Level.PRACTICE,
        "can_log": request.access >= Level.CONTRIBUTOR,
    }
    return render(request, "security/ir_incident_detail.html", context)


@client_view(Level.CONTRIBUTOR, Incident)
def incident_event_add(request, client_slug, pk):
    """A timeline entry: what happened or was done, when, by whom (the signed-in user)."""
    incident = get_for_client_or_404(Incident, pk=pk)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    form = IncidentEventForm(request.POST)
    if form.is_valid():
        event = form.save(commit=False)
        event.incident = incident
        event.author = request.user
        event.save()
        messages.success(request, "Timeline entry added.")
        return redirect(_url(request.client, "incident-detail", incident.pk) + "#timeline")
    context = {
        "incident": incident,
        "owner": incident.owner,
        "events": list(incident.events.select_related("author")),
        "form": form,
        "can_write": request.access >= Level.PRACTICE,
        "can_log": True,
    }
    return render(request, "security/ir_incident_detail.html", context, status=400)


TIMELINE_COLUMNS = [
    Column("When", lambda e: e.at),
    Column("Entry", lambda e: e.entry),
    Column("Author", lambda e: str(e.author) if e.author else ""),
]


@client_view(Level.READ, Incident)
def incident_timeline_export(request, client_slug, pk):
    incident = get_for_client_or_404(Incident, pk=pk)
    events = incident.events.select_related("author")
    filename = f"{request.client.slug}-incident-{incident.pk}-timeline"
    return export_response(request.GET.get("format", "csv"), filename, TIMELINE_COLUMNS, events)
