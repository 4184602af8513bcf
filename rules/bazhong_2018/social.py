"""Bazhong-2018 social-assistance rules (社会保障扶贫专项, seed L954–1025): SOC-BZ-02, 06…09."""

from __future__ import annotations

from rules.amounts import ByChoice, ByValue, Gap, Param
from rules.bazhong_2018.common import POOR, POOR_DIBAO_TEKUN, cite
from rules.conditions import Always, AnyOf, Compare, Is, When
from rules.rule import HouseholdRule, MemberRule
from rules.shared_conditions import AgeCompare, Describe
from rules.vocab import DISABILITY_GRADES, GRADE_1, GRADE_2, SEVERE_DISABILITY_GRADES

__all__ = ["RULES"]

SECTION = "社会保障扶贫专项 二"
DISABLED = Is("disability_grade", DISABILITY_GRADES, yes="持残疾人证（{value}级）", no="无残疾等级")

SOC_BZ_06 = MemberRule(
    id="SOC-BZ-06", title="重度残疾人护理补贴", measure="social", per="month",
    citation=cite(f"{SECTION}(二)1 护理补贴", "978"),
    applies=DISABLED,
    conditions=(Is("disability_grade", SEVERE_DISABILITY_GRADES, yes="{value}级重度残疾人",
                   no="残疾等级为{value}级，不属于一、二级重度残疾"),),
    amount=ByValue("disability_grade", {GRADE_1: "care_allowance_grade1_monthly_yuan",
                                        GRADE_2: "care_allowance_grade2_monthly_yuan"}))

SOC_BZ_07 = MemberRule(
    id="SOC-BZ-07", title="困难残疾人生活补贴", measure="social", per="month",
    citation=cite(f"{SECTION}(二)2 生活困难补贴", "980"),
    applies=DISABLED,
    conditions=(DISABLED,
                When("hardship_disabled_criterion", "dibao",
                     Is("dibao", (True,), yes="低保家庭残疾人", no="非低保家庭")),
                When("hardship_disabled_criterion", "dibao_or_registered_poor",
                     AnyOf({"dibao": "低保家庭残疾人", "registered_poor": "建档立卡贫困家庭残疾人"},
                           yes="{value}", no="非低保户、非建档立卡贫困户"))),
    amount=Param("hardship_disability_allowance_monthly_yuan"))

_BELOW_LINE_PERSON = Compare("annual_income_yuan", "<", "poverty_line_yuan",
                             yes="本人年收入 {value} 元，低于国家贫困线 {limit} 元",
                             no="本人年收入 {value} 元，不低于国家贫困线 {limit} 元（高出 {diff} 元）")
_BELOW_LINE_HOUSEHOLD = Compare("per_capita_net_income_yuan", "<", "poverty_line_yuan",
                                yes="家庭年人均纯收入 {value} 元，低于国家贫困线 {limit} 元",
                                no="家庭年人均纯收入 {value} 元，不低于国家贫困线 {limit} 元（高出 {diff} 元）")

SOC_BZ_08 = MemberRule(
    id="SOC-BZ-08", title="残疾人扶贫对象生活费补贴", measure="social",
    citation=cite(f"{SECTION}(二)3 扶贫生活补贴", "982"),
    applies=DISABLED,
    conditions=(DISABLED, POOR,
                When("disabled_gap_income_basis", "person", _BELOW_LINE_PERSON),
                When("disabled_gap_income_basis", "household_per_capita", _BELOW_LINE_HOUSEHOLD)),
    amount=ByChoice("disabled_gap_income_basis", {
        "person": Gap("poverty_line_yuan", "annual_income_yuan"),
        "household_per_capita": Gap("poverty_line_yuan", "per_capita_net_income_yuan")}))

SOC_BZ_09 = MemberRule(
    id="SOC-BZ-09", title="代缴城乡居民基本养老保险费", measure="social",
    citation=cite(f"{SECTION}(三) 居民养老保险", "986"),
    applies=Always(),
    conditions=(POOR_DIBAO_TEKUN,
                AgeCompare("pension_contribution_min_age", at_least=True,
                           yes="{age} 周岁，已到城乡居民养老保险缴费年龄",
                           no="{age} 周岁，未到城乡居民养老保险缴费年龄（{limit} 周岁）"),
                AgeCompare("resident_pension_age", at_least=False,
                           yes="未到按月领取基本养老金年龄（{limit} 周岁）",
                           no="{age} 周岁，已到按月领取基本养老金年龄（{limit} 周岁），不再缴费"),
                Describe("pension_insured", {
                    True: "已参加城乡居民基本养老保险",
                    False: "尚未参保：由区县扶贫移民局核定、社保经办机构办理参保缴费手续"},
                    unknown="是否参保未记录：由社保经办机构办理参保缴费手续")),
    amount=Param("pension_premium_yuan"))

SOC_BZ_02 = HouseholdRule(
    id="SOC-BZ-02", title="农村低保：家庭人均收入低于低保标准（应纳入低保核查）", measure="social",
    citation=cite(f"{SECTION}(一)1–2 保障标准、保障对象", "966-968"),
    conditions=(Compare("per_capita_net_income_yuan", "<", "dibao_standard_yuan",
                        yes="家庭年人均纯收入 {value} 元，低于农村低保标准 {limit} 元",
                        no="家庭年人均纯收入 {value} 元，不低于农村低保标准 {limit} 元（高出 {diff} 元）"),
                Describe("dibao", {True: "已纳入农村低保", False: "尚未纳入农村低保，应按程序核查纳入（应保尽保）"},
                         unknown="是否低保户未记录，应核查")))

RULES = (SOC_BZ_02, SOC_BZ_06, SOC_BZ_07, SOC_BZ_08, SOC_BZ_09)
