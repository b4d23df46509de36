"""Server-rendered SVG charts: no JavaScript, no network. Every data point is one element of class ``mark``
(a point, a bar or a calendar day) so a reader, or a test, can count them against the data."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from html import escape

from markupsafe import Markup

WIDTH, HEIGHT = 720, 240
LEFT, RIGHT, TOP, BOTTOM = 48, 12, 16, 28


@dataclass(frozen=True)
class Series:
    """One line: a value (or None: no mark) per x label."""

    name: str
    values: Sequence[float | None]
    css: str = "s1"


@dataclass(frozen=True)
class Band:
    """A shaded band: either a constant range (``low``..``high``) or one per x label (``lows``/``highs``)."""

    name: str
    low: float | None = None
    high: float | None = None
    lows: Sequence[float | None] = field(default_factory=tuple)
    highs: Sequence[float | None] = field(default_factory=tuple)
    css: str = "band"


def _scale(values: Sequence[float], floor: float | None, ceiling: float | None) -> tuple[float, float]:
    low = min(values) if floor is None else floor
    high = max(values) if ceiling is None else ceiling
    if high - low < 1e-9:
        low, high = low - 1.0, high + 1.0
    return low, high


def _fmt(value: float) -> str:
    return f"{value:.3g}" if abs(value) < 1000 else f"{value:.0f}"


def line_chart(
    chart_id: str,
    title: str,
    labels: Sequence[str],
    series: Sequence[Series],
    bands: Sequence[Band] = (),
    references: Sequence[tuple[str, float]] = (),
    y_min: float | None = None,
    y_max: float | None = None,
) -> Markup:
    """Lines over x labels with one circle mark per non-empty value, optional bands and reference lines."""
    known = [v for s in series for v in s.values if v is not None]
    known += [v for b in bands for v in (b.low, b.high, *b.lows, *b.highs) if v is not None]
    known += [value for _, value in references]
    if not labels or not known:
        return empty_chart(chart_id, title)
    low, high = _scale(known, y_min, y_max)
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    step = plot_w / max(len(labels) - 1, 1)

    def x(i: int) -> float:
        return LEFT + i * step

    def y(v: float) -> float:
        return TOP + plot_h * (1.0 - (min(max(v, low), high) - low) / (high - low))

    parts = [_frame(chart_id, title, low, high, labels, x)]
    for band in bands:
        if band.low is not None and band.high is not None:
            top, bottom = y(band.high), y(band.low)
            parts.append(
                f'<rect class="{band.css}" x="{LEFT}" y="{top:.1f}" width="{plot_w}" '
                f'height="{bottom - top:.1f}"><title>{escape(band.name)}</title></rect>'
            )
        elif band.lows:
            upper = [(x(i), y(v)) for i, v in enumerate(band.highs) if v is not None]
            lower = [(x(i), y(v)) for i, v in enumerate(band.lows) if v is not None]
            outline = " ".join(f"{px:.1f},{py:.1f}" for px, py in [*upper, *reversed(lower)])
            parts.append(
                f'<polygon class="{band.css}" points="{outline}"><title>{escape(band.name)}</title></polygon>'
            )
    parts.extend(_reference(name, y(value)) for name, value in references)
    for s in series:
        marks = [(i, v) for i, v in enumerate(s.values) if v is not None]
        path = " ".join(f"{x(i):.1f},{y(v):.1f}" for i, v in marks)
        parts.append(f'<g class="series {s.css}" data-series="{escape(s.name)}">')
        parts.append(f'<polyline points="{path}"/>')
        parts.extend(
            f'<circle class="mark" cx="{x(i):.1f}" cy="{y(v):.1f}" r="2.5" data-x="{escape(labels[i])}">'
            f"<title>{escape(labels[i])} {escape(s.name)}: {_fmt(v)}</title></circle>"
            for i, v in marks
        )
        parts.append("</g>")
    parts.append(_legend(series))
    parts.append("</svg>")
    return Markup("".join(parts))


def bar_chart(
    chart_id: str,
    title: str,
    bars: Sequence[tuple[str, float | None, int]],
    y_min: float = 0.0,
    references: Sequence[tuple[str, float]] = (),
) -> Markup:
    """One bar (class ``mark``) per (label, value, n) with a value; the label shows its n."""
    known = [v for _, v, _ in bars if v is not None] + [v for _, v in references]
    if not known:
        return empty_chart(chart_id, title)
    low, high = _scale([*known, y_min], y_min, None)
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    slot = plot_w / len(bars)

    def y(v: float) -> float:
        return TOP + plot_h * (1.0 - (v - low) / (high - low))

    parts = [_frame(chart_id, title, low, high, [], lambda i: 0.0)]
    for i, (label, value, n) in enumerate(bars):
        left = LEFT + i * slot + slot * 0.15
        parts.append(
            f'<text class="axis" x="{left + slot * 0.35:.1f}" y="{HEIGHT - 8}" text-anchor="middle">'
            f"{escape(label)} (n={n})</text>"
        )
        if value is None:
            continue
        top = y(value)
        parts.append(
            f'<rect class="mark bar" x="{left:.1f}" y="{top:.1f}" width="{slot * 0.7:.1f}" '
            f'height="{y(low) - top:.1f}" data-x="{escape(label)}"><title>{escape(label)}: {_fmt(value)} '
            f"(n={n})</title></rect>"
        )
    parts.extend(_reference(name, y(value)) for name, value in references)
    parts.append("</svg>")
    return Markup("".join(parts))


def calendar(chart_id: str, title: str, days: Sequence[tuple[date, str, str]]) -> Markup:
    """A season calendar: one square (class ``mark``, CSS class = state) per game date, a column per week."""
    if not days:
        return empty_chart(chart_id, title)
    first = days[0][0]
    origin = first.toordinal() - first.weekday()
    size, gap = 13, 2
    weeks = (days[-1][0].toordinal() - origin) // 7 + 1
    width, height = LEFT + weeks * (size + gap) + RIGHT, TOP + 7 * (size + gap) + BOTTOM
    parts = [
        f'<svg class="chart" data-chart="{chart_id}" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="{escape(title)}" xmlns="http://www.w3.org/2000/svg"><title>{escape(title)}</title>'
    ]
    for index, name in enumerate(("Mon", "Wed", "Fri", "Sun")):
        parts.append(f'<text class="axis" x="4" y="{TOP + (index * 2) * (size + gap) + 10}">{name}</text>')
    for day, state, detail in days:
        offset = day.toordinal() - origin
        cx, cy = LEFT + (offset // 7) * (size + gap), TOP + (offset % 7) * (size + gap)
        parts.append(
            f'<rect class="mark day {escape(state)}" x="{cx}" y="{cy}" width="{size}" height="{size}" '
            f'data-x="{day.isoformat()}"><title>{day.isoformat()}: {escape(detail)}</title></rect>'
        )
    parts.append("</svg>")
    return Markup("".join(parts))


def empty_chart(chart_id: str, title: str) -> Markup:
    return Markup(
        f'<svg class="chart empty" data-chart="{chart_id}" viewBox="0 0 {WIDTH} 60" role="img" '
        f'aria-label="{escape(title)}" xmlns="http://www.w3.org/2000/svg"><title>{escape(title)}</title>'
        f'<text class="axis" x="{LEFT}" y="34">no data for this date yet</text></svg>'
    )


def _frame(
    chart_id: str, title: str, low: float, high: float, labels: Sequence[str], x: Callable[[int], float]
) -> str:
    plot_h = HEIGHT - TOP - BOTTOM
    parts = [
        f'<svg class="chart" data-chart="{chart_id}" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'aria-label="{escape(title)}" xmlns="http://www.w3.org/2000/svg"><title>{escape(title)}</title>',
        f'<line class="axis-line" x1="{LEFT}" x2="{LEFT}" y1="{TOP}" y2="{TOP + plot_h}"/>',
        f'<line class="axis-line" x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{TOP + plot_h}" y2="{TOP + plot_h}"/>',
        f'<text class="axis" x="{LEFT - 4}" y="{TOP + 8}" text-anchor="end">{_fmt(high)}</text>',
        f'<text class="axis" x="{LEFT - 4}" y="{TOP + plot_h}" text-anchor="end">{_fmt(low)}</text>',
    ]
    if labels:
        for i in sorted({0, len(labels) // 2, len(labels) - 1}):
            parts.append(
                f'<text class="axis" x="{x(i):.1f}" y="{HEIGHT - 8}" text-anchor="middle">'
                f"{escape(labels[i])}</text>"
            )
    return "".join(parts)


def _legend(series: Sequence[Series]) -> str:
    return "".join(
        f'<text class="legend {s.css}" x="{LEFT + 8 + 150 * i}" y="{TOP + 10}">{escape(s.name)}</text>'
        for i, s in enumerate(series)
        if len(series) > 1
    )


def _reference(name: str, at: float) -> str:
    return (
        f'<line class="reference" x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{at:.1f}" y2="{at:.1f}">'
        f"<title>{escape(name)}</title></line>"
    )
