"""What the dashboard templates get: figures arranged for the page, charts and links."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from casework.dashboards.counting import CHINA
from casework.dashboards.figures import DIMENSION_NAMES, DIMENSION_SHORT
from casework.dashboards.households import GAPS, HouseholdList, ListFilter
from casework.dashboards.reading import Dashboard
from casework.exports import Column, Table
from casework.models.tallies import DIMENSION_COLUMNS

from .charts import dimension_bars, trend_chart

__all__ = ["dashboard_context", "list_context", "export_table", "households_url", "BAD_FILTER",
           "LEVEL_NAMES", "STATUS_NAMES"]

BAD_FILTER = "筛选条件无法识别，已显示全部户。"
LEVEL_NAMES = {"county": "区县", "township": "乡镇", "village": "村"}
STATUS_NAMES = {"pass": "达标", "fail": "不达标", "unknown": "未知",
                "meets": "全部达标", "fails": "有不达标", "unassessed": "未评估"}
_CHILD_LEVEL = {"county": "乡镇", "township": "村"}


def households_url(code: str, **query: str) -> str:
    base = f"/inspect/areas/{code}/households"
    return f"{base}?{urlencode(query)}" if query else base


def dashboard_context(board: Dashboard) -> dict[str, Any]:
    child_level = _CHILD_LEVEL.get(board.area.level)
    charts = []
    if board.children:
        for dim in DIMENSION_COLUMNS:
            lines = [(line.area.name, f"/inspect/areas/{line.area.code}",
                      *line.figures.dimension(dim)) for line in board.children]
            charts.append(dimension_bars(DIMENSION_NAMES[dim], lines, child_level or ""))
    points = [(month, (f["status_meets"], f["status_fails"], f["status_unknown"]) if f else None)
              for month, f in board.trend]
    return {
        "board": board, "dimensions": [(d, DIMENSION_NAMES[d]) for d in DIMENSION_COLUMNS],
        "short_names": DIMENSION_SHORT,
        "child_level": child_level, "level_names": LEVEL_NAMES, "bar_charts": charts,
        "trend": trend_chart(points), "households_url": households_url,
        "has_trend": sum(1 for _, f in board.trend if f) > 1,
        "as_of_text": (board.as_of.astimezone(CHINA).strftime("%Y-%m-%d %H:%M")
                       if board.as_of else ""),
    }


def filter_title(flt: ListFilter) -> str:
    if flt.gap:
        return GAPS[flt.gap]
    if flt.dimension == "overall":
        return f"两不愁三保障：{STATUS_NAMES[flt.status or '']}"
    if flt.dimension:
        return f"{DIMENSION_NAMES[flt.dimension]}：{STATUS_NAMES[flt.status or '']}"
    return "全部登记户"


def _query(flt: ListFilter) -> dict[str, str]:
    if flt.gap:
        return {"gap": flt.gap}
    if flt.dimension:
        return {"dimension": flt.dimension, "status": flt.status or ""}
    return {}


def list_context(found: HouseholdList) -> dict[str, Any]:
    query = _query(found.filter)
    return {
        "found": found, "title": filter_title(found.filter), "query": query,
        "level_names": LEVEL_NAMES, "status_names": STATUS_NAMES,
        "dimensions": [(d, DIMENSION_NAMES[d]) for d in DIMENSION_COLUMNS],
        "short_names": DIMENSION_SHORT,
        "households_url": households_url,
        "page_url": lambda number: households_url(found.area.code, **query, page=str(number)),
        "export_csv": households_url(found.area.code, **query, format="csv"),
        "export_xlsx": households_url(found.area.code, **query, format="xlsx"),
    }


def export_table(found: HouseholdList) -> Table:
    columns = (Column("number", "户编号"), Column("head", "户主"),
               Column("head_id", "户主身份证号（脱敏）"), Column("village", "所在村"),
               Column("members", "人口"), Column("status", "两不愁三保障"),
               *(Column(d, DIMENSION_NAMES[d]) for d in DIMENSION_COLUMNS))
    rows = [{"number": r.number, "head": r.head_name or "", "head_id": r.head_id_masked,
             "village": r.village_name, "members": r.members,
             "status": STATUS_NAMES.get(r.status or "unassessed", ""),
             **{d: STATUS_NAMES.get(s or "", "") for d, s in zip(DIMENSION_COLUMNS, r.dimensions)}}
            for r in found.rows]
    title = f"{found.area.name} {filter_title(found.filter)}"
    return Table(title_zh=title, columns=columns, rows=rows)
