"""Named input fields that rules read, with their JSON path, type and Chinese label.

A rule names a field (``"school.boarding"``, ``"registered_poor"``); the single-household path reads
it from the snapshot, the column path from a numpy column built once per field (see
:mod:`rules.columns`). A pack may register further fields with :func:`register`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

from rules.snapshot import (EMPLOYMENT_KINDS, HOSPITAL_LEVELS, LABOR_KINDS, RELOCATION_MODES,
                            RELOCATION_STATUSES, SAFETY_GRADES, SCHOOL_STAGES, STAY_KINDS,
                            HospitalStay, Household, Member)

__all__ = ["Field", "FIELDS", "VALUE_ZH", "register", "field", "zh"]

Level = Literal["household", "member", "stay"]
Getter = Callable[[Household, Member | None, HospitalStay | None], object]


@dataclass(frozen=True, slots=True)
class Field:
    name: str
    level: Level
    kind: Literal["bool", "enum", "number"]
    label: str
    """Chinese name used in reasons: ``未记录{label}``."""
    get: Getter
    choices: tuple[str, ...] = ()
    path: str = ""
    """JSON path relative to its level, when it differs from ``name``."""

    @property
    def json_path(self) -> str:
        return self.path or self.name


FIELDS: dict[str, Field] = {}

VALUE_ZH: dict[str, str] = {
    "preschool": "学前", "primary": "小学", "junior": "初中", "senior": "普通高中",
    "vocational": "中职", "college": "本专科/高职", "none": "无",
    "inpatient": "住院", "chronic_outpatient": "慢性病门诊",
    "township": "乡镇级", "county": "县级", "city": "市级", "provincial": "省级",
    "planned": "已纳入搬迁计划", "building": "在建", "moved_in": "已搬迁入住",
    "centralized": "集中安置", "dispersed": "分散安置",
    "normal": "普通劳动力", "skilled": "技能劳动力", "weak": "弱劳动力", "lost": "丧失劳动力",
    "stable": "稳定就业", "temporary": "临时务工", "public_post": "公益性岗位",
    "self_employed": "自主创业/个体经营",
}


def zh(value: object) -> str:
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, Decimal):
        return str(value.normalize()) if value == value.to_integral_value() else str(value)
    return VALUE_ZH.get(str(value), str(value))


def register(f: Field) -> Field:
    if f.name in FIELDS and FIELDS[f.name] != f:
        raise ValueError(f"field {f.name} is already registered")
    FIELDS[f.name] = f
    return f


def field(name: str) -> Field:
    try:
        return FIELDS[name]
    except KeyError:
        raise KeyError(f"unknown field {name!r}; register it in rules.fields") from None


def _hh(name: str, kind: Literal["bool", "enum", "number"], label: str,
        get: Callable[[Household], object], choices: tuple[str, ...] = (), path: str = "") -> None:
    register(Field(name, "household", kind, label, lambda h, m, s: get(h), choices, path))


def _m(name: str, kind: Literal["bool", "enum", "number"], label: str,
       get: Callable[[Member], object], choices: tuple[str, ...] = ()) -> None:
    register(Field(name, "member", kind, label, lambda h, m, s: get(m) if m else None, choices))


def _stay(name: str, kind: Literal["bool", "enum", "number"], label: str,
          get: Callable[[HospitalStay], object], choices: tuple[str, ...] = (),
          path: str = "") -> None:
    register(Field(name, "stay", kind, label, lambda h, m, s: get(s) if s else None, choices,
                   path))


_hh("registered_poor", "bool", "是否建档立卡贫困户", lambda h: h.registered_poor)
_hh("dibao", "bool", "是否农村低保户", lambda h: h.dibao)
_hh("tekun", "bool", "是否特困供养", lambda h: h.tekun)
_hh("economically_difficult", "bool", "是否家庭经济困难", lambda h: h.economically_difficult(),
    path="economic_difficulty")
_hh("per_capita_net_income_yuan", "number", "家庭年人均纯收入", lambda h: h.per_capita_net_income_yuan)
_hh("member_count", "number", "家庭人口数", lambda h: Decimal(len(h.members)), path="members")
_hh("housing.safety_grade", "enum", "住房安全等级",
    lambda h: h.housing.safety_grade if h.housing else None, SAFETY_GRADES)
_hh("housing.renovated", "bool", "危房是否已改造",
    lambda h: h.housing.renovated if h.housing else None)
_hh("relocation.status", "enum", "易地扶贫搬迁状态",
    lambda h: h.relocation.status if h.relocation else None, RELOCATION_STATUSES)
_hh("relocation.mode", "enum", "搬迁安置方式",
    lambda h: h.relocation.mode if h.relocation else None, RELOCATION_MODES)
_hh("relocation.house_area_m2", "number", "搬迁住房面积",
    lambda h: h.relocation.house_area_m2 if h.relocation else None)
_hh("relocation.build_cost_yuan", "number", "建房成本",
    lambda h: h.relocation.build_cost_yuan if h.relocation else None)
_hh("relocation.subsidy_yuan", "number", "建房补助",
    lambda h: h.relocation.subsidy_yuan if h.relocation else None)
_hh("relocation.self_funded_yuan", "number", "自筹资金",
    lambda h: h.relocation.self_funded_yuan if h.relocation else None)

_m("school.stage", "enum", "就学阶段", lambda m: m.school.stage if m.school else None,
   SCHOOL_STAGES)
_m("school.boarding", "bool", "是否寄宿", lambda m: m.school.boarding if m.school else None)
_m("school.public", "bool", "是否公办学校/幼儿园", lambda m: m.school.public if m.school else None)
_m("school.key_school", "bool", "是否重点高中", lambda m: m.school.key_school if m.school else None)
_m("school.enrolled_year", "number", "入学年份",
   lambda m: Decimal(m.school.enrolled_year) if m.school and m.school.enrolled_year is not None
   else None)
_m("school.fee_yuan", "number", "实际收费", lambda m: m.school.fee_yuan if m.school else None)
_m("school.school_days", "number", "在校天数",
   lambda m: Decimal(m.school.school_days) if m.school and m.school.school_days is not None
   else None)
_m("out_of_school", "bool", "是否失学辍学", lambda m: m.out_of_school)
_m("has_school", "bool", "是否有就学记录", lambda m: m.school is not None)


def _birth(part: str) -> None:
    """``birth_year`` / ``birth_month`` / ``birth_day``: the parts of the birth date as numbers, so
    the column path can compute whole years of age at the policy date (see ``AgeCompare``)."""

    def get(h: Household, m: Member | None, s: HospitalStay | None) -> object:
        born = m.birth_date if m is not None else None
        return None if born is None else Decimal(getattr(born, part))

    register(Field(f"birth_{part}", "member", "number", "出生日期", get, path="birth_date"))


for _part in ("year", "month", "day"):
    _birth(_part)

_m("orphan", "bool", "是否孤儿", lambda m: m.orphan)
_m("disability_grade", "number", "残疾等级",
   lambda m: Decimal(m.disability_grade) if m.disability_grade is not None else None)
_m("annual_income_yuan", "number", "个人年收入", lambda m: m.annual_income_yuan)
_m("medical_insurance", "bool", "是否参加城乡居民医保", lambda m: m.medical_insurance)
_m("critical_illness_insurance", "bool", "是否参加大病保险", lambda m: m.critical_illness_insurance)
_m("family_doctor", "bool", "是否签约家庭医生", lambda m: m.family_doctor)
_m("pension_insured", "bool", "是否参加城乡居民养老保险", lambda m: m.pension_insured)
_m("labor", "enum", "劳动能力", lambda m: m.labor, LABOR_KINDS)
_m("employment", "enum", "就业状况", lambda m: m.employment, EMPLOYMENT_KINDS)

_stay("kind", "enum", "就诊类型", lambda s: s.kind, STAY_KINDS)
_stay("in_county", "bool", "是否县域内就医", lambda s: s.in_county)
_stay("hospital_level", "enum", "医院级别", lambda s: s.hospital_level, HOSPITAL_LEVELS)
_stay("public", "bool", "是否公立医院", lambda s: s.public)
_stay("total_cost_yuan", "number", "医疗总费用", lambda s: s.total_cost_yuan)
_stay("out_of_catalog_yuan", "number", "医保目录外费用", lambda s: s.out_of_catalog_yuan)
_stay("reimbursed_yuan", "number", "已报销金额", lambda s: s.reimbursed_yuan)
_stay("childbirth", "bool", "是否住院分娩", lambda s: s.childbirth)
_stay("admitted_year", "number", "入院年份",
      lambda s: Decimal(s.admitted_on.year) if s.admitted_on else None, path="admitted_on")
