"""Who may see and change what.

Levels, lowest first: an executive reads everything of their client; a contributor also
edits what a view allows contributors to edit; an assigned consultant and the lead do the
practice's work; only the lead manages the practice, its clients and their members.
"""

from __future__ import annotations

from enum import IntEnum

from django.db.models import QuerySet

from ciodesk.tenancy.models import Client, ClientMembership


class Level(IntEnum):
    NONE = 0
    READ = 1
    CONTRIBUTOR = 2
    PRACTICE = 3
    LEAD = 4


CLIENT_ROLE_LEVEL = {
    ClientMembership.Role.EXECUTIVE: Level.READ,
    ClientMembership.Role.CONTRIBUTOR: Level.CONTRIBUTOR,
    ClientMembership.Role.CONSULTANT: Level.PRACTICE,
}


def level_for(user, client: Client) -> Level:
    if not user.is_authenticated or not user.is_active:
        return Level.NONE
    if user.is_lead:
        return Level.LEAD
    membership = ClientMembership.unscoped.filter(user=user, client=client).first()
    if membership is None:
        return Level.NONE
    if membership.role == ClientMembership.Role.CONSULTANT and not user.is_practice_user:
        return Level.NONE
    return CLIENT_ROLE_LEVEL[membership.role]


def visible_clients(user) -> QuerySet[Client]:
    """Every client this user may open, for menus, the portfolio and form choices."""
    if not user.is_authenticated or not user.is_active:
        return Client.objects.none()
    if user.is_lead:
        return Client.objects.all()
    ids = ClientMembership.unscoped.filter(user=user).values("client_id")
    if not user.is_practice_user:
        ids = ids.exclude(role=ClientMembership.Role.CONSULTANT)
    return Client.objects.filter(pk__in=ids)
