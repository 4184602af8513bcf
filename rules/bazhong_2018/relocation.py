"""Bazhong-2018 relocation rules (易地扶贫搬迁专项, seed L1100–1157): REL-BZ-01 and REL-BZ-02
(subsidy floor and self-funding check)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import numpy as np

from rules.amounts import Product
from rules.bazhong_2018.common import POOR, cite
from rules.columns import Table
from rules.conditions import (Bools, Compare, Condition, Is, Outcome, When, missing_outcome,
                              missing_param_outcome)
from rules.decision import yuan_text
from rules.params import MissingParam
from rules.rule import HouseholdRule
from rules.subject import Subject
from rules.vocab import RELOCATING

__all__ = ["RULES"]

SECTION = "易地扶贫搬迁专项"
IN_PLAN = Is("relocation.status", RELOCATING, yes="易地扶贫搬迁：{value}", no="未纳入易地扶贫搬迁")
AREA_CAP = "relocation_area_cap_m2_per_person"


@dataclass(frozen=True)
class AreaPerPersonWithinCap(Condition):
    """House area divided by the household's members is within the per-person cap."""

    params: tuple[str, ...] = (AREA_CAP,)

    def check(self, s: Subject) -> Outcome:
        area = s.value("relocation.house_area_m2")
        if area is None:
            return missing_outcome(s, "relocation.house_area_m2")
        try:
            cap = s.params.number(AREA_CAP)
        except MissingParam:
            return missing_param_outcome(s.params, AREA_CAP)
        assert isinstance(area, Decimal)
        per_person = area / len(s.household.members)
        shown = f"人均住房面积 {yuan_text(per_person)} 平方米"
        if per_person <= cap:
            return Outcome(True, f"{shown}，未超过 {yuan_text(cap)} 平方米")
        return Outcome(False, f"{shown}，超过上限 {yuan_text(cap)} 平方米"
                              f"（超出 {yuan_text(per_person - cap)} 平方米）")

    def columns(self, t: Table) -> tuple[Bools, Bools]:
        area, people = t.col("relocation.house_area_m2"), t.col("member_count")
        try:
            cap = float(t.params.number(AREA_CAP))
        except MissingParam:
            return np.zeros(t.n, dtype=bool), np.ones(t.n, dtype=bool)
        with np.errstate(invalid="ignore"):
            ok = area / people <= cap
        return ok & ~np.isnan(area), np.isnan(area)


REL_BZ_01 = HouseholdRule(
    id="REL-BZ-01", title="建档立卡搬迁户人均住房建设面积不超过 25 平方米", measure="relocation",
    per="once", citation=cite(f"{SECTION} 三(一) 住房建设", "1112"),
    conditions=(POOR, IN_PLAN, AreaPerPersonWithinCap()))

REL_BZ_02_SUBSIDY = HouseholdRule(
    id="REL-BZ-02.subsidy", title="建档立卡搬迁户住房建设补助（不低于建房成本 70%）",
    measure="relocation", per="once", citation=cite(f"{SECTION} 四、补助标准", "1128"),
    conditions=(POOR, IN_PLAN,
                When("relocation_subsidy_due_status", "building",
                     Is("relocation.status", ("building", "none"), yes="住房在建，建房补助本年度拨付",
                        no="搬迁状态为“{value}”：建房补助在建房期间拨付，不计入本年度"))),
    amount=Product("relocation_subsidy_min_rate", "relocation.build_cost_yuan"))

REL_BZ_02_SELF_FUNDING = HouseholdRule(
    id="REL-BZ-02.self_funding", title="建档立卡搬迁户自筹资金不超过 1 万元", measure="relocation",
    per="once", citation=cite(f"{SECTION} 四、补助标准", "1128"),
    conditions=(POOR, IN_PLAN,
                Compare("relocation.self_funded_yuan", "<=", "relocation_self_funding_cap_yuan",
                        yes="自筹 {value} 元，未超过 {limit} 元",
                        no="自筹 {value} 元，超过 {limit} 元（超出 {diff} 元）")))

RULES = (REL_BZ_01, REL_BZ_02_SUBSIDY, REL_BZ_02_SELF_FUNDING)
