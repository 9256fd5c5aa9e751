"""The one-page executive brief: where things stand, the top risks, the decisions needed,
recommendations with the reason, and the CIO's commentary per area.

Built from the brief's sections (``sections.build("brief", ...)``), so the page and the PDF
show the same figures as the apps' own pages. The PDF must fit one page: ``Brief.fit(level)``
shortens the lists and the commentary step by step, and the renderer takes the first level
that lays out on one page (see ``render.brief_pdf``).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from ciodesk.reports import sections
from ciodesk.reports.models import BriefCommentary
from ciodesk.reports.sections import Area, Sections

# How much each fitting level keeps: (rows per list, characters of commentary).
LEVELS = ((5, 600), (4, 420), (4, 300), (3, 300), (3, 200), (2, 200), (2, 120), (1, 70))
AREA_TITLES = dict(BriefCommentary.Area.choices)


@dataclass(frozen=True)
class Recommendation:
    title: str
    reason: str
    source: str  # where it comes from: "Roadmap proposal", "Assessment finding"
    url: str = ""


@dataclass
class Brief:
    client: Any
    today: datetime.date
    sections: Sections
    areas: list[Area]
    commentary: dict[str, BriefCommentary] = field(default_factory=dict)
    rows: int = LEVELS[0][0]
    chars: int = LEVELS[0][1]

    def fit(self, level: int) -> Brief:
        """The same brief, shortened to fitting level ``level`` (0 = as long as it gets)."""
        rows, chars = LEVELS[min(level, len(LEVELS) - 1)]
        return Brief(
            self.client, self.today, self.sections, self.areas, self.commentary, rows, chars
        )

    @property
    def top_risks(self) -> list:
        security = self.sections.security
        return security.risks[: self.rows] if security else []

    @property
    def more_risks(self) -> int:
        security = self.sections.security
        return max(0, len(security.risks) - self.rows) if security else 0

    @property
    def decisions(self) -> list:
        found = self.sections.decisions
        return found.pending[: self.rows] if found else []

    @property
    def more_decisions(self) -> int:
        found = self.sections.decisions
        return max(0, len(found.pending) - self.rows) if found else 0

    @property
    def recommendations(self) -> list[Recommendation]:
        return recommendations(self.sections)[: self.rows]

    def text(self, area: str) -> str:
        """The commentary of an area, cut to this level's length at a word boundary."""
        item = self.commentary.get(area)
        if item is None:
            return ""
        text = item.text.strip()
        if len(text) <= self.chars:
            return text
        return text[: self.chars].rsplit(" ", 1)[0].rstrip(",.;:") + " …"

    @property
    def rows_with_commentary(self) -> list[tuple[Area, str]]:
        return [(area, self.text(area.key)) for area in self.areas]

    @property
    def summary(self) -> str:
        return self.text(BriefCommentary.Area.SUMMARY)

    @property
    def other_commentary(self) -> list[tuple[str, str]]:
        """Commentary on areas that have no light (their app holds no data yet)."""
        shown = {a.key for a in self.areas} | {BriefCommentary.Area.SUMMARY}
        return [
            (AREA_TITLES[key], self.text(key))
            for key in AREA_TITLES
            if key not in shown and key in self.commentary
        ]


def recommendations(found: Sections) -> list[Recommendation]:
    """Roadmap proposals first (by priority), then open assessment findings (most severe
    first) that no proposal already covers."""
    out: list[Recommendation] = []
    roadmap = found.roadmap
    if roadmap is not None:
        for item in roadmap.proposals:
            reason = item.why or "Proposed on the roadmap."
            out.append(Recommendation(item.title, reason, "Roadmap proposal", roadmap.url))
    assessments = found.assessments
    if assessments is not None:
        seen = {r.title.strip().lower() for r in out}
        for finding in assessments.findings:
            title = finding.recommendation or finding.title
            keys = {title.strip().lower(), finding.title.strip().lower()}
            if keys & seen:
                continue  # on the roadmap already, or the same finding of another assessment
            seen |= keys
            reason = finding.risk or f"Finding: {finding.title}"
            out.append(Recommendation(title, reason, "Assessment finding", assessments.url))
    return out


def build_brief(client, today: datetime.date | None = None) -> Brief:
    """The brief of ``client`` as of its today (sections, lights, commentary)."""
    from ciodesk.core.scope import scope

    found = sections.build(sections.BRIEF, client, today=today)
    with scope(client):
        commentary = {c.area: c for c in BriefCommentary.objects.select_related("author")}
    return Brief(client, found.ctx.today, found, sections.areas(found), commentary)
