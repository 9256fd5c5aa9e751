"""Client B's records carry a unique string; no page, fragment or export of A's users shows it."""

import io
import re
from urllib.parse import urljoin, urlparse

import pytest
from openpyxl import load_workbook

from ciodesk.conftest import CANARY, sweep_object
from ciodesk.core.testing import routes
from ciodesk.tenancy.access import Level

LINK = re.compile(r'(?:href|action|hx-get)="([^"#]*)"')


def readable(response) -> str:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    if response.get("Content-Type", "").startswith("application/vnd.openxmlformats"):
        book = load_workbook(io.BytesIO(content), read_only=True)
        return "\n".join(
            str(cell)
            for sheet in book
            for row in sheet.iter_rows(values_only=True)
            for cell in row
            if cell is not None
        )
    return content.decode("utf-8", errors="replace")


def start_urls(world):
    urls = {"/", "/practice/people/", "/accounts/security/"}
    for route in routes():
        if not route.is_client_url or route.level > Level.READ:
            continue
        values = {"client_slug": "alpha"}
        if route.model is not None:
            values["pk"] = sweep_object(world, route.model, world.a).pk
        path = route.path(**values)
        urls.add(path)
        if path.endswith("/export/"):
            urls |= {path + "?format=csv", path + "?format=xlsx"}
    return urls


def crawl(client, urls, limit=400):
    """Follow every same-site link from the start pages, GET only."""
    seen, queue, pages = set(), sorted(urls), {}
    while queue and len(seen) < limit:
        url = queue.pop()
        if url in seen or "logout" in url:
            continue
        seen.add(url)
        response = client.get(url)
        if response.status_code != 200:
            continue
        text = readable(response)
        pages[url] = text
        if "text/html" in response.get("Content-Type", ""):
            for link in LINK.findall(text):
                target = urljoin(url, link.replace("&amp;", "&"))
                parsed = urlparse(target)
                if not parsed.netloc and target not in seen and not target.startswith("/static/"):
                    queue.append(target)
    return pages


@pytest.mark.parametrize("persona", ["exec_a", "contrib_a", "consultant"])
def test_the_canary_never_reaches_client_a(world, as_user, persona):
    client = as_user(getattr(world, persona))
    pages = crawl(client, start_urls(world))
    assert len(pages) >= 25, sorted(pages)
    leaks = [url for url, text in pages.items() if CANARY in text]
    assert leaks == []
    # fragments, as htmx asks for them
    for kind in ("people", "systems", "sites", "notes"):
        response = client.get(f"/c/alpha/{kind}/?q=", HTTP_HX_REQUEST="true")
        assert response.status_code == 200
        assert CANARY not in response.content.decode()


def test_the_canary_is_there_for_bravo(world, as_user):
    """The same crawl for B's executive finds the canary: the test can fail."""
    client = as_user(world.exec_b)
    pages = crawl(client, {"/c/bravo/", "/c/bravo/systems/export/?format=xlsx"})
    assert any(CANARY in text for text in pages.values())
    assert CANARY in pages["/c/bravo/systems/export/?format=xlsx"]


def test_form_choices_offer_only_the_clients_people(world, as_user):
    response = as_user(world.contrib_a).get(
        f"/c/alpha/systems/{world.records['a']['systems'].pk}/edit/"
    )
    body = response.content.decode()
    assert "Pat Owner" in body
    assert CANARY not in body
