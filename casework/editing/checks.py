"""Server-side checks of a command's values, each problem worded in Chinese naming the field.

The shape checks (codes in their lists, amounts not negative and to the fen, dates not in the
future, years and counts in range) run on every command through :func:`check_values`; the checks
between fields (ID against birth date and sex, reimbursed not above total, …) are separate
functions the use cases call. Nothing here touches the database.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal
from typing import Any

from rules import snapshot as s

from casework.ids import InvalidResidentId, ResidentId
from casework.registry import MAX_MONEY

from .commands import END_REASONS, JOIN_REASONS, Command
from .errors import ValidationFailed
from .labels import field_zh

__all__ = ["Problems", "check_values", "check_person", "check_stay_costs", "CHOICES"]

CHOICES: dict[str, tuple[str, ...]] = {
    "poverty_status": s.POVERTY_STATUSES, "tekun_mode": s.TEKUN_MODES,
    "housing_safety_grade": s.SAFETY_GRADES, "relocation_status": s.RELOCATION_STATUSES,
    "relocation_mode": s.RELOCATION_MODES, "sex": s.SEXES, "relation": s.RELATIONS,
    "former_head_relation": tuple(r for r in s.RELATIONS if r != "head"),
    "school_stage": s.SCHOOL_STAGES, "labor": s.LABOR_KINDS, "employment": s.EMPLOYMENT_KINDS,
    "kind": s.STAY_KINDS, "hospital_level": s.HOSPITAL_LEVELS,
    "join_reason": JOIN_REASONS, "end_reason": END_REASONS,
}
RANGES: dict[str, tuple[int, int]] = {
    "exit_year": (2014, 2100), "year": (2000, 2100), "school_enrolled_year": (1949, 2100),
    "school_days": (0, 366), "disability_grade": (1, 4),
}
TEXT_LIMITS = {"name": 64}
_FEN = Decimal("0.01")
_IDS = ("household_id", "household_version", "member_id", "new_head_id", "stay_id")


class Problems(dict[str, str]):
    """Field -> message; the first problem found for a field is kept."""

    def add(self, field: str, problem_zh: str) -> None:
        self.setdefault(field, field_zh(field) + problem_zh)

    def raise_if_any(self) -> None:
        if self:
            raise ValidationFailed(self)


def check_values(command: Command, today: dt.date) -> Problems:
    """Every field of ``command`` on its own: codes, ranges, money, dates, text."""
    problems = Problems()
    for f in dataclasses.fields(command):
        value = getattr(command, f.name)
        if value is not None:
            _check_one(problems, f.name, value, today)
    return problems


def _check_one(problems: Problems, name: str, value: Any, today: dt.date) -> None:
    if name in CHOICES and value not in CHOICES[name]:
        problems.add(name, "不是可选的值，请从列表中选择")
    elif name in RANGES and isinstance(value, int):
        low, high = RANGES[name]
        high = min(high, today.year) if name.endswith("year") else high
        if not low <= value <= high:
            problems.add(name, f"应在{low}到{high}之间")
    elif name in _IDS and (isinstance(value, bool) or not isinstance(value, int) or value < 0):
        problems.add(name, "无效")
    elif isinstance(value, Decimal):
        _check_money(problems, name, value)
    elif isinstance(value, dt.date) and value > today:
        problems.add(name, f"不能晚于今天（{today.isoformat()}）")
    elif isinstance(value, str) and name != "key":
        _check_text(problems, name, value)


def _check_money(problems: Problems, name: str, value: Decimal) -> None:
    if not value.is_finite():
        problems.add(name, "应为有效的数字")
    elif value < 0:
        problems.add(name, "不能为负数")
    elif value > MAX_MONEY:
        problems.add(name, "金额过大，请核对")
    elif value != value.quantize(_FEN):
        problems.add(name, "最多保留两位小数（精确到分）")


def _check_text(problems: Problems, name: str, value: str) -> None:
    limit = TEXT_LIMITS.get(name, 64)
    if not value.strip():
        problems.add(name, "不能为空")
    elif len(value) > limit:
        problems.add(name, f"最多{limit}个字")
    elif any(ord(c) < 32 or 0xD800 <= ord(c) <= 0xDFFF for c in value):
        problems.add(name, "含有无法保存的字符")


@dataclasses.dataclass(frozen=True)
class Person:
    """A person's identity as it will be stored (ID normalised; birth date and sex from it)."""

    id_number: str | None
    birth_date: dt.date | None
    sex: str | None


def check_person(problems: Problems, id_number: str | None, birth_date: dt.date | None,
                 sex: str | None, today: dt.date, *, need_birth: bool = True) -> Person:
    """The ID (GB 11643-1999) and its agreement with the birth date and sex typed. Without an
    ID (a newborn not yet issued one) the birth date and sex are required."""
    if id_number is None:
        if need_birth and birth_date is None:
            problems.add("birth_date", "必须填写（没有身份证号码时）")
        if need_birth and sex is None:
            problems.add("sex", "必须填写（没有身份证号码时）")
        return Person(None, birth_date, sex)
    try:
        resident = ResidentId.parse(id_number, today=today)
    except InvalidResidentId as err:
        problems.add("id_number", "有误：" + err.message_zh)
        return Person(None, birth_date, sex)
    if birth_date is not None and birth_date != resident.birth_date:
        problems.add("birth_date", f"与身份证号码中的出生日期（{resident.birth_date.isoformat()}）不一致")
    if sex is not None and sex != resident.sex:
        shown = {"M": "男", "F": "女"}[resident.sex]
        problems.add("sex", f"与身份证号码显示的性别（{shown}）不一致")
    return Person(resident.value, resident.birth_date, resident.sex)


def check_stay_costs(problems: Problems, total: Decimal | None, out_of_catalog: Decimal | None,
                     reimbursed: Decimal | None) -> None:
    """目录外 and 已报销 are parts of the total: neither may exceed it."""
    if total is None or "total_cost_yuan" in problems:
        return
    for name, part in (("out_of_catalog_yuan", out_of_catalog), ("reimbursed_yuan", reimbursed)):
        if part is not None and part > total:
            problems.add(name, f"不能超过医疗总费用（{total:f}元）")
