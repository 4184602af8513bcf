"""Kaizhou per-stay medical rules (第七章 第一节 加大贫困人口医疗救助, seed L209, L212):

* MED-KZ-01 — inpatient reimbursement rate +10% at a district-level hospital inside the district;
* MED-KZ-02 — inpatient deductible −50%;
* MED-KZ-09 — the disease emergency-relief fund pays part of what is left after basic insurance,
  critical-illness insurance and medical assistance, for an inpatient stay inside the district.

The base rates, deductibles and the fund's share are Chongqing's or the district's numbers, which
the plan does not give: the pack declares them open, and decisions stay ``missing_data`` naming
them until a deployment supplies values. Amounts are what the measure adds for one stay.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import numpy as np

from rules.amounts import MissingInputs
from rules.shared_conditions import require_year
from rules.columns import Table
from rules.conditions import Condition, Is
from rules.decision import percent_text, yuan_text
from rules.kaizhou_2016_2020.common import POOR_PERSON, cite
from rules.kaizhou_2016_2020.settlement import (SETTLEMENT_PARAMS, basic_columns,
                                                basic_settlement, district_hospital, read_params)
from rules.stays import Ineligible, StayColumns, StayRule, Steps, need
from rules.subject import Subject

__all__ = ["RULES", "INSURED", "require", "condition_steps", "rate_text"]

SECTION = "第七章 健康扶贫 第一节 加大贫困人口医疗救助"
INSURED = Is("medical_insurance", (True,), yes="参加城乡居民医保", no="未参加城乡居民医保")
ZERO = Decimal(0)


def require(s: Subject, condition: Condition) -> str:
    """Run a condition inside a stay rule: fail → ``Ineligible``, unknown → ``MissingInputs``."""
    out = condition.check(s)
    if out.ok is False:
        raise Ineligible(out.reason)
    if out.ok is None:
        raise MissingInputs(out.missing, out.reason)
    return out.reason


def condition_steps(steps: Steps, t: Table, condition: Condition) -> None:
    ok, unknown = condition.columns(t)
    steps.missing(unknown)
    steps.fail(~ok & ~unknown)


def rate_text(rate: Decimal) -> str:
    exact = rate == rate.quantize(Decimal("0.0001"))
    return percent_text(rate) if exact else f"约{rate:.2%}"


def _inpatient(s: Subject) -> None:
    (kind,) = need(s, "kind")
    if kind != "inpatient":
        raise Ineligible("慢性病门诊，不属于住院")


def _start(s: Subject, insured: bool = True) -> list[str]:
    reasons = [require(s, POOR_PERSON)]
    require_year(s)
    _inpatient(s)
    if insured:
        reasons.append(require(s, INSURED))
    return reasons


def _start_columns(t: Table, insured: bool = True) -> Steps:
    steps = Steps(t.n)
    condition_steps(steps, t, POOR_PERSON)
    year = t.col("admitted_year")
    steps.fail(~np.isnan(year) & (year != float(t.on.year)))
    kind = t.col("kind")
    steps.missing(np.isnan(kind))
    steps.fail(kind != t.code("kind", "inpatient"))
    if insured:
        condition_steps(steps, t, INSURED)
    return steps


def _district_steps(steps: Steps, t: Table) -> None:
    level, in_county = t.col("hospital_level"), t.col("in_county")
    steps.missing(np.isnan(level))
    steps.fail(level != t.code("hospital_level", "county"))
    steps.missing(np.isnan(in_county))
    steps.fail(in_county == 0.0)


@dataclass(frozen=True, kw_only=True)
class RateUplift(StayRule):
    """MED-KZ-01."""

    def decide_stay(self, s: Subject) -> tuple[Decimal, list[str]]:
        reasons = _start(s)
        if not district_hospital(s):
            raise Ineligible("不是区域内区级医院住院（提高报销比例只适用区域内区级医院）")
        b = basic_settlement(s)
        gain = b.rate_gain
        return gain, [*reasons, "区域内区级医院住院",
                      f"政策范围内费用 {yuan_text(b.policy_cost)} 元，起付线 {yuan_text(b.poor_deductible)}"
                      f" 元以上部分报销比例由 {rate_text(b.rate)} 提高到 {rate_text(b.poor_rate)}，"
                      f"多报销 {yuan_text(gain)} 元"]

    def stay_columns(self, t: Table) -> StayColumns:
        steps = _start_columns(t)
        _district_steps(steps, t)
        basic = basic_columns(t)
        steps.missing(basic.unknown)
        return StayColumns(steps.done(), basic.rate_gain)


@dataclass(frozen=True, kw_only=True)
class DeductibleCut(StayRule):
    """MED-KZ-02."""

    def decide_stay(self, s: Subject) -> tuple[Decimal, list[str]]:
        reasons = _start(s)
        scope = read_params(s.params, ("inpatient_deductible_cut_scope",))
        district_only = scope["inpatient_deductible_cut_scope"] == "district_hospital"
        if district_only and not district_hospital(s):
            raise Ineligible("按本地口径起付线降低只适用区域内区级医院住院")
        b = basic_settlement(s, with_uplift=False)
        gain = b.deductible_gain
        return gain, [*reasons,
                      f"住院起付线由 {yuan_text(b.deductible)} 元降低到 {yuan_text(b.poor_deductible)} 元，"
                      f"政策范围内费用 {yuan_text(b.policy_cost)} 元按 {rate_text(b.rate)} 报销，"
                      f"多报销 {yuan_text(gain)} 元"]

    def stay_columns(self, t: Table) -> StayColumns:
        steps = _start_columns(t)
        try:
            scope = t.params.choice("inpatient_deductible_cut_scope")
        except LookupError:
            steps.missing(np.ones(t.n, dtype=bool))
            scope = ""
        if scope == "district_hospital":
            _district_steps(steps, t)
        basic = basic_columns(t, with_uplift=False)
        steps.missing(basic.unknown)
        return StayColumns(steps.done(), basic.deductible_gain)


@dataclass(frozen=True, kw_only=True)
class EmergencyFund(StayRule):
    """MED-KZ-09."""

    def decide_stay(self, s: Subject) -> tuple[Decimal, list[str]]:
        reasons = _start(s, insured=False)
        (in_county,) = need(s, "in_county")
        if not in_county:
            raise Ineligible("区县域外住院，不适用疾病应急救助基金补助")
        total, reimbursed = need(s, "total_cost_yuan", "reimbursed_yuan")
        assert isinstance(total, Decimal) and isinstance(reimbursed, Decimal)
        rate = read_params(s.params, ("emergency_fund_rate",))["emergency_fund_rate"]
        assert isinstance(rate, Decimal)
        left = max(ZERO, total - reimbursed)
        pays = rate * left
        return pays, [*reasons, "区县域内住院",
                      f"经基本医保、大病保险、医疗救助后自付 {yuan_text(left)} 元，"
                      f"疾病应急救助基金按 {rate_text(rate)} 补助 {yuan_text(pays)} 元"]

    def stay_columns(self, t: Table) -> StayColumns:
        steps = _start_columns(t, insured=False)
        in_county = t.col("in_county")
        steps.missing(np.isnan(in_county))
        steps.fail(in_county == 0.0)
        total, reimbursed = t.col("total_cost_yuan"), t.col("reimbursed_yuan")
        steps.missing(np.isnan(total) | np.isnan(reimbursed))
        try:
            rate = float(t.params.number("emergency_fund_rate"))
        except LookupError:
            steps.missing(np.ones(t.n, dtype=bool))
            rate = 0.0
        left = np.maximum(0.0, np.nan_to_num(total) - np.nan_to_num(reimbursed))
        return StayColumns(steps.done(), rate * left)


MED_KZ_01 = RateUplift(
    id="MED-KZ-01", title="贫困人口区域内区级医院住院报销比例提高 10%", measure="medical",
    citation=cite(f"{SECTION} 提高医疗保障水平", "209"), uses=("poor_person_class", *SETTLEMENT_PARAMS))

MED_KZ_02 = DeductibleCut(
    id="MED-KZ-02", title="贫困人口住院报销起付线降低 50%", measure="medical",
    citation=cite(f"{SECTION} 提高医疗保障水平", "209"), uses=("poor_person_class", *SETTLEMENT_PARAMS))

MED_KZ_09 = EmergencyFund(
    id="MED-KZ-09", title="疾病应急救助基金补助区县域内住院自付费用", measure="medical",
    citation=cite(f"{SECTION} 实行疾病应急救助", "212"), uses=("poor_person_class", "emergency_fund_rate"))

RULES = (MED_KZ_01, MED_KZ_02, MED_KZ_09)
