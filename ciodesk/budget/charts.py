"""Server-side SVG charts of the budget pages, in the style of ciodesk/vendors/charts.py.

A stacked bar chart of money: one bar per period (a fiscal year, a quarter), one coloured
part per kind of cost, the total printed above each bar and a legend. Like the vendors'
charts it carries a <title> and a <desc> (aria-labelledby), uses presentation attributes
only (the content security policy allows no inline style) and escapes every text; the
page prints the same figures in a table next to it.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from html import escape

from django.utils.safestring import SafeString, mark_safe

from ciodesk.core.templatetags.ciodesk import SYMBOLS
from ciodesk.vendors.charts import CHAR_W, INK, LINE, MUTED, Series, _nice_max

# Four kinds of cost: the vendors palette, then a fourth colour of the same weight.
COLOURS = ("#1f6f8b", "#8a5a00", "#4b6b2f", "#6a3d7a", "#9a3b3b")


def short_money(value: float, currency: str) -> str:
    """12345 → "$12.3k", 2500000 → "$2.5M": axis and bar labels that fit."""
    symbol = SYMBOLS.get(currency, "")
    suffix = "" if symbol else f" {currency}"
    sign = "-" if value < 0 else ""
    value = abs(value)
    for size, unit in ((1_000_000, "M"), (1_000, "k")):
        if value >= size:
            text = f"{value / size:.1f}".rstrip("0").rstrip(".")
            return f"{sign}{symbol}{text}{unit}{suffix}"
    return f"{sign}{symbol}{value:,.0f}{suffix}"


def stacked_bar_chart(
    chart_id: str,
    title: str,
    description: str,
    categories: Sequence[str],
    series: Sequence[Series],
    *,
    currency: str = "USD",
    width: int = 640,
    height: int = 280,
) -> SafeString:
    """Stacked vertical bars, one per category, one part per series (negative parts are
    drawn as zero: costs are not negative); the total above each bar; a legend on top."""
    left, right, top = 64, 12, 48
    group_w = (width - left - right) / max(len(categories), 1)
    slant = any(len(str(c)) * CHAR_W > group_w - 4 for c in categories)
    bottom = 62 if slant else 36
    plot_h = height - top - bottom
    totals = [
        sum(max(float(s.values[c] or 0), 0.0) for s in series if c < len(s.values))
        for c in range(len(categories))
    ]
    top_value = _nice_max(max(totals, default=0))
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

    for i in range(5):
        value = top_value * i / 4
        out.append(
            f'<line x1="{left}" x2="{width - right}" y1="{y(value):.1f}" y2="{y(value):.1f}" '
            f'stroke="{LINE}" stroke-width="1"/>'
        )
        out.append(
            f'<text x="{left - 6}" y="{y(value) + 4:.1f}" text-anchor="end" fill="{MUTED}">'
            f"{escape(short_money(value, currency))}</text>"
        )
    bar_w = min(56.0, group_w * 0.7)
    for c, category in enumerate(categories):
        x = left + c * group_w + (group_w - bar_w) / 2
        base = 0.0
        for index, s in enumerate(series):
            value = max(float(s.values[c] or 0), 0.0) if c < len(s.values) else 0.0
            if value <= 0:
                continue
            y_top, y_base = y(base + value), y(base)
            label = f"{category}, {s.name}: {short_money(value, currency)}"
            out.append(
                f'<rect x="{x:.1f}" y="{y_top:.1f}" width="{bar_w:.1f}" '
                f'height="{max(y_base - y_top, 0.5):.1f}" fill="{COLOURS[index % len(COLOURS)]}">'
                f"<title>{escape(label)}</title></rect>"
            )
            base += value
        cx = x + bar_w / 2
        out.append(
            f'<text x="{cx:.1f}" y="{y(totals[c]) - 4:.1f}" text-anchor="middle" fill="{INK}" '
            f'font-size="11">{escape(short_money(totals[c], currency))}</text>'
        )
        ly = height - bottom + 16
        turn = f' transform="rotate(-35 {cx:.1f} {ly})"' if slant else ""
        anchor = "end" if slant else "middle"
        out.append(
            f'<text x="{cx:.1f}" y="{ly}" text-anchor="{anchor}"{turn} fill="{INK}">'
            f"{escape(category)}</text>"
        )
    x = left
    for index, s in enumerate(series):
        colour = COLOURS[index % len(COLOURS)]
        out.append(f'<rect x="{x}" y="10" width="12" height="12" fill="{colour}"/>')
        out.append(f'<text x="{x + 16}" y="20" fill="{INK}">{escape(s.name)}</text>')
        x += 28 + int(CHAR_W * len(s.name))
    out.append(
        f'<line x1="{left}" x2="{width - right}" y1="{top + plot_h}" y2="{top + plot_h}" '
        f'stroke="{MUTED}" stroke-width="1"/>'
    )
    out.append("</svg>")
    return mark_safe("\n".join(out))  # noqa: S308 — every text above is escaped


def money_series(name: str, values: Sequence[Decimal]) -> Series:
    return Series(name, [float(v) for v in values])
