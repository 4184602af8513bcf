"""Data-quality lists for inspectors.

* ``duplicate_ids`` — the same resident ID in two or more households. Two *active* memberships
  cannot exist (a partial unique index refuses them), so what is listed is an ID that is active in
  one household and ended in another for a reason that is not a move (death, or no reason
  recorded), or ended in several households with none active — people who died or vanished on
  paper and reappear elsewhere. An ordinary transfer (ended as 迁出/婚出/分户 in one household,
  active in one other) is not listed. Every membership of such an ID in the user's area is shown.
* ``age_stage`` — a member whose age on the run's date (today when the county has no run)
  contradicts the recorded school stage; plausible ages, in whole years (:data:`STAGE_AGES`):
  学前 2–7, 小学 5–15, 初中 10–18, 普通高中 13–22, 中职 13–25, 本专科 15–40; and 不在校 at
  7–15 (compulsory-school age: a possible drop-out, 控辍保学).
* ``missing_data`` — decisions of the current run that wait for data, with what is missing.
* ``stale`` — active households whose record has not been updated for over a year.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy.orm import aliased
from sqlalchemy import ColumnElement, Select, and_, case, func, or_, select

from ..contract import subject_zh
from ..exports import Column
from ..ids import mask_list
from ..models import Household, Member, StoredDecision
from .base import Context, ListSpec, area_columns, in_area

__all__ = ["DUPLICATE_IDS", "AGE_STAGE", "MISSING_DATA", "STALE", "STAGE_AGES", "STALE_DAYS",
           "TRANSFER_REASONS", "age_on"]

STAGE_AGES: dict[str, tuple[int, int]] = {
    "preschool": (2, 7), "primary": (5, 15), "junior": (10, 18), "senior": (13, 22),
    "vocational": (13, 25), "college": (15, 40),
}
OUT_OF_SCHOOL_AGES = (7, 15)
STALE_DAYS = 365
TRANSFER_REASONS = ("moved_out", "married_out", "split")
STAGE_ZH = {"preschool": "学前教育", "primary": "小学", "junior": "初中", "senior": "普通高中",
            "vocational": "中职", "college": "本专科/高职", "none": "不在校"}
END_ZH = {"death": "死亡", "married_out": "婚出", "moved_out": "迁出", "split": "分户"}


def age_on(born: dt.date, on: dt.date) -> int:
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def _years_before(on: dt.date, years: int) -> dt.date:
    try:
        return on.replace(year=on.year - years)
    except ValueError:  # 29 February
        return on.replace(year=on.year - years, day=28)


def _age_between(on: dt.date, low: int, high: int) -> ColumnElement[bool]:
    """age_on(birth_date, on) in [low, high], as a range on the birth date (index-friendly)."""
    return and_(Member.birth_date <= _years_before(on, low),
                Member.birth_date > _years_before(on, high + 1))


def _contradiction(on: dt.date) -> ColumnElement[bool]:
    wrong = [and_(Member.school_stage == stage, ~_age_between(on, low, high))
             for stage, (low, high) in STAGE_AGES.items()]
    wrong.append(and_(Member.school_stage == "none", _age_between(on, *OUT_OF_SCHOOL_AGES)))
    return or_(*wrong)


def _age_stage(ctx: Context) -> Select[Any]:
    by_county = [and_(Household.county_code == code, _contradiction(on))
                 for code, (_run, on) in ctx.runs.items()]
    known = list(ctx.runs)
    by_county.append(and_(Household.county_code.not_in(known), _contradiction(ctx.today)))
    stmt = (select(Household.id.label("household_id"), Household.number, Household.county_code,
                   Member.name.label("member_name"), Member.id_number, Member.birth_date,
                   Member.school_stage)
            .select_from(Member).join(Household, Household.id == Member.household_id)
            .where(Member.active, Household.active, Member.birth_date.is_not(None),  # type: ignore[union-attr]
                   Member.school_stage.is_not(None), in_area(ctx), or_(*by_county)))  # type: ignore[union-attr]
    return area_columns(stmt).order_by(Household.number, Member.id)


def _age_row(row: Any, ctx: Context) -> dict[str, object]:
    on = ctx.runs.get(row.county_code, (0, ctx.today))[1]
    age = age_on(row.birth_date, on)
    stage = row.school_stage
    band = STAGE_AGES.get(stage, OUT_OF_SCHOOL_AGES)
    problem = (f"{age}岁，处于义务教育年龄却登记为不在校" if stage == "none"
               else f"{age}岁，{STAGE_ZH.get(stage, stage)}的合理年龄为{band[0]}–{band[1]}岁")
    return {**_where(row), "member": row.member_name or "", "id_masked": mask_list(row.id_number),
            "stage": STAGE_ZH.get(stage, stage), "age": age, "on": on, "problem": problem}


def _suspect_ids() -> Select[Any]:
    not_moved = and_(~Member.active, or_(Member.end_reason.is_(None),  # type: ignore[union-attr]
                                         Member.end_reason.not_in(TRANSFER_REASONS)))  # type: ignore[union-attr]
    active_count = func.sum(case((Member.active, 1), else_=0))
    # two active memberships of one ID cannot exist (unique index), so an ID in two households
    # has an ended membership somewhere: grouping only those IDs is lossless and much smaller
    ended = select(Member.id_number).where(~Member.active, Member.id_number.is_not(None))  # type: ignore[union-attr]
    return (select(Member.id_number).where(Member.id_number.in_(ended))  # type: ignore[union-attr]
            .group_by(Member.id_number)
            .having(func.count(func.distinct(Member.household_id)) > 1,
                    or_(active_count != 1, func.sum(case((not_moved, 1), else_=0)) > 0)))


def _duplicates(ctx: Context) -> Select[Any]:
    other = aliased(Member)
    households = (select(func.count(func.distinct(other.household_id)))
                  .where(other.id_number == Member.id_number).scalar_subquery())
    stmt = (select(Household.id.label("household_id"), Household.number,
                   Member.name.label("member_name"), Member.id_number, Member.active,
                   Member.end_reason, Member.ended_on, households.label("households"))
            .select_from(Member).join(Household, Household.id == Member.household_id)
            .where(Member.id_number.in_(_suspect_ids()), in_area(ctx)))  # type: ignore[union-attr]
    return area_columns(stmt).order_by(Member.id_number, Household.number)


def _duplicate_row(row: Any, ctx: Context) -> dict[str, object]:
    state = "在册" if row.active else f"已减少（{END_ZH.get(row.end_reason, '未登记原因')}）"
    return {**_where(row), "member": row.member_name or "", "id_masked": mask_list(row.id_number),
            "state": state, "ended_on": row.ended_on, "households": row.households}


def _missing(ctx: Context) -> Select[Any]:
    stmt = (select(Household.id.label("household_id"), Household.number, StoredDecision.rule_id,
                   StoredDecision.member_key, StoredDecision.missing,
                   Member.name.label("member_name"), Member.id_number)
            .select_from(StoredDecision)
            .join(Household, Household.id == StoredDecision.household_id)
            .outerjoin(Member, and_(Member.household_id == StoredDecision.household_id,
                                    Member.member_key == StoredDecision.member_key))
            .where((StoredDecision.run_id + 0).in_(ctx.run_ids),  # by household, see gaps.py
                   StoredDecision.status == "missing_data",
                   Household.active, in_area(ctx)))
    return area_columns(stmt).order_by(Household.number, StoredDecision.rule_id,
                                       StoredDecision.member_key)


def _missing_row(row: Any, ctx: Context) -> dict[str, object]:
    names = [_missing_zh(m) for m in (row.missing or ())]
    return {**_where(row), "rule_id": row.rule_id, "measure": ctx.title(row.rule_id),
            "member": (row.member_name or "") if row.member_key else "（全户）",
            "id_masked": mask_list(row.id_number), "missing": "、".join(names)}


def _missing_zh(name: str) -> str:
    if name.startswith("param:"):
        return f"未设定的政策参数 {name[len('param:'):]}"
    return subject_zh(name)


def _stale(ctx: Context) -> Select[Any]:
    cutoff = dt.datetime.combine(ctx.today - dt.timedelta(days=STALE_DAYS), dt.time(),
                                 tzinfo=dt.timezone.utc)
    stmt = (select(Household.id.label("household_id"), Household.number, Household.updated_at,
                   Household.pairing_cadre)
            .where(Household.active, Household.updated_at < cutoff, in_area(ctx)))
    return area_columns(stmt).order_by(Household.updated_at, Household.number)


def _stale_row(row: Any, ctx: Context) -> dict[str, object]:
    updated = row.updated_at.date()
    return {**_where(row), "updated": updated, "days": (ctx.today - updated).days,
            "cadre": row.pairing_cadre or ""}


def _where(row: Any) -> dict[str, object]:
    return {"household_id": row.household_id, "number": row.number,
            "township": row.township_name or "", "village": row.village_name}


_AREA = (Column("number", "户编号"), Column("township", "乡镇"), Column("village", "村"))
_PERSON = (Column("member", "姓名"), Column("id_masked", "身份证号"))

DUPLICATE_IDS = ListSpec(
    "duplicate_ids", "身份证号重复清单",
    "同一身份证号出现在两户及以上（正常迁出、婚出、分户后在另一户在册的不列入）。",
    (*_AREA, *_PERSON, Column("state", "在本户状态"), Column("ended_on", "减少日期"),
     Column("households", "涉及户数")),
    _duplicates, _duplicate_row,
)
AGE_STAGE = ListSpec(
    "age_stage", "年龄与学段不符清单",
    "成员在测算基准日的年龄与登记的就读学段明显不符，或义务教育年龄（7–15岁）登记为不在校。",
    (*_AREA, *_PERSON, Column("stage", "登记学段"), Column("age", "年龄"),
     Column("on", "计算日期"), Column("problem", "问题")),
    _age_stage, _age_row,
)
MISSING_DATA = ListSpec(
    "missing_data", "缺少数据无法判定清单",
    "当前测算中因缺少档案数据或未设定的政策参数而无法判定的政策。",
    (*_AREA, Column("rule_id", "政策编号"), Column("measure", "政策项目"),
     Column("member", "成员"), Column("id_masked", "身份证号"), Column("missing", "缺少的数据")),
    _missing, _missing_row,
)
STALE = ListSpec(
    "stale", "超过一年未更新清单",
    f"档案超过{STALE_DAYS}天未更新的在册户。",
    (*_AREA, Column("updated", "最后更新日期"), Column("days", "未更新天数"),
     Column("cadre", "帮扶责任人")),
    _stale, _stale_row,
)

