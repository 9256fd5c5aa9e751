"""Incident-response actions on the meeting agenda: open tabletop actions that fall due
before the next meeting, registered with the delivery app's agenda sources."""

from __future__ import annotations

from ciodesk.delivery.services_agenda import AgendaContext, AgendaLine, due_note, source, url_for
from ciodesk.security.models import TabletopAction


@source("tabletop_actions", "Incident-response actions due", order=65)
def tabletop_actions(ctx: AgendaContext) -> list[AgendaLine]:
    actions = (
        TabletopAction.objects.filter(done=False, due_on__lt=ctx.next_on)
        .select_related("owner", "tabletop")
        .order_by("due_on", "pk")
    )
    return [
        AgendaLine(
            f"{action.title} ({action.owner.name})",
            url_for(ctx.client, ("security:tabletop-detail", action.tabletop_id)),
            f"{due_note(action.due_on, ctx.on)}; from the tabletop “{action.tabletop.scenario}”",
        )
        for action in actions
    ]
