"""Bar charts as geometry, drawn as inline SVG on screen and with reportlab in the PDF.

Readable without colour: the period is a solid dark bar, the period before a white bar with a dark
outline and diagonal hatching; every bar carries its value as text, and the legend says which is
which in words."""

from collections.abc import Callable
from dataclasses import dataclass, field

WIDTH = 640
LABEL_W = 170
ROW_H = 14
GAP = 6


@dataclass
class Bar:
    x: float
    y: float
    w: float
    h: float
    text: str
    hatched: bool = False  # the period before


@dataclass
class Label:
    x: float
    y: float
    text: str
    anchor: str = "start"  # start | middle | end


@dataclass
class Chart:
    width: int
    height: int
    title: str
    bars: list[Bar] = field(default_factory=list)
    labels: list[Label] = field(default_factory=list)
    lines: list[tuple[float, float, float, float]] = field(default_factory=list)


def paired_bars(
    title: str, rows: list[tuple[str, float, float]], fmt: Callable[[float], str], *, width: int = WIDTH
) -> Chart:
    """Horizontal bars: per row the period (solid) above the period before (hatched)."""
    top = max([abs(v) for _l, a, b in rows for v in (a, b)] + [1])
    span = width - LABEL_W - 80
    height = len(rows) * (2 * ROW_H + GAP) + GAP
    chart = Chart(width, max(height, 2 * ROW_H), title)
    y = GAP
    for label, now, before in rows:
        chart.labels.append(Label(LABEL_W - 6, y + ROW_H + 3, label[:30], "end"))
        for value, hatched, dy in ((now, False, 0), (before, True, ROW_H)):
            w = round(span * max(value, 0) / top, 1)
            chart.bars.append(Bar(LABEL_W, y + dy, max(w, 0.5), ROW_H - 2, fmt(value), hatched))
            chart.labels.append(Label(LABEL_W + w + 4, y + dy + ROW_H - 4, fmt(value)))
        y += 2 * ROW_H + GAP
    chart.lines.append((LABEL_W, 0, LABEL_W, chart.height))
    return chart


def columns(
    title: str, points: list[tuple[str, float]], fmt: Callable[[float], str], *, width: int = WIDTH
) -> Chart:
    """Vertical columns over time (the period only), a label under every few columns."""
    height, bottom, left = 180, 30, 8
    chart = Chart(width, height, title)
    if not points:
        return chart
    top = max([abs(v) for _k, v in points] + [1])
    step = (width - 2 * left) / len(points)
    every = max(1, round(len(points) / 12))
    for i, (key, value) in enumerate(points):
        h = round((height - bottom - 16) * max(value, 0) / top, 1)
        x = left + i * step
        chart.bars.append(
            Bar(round(x + 1, 1), height - bottom - h, max(round(step - 2, 1), 1), h, fmt(value))
        )
        if i % every == 0:
            chart.labels.append(Label(round(x + step / 2, 1), height - bottom + 12, key, "middle"))
    chart.labels.append(Label(left, 12, fmt(top)))
    chart.lines.append((left, height - bottom, width - left, height - bottom))
    return chart
