"""Playwright fixtures: Debian's Chromium, one browser per worker, one fresh context per test.

The browser tests use pytest-django's `live_server` (a real HTTP server over a transactional
test database), so their data comes from `transactional_db` + `world`, requested in that order.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("CIODESK_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
TIMEOUT_MS = 10_000
VIEWPORT = {"width": 1280, "height": 900}


def _unavailable(reason: str) -> None:
    message = (
        f"{reason}. Install Debian's Chromium (sudo apt-get install chromium, or "
        "`make chromium`) or point CIODESK_CHROMIUM at a Chromium binary."
    )
    if os.environ.get("CI") == "true":
        pytest.fail(message, pytrace=False)
    pytest.skip(message)


@pytest.fixture(scope="session")
def browser():
    if not (os.path.isfile(CHROMIUM) and os.access(CHROMIUM, os.X_OK)):
        _unavailable(f"Chromium not found at {CHROMIUM}")
    from playwright.sync_api import Error, sync_playwright

    with sync_playwright() as playwright:
        try:
            chromium = playwright.chromium.launch(
                executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
            )
        except Error as exc:
            _unavailable(f"Chromium at {CHROMIUM} did not start: {exc}")
        yield chromium
        chromium.close()


def watch(page) -> None:
    """Record on `page.problems` script errors, CSP refusals and static files that fail.

    Chromium also logs every 4xx page as "Failed to load resource"; the tests check their
    own pages' statuses, so that message is left out.
    """
    page.problems = []
    page.problems_checked = 0
    page.on("pageerror", lambda exc: page.problems.append(f"script error: {exc}"))
    page.on(
        "console",
        lambda msg: (
            page.problems.append(f"console: {msg.text}")
            if msg.type == "error" and not msg.text.startswith("Failed to load resource")
            else None
        ),
    )
    page.on(
        "response",
        lambda response: (
            page.problems.append(f"{response.status} {response.url}")
            if "/static/" in response.url and response.status >= 400
            else None
        ),
    )


def assert_loaded_cleanly(page) -> None:
    """Fail on problems recorded since the last check (each is reported once)."""
    problems = list(dict.fromkeys(page.problems[page.problems_checked :]))
    page.problems_checked = len(page.problems)
    assert not problems, "The browser reported problems:\n  " + "\n  ".join(problems)


@pytest.fixture
def page(browser, live_server):
    """A page in a fresh browser context (own cookies) aimed at the live server."""
    context = browser.new_context(
        base_url=live_server.url, viewport=VIEWPORT, locale="en-US", timezone_id="UTC"
    )
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    watch(page)
    yield page
    context.close()
    assert_loaded_cleanly(page)


@pytest.fixture
def shot(page, tmp_path: Path):
    """shot("name"): a full-page screenshot into the test's tmp dir, numbered in order."""
    taken: list[Path] = []

    def take(name: str) -> Path:
        path = tmp_path / f"{len(taken) + 1:02d}-{name}.png"
        page.screenshot(path=str(path), full_page=True)
        taken.append(path)
        return path

    return take
