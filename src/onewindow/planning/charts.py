"""Geometry of the statistics page's charts, drawn as inline SVG by the template.
Pure: no Django. Values come in as plain numbers; the result is coordinates."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

WIDTH = 720
HEIGHT = 280
LEFT = 56
RIGHT = 16
TOP = 20
BOTTOM = 44


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    x: float
    y: float
    w: float
    h: float
    title: str
    css: str = ""
    marker_y: float | None = None  # e.g. the 90th percentile over a bar of the mean
    text_x: float = 0.0


@dataclass(frozen=True)
class Tick:
    y: float
    label: str


@dataclass
class Chart:
    title: str
    desc: str
    width: int = WIDTH
    height: int = HEIGHT
    left: int = LEFT
    top: int = TOP
    bottom_y: float = HEIGHT - BOTTOM
    right_x: float = WIDTH - RIGHT
    unit: str = ""
    bars: list[Bar] = field(default_factory=list)
    ticks: list[Tick] = field(default_factory=list)
    mean_y: float | None = None
    mean_label: str = ""
    band: tuple[float, float] | None = None  # y of the upper and lower flag limits

    @property
    def empty(self) -> bool:
        return not self.bars

    @property
    def label_y(self) -> float:
        return self.bottom_y + 18

    @property
    def axis_x(self) -> float:
        return self.left - 6


def nice_ceiling(value: float) -> float:
    """A round number ≥ value for the top of an axis (1, 1.2, 1.6, 2, 2.4, 3, 4, 5, 6, 8 × 10^k:
    each divides into four round ticks)."""
    if value <= 0:
        return 1.0
    exp = math.floor(math.log10(value))
    for step in (1, 1.2, 1.6, 2, 2.4, 3, 4, 5, 6, 8, 10):
        top = step * 10**exp
        if top >= value - 1e-12:
            return float(top)
    return float(10 ** (exp + 1))


# Units of counted things: their axes show whole numbers only.
COUNT_UNITS = frozenset({"件", "条", "个", "人", "次", "人次", "张", "号"})


def integer_axis(value: float) -> tuple[int, int]:
    """(top, step) of an axis of whole numbers from 0 to at least ``value``, with at
    most five steps of 1, 2 or 5 × 10^k."""
    value = max(1, math.ceil(value - 1e-9))
    exp = 0
    while True:
        for base in (1, 2, 5):
            step = base * 10**exp
            steps = math.ceil(value / step)
            if steps <= 5:
                return step * steps, step
        exp += 1


def _fmt(value: float) -> str:
    return f"{value:.0f}" if value >= 10 or value == int(value) else f"{value:.1f}"


def _frame(chart: Chart, top_value: float, step: float | None = None) -> float:
    """Ticks for 0..top_value (every ``step``, else four); returns the pixels per unit."""
    plot_h = chart.bottom_y - chart.top
    scale = plot_h / top_value
    count = round(top_value / step) if step else 4
    for i in range(count + 1):
        v = top_value * i / count
        chart.ticks.append(Tick(round(chart.bottom_y - v * scale, 1), _fmt(v)))
    return scale


def bar_chart(
    items: list[tuple[str, float | None, float | None, str]],
    *,
    title: str,
    desc: str,
    unit: str,
    mean: float | None = None,
    mean_label: str = "",
    band: float | None = None,
    integer: bool | None = None,
) -> Chart:
    """Bars of (label, value, marker, css class); a missing value draws no bar.
    ``mean`` draws a horizontal line; ``band`` (e.g. 0.3) shades mean ± band.
    ``integer`` (by default: a unit of counted things, 件, 条 …) puts ticks on whole
    numbers only."""
    chart = Chart(title=title, desc=desc, unit=unit)
    values = [v for _, v, m, _ in items for v in (v, m) if v is not None]
    if not items or not values:
        return chart
    highest = max([*values, (mean or 0) * (1 + (band or 0))])
    if integer is None:
        integer = unit in COUNT_UNITS
    if integer:
        top, step = integer_axis(highest)
        scale = _frame(chart, float(top), float(step))
    else:
        scale = _frame(chart, nice_ceiling(highest))
    plot_w = chart.right_x - chart.left
    slot = plot_w / len(items)
    width = max(4.0, slot * 0.64)
    for i, (label, value, marker, css) in enumerate(items):
        x = chart.left + i * slot + (slot - width) / 2
        v = value or 0.0
        h = v * scale
        chart.bars.append(
            Bar(
                label=label,
                value=v,
                x=round(x, 1),
                y=round(chart.bottom_y - h, 1),
                w=round(width, 1),
                h=round(h, 1),
                css=css,
                text_x=round(x + width / 2, 1),
                marker_y=None if marker is None else round(chart.bottom_y - marker * scale, 1),
                title=f"{label}：{_fmt(v)}{unit}" if value is not None else f"{label}：无数据",
            )
        )
    if mean is not None:
        chart.mean_y = round(chart.bottom_y - mean * scale, 1)
        chart.mean_label = mean_label
        if band:
            chart.band = (
                round(chart.bottom_y - mean * (1 + band) * scale, 1),
                round(chart.bottom_y - mean * max(0.0, 1 - band) * scale, 1),
            )
    return chart
