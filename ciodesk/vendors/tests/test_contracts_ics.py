"""The .ics feeds: RFC 5545 structure, only the user's clients, revocable."""

import datetime
import re

import pytest
from django.urls import include, path

from ciodesk.conftest import CANARY
from ciodesk.core.scope import acting_as, scope
from ciodesk.urls import urlpatterns as project_urls
from ciodesk.vendors import ics
from ciodesk.vendors.models import CalendarFeed, Contract

# The project includes urls_feeds at its root; this keeps the tests independent of that line.
urlpatterns = [path("", include("ciodesk.vendors.urls_feeds")), *project_urls]
pytestmark = pytest.mark.urls(__name__)


def unfold(body: bytes) -> list[str]:
    """Check the physical lines (CRLF, ≤ 75 octets), then undo the folding."""
    text = body.decode("utf-8")
    assert text.endswith("\r\n")
    physical = text[:-2].split("\r\n")
    assert "\n" not in "".join(physical) and "\r" not in "".join(physical)
    for line in physical:
        assert len(line.encode("utf-8")) <= 75, line
    lines: list[str] = []
    for line in physical:
        if line.startswith(" "):
            lines[-1] += line[1:]
        else:
            lines.append(line)
    return lines


def events(lines: list[str]) -> list[dict[str, str]]:
    """A small RFC 5545 reader: properties of each VEVENT (outside VALARM), values unescaped."""
    assert lines[0] == "BEGIN:VCALENDAR" and lines[-1] == "END:VCALENDAR"
    found, current, depth = [], None, []
    for line in lines:
        name, _, value = line.partition(":")
        if name == "BEGIN":
            depth.append(value)
            if value == "VEVENT":
                current = {}
        elif name == "END":
            assert depth.pop() == value
            if value == "VEVENT":
                found.append(current)
        elif current is not None and depth[-1] == "VEVENT":
            key = name.split(";")[0]
            current[key] = re.sub(r"\\([\\;,nN])", lambda m: "\n" if m[1] in "nN" else m[1], value)
    assert depth == []
    return found


def subscribe(as_user, user, slug="alpha", action="create"):
    response = as_user(user).post(f"/c/{slug}/vendors/calendar/", {"action": action})
    assert response.status_code == 200
    match = re.search(r'value="(http://testserver/feeds/[^"]+\.ics)"', response.content.decode())
    return match[1].removeprefix("http://testserver")


def test_a_client_feed_holds_its_contracts_deadlines(world, as_user, client):
    url = subscribe(as_user, world.exec_a)
    client.logout()  # calendar apps fetch without signing in
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    found = events(unfold(response.content))
    contract = world.records["a"]["contracts"]
    by_uid = {e["UID"]: e for e in found}
    notice = by_uid[f"contract-{contract.pk}-notice@127.0.0.1"]
    renewal = by_uid[f"contract-{contract.pk}-renewal@127.0.0.1"]
    assert notice["DTSTART"] == "20270923" and notice["DTEND"] == "20270924"
    assert notice["SUMMARY"] == "Notice deadline: Coastline Managed IT — Managed services"
    assert renewal["DTSTART"] == "20271122"
    assert renewal["SUMMARY"] == "Renews: Coastline Managed IT — Managed services"
    assert "Annual value: $54,000.00" in notice["DESCRIPTION"]
    assert re.fullmatch(r"\d{8}T\d{6}Z", notice["DTSTAMP"])
    assert len(found) == 2
    assert CANARY not in response.content.decode()


def test_uids_are_stable_from_one_fetch_to_the_next(world, as_user, client):
    url = subscribe(as_user, world.exec_a)
    first = {e["UID"] for e in events(unfold(client.get(url).content))}
    second = {e["UID"] for e in events(unfold(client.get(url).content))}
    assert first == second and len(first) == 2


def test_long_lines_are_folded_and_text_is_escaped(world, as_user, client):
    with scope(world.a), acting_as("test"):
        Contract.objects.filter(pk=world.records["a"]["contracts"].pk).update(
            cancellation_method="Registered letter; 90 days, to: Legal\nÆrø Street 1 " + "é" * 80
        )
    url = subscribe(as_user, world.exec_a)
    body = client.get(url).content
    assert b"Registered letter\\; 90 days\\, to: Legal\\n\xc3\x86r" in body.replace(b"\r\n ", b"")
    notice = events(unfold(body))[0]
    assert (
        "Cancellation: Registered letter; 90 days, to: Legal\nÆrø Street 1 "
        in notice["DESCRIPTION"]
    )


def test_an_alpha_users_practice_feed_never_shows_bravo(world, as_user, client):
    url = subscribe(as_user, world.consultant, action="create-practice")
    body = client.get(url).content.decode()
    assert "Alpha Dental" in body and "Managed services" in body
    assert CANARY not in body and "Bravo" not in body
    lead_url = subscribe(as_user, world.lead, action="create-practice")
    assert CANARY in client.get(lead_url).content.decode().replace("\r\n ", "")  # can fail


def test_an_executive_has_no_practice_feed(world, as_user):
    response = as_user(world.exec_a).post(
        "/c/alpha/vendors/calendar/", {"action": "create-practice"}
    )
    assert response.status_code == 403


def test_a_revoked_or_unknown_token_is_404(world, as_user, client):
    url = subscribe(as_user, world.exec_a)
    assert client.get(url).status_code == 200
    response = as_user(world.exec_a).post("/c/alpha/vendors/calendar/", {"action": "revoke"})
    assert response.status_code == 302
    client.logout()
    assert client.get(url).status_code == 404
    assert client.get("/feeds/not-a-token.ics").status_code == 404


def test_a_new_address_replaces_the_old_one(world, as_user, client):
    old = subscribe(as_user, world.exec_a)
    new = subscribe(as_user, world.exec_a)
    assert client.get(old).status_code == 404
    assert client.get(new).status_code == 200


def test_the_feed_closes_when_the_membership_goes(world, as_user, client):
    url = subscribe(as_user, world.exec_a)
    from ciodesk.tenancy.models import ClientMembership

    with scope(world.a), acting_as("test"):
        ClientMembership.objects.filter(user=world.exec_a).delete()
    assert client.get(url).status_code == 404


def test_only_the_tokens_hash_is_stored(world, as_user):
    url = subscribe(as_user, world.exec_a)
    token = url.removeprefix("/feeds/").removesuffix(".ics")
    feed = CalendarFeed.objects.get()
    assert feed.token_hash == CalendarFeed.hash_token(token) and token not in feed.token_hash


def test_folding_never_splits_a_character():
    line = "DESCRIPTION:" + "€" * 60
    folded = ics.fold(line)
    for physical in folded.split("\r\n")[:-1]:
        assert len(physical.encode()) <= 75
        physical.encode().decode("utf-8")  # each line is valid UTF-8 on its own
    assert folded.replace("\r\n ", "") == line + "\r\n"


def test_a_calendar_with_rolled_dates(world):
    from ciodesk.vendors import contracts as dates

    contract = world.records["a"]["contracts"]
    contract.client = world.a
    row = dates.Row(contract, dates.facts(contract, datetime.date(2028, 1, 1)))
    body = ics.calendar("Test", [row]).encode()
    starts = [e["DTSTART"] for e in events(unfold(body))]
    assert starts == ["20280923", "20281122"]
