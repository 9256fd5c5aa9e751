"""Regenerate the README's screenshots (docs/screenshots/*.png) from a running demo.

    DEBUG=1 CIODESK_DATA_DIR=/tmp/ciodesk-shots .venv/bin/ciodesk migrate
    DEBUG=1 CIODESK_DATA_DIR=/tmp/ciodesk-shots .venv/bin/ciodesk demo --password demo-pass-2026
    DEBUG=1 CIODESK_DATA_DIR=/tmp/ciodesk-shots .venv/bin/ciodesk runserver 127.0.0.1:8765 &
    .venv/bin/python scripts/screenshots.py --password demo-pass-2026

Signs in as the demo's practice lead in Debian's Chromium (CIODESK_CHROMIUM), enrolling an
authenticator on the first run (the key is kept in --secret-file for later runs), makes one
edit so that a history has something to show, and writes portfolio.png, client-home.png and
history.png, 1280 pixels wide. Stops if a page or a static file fails to load.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import time
from pathlib import Path

import pyotp
from playwright.sync_api import Page, expect, sync_playwright

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SYSTEM = "Microsoft 365"
NEW_PURPOSE = "E-mail, Teams, SharePoint and OneDrive for all staff; Entra ID sign-in"


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base-url", default="http://127.0.0.1:8765")
    parser.add_argument("--email", default="lead@practice.example")
    parser.add_argument(
        "--password",
        default=os.environ.get("CIODESK_DEMO_PASSWORD"),
        help="the password given to `ciodesk demo --password` (or CIODESK_DEMO_PASSWORD)",
    )
    parser.add_argument("--client", default="harbor-cpa", help="the client to show")
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    parser.add_argument(
        "--secret-file",
        type=Path,
        default=Path(os.environ.get("CIODESK_DATA_DIR", ROOT / "var")) / "screenshots-totp-key",
        help="where the lead's authenticator key is kept between runs",
    )
    parser.add_argument("--width", type=int, default=1280)
    args = parser.parse_args()
    if not args.password:
        parser.error("give --password (or set CIODESK_DEMO_PASSWORD)")
    return args


def watch(page: Page) -> list[str]:
    """Collect what went wrong in the browser: script errors and failed static files."""
    problems: list[str] = []
    page.on("pageerror", lambda exc: problems.append(f"script error: {exc}"))
    page.on(
        "console",
        lambda msg: (
            problems.append(f"console: {msg.text}")
            if msg.type == "error" and not msg.text.startswith("Failed to load resource")
            else None
        ),
    )
    page.on(
        "response",
        lambda response: (
            problems.append(f"{response.status} {response.url}")
            if "/static/" in response.url and response.status >= 400
            else None
        ),
    )
    return problems


def check(problems: list[str], where: str) -> None:
    if problems:
        listed = "\n  ".join(dict.fromkeys(problems))
        sys.exit(f"{where}: the page did not load cleanly:\n  {listed}")


def submit_code(page: Page, label: re.Pattern, secret: str) -> None:
    """Type the current code; if it was just used (replay protection), the next one."""
    totp = pyotp.TOTP(secret)
    for at in (time.time(), time.time() + totp.interval):
        field = page.get_by_label(label)
        field.fill(totp.at(at))
        with page.expect_navigation():
            field.press("Enter")
        if not page.get_by_text(re.compile("not valid|does not match")).count():
            return
    sys.exit(f"{page.url}: the authenticator code was refused")


def sign_in(page: Page, args: argparse.Namespace) -> None:
    page.goto("/accounts/login/")
    page.get_by_label(re.compile(r"^Email")).fill(args.email)
    password = page.get_by_label(re.compile(r"^Password"))
    password.fill(args.password)
    with page.expect_navigation():
        password.press("Enter")
    if "/two-factor/setup/" in page.url:
        secret = page.locator("#totp-secret").inner_text().replace(" ", "")
        args.secret_file.parent.mkdir(parents=True, exist_ok=True)
        args.secret_file.write_text(secret)
        args.secret_file.chmod(0o600)
        submit_code(page, re.compile(r"^Code from the app"), secret)
        expect(page.locator("#recovery-codes")).to_be_visible()
        page.get_by_role("link", name="Continue").click()
    elif "/two-factor/" in page.url:
        if not args.secret_file.exists():
            sys.exit(
                f"{args.email} has an authenticator already and {args.secret_file} is missing: "
                "use a fresh CIODESK_DATA_DIR (migrate, demo) or pass --secret-file."
            )
        submit_code(page, re.compile(r"^Code\b"), args.secret_file.read_text().strip())
    else:
        sys.exit(f"{page.url}: signing in as {args.email} failed (check --password)")
    expect(page.get_by_role("heading", name="Portfolio", level=1)).to_be_visible()


def edit_system(page: Page, slug: str) -> None:
    """One visible change, so the system's history shows who changed what (once only)."""
    page.goto(f"/c/{slug}/systems/")
    row = page.get_by_role("row").filter(has_text=SYSTEM).first
    if NEW_PURPOSE not in row.inner_text():
        row.get_by_role("link", name="Edit").click()
        purpose = page.get_by_label(re.compile("^purpose", re.IGNORECASE))
        purpose.fill(NEW_PURPOSE)
        purpose.press("Enter")
        expect(page.get_by_role("status")).to_contain_text(SYSTEM)
        row = page.get_by_role("row").filter(has_text=SYSTEM).first
    row.get_by_role("link", name="History").click()
    expect(page.get_by_role("heading", name=re.compile("^History of"))).to_be_visible()


def main() -> None:
    args = parse_args()
    chromium = os.environ.get("CIODESK_CHROMIUM", "/usr/bin/chromium")
    args.out.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium, headless=True, args=CHROMIUM_ARGS
        )
        context = browser.new_context(
            base_url=args.base_url.rstrip("/"),
            viewport={"width": args.width, "height": 800},
            locale="en-US",
        )
        context.set_default_timeout(15_000)
        page = context.new_page()
        problems = watch(page)

        sign_in(page, args)
        shots = {}
        page.goto("/")
        shots["portfolio.png"] = page.url
        check(problems, page.url)
        page.screenshot(path=args.out / "portfolio.png", full_page=True)

        page.goto(f"/c/{args.client}/")
        shots["client-home.png"] = page.url
        check(problems, page.url)
        page.screenshot(path=args.out / "client-home.png", full_page=True)

        edit_system(page, args.client)
        shots["history.png"] = page.url
        check(problems, page.url)
        page.screenshot(path=args.out / "history.png", full_page=True)

        browser.close()
    for name, url in shots.items():
        print(f"{args.out / name}  ←  {url}")


if __name__ == "__main__":
    main()
