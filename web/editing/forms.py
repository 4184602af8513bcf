"""The edit forms: which command each builds, its fields in groups, and the values a form starts
from (the stored record). Full ID numbers are never put into a form: the ID input starts empty
and shows the masked number as a hint; typing a number there corrects it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from casework.editing import (
    AddMember, ChangeHead, Command, CorrectStay, EditMember, EndMembership, RecordIncome,
    RecordStay, RemoveStay, UpdateFacts,
)
from casework.ids import mask_detail
from casework.models import HospitalStay, Household, Member

from .fields import BOOL_OPTIONS, Field, choices_of, raw_value

__all__ = ["Form", "FORMS", "Target", "member_options"]


def _f(name: str, kind: str, required: bool = False, hint: str = "", **kw: Any) -> Field:
    options = BOOL_OPTIONS if kind == "bool" else choices_of(name) if "choice" in kind else ()
    return Field(name, kind, required, hint, options=options, **kw)


Group = tuple[str, tuple[Field, ...]]
Target = Household | Member | HospitalStay | None


@dataclass(frozen=True)
class Form:
    slug: str
    title: str
    command: type[Command]
    groups: tuple[Group, ...]
    submit: str
    current: Callable[[Household, Target, dt.date], dict[str, str]]
    """The values the form starts from: the stored record (or defaults for a new row)."""

    @property
    def fields(self) -> tuple[Field, ...]:
        return tuple(f for _, group in self.groups for f in group)


def _stored(names: tuple[str, ...]) -> Callable[[Household, Target, dt.date], dict[str, str]]:
    def current(household: Household, target: Target, _on: dt.date) -> dict[str, str]:
        row = target if target is not None else household
        return {n: raw_value(getattr(row, n, None)) for n in names}
    return current


def _income_values(household: Household, _t: Target, on: dt.date) -> dict[str, str]:
    year = on.year - 1
    record = next((r for r in household.income_records if r.year == year), None)
    values = {n: raw_value(getattr(record, n, None)) for n in _INCOME_SOURCES}
    return {"year": str(year), **values}


def _member_values(household: Household, target: Target, on: dt.date) -> dict[str, str]:
    values = _stored(tuple(f.name for f in EDIT_MEMBER_FIELDS))(household, target, on)
    values["id_number"] = ""  # never a full ID in a page; the hint shows it masked
    return values


def _defaults(**values: str) -> Callable[[Household, Target, dt.date], dict[str, str]]:
    return lambda _h, _t, _on: dict(values)


FACT_GROUPS: tuple[Group, ...] = (
    ("贫困状态与救助", (
        _f("registered_poor", "bool"), _f("poverty_status", "choice"),
        _f("exit_year", "int", low=2014, hint="已脱贫户填写"), _f("dibao", "bool"),
        _f("tekun", "bool"), _f("tekun_mode", "choice", hint="特困供养户填写"))),
    ("住房安全", (_f("housing_safety_grade", "choice"), _f("housing_renovated", "bool"))),
    ("易地扶贫搬迁", (
        _f("relocation_status", "choice"), _f("relocation_mode", "choice"),
        _f("relocation_house_area_m2", "money", hint="平方米"),
        _f("relocation_build_cost_yuan", "money", hint="元"),
        _f("relocation_subsidy_yuan", "money", hint="元"),
        _f("relocation_self_funded_yuan", "money", hint="元"))),
    ("两不愁与基础设施", (
        _f("food_secure", "bool"), _f("clothing_secure", "bool"), _f("water_safe", "bool"),
        _f("power_ok", "bool"), _f("tv_access", "bool"))),
)
_INCOME_SOURCES = ("wage_income_yuan", "production_income_yuan", "transfer_income_yuan",
                   "property_income_yuan")
INCOME_GROUPS: tuple[Group, ...] = (("上一年度家庭纯收入（元）", (
    _f("year", "int", True, low=2000),
    *(_f(n, "money", hint="元，没有的填0") for n in _INCOME_SOURCES))),)
IDENTITY = (
    _f("name", "text", True),
    _f("id_number", "id", hint="18位，最后一位可为X；新生儿尚未办理的可不填"),
    _f("birth_date", "date", hint="有身份证号码时须与号码一致"), _f("sex", "choice"),
)
EDIT_MEMBER_FIELDS = (
    *IDENTITY, _f("relation", "choice", True),
    _f("school_stage", "choice"), _f("school_boarding", "bool"), _f("school_public", "bool"),
    _f("school_key_school", "bool", hint="普通高中填写"),
    _f("school_enrolled_year", "int", low=1949), _f("school_fee_yuan", "money", hint="元/年"),
    _f("school_days", "int", low=0, high=366), _f("out_of_school", "bool"), _f("orphan", "bool"),
    _f("disability_grade", "int_choice", hint="无残疾的不选"), _f("medical_insurance", "bool"),
    _f("critical_illness_insurance", "bool"), _f("family_doctor", "bool"),
    _f("pension_insured", "bool"), _f("labor", "choice"), _f("employment", "choice"),
    _f("annual_income_yuan", "money", hint="元/年"),
)
_BY_NAME = {f.name: f for f in EDIT_MEMBER_FIELDS}
MEMBER_GROUPS: tuple[Group, ...] = (
    ("身份信息", tuple(_BY_NAME[n] for n in ("name", "id_number", "birth_date", "sex", "relation"))),
    ("就学", tuple(_BY_NAME[n] for n in (
        "school_stage", "school_boarding", "school_public", "school_key_school",
        "school_enrolled_year", "school_fee_yuan", "school_days", "out_of_school", "orphan"))),
    ("健康与保障", tuple(_BY_NAME[n] for n in (
        "disability_grade", "medical_insurance", "critical_illness_insurance", "family_doctor",
        "pension_insured"))),
    ("劳动与就业", tuple(_BY_NAME[n] for n in ("labor", "employment", "annual_income_yuan"))),
)
STAY_FIELDS = (
    _f("member_id", "member", True), _f("kind", "choice", True), _f("admitted_on", "date", True),
    _f("in_county", "bool"), _f("hospital_level", "choice"), _f("public", "bool"),
    _f("childbirth", "bool", hint="住院分娩填“是”"),
    _f("total_cost_yuan", "money", hint="元"), _f("out_of_catalog_yuan", "money", hint="元，不超过总费用"),
    _f("reimbursed_yuan", "money", hint="元，不超过总费用"),
)
_STAY_NAMES = tuple(f.name for f in STAY_FIELDS)

FORMS: dict[str, Form] = {form.slug: form for form in (
    Form("facts", "修改基本情况", UpdateFacts, FACT_GROUPS, "保存基本情况",
         _stored(tuple(f.name for _, g in FACT_GROUPS for f in g))),
    Form("income", "登记年度收入", RecordIncome, INCOME_GROUPS, "保存收入", _income_values),
    Form("add_member", "添加成员", AddMember, (("加入本户", (
        _f("join_reason", "choice", True), *IDENTITY, _f("relation", "choice", True))),),
         "添加成员", _defaults(join_reason="birth", relation="child")),
    Form("edit_member", "修改成员信息", EditMember, MEMBER_GROUPS, "保存成员信息", _member_values),
    Form("end_member", "成员减少（迁出、死亡等）", EndMembership, (("减少原因", (
        _f("end_reason", "choice", True), _f("ended_on", "date", True))),),
         "确认减少", _defaults()),
    Form("change_head", "更换户主", ChangeHead, (("新户主", (
        _f("new_head_id", "member", True), _f("former_head_relation", "choice", True))),),
         "确认更换户主", _defaults()),
    Form("add_stay", "添加就医记录", RecordStay, (("就医记录", STAY_FIELDS),), "保存就医记录",
         _defaults(kind="inpatient")),
    Form("edit_stay", "修改就医记录", CorrectStay, (("就医记录", STAY_FIELDS),), "保存修改",
         _stored(_STAY_NAMES)),
    Form("remove_stay", "删除就医记录", RemoveStay, (), "确认删除", _defaults()),
)}


def member_options(household: Household, *, skip_head: bool = False) -> tuple[tuple[str, str], ...]:
    """The household's active members as choices (name and masked ID, never the full ID)."""
    return tuple(
        (str(m.id), f"{m.name or '未登记姓名'}（{mask_detail(m.id_number) or '无身份证号'}）")
        for m in sorted(household.members, key=lambda m: m.id or 0)
        if m.active and not (skip_head and m.relation == "head")
    )
