"""Kaizhou high-mountain ecological relocation (第五章 高山生态搬迁扶贫, seed L160–184) and the
dangerous-house flag (第十一章 第一节, seed L282). Household-level entitlements; none carries money
(the plan gives no per-household subsidy for either):

* REL-KZ-01 — who is a relocation target: a registered-poor household identified as living where
  conditions are very harsh (seed L162, L165). calc-v1 records the outcome of that identification
  as ``relocation.status`` (planned / building / moved_in); non-registered households relocate on
  their own (自主搬迁) and are not in the programme;
* REL-KZ-05 — homesteads of relocated registered-poor households are reclaimed first (L175);
* REL-KZ-06 — a relocated household learns one practical skill and has one labourer trained for
  off-farm work (L177; = JOB-KZ-14);
* HOU-KZ-01 — a registered-poor household's dangerous (C/D) house that is not going through the
  relocation is due for renovation (L282). Uses the shared ``DangerousHouseNotSolved``.

``eligible`` means "the measure is due for this household".
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from rules.shared_conditions import DangerousHouseNotSolved
from rules.columns import Table
from rules.conditions import Always, Bools, Condition, Is, Outcome
from rules.kaizhou_2016_2020.common import REGISTERED_POOR, cite
from rules.rule import HouseholdRule
from rules.subject import Subject
from rules.vocab import LABOUR_CAPABLE, RELOCATING

__all__ = ["RULES"]

SECTION = "第五章 高山生态搬迁扶贫"
IN_PROGRAMME = Is("relocation.status", RELOCATING, yes="已识别为高山生态扶贫搬迁对象（{value}）",
                  no="未识别为高山生态扶贫搬迁对象（搬迁状态：{value}）")


@dataclass(frozen=True)
class HasLabour(Condition):
    """At least one member has labour capacity (普通、技能、弱劳动力)."""

    def check(self, s: Subject) -> Outcome:
        members = s.household.members
        capable = [m for m in members if m.labor in LABOUR_CAPABLE]
        if capable:
            return Outcome(True, f"家庭有劳动能力成员 {len(capable)} 人")
        unknown = [i for i, m in enumerate(members) if m.labor is None]
        if unknown:
            return Outcome(None, "未记录成员劳动能力", tuple(f"members[{i}].labor" for i in unknown))
        return Outcome(False, "家庭无劳动能力成员")

    def columns(self, t: Table) -> tuple[Bools, Bools]:
        c = t.columns
        labor, n = c.raw("labor"), len(c.households)
        capable = np.isin(labor, [t.code("labor", v) for v in LABOUR_CAPABLE])

        def any_of(mask: Bools) -> Bools:
            return np.bincount(c.member_hh, weights=mask.astype(float), minlength=n) > 0

        ok = any_of(capable)
        return ok, ~ok & any_of(np.isnan(labor))


REL_KZ_01 = HouseholdRule(
    id="REL-KZ-01", title="高山生态扶贫搬迁对象（建卡贫困户）", measure="relocation", per="once",
    citation=cite(f"{SECTION} 第一节 精准识别搬迁对象；第二节 1.目标", "162, 165"),
    conditions=(IN_PROGRAMME,
                Is("registered_poor", (True,), yes="建卡贫困户，纳入扶贫搬迁计划",
                   no="非建卡贫困户：同步引导自主搬迁，不列入扶贫搬迁计划")))

REL_KZ_05 = HouseholdRule(
    id="REL-KZ-05", title="建卡贫困搬迁户宅基地优先复垦", measure="relocation", per="once",
    citation=cite(f"{SECTION} 第三节 土地政策", "175"),
    conditions=(REGISTERED_POOR,
                Is("relocation.status", ("moved_in",), yes="已搬迁入住",
                   no="尚未搬迁入住（搬迁状态：{value}）"),
                Always("优先开展旧宅基地复垦")))

REL_KZ_06 = HouseholdRule(
    id="REL-KZ-06", title="搬迁户培训 1 名劳动力转移就业", measure="relocation", per="once",
    citation=cite(f"{SECTION} 第三节 就业政策", "177"),
    conditions=(REGISTERED_POOR, IN_PROGRAMME, HasLabour(),
                Always("掌握一门实用技术，培训 1 名劳动力转移就业")))

HOU_KZ_01 = HouseholdRule(
    id="HOU-KZ-01", title="建卡贫困户危房改造（不符合搬迁条件的危房）", measure="housing", per="once",
    citation=cite("第十一章 第一节 改善贫困人口人居环境", "282"),
    conditions=(REGISTERED_POOR,
                Is("relocation.status", ("none",), yes="未纳入高山生态扶贫搬迁",
                   no="已纳入高山生态扶贫搬迁（{value}），以搬迁解决住房安全"),
                DangerousHouseNotSolved()))

RULES = (REL_KZ_01, REL_KZ_05, REL_KZ_06, HOU_KZ_01)
