"""The risk heat map: a 5 × 5 grid (likelihood across, impact up) with the number of open
risks in each cell, drawn on the server as SVG so the page, its print and a PDF agree.

Like ciodesk.vendors.charts: a pure function returning escaped SVG with a <title> and a
<desc> (referenced by aria-labelledby) and presentation attributes only (the content
security policy forbids inline styles). The page puts a table with the same counts next to
it for screen readers and for anyone who prefers numbers.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

from django.utils.safestring import SafeString, mark_safe

from ciodesk.security.services_risks import (
    BAND_CSS,
    BAND_FILL,
    IMPACT_LABELS,
    LIKELIHOOD_LABELS,
    HeatCounts,
    band,
)

INK, MUTED, LINE = "#1c2430", "#5b6675", "#ffffff"
RATINGS = (1, 2, 3, 4, 5)


def describe(counts: HeatCounts) -> str:
    """The map in words: every non-empty cell, highest score first."""
    cells = sorted(
        ((lik, imp, n) for (lik, imp), n in counts.cells.items() if n),
        key=lambda c: (-c[0] * c[1], -c[1], -c[0]),
    )
    if not cells:
        text = "No open risks are rated."
    else:
        text = "; ".join(
            f"likelihood {lik} × impact {imp} ({band(lik * imp).lower()}): "
            f"{n} risk{'s' if n != 1 else ''}"
            for lik, imp, n in cells
        )
        text = f"{counts.total} open risk{'s' if counts.total != 1 else ''}. {text}."
    if counts.unrated:
        text += f" {counts.unrated} not yet rated."
    return text


def heat_map(chart_id: str, title: str, counts: HeatCounts, *, cell: int = 56) -> SafeString:
    left, top, bottom, right = 112, 12, 58, 8
    size = cell * 5
    width, height = left + size + right, top + size + bottom
    ident = escape(chart_id, quote=True)
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="100%" role="img" aria-labelledby="{ident}-title {ident}-desc" '
        f'font-family="system-ui, sans-serif" font-size="12" class="heatmap">',
        f'<title id="{ident}-title">{escape(title)}</title>',
        f'<desc id="{ident}-desc">{escape(describe(counts))}</desc>',
    ]
    for row, impact in enumerate(reversed(RATINGS)):  # impact 5 at the top
        y = top + row * cell
        out.append(
            f'<text x="{left - 6}" y="{y + cell / 2 + 4:.0f}" text-anchor="end" '
            f'fill="{MUTED}">{impact} {escape(IMPACT_LABELS[impact])}</text>'
        )
        for col, likelihood in enumerate(RATINGS):
            x = left + col * cell
            n = counts.count(likelihood, impact)
            name = band(likelihood * impact)
            label = (
                f"Likelihood {likelihood}, impact {impact}, score {likelihood * impact} "
                f"({name.lower()}): {n} risk{'s' if n != 1 else ''}"
            )
            out.append(
                f'<rect x="{x}" y="{y}" width="{cell}" height="{cell}" fill="{BAND_FILL[name]}" '
                f'stroke="{LINE}" stroke-width="2"><title>{escape(label)}</title></rect>'
            )
            if n:
                out.append(
                    f'<text x="{x + cell / 2:.0f}" y="{y + cell / 2 + 7:.0f}" '
                    f'text-anchor="middle" font-size="20" font-weight="bold" '
                    f'fill="{INK}">{n}</text>'
                )
    for col, likelihood in enumerate(RATINGS):
        x = left + col * cell + cell / 2
        out.append(
            f'<text x="{x:.0f}" y="{top + size + 16}" text-anchor="middle" '
            f'fill="{MUTED}">{likelihood}</text>'
        )
        out.append(
            f'<text x="{x:.0f}" y="{top + size + 30}" text-anchor="middle" font-size="10" '
            f'fill="{MUTED}">{escape(LIKELIHOOD_LABELS[likelihood])}</text>'
        )
    out.append(
        f'<text x="{left + size / 2:.0f}" y="{height - 6}" text-anchor="middle" '
        f'fill="{INK}">Likelihood →</text>'
    )
    out.append(
        f'<text x="14" y="{top + size / 2:.0f}" text-anchor="middle" fill="{INK}" '
        f'transform="rotate(-90 14 {top + size / 2:.0f})">Impact →</text>'
    )
    out.append("</svg>")
    return mark_safe("\n".join(out))  # noqa: S308 — every text above is escaped


@dataclass(frozen=True)
class Cell:
    likelihood: int
    count: int
    css: str


def heat_table(counts: HeatCounts) -> list[tuple[int, str, list[Cell]]]:
    """The same counts as rows for the table alternative: impact 5 first, likelihood 1–5."""
    return [
        (
            impact,
            IMPACT_LABELS[impact],
            [Cell(lik, counts.count(lik, impact), BAND_CSS[band(lik * impact)]) for lik in RATINGS],
        )
        for impact in reversed(RATINGS)
    ]
