"""Spot-check lists as export tables (Chinese headers, no ID numbers): the sample's households,
the visit results, and the frozen frame; each download is audited."""

from __future__ import annotations

from sqlalchemy import Engine, select

from casework.db import read_session
from casework.exports import Column, Table
from casework.models.inspection import FrameMember
from casework.uow import UnitOfWork
from rules.assessment import DIMENSIONS

from .queries import SamplePage
from .visits import DIMENSION_ZH

__all__ = ["EXPORTS", "households_table", "visits_table", "frame_table", "record_export",
           "VERDICT_ZH", "FOUND_ZH", "STATUS_ZH"]

VERDICT_ZH = {"pass": "达标", "fail": "未达标", "unknown": "待核实", "none": "未评估"}
FOUND_ZH = {"pass": "达标", "fail": "不达标", "unverifiable": "无法核实"}
STATUS_ZH = {"meets": "达标", "fails": "未达标", "unknown": "待核实", "none": "未评估"}
EXPORTS = {"households": "抽查名单", "visits": "走访结果", "frame": "抽样框"}


def _title(page: SamplePage, what: str) -> str:
    return f"{page.area_name}抽查第{page.sample.id}号{EXPORTS[what]}"


def households_table(page: SamplePage) -> Table:
    columns = (Column("stratum", "层"), Column("rank", "抽中顺序"), Column("number", "户编号"),
               Column("head", "户主"), Column("township", "乡镇"), Column("village", "村"),
               Column("address", "住址"), Column("status", "档案评估（抽样时）"),
               Column("visited", "是否已走访"))
    rows = [{"stratum": s.name, "rank": h.rank, "number": h.number, "head": h.head_name,
             "township": h.township_name, "village": h.village_name, "address": h.address,
             "status": STATUS_ZH.get(h.recorded_status, h.recorded_status),
             "visited": h.visit is not None}
            for s in page.strata for h in s.households]
    return Table(_title(page, "households"), columns, rows)


def visits_table(page: SamplePage) -> Table:
    columns = [Column("number", "户编号"), Column("head", "户主"), Column("village", "村"),
               Column("visited_on", "走访日期"), Column("visitor", "走访人"),
               Column("discrepancies", "不一致项数")]
    for dim in DIMENSIONS:
        columns += [Column(f"{dim}_recorded", f"{DIMENSION_ZH[dim]}（档案）"),
                    Column(f"{dim}_found", f"{DIMENSION_ZH[dim]}（实际）"),
                    Column(f"{dim}_note", f"{DIMENSION_ZH[dim]}（说明）")]
    rows = []
    for h in page.households:
        if h.visit is None:
            continue
        row: dict[str, object] = {
            "number": h.number, "head": h.head_name, "village": h.village_name,
            "visited_on": h.visit.visited_on, "visitor": h.visit.visitor,
            "discrepancies": h.discrepancies}
        for dim in DIMENSIONS:
            finding = h.visit.findings.get(dim, {})
            row[f"{dim}_recorded"] = VERDICT_ZH.get(finding.get("recorded", "none"), "")
            row[f"{dim}_found"] = FOUND_ZH.get(finding.get("found", ""), "")
            row[f"{dim}_note"] = finding.get("note", "")
        rows.append(row)
    return Table(_title(page, "visits"), tuple(columns), rows)


def frame_table(engine: Engine, page: SamplePage) -> Table:
    """The frozen frame, in canonical order: what an auditor needs to redo the draw."""
    columns = (Column("number", "户编号"), Column("village_code", "村代码"),
               Column("township_code", "乡镇代码"), Column("status", "评估状态"))
    with read_session(engine) as s:
        rows = [{"number": n, "village_code": v, "township_code": t, "status": st}
                for n, v, t, st in s.execute(
                    select(FrameMember.household_number, FrameMember.village_code,
                           FrameMember.township_code, FrameMember.status)
                    .where(FrameMember.frame_id == page.frame.id))]
    rows.sort(key=lambda r: str(r["number"]).encode("utf-8"))
    return Table(f"抽样框 {page.frame.frame_key[:12]}", columns, rows)


def record_export(engine: Engine, actor: str, page: SamplePage, what: str, fmt: str) -> None:
    """Audit a download of one of the sample's lists (``what``: a key of :data:`EXPORTS`, or
    ``visit_list`` for the printed visit list)."""
    label = "走访清单" if what == "visit_list" else EXPORTS[what]
    with UnitOfWork(actor, engine) as uow:
        uow.record("export", "inspection_samples", entity_id=str(page.sample.id),
                   county_code=page.sample.county_code, detail=f"{label} {fmt}")
        uow.commit()
