"""The weekly digest e-mail: what needs each person this week, across the clients they see.

Two kinds, one e-mail per user:

* Practice users (the lead, consultants): for each active client they may open — every
  client for the lead, the assigned ones for a consultant — pending decisions, overdue
  action items (theirs marked and listed first), stalled projects, contract notice
  deadlines within 30 days, stale controls and risks past their review date.
* Client executives (who are not practice users): for each active client they are the
  executive of — the decisions waiting for them, highlights (projects done in the last 14
  days by their latest update, projects at risk, off track or stalled) and renewals in
  the next 90 days.

A section appears only where its data exists; a digest with nothing in it is not sent.
Users with ``weekly_digest`` off are skipped. Every client's part is read inside that
client's scope, so a digest can only contain the clients its reader may open. The weekly
rhythm is the scheduler's (``ciodesk send-digests`` from cron or a systemd timer); mail
goes through the default mailer, SMTP when ``EMAIL_HOST`` is set (see settings).
"""

from __future__ import annotations

import datetime
import logging
import smtplib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, mailers
from django.db.models import OuterRef, Subquery
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse

from ciodesk.accounts.models import User
from ciodesk.core.scope import scope
from ciodesk.delivery.models import ActionItem, Decision, Project, ProjectUpdate
from ciodesk.delivery.services_agenda import days_phrase, project_is_stalled, url_for
from ciodesk.tenancy.access import visible_clients
from ciodesk.tenancy.models import Client, ClientMembership

logger = logging.getLogger(__name__)
NOTICE_DAYS = 30
RENEWAL_DAYS = 90
DONE_RECENTLY_DAYS = 14
MAX_LINES = 10
PRACTICE, EXECUTIVE = "practice", "executive"


@dataclass(frozen=True)
class Item:
    text: str
    url: str = ""
    note: str = ""
    mine: bool = False


@dataclass
class ClientPart:
    client: Client
    url: str
    sections: list[tuple[str, list[Item]]] = field(default_factory=list)

    @property
    def count(self) -> int:
        return sum(len(items) for _, items in self.sections)


@dataclass
class Digest:
    user: Any
    kind: str
    parts: list[ClientPart]

    @property
    def count(self) -> int:
        return sum(part.count for part in self.parts)

    @property
    def is_empty(self) -> bool:
        return self.count == 0


def absolute(url: str) -> str:
    return settings.SITE_URL + url if url.startswith("/") else url


def link(client: Client, *candidates: tuple[str, int | None]) -> str:
    return absolute(url_for(client, *candidates))


def _capped(items: list[Item], more_url: str = "") -> list[Item]:
    if len(items) <= MAX_LINES:
        return items
    rest = len(items) - MAX_LINES
    return [*items[:MAX_LINES], Item(f"and {rest} more", more_url)]


# --- practice sections (each runs inside the client's scope) ------------------------------------


def pending_decisions(client: Client, today: datetime.date, user) -> list[Item]:
    decisions = Decision.objects.filter(status=Decision.Status.PENDING).select_related("decider")
    items = []
    for d in decisions.order_by("deadline", "pk"):
        note = f"waiting for {d.decider}"
        if d.deadline:
            note += f"; deadline {d.deadline:%Y-%m-%d} ({days_phrase(d.deadline, today)})"
        url = link(client, ("delivery:decision-detail", d.pk), ("delivery:decision-list", None))
        items.append(Item(d.question, url, note))
    return _capped(items, link(client, ("delivery:decision-list", None)))


def overdue_actions(client: Client, today: datetime.date, user) -> list[Item]:
    email = (user.email or "").lower()
    rows = ActionItem.objects.filter(status=ActionItem.Status.OPEN, due_on__lt=today)
    items = [
        Item(
            a.title,
            link(client, ("delivery:action-list", None)),
            f"{a.owner.name}; due {a.due_on:%Y-%m-%d} ({days_phrase(a.due_on, today)})",
            mine=bool(email) and a.owner.email.lower() == email,
        )
        for a in rows.select_related("owner").order_by("due_on", "pk")
    ]
    items.sort(key=lambda item: not item.mine)  # stable: the reader's own first
    return _capped(items, link(client, ("delivery:action-list", None)))


def stalled_projects(client: Client, today: datetime.date, user) -> list[Item]:
    rows = Project.objects.filter(status=Project.Status.ACTIVE).select_related("owner")
    items = []
    for p in rows.order_by("name"):
        if project_is_stalled(p, today):
            last = "no update"
            if p.latest_update_on:
                last = f"last update {p.latest_update_on:%Y-%m-%d}"
            url = link(client, ("delivery:project-detail", p.pk), ("delivery:project-list", None))
            items.append(Item(p.name, url, f"{last}; owner {p.owner.name}"))
    return _capped(items)


def _contract_rows(today: datetime.date):
    try:
        from ciodesk.vendors import contracts as dates
        from ciodesk.vendors.models import Contract
    except ImportError:
        return None, []
    return dates, dates.rows(Contract.objects.select_related("vendor"), today)


def notice_deadlines(client: Client, today: datetime.date, user) -> list[Item]:
    dates, rows = _contract_rows(today)
    items = []
    for row in rows:
        deadline = row.facts.notice_deadline
        if row.facts.status == dates.EXPIRED or not 0 <= (deadline - today).days <= NOTICE_DAYS:
            continue
        c = row.contract
        items.append(
            Item(
                f"{c.vendor.name} — {c.title}",
                link(client, ("vendors:contract-detail", c.pk)),
                f"give notice by {deadline:%Y-%m-%d} ({days_phrase(deadline, today)})",
            )
        )
    return _capped(items)


def stale_controls(client: Client, today: datetime.date, user) -> list[Item]:
    try:
        from ciodesk.security.services_controls import states
        from ciodesk.security.state import STALE
    except ImportError:
        return []
    stale = [s for s in states(today, ensure=False).values() if s.effective == STALE]
    items = [
        Item(
            s.control.definition.title,
            link(client, ("security:control-detail", s.control.pk)),
            f"stale since {s.due_on:%Y-%m-%d}" if s.due_on else "no dated evidence",
        )
        for s in sorted(stale, key=lambda s: s.due_on or datetime.date.min)
    ]
    return _capped(items, link(client, ("security:control-list", None)))


def risks_past_review(client: Client, today: datetime.date, user) -> list[Item]:
    try:
        from ciodesk.security.models import Risk
    except ImportError:
        return []
    rows = Risk.objects.filter(
        status=Risk.Status.OPEN, next_review_on__isnull=False, next_review_on__lt=today
    ).select_related("owner")
    items = [
        Item(
            r.title,
            link(client, ("security:risk-detail", r.pk)),
            f"review was due {r.next_review_on:%Y-%m-%d}; score {r.score}; owner {r.owner.name}",
        )
        for r in rows.order_by("next_review_on", "pk")
    ]
    return _capped(items, link(client, ("security:risk-list", None)))


# --- executive sections ---------------------------------------------------------------------------


def decisions_for(client: Client, today: datetime.date, user) -> list[Item]:
    rows = Decision.objects.filter(status=Decision.Status.PENDING, decider=user)
    items = []
    for d in rows.order_by("deadline", "pk"):
        note = f"decide by {d.deadline:%Y-%m-%d}" if d.deadline else "no deadline"
        if d.recommendation:
            note += f"; recommended: {d.recommendation.splitlines()[0][:120]}"
        url = link(client, ("delivery:decision-detail", d.pk), ("delivery:decision-list", None))
        items.append(Item(d.question, url, note))
    return items


def project_highlights(client: Client, today: datetime.date, user) -> list[Item]:
    latest = ProjectUpdate.objects.filter(project=OuterRef("pk")).order_by("-on", "-pk")
    rows = (
        Project.objects.filter(status__in=[Project.Status.ACTIVE, Project.Status.DONE])
        .annotate(health=Subquery(latest.values("health")[:1]))
        .order_by("name")
    )
    since = today - datetime.timedelta(days=DONE_RECENTLY_DAYS)
    items = []
    for p in rows:
        url = link(client, ("delivery:project-detail", p.pk), ("delivery:project-list", None))
        if p.status == Project.Status.DONE:
            if p.latest_update_on and p.latest_update_on >= since:
                items.append(Item(p.name, url, "done"))
        elif p.health in (ProjectUpdate.Health.AT_RISK, ProjectUpdate.Health.OFF_TRACK):
            items.append(Item(p.name, url, ProjectUpdate.Health(p.health).label.lower()))
        elif project_is_stalled(p, today):
            items.append(Item(p.name, url, "no recent progress report"))
    return items


def upcoming_renewals(client: Client, today: datetime.date, user) -> list[Item]:
    dates, rows = _contract_rows(today)
    items = []
    for row in rows:
        f, c = row.facts, row.contract
        if f.status == dates.EXPIRED or not 0 <= (f.renewal_date - today).days <= RENEWAL_DAYS:
            continue
        verb = "renews" if c.auto_renew else "ends"
        note = f"{verb} {f.renewal_date:%Y-%m-%d}"
        if f.days_to_notice_deadline >= 0:
            note += f"; notice by {f.notice_deadline:%Y-%m-%d}"
        items.append(Item(f"{c.vendor.name} — {c.title}", "", note))
    return items


Section = Callable[[Client, datetime.date, Any], list[Item]]
SECTIONS: dict[str, list[tuple[str, Section]]] = {
    PRACTICE: [
        ("Pending decisions", pending_decisions),
        ("Overdue actions", overdue_actions),
        ("Stalled projects", stalled_projects),
        (f"Notice deadlines within {NOTICE_DAYS} days", notice_deadlines),
        ("Stale controls", stale_controls),
        ("Risks past their review date", risks_past_review),
    ],
    EXECUTIVE: [
        ("Decisions waiting for you", decisions_for),
        ("Projects", project_highlights),
        (f"Renewals in the next {RENEWAL_DAYS} days", upcoming_renewals),
    ],
}


def clients_for(user, kind: str) -> list[Client]:
    """The active clients a digest of this kind may cover for this user."""
    if kind == PRACTICE:
        clients = visible_clients(user)
    else:
        ids = ClientMembership.unscoped.filter(
            user=user, role=ClientMembership.Role.EXECUTIVE
        ).values("client_id")
        clients = Client.objects.filter(pk__in=ids)
    return list(clients.filter(status=Client.Status.ACTIVE).order_by("name"))


def digest_for(user, kind: str) -> Digest:
    parts = []
    for client in clients_for(user, kind):
        today = client.today()
        home = absolute(reverse("tenancy:client-home", kwargs={"client_slug": client.slug}))
        part = ClientPart(client, home)
        with scope(client):
            for title, section in SECTIONS[kind]:
                try:
                    items = section(client, today, user)
                except Exception:  # one app's failure must not stop everyone's digest
                    logger.exception("Digest section %r failed for %s", title, client.slug)
                    continue
                if items:
                    part.sections.append((title, items))
        if part.sections:
            parts.append(part)
    return Digest(user, kind, parts)


def recipients(practice: bool = True, executives: bool = True) -> list[tuple[Any, str]]:
    """(user, kind) for every active user a digest may go to, opted-out ones included."""
    out: list[tuple[Any, str]] = []
    users = User.objects.filter(is_active=True).select_related("practice_membership")
    if practice:
        out += [(u, PRACTICE) for u in users.filter(practice_membership__isnull=False)]
    if executives:
        ids = ClientMembership.unscoped.filter(role=ClientMembership.Role.EXECUTIVE).values(
            "user_id"
        )
        execs = users.filter(pk__in=ids, practice_membership__isnull=True)
        out += [(u, EXECUTIVE) for u in execs]
    return out


def settings_url() -> str:
    for name in ("digest-settings", "accounts:security"):
        try:
            return absolute(reverse(name))
        except NoReverseMatch:
            continue
    return settings.SITE_URL


def subject(digest: Digest) -> str:
    n, parts = digest.count, digest.parts
    things = f"{n} item{'s' if n != 1 else ''}"
    if digest.kind == PRACTICE:
        where = parts[0].client.name if len(parts) == 1 else f"{len(parts)} clients"
        return f"What needs you this week: {things}, {where}"
    if len(parts) == 1:
        return f"{parts[0].client.name}: your IT week ({things})"
    return f"Your IT week: {things} across {len(parts)} companies"


def message(digest: Digest) -> EmailMultiAlternatives:
    context = {
        "digest": digest,
        "user": digest.user,
        "practice": digest.kind == PRACTICE,
        "settings_url": settings_url(),
    }
    mail = EmailMultiAlternatives(
        subject(digest),
        render_to_string("delivery/email/digest.txt", context),
        None,
        [digest.user.email],
    )
    mail.attach_alternative(render_to_string("delivery/email/digest.html", context), "text/html")
    return mail


@dataclass
class Outcome:
    sent: list[tuple[str, str]] = field(default_factory=list)  # (address, subject)
    opted_out: list[str] = field(default_factory=list)
    empty: list[str] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)  # (address, reason)


def send_digests(
    practice: bool = True,
    executives: bool = True,
    dry_run: bool = False,
    only: Iterable[str] = (),
) -> Outcome:
    """Build and send every digest over one SMTP connection; one failure does not stop
    the others (it is reported). With ``dry_run`` nothing is sent."""
    outcome = Outcome()
    wanted = {e.lower() for e in only}
    messages = []
    for user, kind in recipients(practice, executives):
        if wanted and user.email.lower() not in wanted:
            continue
        if not user.weekly_digest:
            outcome.opted_out.append(user.email)
            continue
        digest = digest_for(user, kind)
        if digest.is_empty:
            outcome.empty.append(user.email)
            continue
        messages.append(message(digest))
    if dry_run:
        outcome.sent = [(m.to[0], m.subject) for m in messages]
        return outcome
    if not messages:
        return outcome
    with mailers.default as connection:
        for mail in messages:
            try:
                connection.send_messages([mail])
            except (smtplib.SMTPException, OSError) as exc:
                outcome.failed.append((mail.to[0], str(exc) or type(exc).__name__))
            else:
                outcome.sent.append((mail.to[0], mail.subject))
    return outcome
