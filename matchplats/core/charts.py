"""Charts as self-contained SVG, rendered on the server: no JavaScript, readable by a screen
reader (``role="img"`` with ``<title>`` and ``<desc>``; each bar and point also carries its own
``<title>``), and drawn with presentation attributes only (``fill=``, ``font-family=``,
``font-size=``), never CSS, so the same markup renders in a browser and inside a PDF. The CSS
classes on the root element are for the web page (they let it scale to the width of a phone).

A chart never stands alone on a page: the table with the same figures is shown beside it.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from xml.sax.saxutils import escape

FONT = "DejaVu Sans, sans-serif"
TEXT = "#1a1a1a"
MUTED = "#555555"
GRID = "#d0d0d0"
PALETTE = ("#1f5fa8", "#e07b00", "#2e7d32", "#8e24aa", "#b03a2e")
"""Blue, orange, green, purple, red: distinguishable for the common colour-vision deficiencies
in the first two, which are the pair (demand, supply) most charts compare."""


def _attr(value: object) -> str:
    return escape(str(value), {'"': "&quot;"})


def _number(value: float) -> str:
    """A figure as a label: whole numbers without decimals, others with one, Swedish-style
    thin-space thousands are left to the page; the chart uses plain digits."""
    if abs(value - round(value)) < 0.05:
        return f"{round(value):d}"
    return f"{value:.1f}"


def nice_step(value: float) -> float:
    """The smallest 1, 2, 2.5 or 5 × 10^n at or above ``value`` (1 for 0 or less)."""
    if value <= 0:
        return 1.0
    exponent = math.floor(math.log10(value))
    for step in (1, 2, 2.5, 5, 10):
        candidate = step * 10 ** exponent
        if candidate >= value - 1e-9:
            return float(candidate)
    return float(10 ** (exponent + 1))


def nice_ticks(low: float, high: float, *, count: int = 4) -> list[float]:
    """Axis ticks from at or below ``min(low, 0)`` to at or above ``max(high, 0)`` in about
    ``count`` round steps, zero always among them."""
    low, high = min(low, 0.0), max(high, 0.0)
    if low == high:
        high = 1.0
    step = nice_step((high - low) / count)
    first, last = math.floor(low / step + 1e-9), math.ceil(high / step - 1e-9)
    return [i * step for i in range(first, last + 1)]


@dataclass(frozen=True)
class Series:
    name: str
    values: Sequence[float]
    colour: str = ""


@dataclass
class BarChart:
    """Horizontal bars, one group per category and one bar per series; negative values extend
    left of the zero line. ``notes`` are appended to the description (e.g. what a mark means)."""

    title: str
    categories: Sequence[str]
    series: Sequence[Series]
    unit: str = ""
    description: str = ""
    chart_id: str = "chart"
    width: int = 640
    label_width: int = 210
    bar_height: int = 14
    group_gap: int = 10
    notes: Sequence[str] = field(default_factory=tuple)

    def _colour(self, index: int, series: Series) -> str:
        return series.colour or PALETTE[index % len(PALETTE)]

    def to_svg(self) -> str:
        legend_height = 26 if len(self.series) > 1 else 0
        top = 36 + legend_height
        group_height = self.bar_height * len(self.series) + self.group_gap
        height = top + max(1, len(self.categories)) * group_height + 30
        values = [v for s in self.series for v in s.values] or [0]
        ticks = nice_ticks(min(values), max(values))
        low, high = ticks[0], ticks[-1]
        plot_left, plot_right = self.label_width, self.width - 56
        span = high - low

        def x(value: float) -> float:
            return plot_left + (value - low) / span * (plot_right - plot_left)

        parts = [self._open(height)]
        parts.append(f'<text x="0" y="18" font-family="{FONT}" font-size="15" font-weight="bold" fill="{TEXT}">'
                     f'{escape(self.title)}</text>')
        if legend_height:
            parts.append(self._legend(top - legend_height + 4))
        for value in ticks:
            px = x(value)
            parts.append(f'<line x1="{px:.1f}" y1="{top - 4}" x2="{px:.1f}" y2="{height - 26}" stroke="{GRID}" '
                         f'stroke-width="1"/>')
            parts.append(f'<text x="{px:.1f}" y="{height - 10}" font-family="{FONT}" font-size="11" fill="{MUTED}" '
                         f'text-anchor="middle">{_number(value)}</text>')
        zero = x(0)
        for i, category in enumerate(self.categories):
            group_top = top + i * group_height
            label_y = group_top + self.bar_height * len(self.series) / 2 + 4
            parts.append(f'<text x="{plot_left - 8}" y="{label_y:.1f}" font-family="{FONT}" font-size="12" '
                         f'fill="{TEXT}" text-anchor="end">{escape(_shorten(category, self.label_width))}</text>')
            for j, series in enumerate(self.series):
                value = series.values[i]
                y = group_top + j * self.bar_height
                left, right = sorted((zero, x(value)))
                label = f"{category}: {series.name} {_number(value)}{(' ' + self.unit) if self.unit else ''}"
                parts.append(f'<rect x="{left:.1f}" y="{y:.1f}" width="{max(right - left, 0.5):.1f}" '
                             f'height="{self.bar_height - 2}" fill="{self._colour(j, series)}">'
                             f'<title>{escape(label)}</title></rect>')
                anchor_x, anchor = (right + 4, "start") if value >= 0 else (left - 4, "end")
                parts.append(f'<text x="{anchor_x:.1f}" y="{y + self.bar_height - 4:.1f}" font-family="{FONT}" '
                             f'font-size="11" fill="{TEXT}" text-anchor="{anchor}">{_number(value)}</text>')
        parts.append(f'<line x1="{zero:.1f}" y1="{top - 4}" x2="{zero:.1f}" y2="{height - 26}" stroke="{TEXT}" '
                     f'stroke-width="1"/>')
        parts.append("</svg>")
        return "".join(parts)

    def _describe(self) -> str:
        text = [self.description] if self.description else []
        for i, category in enumerate(self.categories):
            figures = ", ".join(f"{s.name} {_number(s.values[i])}" for s in self.series)
            text.append(f"{category}: {figures}.")
        text.extend(self.notes)
        return " ".join(text)

    def _open(self, height: int) -> str:
        return _svg_open(self.chart_id, self.width, height, self.title, self._describe())

    def _legend(self, y: int) -> str:
        parts, x = [], 0
        for j, series in enumerate(self.series):
            parts.append(f'<rect x="{x}" y="{y}" width="12" height="12" fill="{self._colour(j, series)}"/>')
            parts.append(f'<text x="{x + 17}" y="{y + 10}" font-family="{FONT}" font-size="12" fill="{TEXT}">'
                         f'{escape(series.name)}</text>')
            x += 30 + 7 * len(series.name)
        return "".join(parts)


@dataclass
class LineChart:
    """One line per series over the same x labels (e.g. months)."""

    title: str
    x_labels: Sequence[str]
    series: Sequence[Series]
    unit: str = ""
    description: str = ""
    chart_id: str = "chart"
    width: int = 640
    height: int = 280
    notes: Sequence[str] = field(default_factory=tuple)

    def to_svg(self) -> str:
        left, right, top, bottom = 52, self.width - 16, 46, self.height - 36
        values = [v for s in self.series for v in s.values] or [0]
        ticks = nice_ticks(0, max(values))
        high = ticks[-1]
        count = max(1, len(self.x_labels) - 1)

        def x(i: int) -> float:
            return left + i * (right - left) / count

        def y(value: float) -> float:
            return bottom - value / high * (bottom - top)

        parts = [_svg_open(self.chart_id, self.width, self.height, self.title, self._describe())]
        parts.append(f'<text x="0" y="18" font-family="{FONT}" font-size="15" font-weight="bold" fill="{TEXT}">'
                     f'{escape(self.title)}</text>')
        for value in ticks:
            parts.append(f'<line x1="{left}" y1="{y(value):.1f}" x2="{right}" y2="{y(value):.1f}" stroke="{GRID}" '
                         f'stroke-width="1"/>')
            parts.append(f'<text x="{left - 6}" y="{y(value) + 4:.1f}" font-family="{FONT}" font-size="11" '
                         f'fill="{MUTED}" text-anchor="end">{_number(value)}</text>')
        step = max(1, math.ceil(len(self.x_labels) / 7))
        for i, label in enumerate(self.x_labels):
            if (len(self.x_labels) - 1 - i) % step == 0:
                anchor = "end" if i == len(self.x_labels) - 1 else "start" if i == 0 else "middle"
                parts.append(f'<text x="{x(i):.1f}" y="{self.height - 14}" font-family="{FONT}" font-size="11" '
                             f'fill="{MUTED}" text-anchor="{anchor}">{escape(label)}</text>')
        for j, series in enumerate(self.series):
            colour = series.colour or PALETTE[j % len(PALETTE)]
            points = " ".join(f"{x(i):.1f},{y(v):.1f}" for i, v in enumerate(series.values))
            parts.append(f'<polyline points="{points}" fill="none" stroke="{colour}" stroke-width="2.5"/>')
            for i, value in enumerate(series.values):
                label = f"{self.x_labels[i]}: {series.name} {_number(value)}{(' ' + self.unit) if self.unit else ''}"
                parts.append(f'<circle cx="{x(i):.1f}" cy="{y(value):.1f}" r="3.5" fill="{colour}">'
                             f'<title>{escape(label)}</title></circle>')
        if len(self.series) > 1:
            lx = left
            for j, series in enumerate(self.series):
                colour = series.colour or PALETTE[j % len(PALETTE)]
                parts.append(f'<rect x="{lx}" y="28" width="12" height="4" fill="{colour}"/>')
                parts.append(f'<text x="{lx + 17}" y="34" font-family="{FONT}" font-size="12" fill="{TEXT}">'
                             f'{escape(series.name)}</text>')
                lx += 30 + 7 * len(series.name)
        parts.append("</svg>")
        return "".join(parts)

    def _describe(self) -> str:
        text = [self.description] if self.description else []
        for series in self.series:
            pairs = ", ".join(f"{label} {_number(v)}" for label, v in zip(self.x_labels, series.values))
            text.append(f"{series.name}: {pairs}.")
        text.extend(self.notes)
        return " ".join(text)


def _svg_open(chart_id: str, width: int, height: int, title: str, description: str) -> str:
    return (f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" width="{width}" height="{height}" '
            f'viewBox="0 0 {width} {height}" role="img" aria-labelledby="{_attr(chart_id)}-title {_attr(chart_id)}-desc">'
            f'<title id="{_attr(chart_id)}-title">{escape(title)}</title>'
            f'<desc id="{_attr(chart_id)}-desc">{escape(description)}</desc>'
            f'<rect x="0" y="0" width="{width}" height="{height}" fill="#ffffff"/>')


def _shorten(label: str, width: int) -> str:
    """Cut a category label to what fits in ``width`` pixels at 12 px (about 7.4 px a character),
    keeping a trailing mark (" *")."""
    limit = max(8, int((width - 12) / 7.4))
    if len(label) <= limit:
        return label
    mark = " *" if label.endswith(" *") else ""
    return label[: limit - 1 - len(mark)].rstrip() + "…" + mark
