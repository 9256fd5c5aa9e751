"""Server-side SVG charts: the same picture in the page, the PDF and the e-mail.

Pure functions that return an SVG string. Every chart carries a <title> and a <desc>
(referenced by aria-labelledby), prints its values as text next to the bars, and uses
presentation attributes only (no inline style, so the page's content security policy
allows it). All text is escaped.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape
from typing import Any

from django.utils.safestring import SafeString, mark_safe

COLOURS = ("#1f6f8b", "#8a5a00", "#4b6b2f", "#6a3d7a")
INK, MUTED, LINE, REFERENCE = "#1c2430", "#5b6675", "#d9dee5", "#b3261e"


@dataclass(frozen=True)
class Series:
    name: str
    values: Sequence[float | None]  # one per category; None = nothing to show


CHAR_W = 7.0  # the width of a character at 12px, roughly, to tell when labels collide


def _number(value: float, unit: str) -> str:
    text = f"{value:,.1f}".rstrip("0").rstrip(".") if value != int(value) else f"{value:,.0f}"
    return f"{text}{unit}"


def _nice_max(value: float) -> float:
    if value <= 0:
        return 1.0
    magnitude = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 2.5, 5, 10):
        if value <= step * magnitude:
            return step * magnitude
    return 10 * magnitude


def bar_chart(
    chart_id: str,
    title: str,
    description: str,
    categories: Sequence[str],
    series: Sequence[Series],
    *,
    unit: str = "",
    maximum: float | None = None,
    reference: tuple[float, str] | None = None,
    width: int = 640,
    height: int = 260,
) -> SafeString:
    """Grouped vertical bars, one group per category and one bar per series, with the
    value printed above each bar, an optional dashed reference line (value, label) and a
    legend when there are several series."""
    keyed = len(series) > 1 or reference is not None
    left, right = 48, 12
    group_w = (width - left - right) / max(len(categories), 1)
    # Category labels that would run into each other are slanted (12 months fit then).
    slant = any(len(str(c)) * CHAR_W > group_w - 4 for c in categories)
    top, bottom = 44 if keyed else 24, 62 if slant else 36
    plot_h = height - top - bottom
    values = [v for s in series for v in s.values if v is not None]
    top_value = maximum if maximum is not None else _nice_max(max(values, default=0))
    if reference is not None and maximum is None:
        top_value = max(top_value, _nice_max(reference[0]))
    ident = escape(chart_id, quote=True)
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="100%" role="img" aria-labelledby="{ident}-title {ident}-desc" '
        f'font-family="system-ui, sans-serif" font-size="12">',
        f'<title id="{ident}-title">{escape(title)}</title>',
        f'<desc id="{ident}-desc">{escape(description)}</desc>',
    ]

    def y(value: float) -> float:
        return top + plot_h - plot_h * min(value, top_value) / top_value

    for i in range(5):  # gridlines and the value axis
        value = top_value * i / 4
        out.append(
            f'<line x1="{left}" x2="{width - right}" y1="{y(value):.1f}" '
            f'y2="{y(value):.1f}" stroke="{LINE}" stroke-width="1"/>'
        )
        out.append(
            f'<text x="{left - 6}" y="{y(value) + 4:.1f}" text-anchor="end" '
            f'fill="{MUTED}">{escape(_number(value, unit))}</text>'
        )
    bar_w = min(48.0, group_w * 0.8 / max(len(series), 1))
    for c, category in enumerate(categories):
        x0 = left + c * group_w + (group_w - bar_w * len(series)) / 2
        for s_index, s in enumerate(series):
            value = s.values[c] if c < len(s.values) else None
            x = x0 + s_index * bar_w
            label = "no data" if value is None else _number(value, unit)
            if value is not None:
                out.append(
                    f'<rect x="{x:.1f}" y="{y(value):.1f}" width="{bar_w - 2:.1f}" '
                    f'height="{top + plot_h - y(value):.1f}" fill="{COLOURS[s_index % 4]}">'
                    f"<title>{escape(f'{category}, {s.name}: {label}')}</title></rect>"
                )
            text_y = (y(value) if value is not None else top + plot_h) - 4
            cx = x + bar_w / 2 - 1
            if len(label) * CHAR_W * 0.9 > bar_w:  # too wide above a narrow bar: stand it up
                out.append(
                    f'<text x="{cx + 4:.1f}" y="{text_y:.1f}" transform="rotate(-90 '
                    f'{cx + 4:.1f} {text_y:.1f})" fill="{INK}" font-size="10">'
                    f"{escape(label)}</text>"
                )
            else:
                out.append(
                    f'<text x="{cx:.1f}" y="{text_y:.1f}" text-anchor="middle"'
                    f' fill="{INK}" font-size="11">{escape(label)}</text>'
                )
        cx, cy = left + c * group_w + group_w / 2, height - bottom + 16
        turn = f' transform="rotate(-35 {cx:.1f} {cy})"' if slant else ""
        anchor = "end" if slant else "middle"
        out.append(
            f'<text x="{cx:.1f}" y="{cy}" text-anchor="{anchor}"{turn} fill="{INK}">'
            f"{escape(category)}</text>"
        )
    if reference is not None:  # the line, and its key at the top right
        value, label = reference
        dash = f'stroke="{REFERENCE}" stroke-width="1.5" stroke-dasharray="6 4"'
        out.append(
            f'<line x1="{left}" x2="{width - right}" y1="{y(value):.1f}" y2="{y(value):.1f}" '
            f"{dash}/>"
        )
        out.append(f'<line x1="{width - right - 24}" x2="{width - right}" y1="14" y2="14" {dash}/>')
        out.append(
            f'<text x="{width - right - 30}" y="18" text-anchor="end" fill="{REFERENCE}">'
            f"{escape(label)}</text>"
        )
    if len(series) > 1:
        x = left
        for s_index, s in enumerate(series):
            out.append(
                f'<rect x="{x}" y="8" width="12" height="12" fill="{COLOURS[s_index % 4]}"/>'
            )
            out.append(f'<text x="{x + 16}" y="18" fill="{INK}">{escape(s.name)}</text>')
            x += 24 + 7 * len(s.name)
    out.append(
        f'<line x1="{left}" x2="{width - right}" y1="{top + plot_h}" '
        f'y2="{top + plot_h}" stroke="{MUTED}" stroke-width="1"/>'
    )
    out.append("</svg>")
    return mark_safe("\n".join(out))  # noqa: S308 — every text above is escaped


ATTAINMENT_GOAL = (90.0, "90 % goal")
ATTAINMENT_GOAL_TEXT = "90 %, the low end of the 90–95 % SLA compliance MSPs commonly aim for"
ATTAINMENT_GOAL_SOURCE = (
    "ConnectWise, “The Service Desk KPIs Top MSPs Rely on” (e-book; year not stated)"
)


def scorecard_charts(card: dict[str, Any], volume: Sequence[dict[str, Any]]) -> list[SafeString]:
    """The scorecard page's two charts: attainment by priority, and tickets per month."""
    rows = card["priorities"]
    names = [row["priority"] for row in rows]
    who = card["vendor"]
    period = f"{card['since']} to {card['until']}"

    def said(row: dict, kind: str) -> str:
        value = row[f"{kind}_attainment_pct"]
        return f"{row['priority']} {kind} {'no data' if value is None else f'{value} %'}"

    attainment = bar_chart(
        "sla-attainment",
        f"SLA attainment by priority, {who}, {period}",
        "Share of tickets within the contract's targets, by priority: "
        + "; ".join(f"{said(row, 'response')}, {said(row, 'resolution')}" for row in rows)
        + f". Dashed line: {ATTAINMENT_GOAL[0]:.0f} %.",
        names,
        [
            Series("Response", [row["response_attainment_pct"] for row in rows]),
            Series("Resolution", [row["resolution_attainment_pct"] for row in rows]),
        ],
        unit=" %",
        maximum=100.0,
        reference=ATTAINMENT_GOAL,
    )
    months = [m["month"] for m in volume]
    tickets = bar_chart(
        "sla-volume",
        f"Tickets per month, {who}, {period}",
        "Tickets created each month: "
        + "; ".join(f"{m['month']}: {m['total']}" for m in volume)
        + ".",
        months,
        [Series("Tickets", [m["total"] for m in volume])],
    )
    return [attainment, tickets]
