"""Charts as inline SVG whose labels are text the browser draws.

No raster text and no font files: every label is an SVG ``<text>`` element
set in the page's font stack, so Chinese renders wherever the reader's
browser has a Chinese font (every phone and desktop that reads Chinese), and
prints sharply. Every piece of text is escaped here, because product and
streamer names come from user data.

Each function returns an SVG string (``""`` when there is nothing to draw).
"""

from __future__ import annotations

import html
import math
import re
from typing import Callable, Sequence

__all__ = ["PALETTE", "SENTIMENT_COLORS", "line_chart", "bar_chart", "scatter_chart",
           "heatmap", "nice_ticks"]

# Okabe–Ito: distinguishable with the common colour-vision deficiencies.
PALETTE = ("#0072B2", "#D55E00", "#009E73", "#E69F00", "#CC79A7", "#56B4E9", "#8C6D1F",
           "#444444")
SENTIMENT_COLORS = {"正面": "#009E73", "中性": "#9A9A9A", "负面": "#D55E00"}

_FONT = 13
_SMALL = 11


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")


def _e(value) -> str:
    # Control characters are not allowed in SVG (XML) text; drop them.
    return html.escape(_CONTROL.sub("", str(value)), quote=True)


def _n(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def nice_ticks(lo: float, hi: float, count: int = 5) -> list[float]:
    """Round tick values covering ``[lo, hi]``.

    >>> nice_ticks(0, 0.37)
    [0.0, 0.1, 0.2, 0.30000000000000004, 0.4]
    """
    if not (math.isfinite(lo) and math.isfinite(hi)) or hi <= lo:
        hi = lo + 1
    raw = (hi - lo) / max(count - 1, 1)
    mag = 10 ** math.floor(math.log10(raw))
    step = next(m * mag for m in (1, 2, 2.5, 5, 10) if m * mag >= raw)
    start = math.floor(lo / step) * step
    ticks = [start]
    while ticks[-1] < hi - 1e-12:
        ticks.append(ticks[-1] + step)
    return ticks


def _fmt(kind: str) -> Callable[[float], str]:
    if kind == "pct":
        return lambda v: f"{v * 100:.0f}%"
    if kind == "pct1":
        return lambda v: f"{v * 100:.1f}%"
    if kind == "int":
        return lambda v: f"{v:,.0f}"
    if kind == "num":
        return lambda v: f"{v:.2f}"
    if kind == "pp":
        return lambda v: f"{v * 100:+.0f}"
    if kind == "signed":
        return lambda v: f"{v:+.2f}"
    return lambda v: f"{v:,.2f}".rstrip("0").rstrip(".")


def _open(width: int, height: int, title: str, desc: str = "") -> list[str]:
    cls = "chart wide" if width >= 800 else "chart"
    return [f'<svg class="{cls}" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
            f'width="100%" role="img" preserveAspectRatio="xMidYMid meet" '
            f'style="max-width:{width}px">',
            f"<title>{_e(title)}</title>" + (f"<desc>{_e(desc)}</desc>" if desc else ""),
            f'<text x="0" y="16" font-size="{_FONT + 2}" font-weight="bold" '
            f'fill="#222">{_e(title)}</text>']


def _legend(names: Sequence[str], colors: Sequence[str], x: float, y: float,
            width: float) -> tuple[list[str], float]:
    parts, cx, cy = [], x, y
    for name, color in zip(names, colors):
        w = 22 + _text_width(name, _SMALL) + 14
        if cx + w > x + width and cx > x:
            cx, cy = x, cy + 18
        parts.append(f'<rect x="{_n(cx)}" y="{_n(cy - 9)}" width="14" height="10" rx="2" '
                     f'fill="{color}"/><text x="{_n(cx + 18)}" y="{_n(cy)}" '
                     f'font-size="{_SMALL}" fill="#333">{_e(name)}</text>')
        cx += w
    return parts, cy + 8


def _text_width(text: str, size: float) -> float:
    # CJK characters are about one em wide, Latin about half.
    return sum(size if ord(ch) > 0x2E80 else size * 0.58 for ch in str(text))


def _x_labels(labels: Sequence[str], xs: Sequence[float], y: float, room: float) -> list[str]:
    if not labels:
        return []
    widest = max(_text_width(s, _SMALL) for s in labels) + 6
    every = max(1, math.ceil(widest / max(room, 1)))
    return [f'<text x="{_n(x)}" y="{_n(y)}" font-size="{_SMALL}" fill="#555" '
            f'text-anchor="middle">{_e(s)}</text>'
            for i, (s, x) in enumerate(zip(labels, xs)) if i % every == 0]


def line_chart(x_labels: Sequence[str], series: dict, *, title: str, y_kind: str = "pct",
               y_min: float | None = 0.0, y_max: float | None = None, width: int = 960,
               height: int = 280, colors: Sequence[str] | None = None,
               bars: Sequence[float] | None = None, bar_label: str = "",
               markers: Sequence[int] = ()) -> str:
    """Lines over periods, optionally over light bars of volume (right axis).

    ``series`` maps a legend name to one value per x label (None/NaN leaves a
    gap). ``markers`` are x positions to highlight with a shaded band.
    """
    names = list(series)
    values = [[v for v in series[n] if v is not None and math.isfinite(v)] for n in names]
    flat = [v for vs in values for v in vs]
    if not x_labels or not flat:
        return ""
    colors = list(colors or PALETTE)
    fmt = _fmt(y_kind)
    tip = _fmt("pct1") if y_kind == "pct" else fmt
    lo = min(flat) if y_min is None else y_min
    hi = max(flat) if y_max is None else y_max
    ticks = nice_ticks(lo, hi)
    lo, hi = ticks[0], ticks[-1]
    left, right = 56, 56 if bars is not None else 16
    legend_names = names + ([bar_label] if bars is not None else [])
    legend_colors = colors[:len(names)] + (["#D9E2EC"] if bars is not None else [])
    legend, top = _legend(legend_names, legend_colors, left, 40, width - left - right)
    top += 6
    bottom = height - 28
    plot_w = width - left - right
    n = len(x_labels)
    step = plot_w / max(n, 1)
    xs = [left + step * (i + 0.5) for i in range(n)]

    def y_of(v):
        return bottom - (v - lo) / (hi - lo) * (bottom - top)

    out = _open(width, height, title)
    out += legend
    for i in markers:
        if 0 <= i < n:
            out.append(f'<rect x="{_n(xs[i] - step / 2)}" y="{_n(top)}" width="{_n(step)}" '
                       f'height="{_n(bottom - top)}" fill="#FDECEA"/>')
    if bars is not None:
        finite = [b for b in bars if b is not None and math.isfinite(b)]
        bticks = nice_ticks(0, max(finite) if finite else 1, 4)
        bhi = bticks[-1]
        for x, b in zip(xs, bars):
            if b is None or not math.isfinite(b):
                continue
            h = b / bhi * (bottom - top)
            out.append(f'<rect x="{_n(x - step * 0.35)}" y="{_n(bottom - h)}" '
                       f'width="{_n(step * 0.7)}" height="{_n(h)}" fill="#D9E2EC"/>')
        for t in bticks:
            y = bottom - t / bhi * (bottom - top)
            out.append(f'<text x="{width - right + 6}" y="{_n(y + 4)}" font-size="{_SMALL}" '
                       f'fill="#777">{_e(_fmt("int")(t))}</text>')
    for t in ticks:
        y = y_of(t)
        out.append(f'<line x1="{left}" x2="{width - right}" y1="{_n(y)}" y2="{_n(y)}" '
                   f'stroke="#E5E5E5"/><text x="{left - 6}" y="{_n(y + 4)}" '
                   f'font-size="{_SMALL}" fill="#555" text-anchor="end">{_e(fmt(t))}</text>')
    out.append(f'<line x1="{left}" x2="{width - right}" y1="{bottom}" y2="{bottom}" '
               f'stroke="#999"/>')
    for k, name in enumerate(names):
        color = colors[k % len(colors)]
        path, pen = [], False
        for x, v in zip(xs, series[name]):
            if v is None or not math.isfinite(v):
                pen = False
                continue
            path.append(f'{"L" if pen else "M"}{_n(x)},{_n(y_of(v))}')
            pen = True
        if path:
            out.append(f'<path d="{" ".join(path)}" fill="none" stroke="{color}" '
                       f'stroke-width="2.2" stroke-linejoin="round"/>')
        for x, v, lab in zip(xs, series[name], x_labels):
            if v is not None and math.isfinite(v):
                out.append(f'<circle cx="{_n(x)}" cy="{_n(y_of(v))}" r="3" fill="{color}">'
                           f'<title>{_e(name)} {_e(lab)}: {_e(tip(v))}</title></circle>')
    out += _x_labels(list(x_labels), xs, height - 10, step)
    out.append("</svg>")
    return "".join(out)


def bar_chart(labels: Sequence[str], segments: dict, *, title: str, kind: str = "pct",
              width: int = 960, colors: Sequence[str] | None = None,
              totals: Sequence[str] | None = None) -> str:
    """Horizontal bars, stacked when ``segments`` has several series.

    ``segments`` maps a legend name to one value per label; ``totals`` are
    texts written at the end of each bar (the bar's value by default).
    """
    names = list(segments)
    if not labels or not names:
        return ""
    colors = list(colors or PALETTE)
    fmt = _fmt(kind)
    sums = [sum(v for v in (segments[n][i] for n in names) if v is not None and math.isfinite(v))
            for i in range(len(labels))]
    hi = max(sums) if sums and max(sums) > 0 else 1
    label_w = min(max(_text_width(s, _FONT) for s in labels) + 12, width * 0.35)
    ends = totals if totals is not None else [fmt(v) for v in sums]
    right = min(max(_text_width(str(s), _SMALL) for s in ends) + 14, width * 0.35)
    left = label_w
    legend, top = (_legend(names, colors, left, 40, width - left - right) if len(names) > 1
                   else ([], 34))
    top += 4
    row_h = 26
    height = int(top + row_h * len(labels) + 12)
    plot_w = width - left - right
    out = _open(width, height, title)
    out += legend
    for i, label in enumerate(labels):
        y = top + i * row_h
        out.append(f'<text x="{_n(left - 8)}" y="{_n(y + row_h * 0.62)}" font-size="{_FONT}" '
                   f'fill="#222" text-anchor="end">{_e(label)}</text>')
        x = left
        for k, name in enumerate(names):
            v = segments[name][i]
            if v is None or not math.isfinite(v) or v <= 0:
                continue
            w = v / hi * plot_w
            out.append(f'<rect x="{_n(x)}" y="{_n(y + 4)}" width="{_n(w)}" height="{row_h - 8}" '
                       f'fill="{colors[k % len(colors)]}"><title>{_e(label)} {_e(name)}: '
                       f'{_e(fmt(v))}</title></rect>')
            x += w
        text = totals[i] if totals is not None else fmt(sums[i])
        out.append(f'<text x="{_n(x + 6)}" y="{_n(y + row_h * 0.62)}" font-size="{_SMALL}" '
                   f'fill="#333">{_e(text)}</text>')
    out.append("</svg>")
    return "".join(out)


def scatter_chart(points: Sequence[tuple], *, title: str, x_label: str, y_label: str,
                  x_kind: str = "num", y_kind: str = "int", width: int = 960,
                  height: int = 400, note: str = "") -> str:
    """Points ``(x, y, group)`` coloured by group, with a legend and axis titles."""
    pts = [(x, y, g) for x, y, g in points
           if x is not None and y is not None and math.isfinite(x) and math.isfinite(y)]
    if not pts:
        return ""
    groups = list(dict.fromkeys(str(g) for _, _, g in pts))
    colors = {g: PALETTE[i % len(PALETTE)] for i, g in enumerate(groups)}
    xt = nice_ticks(min(p[0] for p in pts), max(p[0] for p in pts))
    yt = nice_ticks(min(0, min(p[1] for p in pts)), max(p[1] for p in pts))
    left, right = 64, 16
    legend, top = _legend(groups, [colors[g] for g in groups], left, 40, width - left - right)
    top += 6
    bottom = height - 46 - (16 if note else 0)
    fx, fy = _fmt(x_kind), _fmt(y_kind)

    def px(v):
        return left + (v - xt[0]) / (xt[-1] - xt[0]) * (width - left - right)

    def py(v):
        return bottom - (v - yt[0]) / (yt[-1] - yt[0]) * (bottom - top)

    out = _open(width, height, title)
    out += legend
    for t in yt:
        out.append(f'<line x1="{left}" x2="{width - right}" y1="{_n(py(t))}" y2="{_n(py(t))}" '
                   f'stroke="#E5E5E5"/><text x="{left - 6}" y="{_n(py(t) + 4)}" '
                   f'font-size="{_SMALL}" fill="#555" text-anchor="end">{_e(fy(t))}</text>')
    for t in xt:
        out.append(f'<line x1="{_n(px(t))}" x2="{_n(px(t))}" y1="{top}" y2="{bottom}" '
                   f'stroke="#F0F0F0"/><text x="{_n(px(t))}" y="{bottom + 16}" '
                   f'font-size="{_SMALL}" fill="#555" text-anchor="middle">{_e(fx(t))}</text>')
    for x, y, g in pts:
        out.append(f'<circle cx="{_n(px(x))}" cy="{_n(py(y))}" r="4.5" fill="{colors[str(g)]}" '
                   f'fill-opacity="0.75"><title>{_e(g)}: {_e(fx(x))}, {_e(fy(y))}</title>'
                   f'</circle>')
    out.append(f'<text x="{_n((left + width - right) / 2)}" y="{bottom + 34}" '
               f'font-size="{_FONT}" fill="#333" text-anchor="middle">{_e(x_label)}</text>')
    out.append(f'<text x="14" y="{_n((top + bottom) / 2)}" font-size="{_FONT}" fill="#333" '
               f'text-anchor="middle" transform="rotate(-90 14 {_n((top + bottom) / 2)})">'
               f'{_e(y_label)}</text>')
    if note:
        out.append(f'<text x="{left}" y="{height - 6}" font-size="{_SMALL}" fill="#777">'
                   f'{_e(note)}</text>')
    out.append("</svg>")
    return "".join(out)


def heatmap(row_labels: Sequence[str], col_labels: Sequence[str], values, *, title: str,
            width: int = 960, cell_h: int = 26, marks=None) -> str:
    """Signed values (−1…1) as coloured cells with the number written in each.

    ``values[i][j]`` belongs to row i and column j; ``marks[i][j]`` true draws
    the cell's number in italics and pale (too few periods to trust).
    """
    if not row_labels or not col_labels:
        return ""
    label_w = min(max(_text_width(s, _FONT) for s in row_labels) + 12, width * 0.45)
    top = 34 + 20
    height = int(top + cell_h * len(row_labels) + 8)
    cell_w = (width - label_w - 8) / len(col_labels)
    out = _open(width, height, title)
    for j, c in enumerate(col_labels):
        out.append(f'<text x="{_n(label_w + cell_w * (j + 0.5))}" y="{top - 6}" '
                   f'font-size="{_SMALL}" fill="#555" text-anchor="middle">{_e(c)}</text>')
    for i, r in enumerate(row_labels):
        y = top + i * cell_h
        out.append(f'<text x="{_n(label_w - 8)}" y="{_n(y + cell_h * 0.65)}" font-size="{_SMALL}" '
                   f'fill="#222" text-anchor="end">{_e(r)}</text>')
        for j in range(len(col_labels)):
            v = values[i][j]
            x = label_w + j * cell_w
            if v is None or not math.isfinite(v):
                fill, text = "#F5F5F5", "—"
            else:
                a = min(abs(v), 1.0)
                base = (213, 94, 0) if v < 0 else (0, 114, 178)
                rgb = [round(255 - (255 - b) * a) for b in base]
                fill, text = f"rgb({rgb[0]},{rgb[1]},{rgb[2]})", f"{v:+.2f}"
            weak = bool(marks[i][j]) if marks is not None else False
            style = ' font-style="italic" opacity="0.6"' if weak else ""
            ink = "#fff" if (v is not None and math.isfinite(v) and abs(v) > 0.55) else "#222"
            out.append(f'<rect x="{_n(x + 1)}" y="{_n(y + 1)}" width="{_n(cell_w - 2)}" '
                       f'height="{cell_h - 2}" fill="{fill}"/><text x="{_n(x + cell_w / 2)}" '
                       f'y="{_n(y + cell_h * 0.65)}" font-size="{_SMALL}" fill="{ink}" '
                       f'text-anchor="middle"{style}>'
                       f'{_e(text)}</text>')
    out.append("</svg>")
    return "".join(out)
