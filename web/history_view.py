"""A household's history as it is read: actions, tables and fields in Chinese, values worded
(codes as words, yes/no, yuan), times in Beijing time. Field names come from the editing
labels (which take the calc contract's wording); the columns only the registry has are named
here."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from casework.audit import mask_ids_in_text
from casework.editing.labels import FIELD_ZH, VALUE_ZH
from casework.history import HistoryEvent, HistoryPage

from .labels import LABELS, UNRECORDED, ROLE_NAMES

__all__ = ["BEIJING", "EventLine", "ChangeLine", "event_lines", "beijing_time",
           "ACTION_ZH", "ENTITY_ZH", "field_name"]

BEIJING = dt.timezone(dt.timedelta(hours=8), "北京时间")

ACTION_ZH = {
    "create": "新建", "update": "修改", "delete": "删除", "reveal": "查看完整身份证号",
    "export": "导出", "import": "导入", "load": "批量导入", "recompute": "重新计算",
    "login": "登录", "logout": "退出登录",
}
ENTITY_ZH = {
    "households": "户基本情况", "members": "家庭成员", "hospital_stays": "就医记录",
    "income_records": "年度收入", "submissions": "提交记录", "users": "用户",
}
_FIELDS = {
    "number": "户编号", "village_id": "所在村", "address": "住址",
    "economic_difficulty": "是否家庭经济困难", "poverty_causes": "致贫原因",
    "per_capita_net_income_yuan": "年人均纯收入", "pairing_cadre": "帮扶责任人",
    "active": "是否在册", "chronic_conditions": "慢性病", "diagnosis": "诊断",
    "total_net_income_yuan": "家庭纯收入", "household_id": "所属户",
}
_VALUE_KIND = {
    "poverty_status": "poverty_status", "tekun_mode": "tekun_mode", "relation": "relation",
    "sex": "sex", "school_stage": "school_stage", "labor": "labor", "employment": "employment",
    "relocation_status": "relocation_status", "relocation_mode": "relocation_mode",
    "kind": "stay_kind", "hospital_level": "hospital_level",
    "housing_safety_grade": "housing_grade", "disability_grade": "disability_grade",
    "role": "role",
}
_LAYOUTS = {"create": "create", "delete": "delete"}
_AREA_FIELDS = frozenset({"relocation_house_area_m2"})


@dataclass(frozen=True)
class ChangeLine:
    field: str
    before: str
    after: str


@dataclass(frozen=True)
class EventLine:
    at: str
    """``2018-09-01 14:03`` in Beijing time (the page says so)."""
    at_iso: str
    """UTC, ISO 8601, for a ``<time datetime>``."""
    actor: str
    action: str
    action_code: str
    entity: str
    subject: str | None
    layout: str
    """``create`` (fields as recorded), ``delete`` (fields before removal) or ``update``
    (before and after side by side)."""
    changes: tuple[ChangeLine, ...]
    detail: str | None


def beijing_time(at: dt.datetime) -> str:
    return at.astimezone(BEIJING).strftime("%Y-%m-%d %H:%M:%S")


def field_name(field: str) -> str:
    return FIELD_ZH.get(field) or _FIELDS.get(field) or field


def event_lines(page: HistoryPage) -> list[EventLine]:
    return [_line(e, page.references) for e in page.events]


def _line(e: HistoryEvent, references: dict[str, dict[int, str]]) -> EventLine:
    return EventLine(
        at=beijing_time(e.at), at_iso=e.at.astimezone(dt.timezone.utc).isoformat(),
        actor=_actor(e), action=_action(e), action_code=e.action,
        entity=ENTITY_ZH.get(e.entity, e.entity), subject=e.subject,
        layout=_LAYOUTS.get(e.action, "update"),
        changes=tuple(
            ChangeLine(field_name(c.field), _value(c.field, c.before, references),
                       _value(c.field, c.after, references))
            for c in e.changes
        ),
        detail=e.detail,
    )


def _actor(e: HistoryEvent) -> str:
    if e.actor_name:
        return f"{e.actor_name}（{e.actor}）"
    if e.actor.startswith("system:"):
        return f"系统任务（{e.actor.removeprefix('system:')}）"
    return e.actor


def _action(e: HistoryEvent) -> str:
    if e.entity == "members" and e.action == "update":
        ended = any(c.field == "active" and c.after is False for c in e.changes)
        if ended:
            return "减少成员"
    return ACTION_ZH.get(e.action, e.action)


def _value(field: str, value: Any, references: dict[str, dict[int, str]]) -> str:
    """A stored value in words; every string is masked once more on its way out."""
    if value is None or value == "" or value == []:
        return UNRECORDED
    if isinstance(value, bool):
        return "是" if value else "否"
    if field in references and isinstance(value, int):
        return references[field].get(value) or f"（编号{value}）"
    if isinstance(value, list):
        return "、".join(_value(field, v, references) for v in value)
    coded = _coded(field, value)
    if coded is not None:
        return coded
    if field.endswith("_yuan") or field in _AREA_FIELDS:
        return _number(value, "平方米" if field in _AREA_FIELDS else "元")
    return mask_ids_in_text(str(value))


def _coded(field: str, value: Any) -> str | None:
    words = VALUE_ZH.get(field) or LABELS.get(_VALUE_KIND.get(field, ""), {})
    if field == "role":
        words = ROLE_NAMES
    return words.get(str(value))


def _number(value: Any, unit: str) -> str:
    try:
        return f"{Decimal(str(value)):,.2f} {unit}"
    except InvalidOperation:
        return mask_ids_in_text(str(value))
