"""Small inline SVG charts for the dashboard: a sparkline per group and the course's ready groups over time.

Pure functions from numbers to SVG text. Colours come from classes in dashboard.css (the page allows no
style attribute), nothing is fetched, and every point is a `<circle>` with its own tooltip, so a chart reads
the same in a browser and in a test.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

from checker.wording import plural

SPARK_WIDTH, SPARK_HEIGHT, SPARK_PAD = 40, 20, 3


@dataclass(frozen=True)
class Point:
    """One scan on a chart: its value (None: no row in that scan, a gap), its class and its tooltip."""

    value: float | None
    kind: str = ""
    tip: str = ""


def _number(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def _xs(count: int, left: float, right: float) -> list[float]:
    """Spread `count` points evenly from `left` to `right` (one point sits in the middle)."""
    if count == 1:
        return [(left + right) / 2]
    step = (right - left) / (count - 1)
    return [left + i * step for i in range(count)]


def _runs(coordinates: list[tuple[float, float] | None]) -> list[list[tuple[float, float]]]:
    """Split a line at its gaps: each run of points with a value becomes one polyline."""
    runs: list[list[tuple[float, float]]] = [[]]
    for xy in coordinates:
        if xy is None:
            runs.append([])
        else:
            runs[-1].append(xy)
    return [run for run in runs if run]


def _polyline(run: list[tuple[float, float]], css: str) -> str:
    points = " ".join(f"{_number(x)},{_number(y)}" for x, y in run)
    return f'<polyline class="{css}" points="{points}"/>' if len(run) > 1 else ""


def _circle(x: float, y: float, r: float, point: Point) -> str:
    tip = f"<title>{escape(point.tip)}</title>" if point.tip else ""
    return f'<circle class="{escape(point.kind)}" cx="{_number(x)}" cy="{_number(y)}" r="{r}">{tip}</circle>'


def sparkline(points: Sequence[Point], top: float, label: str) -> str:
    """Return a small line of values from 0 to `top`, oldest first, one dot per scan, a gap where there is none."""
    left, right = SPARK_PAD, SPARK_WIDTH - SPARK_PAD
    low, high = SPARK_HEIGHT - SPARK_PAD, SPARK_PAD
    xs = _xs(len(points), left, right)
    scale = max(top, 1)
    coordinates = [None if p.value is None else (x, low - (low - high) * min(p.value, scale) / scale)
                   for x, p in zip(xs, points, strict=True)]
    lines = "".join(_polyline(run, "line") for run in _runs(coordinates))
    dots = "".join(_circle(xy[0], xy[1], 2, p) for xy, p in zip(coordinates, points, strict=True) if xy is not None)
    return (f'<svg class="spark" role="img" aria-label="{escape(label)}" width="{SPARK_WIDTH}" '
            f'height="{SPARK_HEIGHT}" viewBox="0 0 {SPARK_WIDTH} {SPARK_HEIGHT}">'
            f'<line class="base" x1="{left}" y1="{low}" x2="{right}" y2="{low}"/>{lines}{dots}</svg>')


def ready_chart(columns: Sequence[tuple[str, int, int]], ticks: Sequence[str]) -> str:
    """Return the course's chart: per scan (`(label, ready, groups)`, oldest first) the groups ready, of all."""
    height, bottom = 150, 22 + 150  # 22 pixels above the tallest point, for its label
    left, step = 44, 72
    width = left + step * max(len(columns), 1) + 16
    most = max((groups for _, _, groups in columns), default=0) or 1

    def y(value: int) -> float:
        return bottom - height * value / most

    xs = [left + step / 2 + i * step for i in range(len(columns))]
    ready = [(x, y(count)) for x, (_, count, _) in zip(xs, columns, strict=True)]
    scanned = [(x, y(groups)) for x, (_, _, groups) in zip(xs, columns, strict=True)]
    parts = [
        f'<line class="axis" x1="{left}" y1="{bottom}" x2="{width - 8}" y2="{bottom}"/>',
        f'<text class="ytick" x="{left - 6}" y="{bottom + 4}">0</text>',
        f'<text class="ytick" x="{left - 6}" y="{_number(y(most) + 4)}">{most}</text>',
        f'<line class="grid" x1="{left}" y1="{_number(y(most))}" x2="{width - 8}" y2="{_number(y(most))}"/>',
        _polyline(scanned, "scanned"),
        _polyline(ready, "line"),
    ]
    for x, (label, count, groups), tick in zip(xs, columns, ticks, strict=True):
        tip = f"{label}: {count} of {plural(groups, 'group')} ready"
        parts.append(_circle(x, y(count), 4, Point(count, "ready", tip)))
        parts.append(f'<text class="count" x="{_number(x)}" y="{_number(y(count) - 8)}">{count}/{groups}</text>')
        parts.append(f'<text class="tick" x="{_number(x)}" y="{bottom + 16}">{escape(tick)}</text>')
    return (f'<svg role="img" aria-label="Groups ready in each scan" width="{width}" height="{bottom + 24}" '
            f'viewBox="0 0 {width} {bottom + 24}">{"".join(parts)}</svg>')
