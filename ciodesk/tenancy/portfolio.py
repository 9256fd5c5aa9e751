"""Figures the foundation contributes to the portfolio and the client home."""

from __future__ import annotations

from django.db.models import Count, Max, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.timesince import timesince

from ciodesk.core.figures import Figure, register
from ciodesk.tenancy.models import Invitation, KeySystem


@register("tenancy.systems", order=900)
def key_systems(clients):
    rows = (
        KeySystem.unscoped.filter(client__in=clients)
        .values("client_id")
        .annotate(n=Count("id"), critical=Count("id", filter=Q(criticality="critical")))
    )
    counts = {row["client_id"]: row for row in rows}
    figures = {}
    for client in clients:
        row = counts.get(client.pk)
        url = reverse("tenancy:systems-list", kwargs={"client_slug": client.slug})
        if row is None:
            figures[client.pk] = Figure(
                "Key systems",
                "none yet",
                attention=True,
                url=url,
                detail="Record the systems the business runs on.",
            )
        else:
            figures[client.pk] = Figure(
                "Key systems", str(row["n"]), url=url, detail=f"{row['critical']} critical"
            )
    return figures


@register("tenancy.activity", order=950)
def last_activity(clients):
    from ciodesk.audit.models import ChangeRecord

    latest = dict(
        ChangeRecord.unscoped.filter(client__in=clients)
        .values("client_id")
        .annotate(last=Max("at"))
        .values_list("client_id", "last")
    )
    now = timezone.now()
    figures = {}
    for client in clients:
        url = reverse("tenancy:activity", kwargs={"client_slug": client.slug})
        last = latest.get(client.pk)
        if last is None:
            figures[client.pk] = Figure("Last activity", "never", attention=True, url=url)
            continue
        quiet = (now - last).days > 2 * client.cadence_days
        figures[client.pk] = Figure(
            "Last activity",
            "just now"
            if (now - last).total_seconds() < 60
            else f"{timesince(last, now).split(',')[0]} ago",
            attention=quiet and client.status == "active",
            url=url,
            detail="quiet for longer than two meeting cycles" if quiet else "",
        )
    return figures


@register("tenancy.invitations", order=960)
def pending_invitations(clients):
    rows = dict(
        Invitation.unscoped.filter(
            client__in=clients,
            accepted_at__isnull=True,
            revoked_at__isnull=True,
            expires_at__gt=timezone.now(),
        )
        .values("client_id")
        .annotate(n=Count("id"))
        .values_list("client_id", "n")
    )
    return {
        client.pk: Figure(
            "Invitations pending",
            str(rows[client.pk]),
            url=reverse("tenancy:members", kwargs={"client_slug": client.slug}),
        )
        for client in clients
        if rows.get(client.pk)
    }
