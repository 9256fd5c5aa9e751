"""The meeting invitation: an iCalendar REQUEST (RFC 5545 / iTIP) e-mailed to the attendees.

* ``UID`` is ``Meeting.ics_uid``, made once per meeting and never changed, so a calendar
  updates the event in place when the invitation is sent again;
* ``SEQUENCE`` is ``Meeting.ics_sequence``: 0 at the first send, one more at every resend
  (a calendar ignores an update whose sequence is not higher than the one it holds);
* ``DTSTART``/``DTEND`` are in UTC (the ``Z`` form), which every calendar converts to its
  own zone, so no VTIMEZONE block is needed;
* ``ORGANIZER`` is the meeting's owner, ``ATTENDEE`` one line per attendee with an address;
* ``DESCRIPTION`` carries the agenda as plain text with absolute links, escaped and folded
  with the helpers of ``ciodesk.vendors.ics``.

The e-mail is multipart: the agenda as text and HTML, the calendar part as
``text/calendar; method=REQUEST`` (what Outlook and Gmail read as an invitation) and the
same calendar attached as ``invite.ics`` for other clients.
"""

from __future__ import annotations

import datetime
import re
import uuid
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, mailers
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from ciodesk.core.scope import scope
from ciodesk.delivery.models import Meeting
from ciodesk.vendors.ics import escape_text, fold

CONTROL_CHARS = re.compile(r"[\x00-\x1f\x7f\"]")
MD_LINK = re.compile(r"\[((?:[^\]\\]|\\.)*)\]\(([^)\s]+)\)")
MD_ESCAPE = re.compile(r"\\([\\`*_\[\]#|{}()>+.!-])")


class NoRecipients(ValueError):
    """None of the attendees has an e-mail address."""


def _host() -> str:
    return urlsplit(settings.SITE_URL).hostname or "ciodesk"


def new_uid() -> str:
    """A UID for a new meeting: unique across deployments, kept for the meeting's life."""
    return f"meeting-{uuid.uuid4().hex}@{_host()}"


def uid_of(meeting: Meeting) -> str:
    """The stored UID; a meeting made without one (an import, the shell) gets one derived
    from its key, which the first send then stores, so a download and the invitation
    always name the same event."""
    return meeting.ics_uid or f"meeting-{meeting.pk}@{_host()}"


def utc_stamp(moment: datetime.datetime) -> str:
    return moment.astimezone(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")


def param(value: str) -> str:
    """A parameter value (CN=…) quoted; double quotes and control characters cannot appear
    inside one (RFC 5545 §3.2), so they are dropped."""
    return '"' + CONTROL_CHARS.sub("", str(value)).strip() + '"'


def absolute(url: str) -> str:
    return settings.SITE_URL + url if url.startswith("/") else url


def absolute_links(agenda: str) -> str:
    """The Markdown agenda with its site-relative links made absolute (for e-mail)."""
    return MD_LINK.sub(lambda m: f"[{m.group(1)}]({absolute(m.group(2))})", agenda)


def plain_agenda(agenda: str) -> str:
    """The Markdown agenda as plain text: ``[text](url)`` → ``text <absolute url>``,
    headings without their hashes, backslash escapes removed."""
    text = MD_LINK.sub(lambda m: f"{m.group(1)} <{absolute(m.group(2))}>", agenda)
    lines = [re.sub(r"^#{1,6}\s+", "", line) for line in text.splitlines()]
    return MD_ESCAPE.sub(r"\1", "\n".join(lines)).strip()


def meeting_url(meeting: Meeting) -> str:
    path = reverse(
        "delivery:meeting-detail", kwargs={"client_slug": meeting.client.slug, "pk": meeting.pk}
    )
    return absolute(path)


def recipients(meeting: Meeting) -> list[tuple[str, str]]:
    """(name, address) of each attendee with an e-mail address, in name order."""
    return [(p.name, p.email) for p in meeting.attendees.all() if p.email]


def organizer(meeting: Meeting) -> tuple[str, str]:
    owner = meeting.owner
    if owner.email:
        return owner.name, owner.email
    from email.utils import parseaddr

    name, address = parseaddr(settings.DEFAULT_FROM_EMAIL)
    return owner.name or name, address


def invitation(
    meeting: Meeting, now: datetime.datetime | None = None, method: str = "REQUEST"
) -> str:
    """The VCALENDAR of the meeting, CRLF line ends, folded: METHOD:REQUEST for the
    e-mailed invitation, PUBLISH for a plain download (no reply expected)."""
    end = meeting.starts_at + datetime.timedelta(minutes=meeting.duration_minutes)
    url = meeting_url(meeting)
    description = plain_agenda(meeting.agenda) or "No agenda yet."
    org_name, org_address = organizer(meeting)
    with scope(meeting.client):
        people = recipients(meeting)
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//ciodesk//Meetings//EN",
        "CALSCALE:GREGORIAN",
        f"METHOD:{method}",
        "BEGIN:VEVENT",
        f"UID:{uid_of(meeting)}",
        f"SEQUENCE:{meeting.ics_sequence}",
        f"DTSTAMP:{utc_stamp(now or timezone.now())}",
        f"DTSTART:{utc_stamp(meeting.starts_at)}",
        f"DTEND:{utc_stamp(end)}",
        f"SUMMARY:{escape_text(f'{meeting.title} — {meeting.client.name}')}",
    ]
    if meeting.location:
        lines.append(f"LOCATION:{escape_text(meeting.location)}")
    lines.append(f"ORGANIZER;CN={param(org_name)}:mailto:{org_address}")
    for name, address in people:
        lines.append(
            f"ATTENDEE;CN={param(name)};CUTYPE=INDIVIDUAL;ROLE=REQ-PARTICIPANT;"
            f"PARTSTAT=NEEDS-ACTION;RSVP=TRUE:mailto:{address}"
        )
    lines += [
        f"DESCRIPTION:{escape_text(description + chr(10) * 2 + 'Meeting page: ' + url)}",
        f"URL;VALUE=URI:{url}",
        "STATUS:CONFIRMED",
        "TRANSP:OPAQUE",
        "END:VEVENT",
        "END:VCALENDAR",
    ]
    return "".join(fold(line) for line in lines)


def filename(meeting: Meeting) -> str:
    day = timezone.localtime(meeting.starts_at, meeting.client.tz)
    return f"{meeting.client.slug}-meeting-{day:%Y-%m-%d}.ics"


@dataclass(frozen=True)
class Sent:
    to: list[str]
    without_address: list[str]
    sequence: int


def message(meeting: Meeting, ics: str, to: list[str]) -> EmailMultiAlternatives:
    local = timezone.localtime(meeting.starts_at, meeting.client.tz)
    context = {
        "meeting": meeting,
        "client": meeting.client,
        "local": local,
        "agenda_markdown": absolute_links(meeting.agenda),
        "agenda_text": plain_agenda(meeting.agenda),
        "url": meeting_url(meeting),
        "resend": meeting.ics_sequence > 0,
    }
    subject = f"{'Updated: ' if context['resend'] else ''}{meeting.title} — "
    subject += f"{meeting.client.name}, {local:%a %d %b %Y %H:%M} ({meeting.client.time_zone})"
    owner_email = meeting.owner.email
    mail = EmailMultiAlternatives(
        subject,
        render_to_string("delivery/email/meeting_invitation.txt", context),
        None,
        to,
        reply_to=[owner_email] if owner_email else None,
    )
    mail.attach_alternative(
        render_to_string("delivery/email/meeting_invitation.html", context), "text/html"
    )
    mail.attach_alternative(ics, "text/calendar; method=REQUEST")
    mail.attach(filename(meeting), ics, "application/ics")
    return mail


def send_invitation(meeting: Meeting, now: datetime.datetime | None = None) -> Sent:
    """E-mail the invitation to every attendee with an address; raises NoRecipients when
    there is none. A resend raises the SEQUENCE by one. Nothing is saved if sending fails.

    The SMTP conversation happens outside any transaction: on SQLite a transaction holds
    the database's write lock, and a slow mail server must not stall every other writer.
    """
    with scope(meeting.client):
        meeting = Meeting.objects.select_related("owner", "client").get(pk=meeting.pk)
        people = list(meeting.attendees.all())
        to = [p.email for p in people if p.email]
        if not to:
            raise NoRecipients("None of the attendees has an e-mail address: add one first.")
        meeting.ics_uid = uid_of(meeting)
        if meeting.sent_at is not None:
            meeting.ics_sequence += 1
        now = now or timezone.now()
        mailers.default.send_messages([message(meeting, invitation(meeting, now), to)])
        meeting.sent_at = now
        meeting.save(update_fields=["ics_uid", "ics_sequence", "sent_at"])
    return Sent(to, [p.name for p in people if not p.email], meeting.ics_sequence)
