"""Calendar feeds (.ics, RFC 5545) of contract notice deadlines and renewal dates.

A user creates a secret address for one client, or (practice users) for every client they
may open. Only the SHA-256 of the token is stored (``CalendarFeed.token_hash``); the address
is shown once. Revoking it makes the address a 404. The feed is read again at every fetch
with the user's current access, so a removed membership empties nothing but closes the feed.

Events are all-day (``DTSTART;VALUE=DATE``), one for each contract's notice deadline and one
for its renewal (or end) date, with UIDs that stay the same from one fetch to the next
(``contract-<pk>-notice@<host>``), so Outlook and Google Calendar update them in place when
a contract rolls forward or is edited.
"""

from __future__ import annotations

import datetime
import secrets
from collections.abc import Iterable, Sequence
from urllib.parse import urlsplit

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from ciodesk.core.templatetags.ciodesk import money
from ciodesk.tenancy.access import Level, level_for, visible_clients
from ciodesk.vendors import contracts as dates
from ciodesk.vendors.models import CalendarFeed, Contract

CRLF = "\r\n"
LINE_OCTETS = 75


# --- RFC 5545 text ------------------------------------------------------------------------------


def escape_text(value: str) -> str:
    """TEXT value escaping (RFC 5545 §3.3.11): backslash, semicolon, comma, newline."""
    return (
        str(value)
        .replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\r", "\\n")
        .replace("\n", "\\n")
    )


def fold(line: str) -> str:
    """A content line folded at 75 octets (§3.1), never inside a UTF-8 character, with CRLF."""
    parts: list[str] = []
    current, size, limit = [], 0, LINE_OCTETS
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > limit:
            parts.append("".join(current))
            current, size, limit = [], 0, LINE_OCTETS - 1  # continuation lines start with a space
        current.append(char)
        size += width
    parts.append("".join(current))
    return (CRLF + " ").join(parts) + CRLF


def _date(day: datetime.date) -> str:
    return day.strftime("%Y%m%d")


def _stamp(moment: datetime.datetime) -> str:
    return moment.astimezone(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")


def _host() -> str:
    return urlsplit(settings.SITE_URL).hostname or "ciodesk"


def _event(
    uid: str,
    day: datetime.date,
    summary: str,
    description: str,
    url: str,
    category: str,
    stamp: str,
    alarm_days: int | None = None,
) -> list[str]:
    lines = [
        "BEGIN:VEVENT",
        f"UID:{uid}",
        f"DTSTAMP:{stamp}",
        f"DTSTART;VALUE=DATE:{_date(day)}",
        f"DTEND;VALUE=DATE:{_date(day + datetime.timedelta(days=1))}",
        f"SUMMARY:{escape_text(summary)}",
        f"DESCRIPTION:{escape_text(description)}",
        f"CATEGORIES:{escape_text(category)}",
        "TRANSP:TRANSPARENT",
    ]
    if url:
        lines.append(f"URL;VALUE=URI:{url}")
    if alarm_days:
        lines += [
            "BEGIN:VALARM",
            "ACTION:DISPLAY",
            f"DESCRIPTION:{escape_text(summary)}",
            f"TRIGGER:-P{alarm_days}D",
            "END:VALARM",
        ]
    lines.append("END:VEVENT")
    return lines


def contract_events(row: dates.Row, stamp: str, with_client: bool) -> list[str]:
    contract, facts = row.contract, row.facts
    client = contract.client
    name = f"{contract.vendor.name} — {contract.title}"
    suffix = f" ({client.name})" if with_client else ""
    url = settings.SITE_URL + reverse(
        "vendors:contract-detail", kwargs={"client_slug": client.slug, "pk": contract.pk}
    )
    value = money(contract.annual_value, contract.currency)
    renews = "renews automatically" if contract.auto_renew else "ends"
    details = [
        f"{name}{suffix}",
        f"Notice deadline: {facts.notice_deadline:%Y-%m-%d} ({contract.notice_days} days' notice)",
        f"Term {renews}: {facts.renewal_date:%Y-%m-%d}"
        + (f", for {contract.renewal_term_months} months" if contract.auto_renew else ""),
        f"Annual value: {value}",
    ]
    if contract.cancellation_method:
        details.append(f"Cancellation: {contract.cancellation_method}")
    details.append(url)
    description = "\n".join(details)
    host = _host()
    events = _event(
        f"contract-{contract.pk}-notice@{host}",
        facts.notice_deadline,
        f"Notice deadline: {name}{suffix}",
        description,
        url,
        "Notice deadline",
        stamp,
        alarm_days=7,
    )
    events += _event(
        f"contract-{contract.pk}-renewal@{host}",
        facts.renewal_date,
        f"{'Renews' if contract.auto_renew else 'Ends'}: {name}{suffix}",
        description,
        url,
        "Renewal",
        stamp,
    )
    return events


def calendar(
    name: str,
    rows: Iterable[dates.Row],
    with_client: bool = False,
    now: datetime.datetime | None = None,
) -> str:
    """The whole VCALENDAR, CRLF line ends, folded."""
    stamp = _stamp(now or timezone.now())
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//ciodesk//Contract renewals//EN",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{escape_text(name)}",
        "X-PUBLISHED-TTL:PT6H",
        "REFRESH-INTERVAL;VALUE=DURATION:PT6H",
    ]
    for row in rows:
        lines += contract_events(row, stamp, with_client)
    lines.append("END:VCALENDAR")
    return "".join(fold(line) for line in lines)


# --- feeds and their tokens ---------------------------------------------------------------------


def active_feed(user, client=None) -> CalendarFeed | None:
    return CalendarFeed.objects.filter(user=user, client=client, revoked_at__isnull=True).first()


# The audit trail records that a feed was created or revoked, never its token's hash.
AUDIT_EXCLUDE = frozenset({"token_hash", "created_at"})


@transaction.atomic
def create_feed(user, client=None) -> str:
    """A new secret token for (user, client); any earlier address stops working."""
    revoke_feeds(user, client)
    token = secrets.token_urlsafe(32)
    feed = CalendarFeed(user=user, client=client, token_hash=CalendarFeed.hash_token(token))
    feed.audit_exclude = AUDIT_EXCLUDE
    feed.save()
    return token


def revoke_feeds(user, client=None) -> int:
    feeds = list(CalendarFeed.objects.filter(user=user, client=client, revoked_at__isnull=True))
    for feed in feeds:
        feed.audit_exclude = AUDIT_EXCLUDE
        feed.revoked_at = timezone.now()
        feed.save(update_fields=["revoked_at"])
    return len(feeds)


def feed_path(token: str) -> str:
    return reverse("calendar-ics", kwargs={"token": token})


def find_feed(token: str) -> CalendarFeed | None:
    if not token or len(token) > 200:
        return None
    feed = (
        CalendarFeed.objects.filter(token_hash=CalendarFeed.hash_token(token))
        .select_related("user", "client", "user__practice_membership")
        .first()
    )
    if feed is None or feed.revoked_at is not None or not feed.user.is_active:
        return None
    return feed


def feed_clients(feed: CalendarFeed) -> Sequence | None:
    """The clients the feed's user may still see through it; None when the feed is closed."""
    user = feed.user
    if feed.client_id is not None:
        return [feed.client] if level_for(user, feed.client) >= Level.READ else None
    if not user.is_practice_user:
        return None
    return list(visible_clients(user))


def feed_calendar(feed: CalendarFeed) -> str | None:
    clients = feed_clients(feed)
    if clients is None:
        return None
    by_pk = {c.pk: c for c in clients}
    # Explicit cross-client read: limited to the clients the feed's user may open.
    contracts = list(Contract.unscoped.filter(client__in=clients).select_related("vendor"))
    for contract in contracts:
        contract.client = by_pk[contract.client_id]
    rows = dates.rows(contracts, {pk: c.today() for pk, c in by_pk.items()})
    if feed.client_id is not None:
        name = f"{feed.client.name}: contract deadlines"
    else:
        name = "All clients: contract deadlines"
    return calendar(name, rows, with_client=feed.client_id is None)
