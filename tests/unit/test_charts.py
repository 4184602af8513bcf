"""Chart geometry (web/inspector/charts.py) and the SVG the templates write from it."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape

from web.inspector.charts import BAR_AREA, LABEL_WIDTH, dimension_bars, trend_chart

TEMPLATES = Path(__file__).resolve().parents[2] / "web" / "templates"


def _render(name: str, chart: object) -> str:
    env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["html"]))
    return env.get_template(name).render(chart=chart)


def test_bars_split_the_bar_area_in_proportion() -> None:
    chart = dimension_bars("住房安全有保障", [("关坝镇", "/inspect/areas/511922100", 60, 30, 10),
                                            ("桥亭镇", None, 0, 0, 0)], "乡镇")
    first, empty = chart.rows
    sizes = [s.size for s in first.segments]
    assert sizes == [round(BAR_AREA * share, 2) for share in (0.6, 0.3, 0.1)]
    assert first.segments[0].start == LABEL_WIDTH
    assert abs(first.segments[2].start + first.segments[2].size - (LABEL_WIDTH + BAR_AREA)) < 0.02
    assert first.text == "达标 60.0% · 不达标 30"
    assert all(s.size == 0 for s in empty.segments) and empty.text == "达标 — · 不达标 0"
    assert empty.y > first.y and chart.height >= empty.y + 18


def test_bars_render_as_accessible_svg_with_the_numbers() -> None:
    chart = dimension_bars("基本医疗有保障", [("关坝镇", "/inspect/areas/511922100", 5, 2, 1)], "乡镇")
    svg = _render("inspect/_chart_bars.html", chart)
    assert re.search(r"<title id=\"[^\"]+\">基本医疗有保障：各乡镇户数</title>", svg)
    assert "<desc>关坝镇：达标 5 户，不达标 2 户，未知 1 户</desc>" in svg
    assert svg.count("<rect ") == 3 and "关坝镇：不达标 2 户" in svg
    assert '<a href="/inspect/areas/511922100">' in svg and "达标 62.5% · 不达标 2" in svg


def test_trend_starts_at_the_first_month_with_data_and_scales_to_the_peak() -> None:
    months = [dt.date(2026, m, 1) for m in range(7, 12)]
    chart = trend_chart([(months[0], None), (months[1], None), (months[2], (10, 30, 0)),
                         (months[3], None), (months[4], (20, 15, 5))])
    labels = [c.label for c in chart.columns]
    assert labels == ["26年9月", "10月", "11月"]
    missing = chart.columns[1]
    assert missing.total is None and missing.segments == ()
    first, last = chart.columns[0], chart.columns[2]
    assert first.total == 40 and last.total == 40 and first.text == "30"
    heights = sum(s.size for s in first.segments)
    assert abs(heights - (chart.baseline - 24)) < 0.01  # the peak fills the plot
    meets = first.segments[0]
    assert meets.part == "meets" and abs(meets.start + meets.size - chart.baseline) < 0.01


def test_trend_renders_the_monthly_numbers() -> None:
    chart = trend_chart([(dt.date(2025, 12, 1), (1, 2, 3)), (dt.date(2026, 1, 1), (4, 1, 0))])
    svg = _render("inspect/_chart_trend.html", chart)
    assert "两不愁三保障达标户数（按月）" in svg
    assert "2025年12月：全部达标 1 户，有不达标 2 户，未知 3 户" in svg
    assert re.search(r'class="col-total"[^>]*>2</text>', svg)
    assert re.search(r'class="col-total"[^>]*>1</text>', svg)
    assert ">25年12月</text>" in svg and ">26年1月</text>" in svg
