"""`ciodesk send-digests` against a real SMTP server listening on 127.0.0.1.

The server is a few lines of socketserver (aiosmtpd is not a dependency): it speaks
EHLO/HELO, MAIL FROM, RCPT TO, DATA, RSET, NOOP and QUIT, keeps what it receives, and
refuses recipients whose address starts with "refused" so a failure can be seen.
"""

from __future__ import annotations

import datetime
import email
import socketserver
import threading
from email import policy

import pytest
from django.core.management import CommandError, call_command

from ciodesk.conftest import CANARY, make_user
from ciodesk.core.scope import acting_as, scope
from ciodesk.delivery.models import ActionItem, Decision
from ciodesk.tenancy.models import ClientMembership, Person


class SMTPHandler(socketserver.StreamRequestHandler):
    def reply(self, text: str) -> None:
        self.wfile.write(text.encode() + b"\r\n")

    def handle(self) -> None:
        self.reply("220 127.0.0.1 test SMTP ready")
        sender, rcpts = None, []
        while line := self.rfile.readline():
            command = line.decode("ascii", "replace").rstrip("\r\n")
            verb = command.split(" ", 1)[0].upper()
            if verb == "EHLO":
                self.reply("250-127.0.0.1\r\n250-8BITMIME\r\n250 SIZE 10000000")
            elif verb == "HELO":
                self.reply("250 127.0.0.1")
            elif verb == "MAIL":
                sender, rcpts = command.split(":", 1)[1].split()[0].strip("<>"), []
                self.reply("250 OK")
            elif verb == "RCPT":
                address = command.split(":", 1)[1].split()[0].strip("<>")
                if address.startswith("refused"):
                    self.reply("550 No such user here")
                else:
                    rcpts.append(address)
                    self.reply("250 OK")
            elif verb == "DATA":
                self.reply("354 End data with <CR><LF>.<CR><LF>")
                data = []
                while (chunk := self.rfile.readline()) not in (b".\r\n", b""):
                    data.append(chunk[1:] if chunk.startswith(b".") else chunk)  # unstuff
                self.server.received.append((sender, rcpts, b"".join(data)))
                self.reply("250 OK queued")
            elif verb in ("RSET", "NOOP"):
                sender, rcpts = (None, []) if verb == "RSET" else (sender, rcpts)
                self.reply("250 OK")
            elif verb == "QUIT":
                self.reply("221 Bye")
                return
            else:
                self.reply("502 Command not implemented")


@pytest.fixture
def smtp(settings):
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), SMTPHandler)
    server.daemon_threads = True
    server.received = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": "127.0.0.1",
                "port": server.server_address[1],
                "use_tls": False,
                "use_ssl": False,
                "timeout": 10,
            },
        }
    }
    yield server
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)


def received(server) -> dict[str, email.message.EmailMessage]:
    """Each message received, parsed, by its one recipient."""
    out = {}
    for _sender, rcpts, data in server.received:
        (rcpt,) = rcpts
        out[rcpt] = email.message_from_bytes(data, policy=policy.default)
    return out


def text_of(message) -> str:
    return message.get_body(preferencelist=("plain",)).get_content()


def html_of(message) -> str:
    return message.get_body(preferencelist=("html",)).get_content()


@pytest.fixture
def week(world):
    """A week's worth of things needing people, dated from each client's today."""
    a, b = world.a, world.b
    with acting_as("test setup"):
        with scope(a):
            carl = Person.objects.create(name="Carl Consultant", email="consultant@example.com")
            ActionItem.objects.create(
                title="Ship the laptops", owner=carl, due_on=a.today() - datetime.timedelta(2)
            )
            Decision.objects.create(
                question="Approve the new firewall?",
                decider=world.exec_a,
                owner=carl,
                deadline=a.today() + datetime.timedelta(3),
                recommendation="Option B: the managed one",
            )
        with scope(b):
            Decision.objects.create(
                question=f"Move the server room? {CANARY}",
                decider=world.exec_b,
                owner=world.records["b"]["people"],
                deadline=b.today() + datetime.timedelta(3),
            )
    return world


def test_the_digests_arrive_at_the_smtp_server_with_the_right_content(week, smtp):
    world = week
    world.exec_b.weekly_digest = False  # opted out
    world.exec_b.save()
    call_command("send_digests")

    got = received(smtp)
    assert set(got) == {"lead@example.com", "consultant@example.com", "exec-a@example.com"}

    consultant = got["consultant@example.com"]
    assert consultant["Subject"].startswith("What needs you this week:")
    assert consultant["Subject"].endswith(", Alpha Dental")
    text = text_of(consultant)
    assert "== Alpha Dental ==" in text
    assert "Pending decisions" in text and "Approve the new firewall?" in text
    assert "Overdue actions" in text and "- Ship the laptops (yours)" in text
    assert "Bravo" not in text and CANARY not in text  # not assigned to Bravo
    assert 'href="http://127.0.0.1:8000/c/alpha/"' in html_of(consultant)

    lead = text_of(got["lead@example.com"])
    assert "== Alpha Dental ==" in lead and "== Bravo Fab" in lead  # the lead sees both
    assert "Ship the laptops —" in lead  # not the lead's own: no "(yours)"

    executive = got["exec-a@example.com"]
    assert executive["Subject"].startswith("Alpha Dental: your IT week")
    text = text_of(executive)
    assert "Decisions waiting for you" in text and "Approve the new firewall?" in text
    assert "recommended: Option B: the managed one" in text
    assert "Projects" in text and "Office move" in text and "at risk" in text
    assert "Replace the firewall?" not in text  # the lead decides that one, not Ava
    assert CANARY not in executive.as_string()
    assert "switch off the weekly digest" in text


def test_a_refused_recipient_is_reported_and_the_others_still_get_theirs(week, smtp, capsys):
    refused = make_user("refused@example.com", name="Rex Refused")
    with scope(week.a), acting_as("test setup"):
        ClientMembership.objects.create(user=refused, role="executive")
        Decision.objects.create(
            question="Sign the lease?", decider=refused, owner=week.records["a"]["people"]
        )
    with pytest.raises(CommandError) as exc:
        call_command("send_digests", "--clients-only")
    assert exc.value.returncode == 1
    assert set(received(smtp)) == {"exec-a@example.com", "exec-b@example.com"}
    assert "Not sent to refused@example.com" in capsys.readouterr().err
