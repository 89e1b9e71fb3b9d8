"""Small server-side SVG charts for the monitoring page: no JavaScript, no CDN, no inline
style (the CSP allows none); presentation attributes only. Pure Python, no Django.

Every chart is `role="img"` with a <title> and an aria-label; the page shows the same numbers
in a table next to it, so nothing is only in the picture. All text is XML-escaped.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from html import escape

# Colours with at least 3:1 contrast against white (WCAG non-text contrast).
PALETTE = ("#1f5fa8", "#b8520a", "#2e7d32")


def _num(value: Decimal | float | int) -> str:
    return f"{float(value):.1f}".rstrip("0").rstrip(".")


def nice_max(value: float) -> float:
    """A round axis maximum at or above `value` (1, 2, 5 x 10^n); 1 for nothing."""
    if value <= 0:
        return 1.0
    step = 1.0
    while step * 10 <= value:
        step *= 10
    while step > value * 10:  # values below 1
        step /= 10
    for factor in (1, 2, 5, 10):
        if step * factor >= value:
            return step * factor
    return step * 10


def stacked_bars(
    title: str,
    labels: Sequence[str],
    series: Sequence[tuple[str, Sequence[Decimal | float | int]]],
    *,
    unit: str = "JP",
    width: int = 640,
    height: int = 240,
) -> str:
    """Vertical bars, one per label, each stacking the series' values (e.g. JP by activity per
    month). Heights are proportional to the values; an all-zero chart says so."""
    left, right, top, bottom = 40, 10, 24, 44
    plot_w, plot_h = width - left - right, height - top - bottom
    totals = [sum(float(s[1][i]) for s in series) for i in range(len(labels))]
    peak = nice_max(max(totals, default=0))
    slot = plot_w / max(len(labels), 1)
    bar_w = slot * 0.6
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="img"'
        f' aria-label="{escape(title)}" class="chart">',
        f"<title>{escape(title)}</title>",
    ]
    for tick in (0, 0.5, 1):
        y = top + plot_h - tick * plot_h
        parts.append(
            f'<line x1="{left}" y1="{y:.1f}" x2="{width - right}" y2="{y:.1f}" stroke="#ccc"/>'
            f'<text x="{left - 4}" y="{y + 4:.1f}" text-anchor="end" font-size="11">'
            f"{escape(_num(peak * tick))}</text>"
        )
    for i, label in enumerate(labels):
        x = left + i * slot + (slot - bar_w) / 2
        y = top + plot_h
        for (name, values), colour in zip(series, PALETTE, strict=False):
            value = float(values[i])
            if value <= 0:
                continue
            h = value / peak * plot_h
            y -= h
            parts.append(
                f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar_w:.1f}" height="{h:.1f}"'
                f' fill="{colour}"><title>{escape(f"{label} · {name}: {_num(value)} {unit}")}'
                "</title></rect>"
            )
        parts.append(
            f'<text x="{x + bar_w / 2:.1f}" y="{top + plot_h + 14}" text-anchor="middle"'
            f' font-size="11">{escape(label)}</text>'
        )
    if not any(totals):
        parts.append(
            f'<text x="{left + plot_w / 2:.1f}" y="{top + plot_h / 2:.1f}" text-anchor="middle"'
            ' font-size="13" fill="#555">Belum ada data</text>'
        )
    x = left
    for (name, _values), colour in zip(series, PALETTE, strict=False):
        parts.append(
            f'<rect x="{x}" y="{height - 14}" width="10" height="10" fill="{colour}"/>'
            f'<text x="{x + 14}" y="{height - 5}" font-size="11">{escape(name)}</text>'
        )
        x += 14 + 8 * len(name) + 16
    parts.append("</svg>")
    return "".join(parts)


def share_bars(
    title: str, rows: Sequence[tuple[str, int]], *, width: int = 640, bar_h: int = 18
) -> str:
    """Horizontal bars of a percentage per row (e.g. employees on track per unit), 0-100."""
    label_w, gap, top = 200, 8, 8
    plot_w = width - label_w - 50
    height = top * 2 + max(len(rows), 1) * (bar_h + gap)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="img"'
        f' aria-label="{escape(title)}" class="chart">',
        f"<title>{escape(title)}</title>",
    ]
    for i, (label, pct) in enumerate(rows):
        pct = max(0, min(100, int(pct)))
        y = top + i * (bar_h + gap)
        short = label if len(label) <= 30 else label[:29] + "…"
        parts.append(
            f'<text x="{label_w - 6}" y="{y + bar_h - 5}" text-anchor="end" font-size="11">'
            f"{escape(short)}</text>"
            f'<rect x="{label_w}" y="{y}" width="{plot_w}" height="{bar_h}" fill="#e9ecef"/>'
            f'<rect x="{label_w}" y="{y}" width="{plot_w * pct / 100:.1f}" height="{bar_h}"'
            f' fill="{PALETTE[2]}"><title>{escape(f"{label}: {pct}%")}</title></rect>'
            f'<text x="{label_w + plot_w + 6}" y="{y + bar_h - 5}" font-size="11">{pct}%</text>'
        )
    if not rows:
        parts.append(
            f'<text x="{width / 2}" y="{top + 12}" text-anchor="middle">Belum ada data</text>'
        )
    parts.append("</svg>")
    return "".join(parts)
