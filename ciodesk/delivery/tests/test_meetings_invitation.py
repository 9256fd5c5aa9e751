"""The invitation: an iCalendar REQUEST sent to the attendees, updated in place on resend."""

from __future__ import annotations

import datetime
import email
from email import policy

import pytest
from django.core import mail
from django.utils import timezone

from ciodesk.core.scope import acting_as, scope
from ciodesk.delivery import ics_meetings
from ciodesk.delivery.models import Meeting
from ciodesk.tenancy.models import Person

LONG = "Review the backup restore test; decide on the firewall, the Wi-Fi, and the phones " * 3


def unfold(ics: str) -> list[str]:
    """Content lines with RFC 5545 folding undone (CRLF + one space continues a line)."""
    assert ics.endswith("\r\n")
    return ics.replace("\r\n ", "").split("\r\n")[:-1]


def props(lines: list[str], name: str) -> list[str]:
    return [line for line in lines if line.split(":", 1)[0].split(";", 1)[0] == name]


def unescape(value: str) -> str:
    return value.replace("\\n", "\n").replace("\\,", ",").replace("\\;", ";").replace("\\\\", "\\")


@pytest.fixture
def meeting(world):
    client = world.a
    with scope(client), acting_as("test setup"):
        owner = Person.objects.create(name="Lena Lead", email="lena@practice.test")
        pat = world.records["a"]["people"]
        nomail = Person.objects.create(client=client, name="No Mail")
        quoted = Person.objects.create(client=client, name='Jo "JJ" Doe, CFO', email="jo@a.test")
        m = Meeting.objects.create(
            starts_at=datetime.datetime(2026, 12, 1, 10, 0, tzinfo=client.tz),
            duration_minutes=45,
            title="IT review",
            location="Board room; floor 2",
            owner=owner,
            agenda=f"### Decisions due\n\n- [Buy \\*two\\* servers?](/c/alpha/x/) — {LONG}",
            ics_uid="meeting-abc@testserver",
        )
        m.attendees.add(pat, nomail, quoted)
    return m


def test_the_ics_is_a_request_with_a_stable_uid_utc_times_and_attendees(meeting, settings):
    settings.SITE_URL = "https://desk.example"
    ics = ics_meetings.invitation(meeting, now=datetime.datetime(2026, 11, 20, tzinfo=datetime.UTC))
    raw = ics.split("\r\n")
    assert all(len(line.encode()) <= 75 for line in raw)  # folded
    lines = unfold(ics)
    assert lines[0] == "BEGIN:VCALENDAR" and lines[-1] == "END:VCALENDAR"
    assert "METHOD:REQUEST" in lines
    assert props(lines, "UID") == ["UID:meeting-abc@testserver"]
    assert props(lines, "SEQUENCE") == ["SEQUENCE:0"]
    # 10:00 in Los Angeles on 1 December (PST, UTC−8) is 18:00 UTC; 45 minutes long.
    assert props(lines, "DTSTART") == ["DTSTART:20261201T180000Z"]
    assert props(lines, "DTEND") == ["DTEND:20261201T184500Z"]
    assert props(lines, "LOCATION") == ["LOCATION:Board room\\; floor 2"]
    assert props(lines, "ORGANIZER") == ['ORGANIZER;CN="Lena Lead":mailto:lena@practice.test']
    attendees = props(lines, "ATTENDEE")
    assert len(attendees) == 2  # "No Mail" has no address
    assert any(a.endswith(":mailto:jo@a.test") and 'CN="Jo JJ Doe, CFO"' in a for a in attendees)
    assert all("ROLE=REQ-PARTICIPANT" in a and "RSVP=TRUE" in a for a in attendees)
    (description,) = props(lines, "DESCRIPTION")
    text = unescape(description.split(":", 1)[1])
    assert text.startswith(
        "Decisions due\n\n- Buy *two* servers? <https://desk.example/c/alpha/x/>"
    )
    assert LONG.strip() in text
    assert f"Meeting page: https://desk.example/c/alpha/delivery/meetings/{meeting.pk}/" in text


def test_sending_mails_the_attendees_and_a_resend_raises_the_sequence(meeting):
    sent = ics_meetings.send_invitation(meeting)
    assert sorted(sent.to) == ["jo@a.test", "pat@example.com"]
    assert sent.without_address == ["No Mail"]
    (message,) = mail.outbox
    assert sorted(message.to) == ["jo@a.test", "pat@example.com"]
    assert message.reply_to == ["lena@practice.test"]
    assert message.subject.startswith("IT review — Alpha Dental, Tue 01 Dec 2026 10:00")
    parsed = email.message_from_bytes(message.message().as_bytes(), policy=policy.default)
    calendar = next(p for p in parsed.walk() if p.get_content_type() == "text/calendar")
    assert calendar.get_param("method") == "REQUEST"
    assert "SEQUENCE:0" in calendar.get_content()
    attachment = next(p for p in parsed.walk() if p.get_filename())
    assert attachment.get_filename() == "alpha-meeting-2026-12-01.ics"
    with scope(meeting.client):
        meeting.refresh_from_db()
    assert meeting.sent_at is not None and meeting.ics_sequence == 0

    again = ics_meetings.send_invitation(meeting)
    assert again.sequence == 1
    update = mail.outbox[1]
    assert update.subject.startswith("Updated: IT review")
    body = next(a for a in update.alternatives if a.mimetype.startswith("text/calendar")).content
    assert "SEQUENCE:1" in body and "UID:meeting-abc@testserver" in body


def test_no_attendee_with_an_address_sends_nothing(meeting):
    with scope(meeting.client):
        meeting.attendees.set([p for p in meeting.attendees.all() if not p.email])
    with pytest.raises(ics_meetings.NoRecipients):
        ics_meetings.send_invitation(meeting)
    assert mail.outbox == []
    with scope(meeting.client):
        meeting.refresh_from_db()
    assert meeting.sent_at is None


def test_the_send_button_sends_and_says_to_whom(world, as_user, meeting):
    url = f"/c/alpha/delivery/meetings/{meeting.pk}/send/"
    assert as_user(world.exec_a).post(url).status_code == 403
    response = as_user(world.lead).post(url, follow=True)
    assert response.status_code == 200
    assert "Invitation sent to" in response.content.decode()
    assert "No e-mail address for No Mail" in response.content.decode()
    assert len(mail.outbox) == 1
    response = as_user(world.lead).post(url, follow=True)
    assert "Update 1 sent" in response.content.decode()


def test_a_meeting_without_a_stored_uid_keeps_the_one_its_download_showed(world, as_user):
    with scope(world.a), acting_as("test setup"):
        m = Meeting.objects.create(
            starts_at=timezone.now(), owner=world.records["a"]["people"], ics_uid=""
        )
        m.attendees.add(world.records["a"]["people"])
    response = as_user(world.exec_a).get(f"/c/alpha/delivery/meetings/{m.pk}/invitation.ics")
    assert response["Content-Type"] == "text/calendar"
    lines = unfold(response.content.decode())
    assert "METHOD:PUBLISH" in lines
    (uid,) = props(lines, "UID")
    ics_meetings.send_invitation(m)
    with scope(world.a):
        m.refresh_from_db()
    assert f"UID:{m.ics_uid}" == uid
