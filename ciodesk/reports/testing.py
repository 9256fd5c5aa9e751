"""One of each reports record for the URL sweep and the canary crawl (called by conftest)."""

from __future__ import annotations


def make_reports_records(client, person, text: str = "") -> dict:
    """One of each reports record for `client`, every text field carrying `text`."""
    from ciodesk.core.scope import scope
    from ciodesk.reports import models as r

    with scope(client):
        report = r.Report.objects.create(
            kind="brief", period="2026Q4", status="failed", error="Example" + text
        )
        commentary, _ = r.BriefCommentary.objects.get_or_create(
            area="summary", defaults={"text": "Steady quarter" + text}
        )
    return {"reports": report, "commentary": commentary}
