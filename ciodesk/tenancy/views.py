from __future__ import annotations

import calendar

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from ciodesk.accounts.forms import AcceptInvitationForm
from ciodesk.core.figures import figures_for
from ciodesk.delivery.services_time import retainer_figures
from ciodesk.tenancy import services
from ciodesk.tenancy.access import Level, visible_clients
from ciodesk.tenancy.forms import ClientForm, InvitationForm, PersonForm, PracticeForm
from ciodesk.tenancy.models import (
    Client,
    ClientMembership,
    Invitation,
    KeySystem,
    Note,
    Person,
    Practice,
    Site,
)
from ciodesk.tenancy.permissions import client_view, get_for_client_or_404


def _require_lead(request) -> None:
    if not request.user.is_lead:
        raise PermissionDenied("Only the practice lead can do this.")


def _require_practice(request) -> None:
    if not request.user.is_practice_user:
        raise PermissionDenied("Only the practice's own people can do this.")


@login_required
def home(request):
    clients = list(visible_clients(request.user))
    if not request.user.is_practice_user:
        if len(clients) == 1:
            return redirect(clients[0].get_absolute_url())
        return render(request, "tenancy/my_clients.html", {"clients": clients})
    status = request.GET.get("status", "current")
    shown = [
        c
        for c in clients
        if status == "all" or (status == "current" and c.status != "former") or c.status == status
    ]
    figures = figures_for(shown)
    rows = [(c, figures[c.pk]) for c in shown]
    rows.sort(key=lambda row: (-sum(f.attention for f in row[1]), row[0].name))
    context = {
        "rows": rows,
        "status": status,
        "statuses": [("current", "Current"), *Client.Status.choices, ("all", "All")],
        "total": len(clients),
    }
    template = "tenancy/portfolio.html#portfolio-rows" if request.htmx else "tenancy/portfolio.html"
    return render(request, template, context)


@login_required
def switch_client(request):
    slug = request.GET.get("to", "")
    client = visible_clients(request.user).filter(slug=slug).first()
    if client is None:
        raise Http404("No such client")
    return redirect(client.get_absolute_url())


@login_required
def client_create(request):
    _require_lead(request)
    form = ClientForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        client = form.save()
        messages.success(request, f"{client} added. Next: add its people and key systems.")
        return redirect(client.get_absolute_url())
    return render(
        request,
        "core/form.html",
        {"form": form, "heading": "Add a client", "cancel_url": reverse("home")},
    )


@login_required
def practice_settings(request):
    _require_lead(request)
    practice = Practice.current()
    form = PracticeForm(request.POST or None, request.FILES or None, instance=practice)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Practice settings saved.")
        return redirect("practice-settings")
    return render(
        request,
        "core/form.html",
        {"form": form, "heading": "Practice settings", "cancel_url": reverse("home")},
    )


def practice_logo(request):
    """The practice's logo (branding, shown on the sign-in page and on reports)."""
    practice = Practice.objects.order_by("pk").first()
    if practice is None or not practice.logo:
        raise Http404("No logo")
    content_type = "image/png" if practice.logo.name.lower().endswith(".png") else "image/jpeg"
    return FileResponse(practice.logo.open("rb"), content_type=content_type)


@login_required
def practice_people(request):
    _require_practice(request)
    return render(
        request,
        "tenancy/practice_people.html",
        {"people": Person.practice_people.all(), "can_write": request.user.is_lead},
    )


@login_required
def practice_person_edit(request, pk=None):
    _require_lead(request)
    person = None
    if pk is not None:
        person = Person.practice_people.filter(pk=pk).first()
        if person is None:
            raise Http404("No such person")
    form = PersonForm(request.POST or None, instance=person)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, f"{form.instance.name} saved.")
        return redirect("practice-people")
    heading = f"Edit {person.name}" if person else "Add a person of the practice"
    return render(
        request,
        "core/form.html",
        {"form": form, "heading": heading, "cancel_url": reverse("practice-people")},
    )


@client_view(Level.READ)
def client_home(request, client_slug):
    client = request.client
    context = {
        "figures": figures_for([client])[client.pk],
        "people": list(Person.objects.filter(client=client)[:8]),
        "people_count": Person.objects.filter(client=client).count(),
        "systems": list(KeySystem.objects.select_related("owner")[:8]),
        "systems_count": KeySystem.objects.count(),
        "sites": list(Site.objects.all()[:4]),
        "notes": list(Note.objects.all()[:3]),
        "recent": _recent_activity(6),
        "fiscal_month": calendar.month_name[client.fiscal_year_start_month],
        "retainer": retainer_figures(client, client.today()),
    }
    return render(request, "tenancy/client_home.html", context)


def _recent_activity(limit):
    from ciodesk.audit.models import ChangeRecord

    return list(ChangeRecord.objects.select_related("content_type", "actor")[:limit])


@client_view(Level.PRACTICE)
def client_edit(request, client_slug):
    form = ClientForm(request.POST or None, instance=request.client)
    if request.method == "POST" and form.is_valid():
        client = form.save()
        messages.success(request, "Client details saved.")
        return redirect(client.get_absolute_url())
    return render(
        request,
        "core/form.html",
        {
            "form": form,
            "heading": f"Edit {request.client}",
            "cancel_url": request.client.get_absolute_url(),
            "history_url": reverse("tenancy:client-history", kwargs={"client_slug": client_slug}),
        },
    )


@client_view(Level.READ)
def client_history(request, client_slug):
    from django.contrib.contenttypes.models import ContentType

    from ciodesk.audit.models import ChangeRecord

    records = ChangeRecord.objects.filter(
        content_type=ContentType.objects.get_for_model(Client), object_id=str(request.client.pk)
    ).select_related("actor")
    return render(
        request,
        "audit/history.html",
        {
            "object": request.client,
            "records": records,
            "title": str(request.client),
            "back_url": request.client.get_absolute_url(),
        },
    )


@client_view(Level.PRACTICE)
def members(request, client_slug):
    memberships = ClientMembership.objects.select_related("user").order_by("role", "user__email")
    invitations = Invitation.objects.filter(accepted_at__isnull=True).select_related("invited_by")
    form = InvitationForm()
    return render(
        request,
        "tenancy/members.html",
        {
            "memberships": memberships,
            "invitations": invitations,
            "form": form,
            "can_invite": request.access >= Level.LEAD,
        },
    )


@client_view(Level.LEAD)
def invite(request, client_slug):
    form = InvitationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            invitation = services.invite(
                request.client,
                form.cleaned_data["email"],
                form.cleaned_data["role"],
                request.user,
            )
        except ValidationError as exc:
            form.add_error("email", exc)
        else:
            messages.success(request, f"Invitation sent to {invitation.email}; valid 7 days.")
            return redirect("tenancy:members", client_slug=client_slug)
    return render(
        request,
        "core/form.html",
        {
            "form": form,
            "heading": f"Invite someone to {request.client}",
            "cancel_url": reverse("tenancy:members", kwargs={"client_slug": client_slug}),
            "submit_label": "Send invitation",
        },
    )


@require_POST
@client_view(Level.LEAD, Invitation)
def invitation_revoke(request, client_slug, pk):
    invitation = get_for_client_or_404(Invitation, pk=pk)
    try:
        services.revoke_invitation(invitation)
    except ValidationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"Invitation for {invitation.email} revoked.")
    return redirect("tenancy:members", client_slug=client_slug)


@require_POST
@client_view(Level.LEAD, ClientMembership)
def membership_remove(request, client_slug, pk):
    membership = get_for_client_or_404(ClientMembership, pk=pk)
    with transaction.atomic():
        membership.delete()
    messages.success(request, f"{membership.user} no longer has access to {request.client}.")
    return redirect("tenancy:members", client_slug=client_slug)


def accept_invitation(request, token):
    invitation = services.find_invitation(token)
    if invitation is None:
        raise Http404("This invitation link is not valid.")
    if invitation.status != "pending":
        return render(
            request, "tenancy/invitation_closed.html", {"invitation": invitation}, status=410
        )
    signed_in = request.user.is_authenticated and request.user.email == invitation.email
    if not signed_in and services.has_account(invitation.email):
        # The link alone never opens an existing account: its owner signs in first.
        return render(
            request, "tenancy/accept_invitation.html", {"invitation": invitation, "form": None}
        )
    form = AcceptInvitationForm(
        request.POST if request.method == "POST" else None,
        email=invitation.email,
        needs_password=not signed_in,
    )
    if request.method == "POST" and form.is_valid():
        try:
            user = services.accept_invitation(
                invitation,
                form.cleaned_data.get("full_name", ""),
                form.cleaned_data.get("password1"),
                user=request.user if signed_in else None,
            )
        except ValidationError:  # accepted, revoked or expired a moment ago
            invitation.refresh_from_db()
            return render(
                request, "tenancy/invitation_closed.html", {"invitation": invitation}, status=410
            )
        if not signed_in:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, f"Welcome to {invitation.client}.")
        return redirect(invitation.client.get_absolute_url())
    return render(
        request, "tenancy/accept_invitation.html", {"invitation": invitation, "form": form}
    )
