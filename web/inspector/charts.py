"""Server-side charts as inline SVG: the geometry is computed here, the markup is written by
``inspect/_chart_bars.html`` and ``inspect/_chart_trend.html``. No script, no external service;
every bar carries its number as text, and each chart has a title and a description."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

__all__ = ["Segment", "BarRow", "BarChart", "Column", "TrendChart", "STATUS_PARTS",
           "dimension_bars", "trend_chart", "WIDTH"]

WIDTH = 640
LABEL_WIDTH = 132
TEXT_WIDTH = 150
BAR_AREA = WIDTH - LABEL_WIDTH - TEXT_WIDTH
ROW_HEIGHT = 26
BAR_HEIGHT = 18
TOP = 8
STATUS_PARTS = (("pass", "达标"), ("fail", "不达标"), ("unknown", "未知"))


@dataclass(frozen=True)
class Segment:
    part: str
    """``pass``/``fail``/``unknown`` (bars) or ``meets``/``fails``/``unknown`` (trend): the CSS
    class and the legend entry."""
    start: float
    size: float
    value: int


@dataclass(frozen=True)
class BarRow:
    label: str
    href: str | None
    y: float
    segments: tuple[Segment, ...]
    text: str


@dataclass(frozen=True)
class BarChart:
    title: str
    desc: str
    width: int
    height: int
    label_width: int
    bar_area: int
    rows: tuple[BarRow, ...]


def _segments(values: Sequence[tuple[str, int]], start: float, size: float) -> tuple[Segment, ...]:
    total = sum(v for _, v in values)
    out, at = [], start
    for part, value in values:
        length = size * value / total if total else 0.0
        out.append(Segment(part, round(at, 2), round(length, 2), value))
        at += length
    return tuple(out)


def dimension_bars(dimension_zh: str, lines: Sequence[tuple[str, str | None, int, int, int]],
                   level_zh: str) -> BarChart:
    """One horizontal stacked bar per area (``(label, href, pass, fail, unknown)``)."""
    rows = []
    for index, (label, href, passed, failed, unknown) in enumerate(lines):
        y = TOP + index * ROW_HEIGHT
        segments = _segments((("pass", passed), ("fail", failed), ("unknown", unknown)),
                             LABEL_WIDTH, BAR_AREA)
        total = passed + failed + unknown
        share = f"{passed * 100 / total:.1f}%" if total else "—"
        rows.append(BarRow(label, href, y, segments, f"达标 {share} · 不达标 {failed}"))
    desc = "；".join(f"{label}：达标 {p} 户，不达标 {f} 户，未知 {u} 户"
                    for label, _, p, f, u in lines) or "暂无数据"
    return BarChart(title=f"{dimension_zh}：各{level_zh}户数", desc=desc, width=WIDTH,
                    height=TOP * 2 + max(1, len(rows)) * ROW_HEIGHT, label_width=LABEL_WIDTH,
                    bar_area=BAR_AREA, rows=tuple(rows))


TREND_HEIGHT = 220
TREND_TOP = 24
TREND_BOTTOM = 40
TREND_LEFT = 16


@dataclass(frozen=True)
class Column:
    label: str
    x: float
    width: float
    segments: tuple[Segment, ...]
    """Vertical: ``start`` is the top y, ``size`` the height."""
    total: int | None
    text: str


@dataclass(frozen=True)
class TrendChart:
    title: str
    desc: str
    width: int
    height: int
    baseline: float
    columns: tuple[Column, ...]


def trend_chart(points: Sequence[tuple[dt.date, tuple[int, int, int] | None]]) -> TrendChart:
    """One stacked column per month of households meeting / failing / unknown (None: no data
    for that month), from the first month with data; the number above a column is the
    households failing."""
    first = next((i for i, (_, v) in enumerate(points) if v is not None), len(points))
    points = points[first:]  # months before the first tally are not drawn
    plot_height = TREND_HEIGHT - TREND_TOP - TREND_BOTTOM
    baseline = TREND_TOP + plot_height
    peak = max((sum(v) for _, v in points if v), default=0)
    slot = (WIDTH - 2 * TREND_LEFT) / max(1, len(points))
    columns = []
    for index, (month, values) in enumerate(points):
        x = TREND_LEFT + index * slot + slot * 0.15
        label = (f"{month.month}月" if month.month != 1 and index
                 else f"{month.year % 100:02d}年{month.month}月")
        if values is None:
            columns.append(Column(label, round(x, 2), round(slot * 0.7, 2), (), None, "无数据"))
            continue
        total = sum(values)
        height = plot_height * total / peak if peak else 0.0
        parts = _segments((("meets", values[0]), ("fails", values[1]), ("unknown", values[2])),
                          0.0, height)
        stacked = tuple(Segment(s.part, round(baseline - s.start - s.size, 2), s.size, s.value)
                        for s in parts)
        columns.append(Column(label, round(x, 2), round(slot * 0.7, 2), stacked, total,
                              str(values[1])))
    desc = "；".join(f"{m:%Y年%m月}：" + (f"全部达标 {v[0]} 户，有不达标 {v[1]} 户，未知 {v[2]} 户"
                                          if v else "无数据") for m, v in points)
    return TrendChart("两不愁三保障达标户数（按月）", desc, WIDTH, TREND_HEIGHT, baseline,
                      tuple(columns))
