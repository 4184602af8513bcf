"""Kaizhou pension rules (第九章 兜底保障 第二节 逐步提高农村基本养老保障水平, seed L260):

* SOC-KZ-07 — by 2020 residents aged 60 and over receive a basic pension of at least 95 元 a
  month (the floor is dated 2020; earlier years are open: the plan gives only the 2020 target);
* SOC-KZ-08 — poor people keep the lowest contribution tier, and the government or collective
  may pay all or part of their premium at that tier (the plan only "explores" this: the amount is
  open, and zero means the county has not adopted it).
"""

from __future__ import annotations

from rules.amounts import Param
from rules.conditions import Always, Is
from rules.kaizhou_2016_2020.common import POOR_PERSON, AgeCompare, ParamPositive, cite
from rules.rule import MemberRule

__all__ = ["RULES"]

SECTION = "第九章 兜底保障 第二节 逐步提高农村基本养老保障水平"
PENSION_AGE = "resident_pension_age"

SOC_KZ_07 = MemberRule(
    id="SOC-KZ-07", title="60 岁以上居民按月享受基本养老金", measure="social", per="month",
    citation=cite(SECTION, "260"), applies=Always(),
    conditions=(AgeCompare(PENSION_AGE, at_least=True, yes="{age} 周岁，已满 {limit} 周岁",
                           no="{age} 周岁，未满 {limit} 周岁"),
                Is("pension_insured", (True,), yes="参加城乡居民养老保险",
                   no="未参加城乡居民养老保险（应引导参保，实现制度全覆盖）"),
                Always("基本养老金按月发放，不低于此标准")),
    amount=Param("resident_pension_min_monthly_yuan"))

SOC_KZ_08 = MemberRule(
    id="SOC-KZ-08", title="贫困人口保留最低缴费档次并由政府或集体代缴养老保险费", measure="social",
    citation=cite(SECTION, "260"), applies=Always(),
    conditions=(POOR_PERSON,
                AgeCompare(PENSION_AGE, at_least=False, yes="未满 {limit} 周岁",
                           no="{age} 周岁，已满 {limit} 周岁，按月领取基本养老金（见 SOC-KZ-07）"),
                AgeCompare("pension_contribution_min_age", at_least=True,
                           yes="{age} 周岁，在缴费年龄内", no="{age} 周岁，未到缴费年龄（{limit} 周岁）"),
                Is("pension_insured", (True,), yes="参加城乡居民养老保险",
                   no="未参加城乡居民养老保险（参保后按最低档次代缴）"),
                ParamPositive("pension_premium_paid_for_poor_yuan",
                              no="本地尚未建立代缴机制（规划为“探索建立”），只保留现行最低缴费档次"),
                Always("保留现行最低缴费档次，按最低档次代缴")),
    amount=Param("pension_premium_paid_for_poor_yuan"))

RULES = (SOC_KZ_07, SOC_KZ_08)
