"""The three documents — brief, QBR / board report, dossier — as HTML and as PDF.

Each is a template over the figures of ``sections.build`` (see ``render`` for templates
and branding). This module assembles what a document needs beyond the sections: the
brief's fitting to one page, the QBR's summary figures and next quarter's priorities.
"""

from __future__ import annotations

import calendar
import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ciodesk.core.scope import scope
from ciodesk.reports import sections
from ciodesk.reports.brief import LEVELS, Brief, build_brief
from ciodesk.reports.models import BriefCommentary
from ciodesk.reports.periods import Quarter
from ciodesk.reports.render import Pdf, layout, render_document, to_pdf

Progress = Callable[[int, str], None]


# --- the brief ----------------------------------------------------------------------------------


def brief_html(brief: Brief) -> str:
    return render_document("brief", {"client": brief.client, "brief": brief})


def brief_pdf(brief: Brief) -> Pdf:
    """The brief on one page: the longest fitting level (``brief.LEVELS``: fewer rows,
    shorter commentary) whose layout takes a single page; the shortest level is kept
    whatever it takes. Level 0 is tried first (it fits unless the commentary is long),
    then the others by bisection: at most four layouts."""
    document = layout(brief_html(brief.fit(0)))
    if len(document.pages) == 1:
        return Pdf(document.write_pdf(), 1)
    low, high = 1, len(LEVELS) - 1  # the answer is in low..high (high if nothing fits)
    laid_out = {}
    while low < high:
        middle = (low + high) // 2
        laid_out[middle] = layout(brief_html(brief.fit(middle)))
        if len(laid_out[middle].pages) == 1:
            high = middle
        else:
            low = middle + 1
    document = laid_out.get(low) or layout(brief_html(brief.fit(low)))
    return Pdf(document.write_pdf(), len(document.pages))


# --- the QBR ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Priority:
    kind: str  # "Roadmap", "Decision", "Notice deadline", "Insurance renewal"
    title: str
    detail: str
    when: datetime.date | None = None


def next_priorities(found: sections.Sections, period: Quarter) -> list[Priority]:
    """Next quarter's priorities from the live data: the roadmap items planned for it,
    decisions waiting, notice deadlines and the insurance renewal that fall in it."""
    following = period.next()
    out: list[Priority] = []
    if found.roadmap is not None:
        for item in found.roadmap.next_quarter:
            out.append(Priority("Roadmap", item.title, item.why, None))
    if found.decisions is not None:
        for d in found.decisions.pending:
            if d.deadline is None or d.deadline <= following.end:
                out.append(Priority("Decision", d.question, d.recommendation, d.deadline))
    if found.vendors is not None:
        for c in found.vendors.now.live:
            if following.start <= c.notice_deadline <= following.end or c.status == "act_now":
                detail = f"{c.vendor}: renews {c.renewal_date:%Y-%m-%d} unless notice is given"
                out.append(Priority("Notice deadline", c.title, detail, c.notice_deadline))
    security = found.security
    policy = security.policy if security is not None else None
    if policy is not None and following.start <= policy.renewal_date <= following.end:
        out.append(
            Priority(
                "Insurance renewal",
                str(policy),
                "Readiness answers go to the broker",
                policy.renewal_date,
            )
        )
    return out


def qbr_context(
    client,
    period: Quarter,
    today: datetime.date | None = None,
    progress: Progress | None = None,
) -> dict[str, Any]:
    def step(key: str, done: int, total: int) -> None:
        if progress is not None:
            progress(5 + 60 * done // max(total, 1), f"Reading {key}")

    found = sections.build(sections.QBR, client, today=today, period=period, progress=step)
    with scope(client):
        commentary = {c.area: c.text for c in BriefCommentary.objects.all()}
    return {
        "client": client,
        "period": period,
        "s": found,
        "today": found.ctx.today,
        "as_of": found.ctx.as_of,
        "areas": sections.areas(found),
        "priorities": next_priorities(found, period),
        "commentary": commentary,
        "next_period": period.next(),
        "fiscal_month": calendar.month_name[client.fiscal_year_start_month or 1],
    }


# How many rows each table keeps: as long as it gets, then compact when that passes
# MAX_QBR_PAGES (the report is meant to be read in a board meeting: 6–12 pages).
MAX_QBR_PAGES = 12
QBR_ROWS = {
    False: {
        "risks": ":8",
        "gaps": ":6",
        "contracts": ":15",
        "contracts_count": 15,
        "scorecards": ":2",
        "overdue": ":10",
        "projects": ":12",
        "priorities": ":14",
        "decisions": ":20",
    },
    True: {
        "risks": ":5",
        "gaps": ":3",
        "contracts": ":8",
        "contracts_count": 8,
        "scorecards": ":1",
        "overdue": ":5",
        "projects": ":8",
        "priorities": ":8",
        "decisions": ":10",
    },
}


def qbr_render(context: dict[str, Any], compact: bool = False) -> str:
    return render_document("qbr", {**context, "compact": compact, "rows": QBR_ROWS[compact]})


def qbr_html(client, period: Quarter, today=None, progress: Progress | None = None) -> str:
    context = qbr_context(client, period, today, progress)
    if progress is not None:
        progress(70, "Laying out the pages")
    return qbr_render(context)


def qbr_pdf(client, period: Quarter, today=None, progress: Progress | None = None) -> Pdf:
    """The QBR as a PDF; laid out again with shorter tables if it passes MAX_QBR_PAGES."""
    context = qbr_context(client, period, today, progress)
    if progress is not None:
        progress(70, "Laying out the pages")
    document = layout(qbr_render(context))
    if len(document.pages) > MAX_QBR_PAGES:
        if progress is not None:
            progress(80, "Shortening the tables to keep the report short")
        document = layout(qbr_render(context, compact=True))
    if progress is not None:
        progress(88, "Writing the PDF")
    return Pdf(document.write_pdf(), len(document.pages))


# --- the dossier --------------------------------------------------------------------------------


def dossier_context(client, today: datetime.date | None = None) -> dict[str, Any]:
    found = sections.build(sections.DOSSIER, client, today=today)
    return {"client": client, "s": found, "today": found.ctx.today}


def dossier_html(client, today: datetime.date | None = None) -> str:
    return render_document("dossier", dossier_context(client, today))


# --- any kind, for the CLI and the background task ------------------------------------------


def document_html(
    kind: str, client, period: Quarter | None = None, progress: Progress | None = None
) -> str:
    if kind == sections.BRIEF:
        return brief_html(build_brief(client))
    if kind == sections.QBR:
        if period is None:
            raise ValueError("A QBR needs a period")
        return qbr_html(client, period, progress=progress)
    if kind == sections.DOSSIER:
        return dossier_html(client)
    raise ValueError(f"Unknown report kind {kind!r}")


def document_pdf(
    kind: str, client, period: Quarter | None = None, progress: Progress | None = None
) -> Pdf:
    if kind == sections.BRIEF:
        return brief_pdf(build_brief(client))
    if kind == sections.QBR:
        if period is None:
            raise ValueError("A QBR needs a period")
        return qbr_pdf(client, period, progress=progress)
    return dossier_pdf(client)


def dossier_pdf(client, today: datetime.date | None = None) -> Pdf:
    return to_pdf(dossier_html(client, today))
