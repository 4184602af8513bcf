"""Kaizhou senior-secondary, vocational and university aid (第六章 第二节, seed L191):
EDU-KZ-04 (tuition by school class, textbooks, bursary), EDU-KZ-05 (tuition for every vocational
student; lodging, textbooks and bursary for poor students) and EDU-KZ-06 (one-off grant for new
entrants, home-area loan cap paid by a bank, living allowance)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from rules.amounts import ByValue, Param
from rules.shared_conditions import EnrolledThisYear, student
from rules.columns import Table
from rules.conditions import Always, Bools, Condition, Outcome, When, missing_outcome
from rules.kaizhou_2016_2020.common import POOR_STUDENT, ParamNote, cite, stage
from rules.kaizhou_2016_2020.education import BOARDING, SECTION
from rules.rule import MemberRule
from rules.subject import Subject

__all__ = ["RULES"]

L191 = "191"
SENIOR = stage("senior")
VOCATIONAL = stage("vocational")
COLLEGE = stage("college")


@dataclass(frozen=True)
class SchoolClass(Condition):
    """States whether the senior school is a key school (重点高中) or an ordinary one; unknown
    when not recorded (the tuition waived depends on it)."""

    def check(self, s: Subject) -> Outcome:
        key = s.value("school.key_school")
        if key is None:
            return missing_outcome(s, "school.key_school")
        return Outcome(True, "就读重点高中" if key else "就读一般高中")

    def columns(self, t: Table) -> tuple[Bools, Bools]:
        unknown = np.isnan(t.col("school.key_school"))
        return ~unknown, unknown


def _senior(component: str, title: str, conditions: tuple[Condition, ...],
            amount: Param | ByValue) -> MemberRule:
    return MemberRule(id=f"EDU-KZ-04.{component}", title=title, measure="education",
                      citation=cite(f"{SECTION}（普通高中阶段）", L191), applies=student("senior"),
                      conditions=(SENIOR, POOR_STUDENT, *conditions), amount=amount)


def _vocational(component: str, title: str, conditions: tuple[Condition, ...],
                amount: Param, applies: Condition = student("vocational")) -> MemberRule:
    return MemberRule(id=f"EDU-KZ-05.{component}", title=title, measure="education",
                      citation=cite(f"{SECTION}（中职学生）", L191), applies=applies,
                      conditions=(VOCATIONAL, *conditions), amount=amount)


def _college(component: str, title: str, conditions: tuple[Condition, ...], amount: Param,
             per: str = "year", payer: str = "government") -> MemberRule:
    return MemberRule(id=f"EDU-KZ-06.{component}", title=title, measure="education", per=per,
                      payer=payer, citation=cite(f"{SECTION}（贫困大学生）", L191),
                      applies=student("college"), conditions=(COLLEGE, POOR_STUDENT, *conditions),
                      amount=amount)


RULES = (
    _senior("tuition", "普通高中贫困学生免学费", (SchoolClass(),),
            ByValue("school.key_school", {True: "senior_tuition_key_yuan",
                                          False: "senior_tuition_ordinary_yuan"})),
    _senior("textbooks", "普通高中贫困学生免教科书费", (), Param("senior_textbook_yuan")),
    _senior("bursary", "普通高中贫困学生助学金", (), Param("senior_bursary_yuan")),
    # 高中阶段: a 普通高中 student is a candidate too, so the universal vocational tuition waiver
    # tells them why it does not apply (普高与中职, seed L193).
    _vocational("tuition", "中职学生免学费", (Always("中职学生普遍免学费"),),
                Param("vocational_tuition_yuan"), applies=student("senior", "vocational")),
    _vocational("lodging", "中职贫困学生免住宿费",
                (POOR_STUDENT, When("vocational_lodging_scope", "boarders", BOARDING)),
                Param("vocational_lodging_yuan")),
    _vocational("textbooks", "中职贫困学生免教科书费", (POOR_STUDENT,),
                Param("vocational_textbook_yuan")),
    _vocational("bursary", "中职贫困学生助学金", (POOR_STUDENT,), Param("vocational_bursary_yuan")),
    _college("new_entrant", "贫困大学生新生入学一次性资助", (EnrolledThisYear(),),
             Param("college_new_entrant_grant_yuan"), per="once"),
    _college("loan", "生源地助学贷款（每年最高额度）",
             (ParamNote(("college_loan_cap_low_yuan", "college_loan_cap_yuan"),
                        "规划表述为每年最高 {0}–{1} 元，本包按上限列示；由银行放贷，不计入政府资助合计"),),
             Param("college_loan_cap_yuan"), payer="bank"),
    _college("living", "贫困大学生在校生活费补助", (Always("在校就读期间按年补助"),),
             Param("college_living_allowance_yuan")),
)
