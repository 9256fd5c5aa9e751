"""The client itself in the dossier: its people and who signs in, key systems, sites,
notes, and the engagement's terms (tenancy)."""

from __future__ import annotations

import calendar
from dataclasses import dataclass

from ciodesk.reports.sections import DOSSIER, Ctx, section
from ciodesk.tenancy.models import ClientMembership, KeySystem, Note, Person, Site


@dataclass
class ClientFacts:
    people: list[Person]
    members: list[tuple[str, str, str]]  # name, e-mail, role
    systems: list[KeySystem]
    sites: list[Site]
    notes: list[Note]
    fiscal_month: str


@section("client", kinds=[DOSSIER], order=5)
def client_facts(ctx: Ctx) -> ClientFacts:
    """Five queries: people, members, systems, sites, notes."""
    members = [
        (str(m.user), m.user.email, m.get_role_display())
        for m in ClientMembership.objects.select_related("user").order_by("role", "user__email")
    ]
    return ClientFacts(
        people=list(Person.objects.filter(client=ctx.client)),
        members=members,
        systems=list(KeySystem.objects.select_related("owner")),
        sites=list(Site.objects.all()),
        notes=list(Note.objects.all()),
        fiscal_month=calendar.month_name[ctx.client.fiscal_year_start_month or 1],
    )
