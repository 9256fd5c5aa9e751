"""The delivery figures on the portfolio: registered with ciodesk.core.figures.

Each provider runs one query for every client shown (the comparisons that depend on each
client's today are done in Python on the few columns they need):

* Projects — stalled, off-track and at-risk active projects (attention when any);
* Decisions — requests waiting for an executive (attention when one is past its deadline);
* Retainer — hours used this month against the hours included, “12.5 / 16 h (78 %)”
  (attention above 100 %).
"""

from __future__ import annotations

from collections import defaultdict

from django.db.models import OuterRef, Subquery
from django.urls import NoReverseMatch, reverse

from ciodesk.core.figures import Figure, register
from ciodesk.delivery import services_projects, services_time


def _url(name: str, client) -> str:
    try:
        return reverse(name, kwargs={"client_slug": client.slug})
    except NoReverseMatch:
        return ""


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


@register("delivery.projects", order=500)
def project_health(clients):
    from ciodesk.delivery.models import Project, ProjectUpdate

    newest = ProjectUpdate.unscoped.filter(project=OuterRef("pk")).order_by("-on", "-pk")
    by_client = defaultdict(list)
    # Explicit cross-client read for the portfolio: limited to the clients on the page.
    for row in (
        Project.unscoped.filter(client__in=clients, status=Project.Status.ACTIVE)
        .annotate(health=Subquery(newest.values("health")[:1]))
        .values_list("client_id", "latest_update_on", "start_on", "update_cadence_days", "health")
    ):
        by_client[row[0]].append(row[1:])
    figures = {}
    for client in clients:
        items = by_client.get(client.pk)
        if not items:
            continue
        today = client.today()
        stalled = off = at_risk = 0
        for latest, start, cadence, health in items:
            if services_projects.stalled("active", latest, start, cadence, today):
                stalled += 1
            elif health == "off_track":
                off += 1
            elif health == "at_risk":
                at_risk += 1
        parts = [f"{stalled} stalled"] if stalled else []
        parts += [f"{off} off track"] if off else []
        parts += [f"{at_risk} at risk"] if at_risk else []
        attention = bool(parts)
        figures[client.pk] = Figure(
            "Projects",
            " · ".join(parts) if attention else f"{len(items)} on track",
            attention=attention,
            url=_url("delivery:project-list", client),
            detail=f"of {_plural(len(items), 'active project')}" if attention else "",
        )
    return figures


@register("delivery.decisions", order=510)
def waiting_decisions(clients):
    from ciodesk.delivery.models import Decision

    deadlines = defaultdict(list)
    # Explicit cross-client read for the portfolio: limited to the clients on the page.
    for client_id, deadline in Decision.unscoped.filter(
        client__in=clients, status=Decision.Status.PENDING
    ).values_list("client_id", "deadline"):
        deadlines[client_id].append(deadline)
    figures = {}
    for client in clients:
        items = deadlines.get(client.pk)
        if not items:
            continue
        today = client.today()
        late = sum(1 for d in items if d is not None and d < today)
        figures[client.pk] = Figure(
            "Decisions waiting",
            str(len(items)),
            attention=late > 0,
            url=_url("delivery:decision-list", client),
            detail=f"{late} past deadline" if late else "",
        )
    return figures


@register("delivery.retainer", order=520)
def retainer(clients):
    monthly = services_time.figures_for_clients(clients)
    figures = {}
    for client in clients:
        fig = monthly[client.pk]
        if not fig.included_hours and not fig.minutes:
            continue  # no retainer hours and no time logged: nothing to say
        figures[client.pk] = Figure(
            "Retainer",
            fig.label,
            attention=fig.over,
            url=_url("delivery:time-list", client),
            detail=f"over by {fig.remaining_text} h in {fig.month_start:%B}" if fig.over else "",
        )
    return figures
