"""Charts of the results site (统计图) as inline SVG, drawn in Python.

No JavaScript library and no web font: the same input gives the same bytes.
Every chart is ``role="img"`` with a ``<title>`` and a ``<desc>`` stating the
numbers (GB/T 37668: text alternatives), and the pages show the same numbers
in a table beside it.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import attrs
from markupsafe import Markup, escape

#: colours with at least 4.5:1 contrast against white (text) and 3:1 (shapes)
INK = "#1a1a1a"
MUTED = "#555555"
BAR = "#1f4e79"
TRACK = "#e8ecf0"
AVERAGE = "#a34700"
GRID = "#c8ced6"
GRADE_COLOURS = ("#1b6e35", "#1f5fa8", "#7a5500", "#b3261e")
OTHER_GRADE = "#5a5a5a"
WIDTH = 720


def _n(x: float) -> str:
    """Coordinate text: one decimal, no ``-0``."""
    s = f"{x:.1f}"
    return "0.0" if s == "-0.0" else s


def _svg(ident: str, height: float, title: str, desc: str, body: list[str]) -> Markup:
    head = (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {WIDTH} {_n(height)}" '
        f'role="img" aria-labelledby="{ident}-t {ident}-d" focusable="false">'
        f'<title id="{ident}-t">{escape(title)}</title><desc id="{ident}-d">{escape(desc)}</desc>'
    )
    return Markup(head + "".join(body) + "</svg>")


def _text(
    x: float, y: float, text: str, *, size: int = 14, anchor: str = "start", **attrs_: str
) -> str:
    extra = "".join(f' {k.replace("_", "-")}="{escape(v)}"' for k, v in attrs_.items())
    return (
        f'<text x="{_n(x)}" y="{_n(y)}" font-size="{size}" text-anchor="{anchor}"{extra}>'
        f"{escape(text)}</text>"
    )


def grade_tone(index: int, count: int) -> int:
    """Colour class of the ``index``-th of ``count`` grade bands.

    0 green for the best band, 3 red for the lowest (不合格), 1 blue for the
    second and 2 amber for any other band between; 4 grey for a grade outside
    the bands.  So 不合格 is red whether there are three bands or four.
    """
    if index < 0 or index >= count:
        return 4
    if index == 0:
        return 0
    if index == count - 1:
        return 3
    return 1 if index == 1 else 2


def grade_colour(index: int, count: int) -> str:
    """Colour of the ``index``-th of ``count`` grade bands (see :func:`grade_tone`)."""
    tone = grade_tone(index, count)
    return GRADE_COLOURS[tone] if tone < len(GRADE_COLOURS) else OTHER_GRADE


@attrs.frozen
class Bar:
    """One 一级指标 of a unit: its score, the group's full points and average."""

    label: str
    score: float
    maximum: float
    average: float


def fmt_num(x: float | None, digits: int = 2) -> str:
    """A score as the site prints it: ``93.50``; ``—`` when unknown."""
    return "—" if x is None or x != x else f"{x:.{digits}f}"


def domain_bars(ident: str, title: str, bars: Sequence[Bar], digits: int = 2) -> Markup:
    """Horizontal bars of a unit's domain scores, each with a marker at the group's average."""
    left, right, row_h = 8.0, 200.0, 56.0
    span = WIDTH - left - right
    body: list[str] = []
    desc = []
    for i, b in enumerate(bars):
        y = 8 + i * row_h
        share = 0.0 if b.maximum <= 0 else max(0.0, min(1.0, b.score / b.maximum))
        avg = 0.0 if b.maximum <= 0 else max(0.0, min(1.0, b.average / b.maximum))
        body.append(_text(left, y + 14, b.label, fill=INK))
        body.append(
            f'<rect x="{_n(left)}" y="{_n(y + 22)}" width="{_n(span)}" height="18" fill="{TRACK}"/>'
        )
        body.append(
            f'<rect x="{_n(left)}" y="{_n(y + 22)}" width="{_n(span * share)}" height="18" fill="{BAR}"/>'
        )
        ax = left + span * avg
        body.append(
            f'<line x1="{_n(ax)}" y1="{_n(y + 17)}" x2="{_n(ax)}" y2="{_n(y + 45)}" '
            f'stroke="{AVERAGE}" stroke-width="3"/>'
        )
        value = f"{fmt_num(b.score, digits)} / {fmt_num(b.maximum, digits)}"
        body.append(_text(left + span + 10, y + 36, value, fill=INK))
        body.append(
            _text(
                left + span + 10,
                y + 52,
                f"类别平均 {fmt_num(b.average, digits)}",
                size=12,
                fill=AVERAGE,
            )
        )
        desc.append(
            f"{b.label}：得分 {fmt_num(b.score, digits)}，满分 {fmt_num(b.maximum, digits)}，"
            f"类别平均 {fmt_num(b.average, digits)}"
        )
    height = 16 + len(bars) * row_h
    return _svg(ident, height, title, "；".join(desc) + "。", body)


@attrs.frozen
class TrendValue:
    """One period on the trend chart."""

    label: str
    total: float | None
    rank: int | None


def _axis(values: Sequence[float], top: float) -> tuple[float, float, float]:
    """Axis from a round number below the values (and the full score) to one above, and its step."""
    lo = min([*values, top])
    hi = max([*values, top])
    span = hi - lo
    step = 5.0 if span <= 25 else 10.0 if span <= 60 else 20.0
    lo = math.floor(lo / step) * step
    hi = math.ceil(hi / step) * step
    if hi <= lo:
        hi = lo + step
    return lo, hi, step


def _ticks(lo: float, hi: float, step: float) -> list[float]:
    return [lo + step * k for k in range(int(round((hi - lo) / step)) + 1)]


def trend_chart(ident: str, title: str, points: Sequence[TrendValue], top: float) -> Markup:
    """Line chart of a unit's totals across periods, each point labelled with total and rank."""
    known = [p.total for p in points if p.total is not None]
    lo, hi, step = _axis(known or [top], top)
    left, right, top_pad, plot_h = 56.0, 24.0, 28.0, 180.0
    span = WIDTH - left - right
    n = len(points)
    step = span / n
    body: list[str] = []

    def y_of(v: float) -> float:
        return top_pad + plot_h * (1 - (v - lo) / (hi - lo))

    for v in _ticks(lo, hi, step):
        y = y_of(v)
        body.append(
            f'<line x1="{_n(left)}" y1="{_n(y)}" x2="{_n(WIDTH - right)}" y2="{_n(y)}" stroke="{GRID}"/>'
        )
        body.append(_text(left - 8, y + 5, f"{v:g}", size=12, anchor="end", fill=MUTED))
    coords = []
    for i, p in enumerate(points):
        x = left + step * (i + 0.5)
        body.append(_text(x, top_pad + plot_h + 22, p.label, size=13, anchor="middle", fill=INK))
        if p.total is not None:
            coords.append((x, y_of(p.total)))
    if len(coords) > 1:
        path = " ".join(f"{_n(x)},{_n(y)}" for x, y in coords)
        body.append(f'<polyline points="{path}" fill="none" stroke="{BAR}" stroke-width="3"/>')
    desc = []
    for i, p in enumerate(points):
        x = left + step * (i + 0.5)
        rank = f"第{p.rank}名" if p.rank is not None else "无排名"
        if p.total is not None:
            y = y_of(p.total)
            body.append(f'<circle cx="{_n(x)}" cy="{_n(y)}" r="5" fill="{BAR}"/>')
            body.append(
                _text(
                    x, y - 12, f"{fmt_num(p.total)}（{rank}）", size=13, anchor="middle", fill=INK
                )
            )
        desc.append(f"{p.label}：总分 {fmt_num(p.total)}，{rank}")
    return _svg(ident, top_pad + plot_h + 36, title, "；".join(desc) + "。", body)


@attrs.frozen
class GradeCount:
    """How many units of a group got one grade."""

    grade: str
    count: int


def grade_distribution(
    ident: str, title: str, groups: Sequence[tuple[str, Sequence[GradeCount]]]
) -> Markup:
    """One stacked horizontal bar per group: the share of units in each grade."""
    left, right, row_h = 8.0, 8.0, 62.0
    span = WIDTH - left - right
    body: list[str] = []
    desc = []
    for i, (name, counts) in enumerate(groups):
        y = 8 + i * row_h
        total = sum(c.count for c in counts)
        body.append(_text(left, y + 14, f"{name}（{total}个单位）", fill=INK))
        x = left
        for k, c in enumerate(counts):
            if not c.count or not total:
                continue
            w = span * c.count / total
            body.append(
                f'<rect x="{_n(x)}" y="{_n(y + 22)}" width="{_n(w)}" height="30" fill="{grade_colour(k, len(counts))}" '
                'stroke="#ffffff" stroke-width="1"/>'
            )
            label = f"{c.grade} {c.count}"
            if w >= 14 * len(label) * 0.75 + 8:
                body.append(
                    _text(x + w / 2, y + 42, label, size=13, anchor="middle", fill="#ffffff")
                )
            elif w >= 16:
                body.append(
                    _text(x + w / 2, y + 42, str(c.count), size=13, anchor="middle", fill="#ffffff")
                )
            x += w
        desc.append(f"{name}：" + "，".join(f"{c.grade}{c.count}个" for c in counts))
    # legend
    ly = 8 + len(groups) * row_h + 6
    x = left
    legend: list[tuple[str, str]] = []
    for _, counts in groups:
        for k, c in enumerate(counts):
            item = (c.grade, grade_colour(k, len(counts)))
            if item not in legend:
                legend.append(item)
    for grade, colour in legend:
        body.append(f'<rect x="{_n(x)}" y="{_n(ly)}" width="14" height="14" fill="{colour}"/>')
        body.append(_text(x + 20, ly + 12, grade, size=13, fill=INK))
        x += 32 + 14 * len(grade)
    return _svg(ident, ly + 26, title, "；".join(desc) + "。", body)


@attrs.frozen
class BoxStats:
    """Five-number summary of a group's totals (最低分、下四分位数、中位数、上四分位数、最高分)."""

    name: str
    low: float
    q1: float
    median: float
    q3: float
    high: float
    count: int


def box_plot(ident: str, title: str, boxes: Sequence[BoxStats], top: float) -> Markup:
    """Horizontal box plots of the groups' totals on one shared axis."""
    values = [v for b in boxes for v in (b.low, b.high)]
    lo, hi, step = _axis(values or [top], top)
    left, right, row_h = 150.0, 24.0, 48.0
    span = WIDTH - left - right

    def x_of(v: float) -> float:
        return left + span * (v - lo) / (hi - lo)

    body: list[str] = []
    height = 12 + len(boxes) * row_h
    for v in _ticks(lo, hi, step):
        x = x_of(v)
        body.append(f'<line x1="{_n(x)}" y1="4" x2="{_n(x)}" y2="{_n(height)}" stroke="{GRID}"/>')
        body.append(_text(x, height + 18, f"{v:g}", size=12, anchor="middle", fill=MUTED))
    desc = []
    for i, b in enumerate(boxes):
        cy = 12 + i * row_h + row_h / 2 - 6
        body.append(_text(left - 10, cy + 5, b.name, anchor="end", fill=INK))
        body.append(
            f'<line x1="{_n(x_of(b.low))}" y1="{_n(cy)}" x2="{_n(x_of(b.high))}" y2="{_n(cy)}" '
            f'stroke="{INK}" stroke-width="2"/>'
        )
        for v in (b.low, b.high):
            body.append(
                f'<line x1="{_n(x_of(v))}" y1="{_n(cy - 9)}" x2="{_n(x_of(v))}" y2="{_n(cy + 9)}" '
                f'stroke="{INK}" stroke-width="2"/>'
            )
        body.append(
            f'<rect x="{_n(x_of(b.q1))}" y="{_n(cy - 14)}" width="{_n(max(x_of(b.q3) - x_of(b.q1), 1.0))}" '
            f'height="28" fill="{TRACK}" stroke="{BAR}" stroke-width="2"/>'
        )
        body.append(
            f'<line x1="{_n(x_of(b.median))}" y1="{_n(cy - 14)}" x2="{_n(x_of(b.median))}" '
            f'y2="{_n(cy + 14)}" stroke="{AVERAGE}" stroke-width="3"/>'
        )
        desc.append(
            f"{b.name}（{b.count}个单位）：最低 {fmt_num(b.low)}，下四分位 {fmt_num(b.q1)}，"
            f"中位数 {fmt_num(b.median)}，上四分位 {fmt_num(b.q3)}，最高 {fmt_num(b.high)}"
        )
    return _svg(ident, height + 26, title, "；".join(desc) + "。", body)
