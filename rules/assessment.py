"""两不愁三保障 (plus drinking water and income) for one household, as contract calc-v1 defines it.

Each dimension is ``pass``, ``fail`` or ``unknown`` with Chinese reasons for fails and unknowns;
the status is ``fails`` if any dimension fails, else ``unknown`` if any is unknown, else ``meets``.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from rules.decision import yuan_text
from rules.params import MissingParam, ParamView
from rules.snapshot import Household

__all__ = ["Assessment", "assess", "DIMENSIONS", "POVERTY_LINE"]

DIMENSIONS = ("food_clothing", "compulsory_education", "basic_medical", "housing",
              "drinking_water", "income")
POVERTY_LINE = "poverty_line_yuan"
DANGEROUS_GRADES = ("C", "D")

Verdict = tuple[str, list[str]]


@dataclass(frozen=True)
class Assessment:
    dimensions: dict[str, str]
    status: str
    reasons: tuple[str, ...]

    def as_json(self) -> dict[str, object]:
        return {"dimensions": dict(self.dimensions), "status": self.status,
                "reasons": list(self.reasons)}


def assess(household: Household, params: ParamView) -> Assessment:
    verdicts: dict[str, Verdict] = {
        "food_clothing": _food_clothing(household, params),
        "compulsory_education": _education(household),
        "basic_medical": _medical(household),
        "housing": _housing(household),
        "drinking_water": _water(household),
        "income": _income(household, params, "家庭年人均纯收入"),
    }
    dims = {name: verdicts[name][0] for name in DIMENSIONS}
    values = dims.values()
    status = "fails" if "fail" in values else "unknown" if "unknown" in values else "meets"
    reasons = tuple(r for name in DIMENSIONS for r in verdicts[name][1])
    return Assessment(dims, status, reasons)


def _income(household: Household, params: ParamView, label: str) -> Verdict:
    income = household.per_capita_net_income_yuan
    try:
        line: Decimal | None = params.number(POVERTY_LINE)
    except MissingParam:
        line = None
    if line is None:
        return "unknown", [f"国家扶贫标准（参数 {POVERTY_LINE}）未设定，无法判断{label}是否达标"]
    if income is None:
        return "unknown", [f"未记录{label}"]
    if income < line:
        return "fail", [f"{label} {yuan_text(income)} 元，低于国家扶贫标准 {yuan_text(line)} 元"
                        f"（差 {yuan_text(line - income)} 元）"]
    return "pass", []


def _food_clothing(household: Household, params: ParamView) -> Verdict:
    food, clothing = household.food_secure, household.clothing_secure
    if food is False or clothing is False:
        missing = [w for w, v in (("吃", food), ("穿", clothing)) if v is False]
        return "fail", [f"帮扶干部走访发现存在愁{'、愁'.join(missing)}问题"]
    if food is True and clothing is True:
        return "pass", []
    verdict, reasons = _income(household, params, "家庭年人均纯收入")
    if verdict == "unknown":
        return verdict, ["未记录走访时的吃穿情况，" + reasons[0]]
    if verdict == "fail":
        return verdict, ["按收入判断吃穿：" + reasons[0]]
    return verdict, reasons


def _education(household: Household) -> Verdict:
    dropouts = [m.member_id for m in household.members if m.out_of_school is True]
    if dropouts:
        return "fail", [f"成员 {m} 为义务教育阶段失学辍学儿童" for m in dropouts]
    return "pass", []


def _medical(household: Household) -> Verdict:
    uninsured = [m.member_id for m in household.members if m.medical_insurance is False]
    unknown = [m.member_id for m in household.members if m.medical_insurance is None]
    if uninsured:
        return "fail", [f"成员 {m} 未参加城乡居民医保" for m in uninsured]
    if unknown:
        return "unknown", [f"成员 {m} 未记录是否参加城乡居民医保" for m in unknown]
    return "pass", []


def _housing(household: Household) -> Verdict:
    relocation = household.relocation
    if relocation is not None and relocation.status == "moved_in":
        return "pass", []
    grade = household.housing.safety_grade if household.housing else None
    if grade is None:
        return "unknown", ["未记录住房安全等级"]
    if grade in DANGEROUS_GRADES and not (household.housing and household.housing.renovated):
        return "fail", [f"住房为 {grade} 级危房，尚未改造或搬迁"]
    return "pass", []


def _water(household: Household) -> Verdict:
    if household.water_safe is None:
        return "unknown", ["未记录饮水是否安全"]
    if household.water_safe is False:
        return "fail", ["饮水安全未达标"]
    return "pass", []
