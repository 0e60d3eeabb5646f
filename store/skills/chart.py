"""Levels over time as a small step chart: geometry for an inline SVG (no script, no style
attributes) and for the PDF. One chart per skill, all on the same time axis."""

from dataclasses import dataclass
from datetime import date, timedelta

WIDTH, HEIGHT, PAD = 240, 64, 6


@dataclass
class Chart:
    width: int
    height: int
    path: str  # SVG path of the step line ("" when there is no rating)
    dots: list[tuple[float, float, int]]  # x, y, level
    grid: list[tuple[float, int]]  # y of each level line, level
    goal_y: float | None


def _y(level: float, height: int) -> float:
    return round(PAD + (4 - level) * (height - 2 * PAD) / 3, 1)


def step_chart(
    points, first: date, last: date, *, goal: int | None = None, width: int = WIDTH, height: int = HEIGHT
) -> Chart:
    """`points`: objects with .day and .level, oldest first; `first`–`last`: the time axis."""
    span = max((last - first).days, 1)

    def x(day: date) -> float:
        return round(PAD + (day - first).days * (width - 2 * PAD) / span, 1)

    dots = [(x(p.day), _y(p.level, height), p.level) for p in points]
    path = ""
    if dots:
        parts = [f"M{dots[0][0]},{dots[0][1]}"]
        for px, py, _level in dots[1:]:
            parts.append(f"H{px}V{py}")
        parts.append(f"H{width - PAD}")
        path = "".join(parts)
    return Chart(
        width,
        height,
        path,
        dots,
        [(_y(lv, height), lv) for lv in (1, 2, 3, 4)],
        _y(goal, height) if goal else None,
    )


def time_axis(days: list[date], today: date) -> tuple[date, date]:
    """From the first rating (at least four weeks back) to today."""
    first = min(days) if days else today
    return min(first, today - timedelta(days=28)), today
