"""Kaizhou preschool and compulsory-stage student aid (第六章 第二节 降低贫困家庭学生就学负担,
seed L191): EDU-KZ-01 (two grants), EDU-KZ-02 (boarders), EDU-KZ-03 (non-boarders, per school
day) and EDU-KZ-07 (nutrition, per school day). Senior, vocational and university aid:
:mod:`rules.kaizhou_2016_2020.education_upper`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from rules.amounts import ByValue, Param
from rules.columns import Table
from rules.conditions import Always, Bools, Condition, Is, Not, Outcome, When
from rules.fields import field as lookup_field
from rules.kaizhou_2016_2020.common import KEPT, POOR_STUDENT, REGISTERED_POOR, cite, stage
from rules.shared_conditions import exit_note, student
from rules.rule import MemberRule
from rules.subject import Subject
from rules.vocab import COMPULSORY_STAGES

__all__ = ["RULES", "SECTION", "BOARDING"]

SECTION = "第六章 教育扶贫 第二节 降低贫困家庭学生就学负担"
L191 = "191"
BOARDING = Is("school.boarding", (True,), yes="寄宿生", no="非寄宿生")
COMPULSORY = stage(*COMPULSORY_STAGES)
COMPULSORY_STUDENT = student(*COMPULSORY_STAGES)


PRESCHOOL_UNKNOWN = ("dibao", "orphan", "registered_poor")
"""Routes that, while not recorded, leave a child's eligibility open (``missing_data``); the
disability route reads ``disability_grade``, whose absence means "no disability" (calc-v1)."""


@dataclass(frozen=True)
class PreschoolAidClass(Condition):
    """EDU-KZ-01's four classes (seed L191): 城乡低保家庭, 孤儿, 残疾幼儿, 农村建卡贫困户家庭经济困难
    儿童. Any one route qualifies; a route not recorded (低保, 孤儿, 建卡) keeps the child
    ``missing_data`` when no other route holds, so nobody is refused because a box was left
    empty. An ineligible reason names every route that failed."""

    def check(self, s: Subject) -> Outcome:
        h = s.household
        if h.dibao is True:
            return Outcome(True, "城乡低保家庭幼儿")
        if s.value("orphan") is True:
            return Outcome(True, "孤儿")
        grade = s.value("disability_grade")
        if grade is not None:
            return Outcome(True, f"残疾幼儿（{grade}级）")
        if h.registered_poor is True and s.value("economically_difficult") is True:
            note = exit_note(h, KEPT)
            return Outcome(True, "农村建卡贫困户家庭经济困难儿童" + (f"（{note}）" if note else ""))
        unknown = [n for n in PRESCHOOL_UNKNOWN if s.value(n) is None]
        if unknown:
            labels = "、".join(lookup_field(n).label for n in unknown)
            return Outcome(None, f"未记录{labels}", tuple(s.path(n) for n in unknown))
        poor = "建卡贫困户但登记为家庭经济不困难" if h.registered_poor else "非建卡贫困户"
        return Outcome(False, f"不属于学前资助对象：非低保家庭，非孤儿，无残疾等级，{poor}")

    def columns(self, t: Table) -> tuple[Bools, Bools]:
        dibao, orphan, poor = (t.col(n) for n in PRESCHOOL_UNKNOWN)
        difficult, grade = t.col("economically_difficult"), t.col("disability_grade")
        ok = ((dibao == 1.0) | (orphan == 1.0) | ~np.isnan(grade)
              | ((poor == 1.0) & (difficult == 1.0)))
        return ok, ~ok & (np.isnan(dibao) | np.isnan(orphan) | np.isnan(poor))


PRESCHOOL_CLASS = PreschoolAidClass()

EDU_KZ_01_FEE = MemberRule(
    id="EDU-KZ-01.fee", title="学前教育保教费资助", measure="education",
    citation=cite(SECTION, L191), applies=student("preschool"),
    conditions=(stage("preschool"), PRESCHOOL_CLASS), amount=Param("preschool_fee_aid_yuan"))

EDU_KZ_01_LIVING = MemberRule(
    id="EDU-KZ-01.living", title="学前教育生活费资助", measure="education",
    citation=cite(SECTION, L191), applies=student("preschool"),
    conditions=(stage("preschool"), PRESCHOOL_CLASS,
                When("preschool_aid_stacking", "fee_aid_only",
                     Not(Always(), yes="", no="按本地口径保教费资助与生活费资助不叠加，只发保教费资助"))),
    amount=Param("preschool_living_aid_yuan"))

EDU_KZ_02 = MemberRule(
    id="EDU-KZ-02", title="义务教育贫困寄宿生生活费补助", measure="education",
    citation=cite(SECTION, L191), applies=COMPULSORY_STUDENT,
    conditions=(COMPULSORY,
                Is("school.boarding", (True,), yes="寄宿生", no="非寄宿生（见 EDU-KZ-03）"),
                POOR_STUDENT),
    amount=ByValue("school.stage", {"primary": "boarding_allowance_primary_yuan",
                                    "junior": "boarding_allowance_junior_yuan"}))

EDU_KZ_03 = MemberRule(
    id="EDU-KZ-03", title="义务教育非寄宿建卡贫困户学生生活补助", measure="education", per="day",
    citation=cite(SECTION, L191), applies=COMPULSORY_STUDENT,
    conditions=(COMPULSORY,
                Is("school.boarding", (False,), yes="非寄宿生", no="寄宿生（见 EDU-KZ-02）"),
                REGISTERED_POOR),
    amount=ByValue("school.stage", {"primary": "day_allowance_primary_yuan",
                                    "junior": "day_allowance_junior_yuan"}))

EDU_KZ_07 = MemberRule(
    id="EDU-KZ-07", title="学生营养改善计划补助", measure="education", per="day",
    citation=cite(SECTION, L191), applies=COMPULSORY_STUDENT,
    conditions=(COMPULSORY, When("nutrition_scope", "poor_compulsory", POOR_STUDENT)),
    amount=Param("nutrition_daily_yuan"))

RULES = (EDU_KZ_01_FEE, EDU_KZ_01_LIVING, EDU_KZ_02, EDU_KZ_03, EDU_KZ_07)
