"""Bazhong-2018 education rules (教育扶贫专项, seed L1158–1306): EDU-BZ-01…03, 05…11.

EDU-BZ-04 ("三免", items not listed) is not implemented; see rules/IMPLEMENTED.md.
"""

from __future__ import annotations

from rules.amounts import ByValue, Capped, FieldAmount, Param, Sum
from rules.conditions import Always, Compare, Is, Not, When
from rules.bazhong_2018.common import DIFFICULT, POOR, cite
from rules.rule import MemberRule
from rules.shared_conditions import EnrolledThisYear, student

__all__ = ["RULES"]

SECTION = "教育扶贫专项 二(三)"


def stage(*stages: str) -> Is:
    return Is("school.stage", stages, yes="{value}在校生", no="不在该学段")


PUBLIC = Is("school.public", (True,), yes="就读公办幼儿园", no="就读民办幼儿园（见 EDU-BZ-03）")
PRIVATE = Is("school.public", (False,), yes="就读民办幼儿园，参照同类公办幼儿园执行",
             no="就读公办幼儿园（见 EDU-BZ-02）")
BOARDING = Is("school.boarding", (True,), yes="寄宿生", no="非寄宿生")
FEE = FieldAmount("school.fee_yuan")


EDU_BZ_01 = MemberRule(
    id="EDU-BZ-01", title="家庭经济困难幼儿保教费减免", measure="education",
    citation=cite(f"{SECTION}1 幼儿园保教费减免", "1192"),
    applies=student("preschool"),
    conditions=(stage("preschool"), DIFFICULT,
                When("preschool_aid_stacking", "replace",
                     Not(POOR, yes="", no="建档立卡户幼儿已按 EDU-BZ-02/03 据实免除保教费，不再重复减免"))),
    amount=Capped(Param("preschool_fee_reduction_yuan"), FEE, cap_optional=True))

EDU_BZ_02 = MemberRule(
    id="EDU-BZ-02", title="建档立卡幼儿公办园保教费据实免除", measure="education",
    citation=cite(f"{SECTION}1 幼儿园保教费减免", "1192"),
    applies=student("preschool"), conditions=(stage("preschool"), POOR, PUBLIC), amount=FEE)

EDU_BZ_03 = MemberRule(
    id="EDU-BZ-03", title="建档立卡幼儿民办园保教费参照公办园免除", measure="education",
    citation=cite(f"{SECTION}1 幼儿园保教费减免", "1192"),
    applies=student("preschool"), conditions=(stage("preschool"), POOR, PRIVATE),
    amount=Capped(FEE, Param("private_kindergarten_reference_fee_yuan")))

EDU_BZ_05 = MemberRule(
    id="EDU-BZ-05", title="义务教育寄宿生生活补助", measure="education",
    citation=cite(f"{SECTION}2", "1196"),
    applies=student("primary", "junior"), conditions=(stage("primary", "junior"), BOARDING, DIFFICULT),
    amount=ByValue("school.stage", {"primary": "boarding_allowance_primary_yuan",
                                    "junior": "boarding_allowance_junior_yuan"}))

EDU_BZ_06 = MemberRule(
    id="EDU-BZ-06", title="普通高中国家助学金", measure="education",
    citation=cite(f"{SECTION}3(1) 普通高中学生资助", "1200"),
    applies=student("senior"), conditions=(stage("senior"), DIFFICULT),
    amount=Param("senior_bursary_yuan"))

EDU_BZ_07 = MemberRule(
    id="EDU-BZ-07", title="普通高中家庭经济困难学生学费据实免除", measure="education",
    citation=cite(f"{SECTION}3(2) 普通高中学生资助", "1200-1202"),
    applies=student("senior"), conditions=(stage("senior"), DIFFICULT), amount=FEE)

EDU_BZ_08 = MemberRule(
    id="EDU-BZ-08", title="中职学生助学金", measure="education",
    citation=cite(f"{SECTION}4 中职学生资助", "1206"),
    applies=student("vocational"), conditions=(stage("vocational"), DIFFICULT),
    amount=Param("vocational_bursary_yuan"))

EDU_BZ_09 = MemberRule(
    id="EDU-BZ-09", title="生源地国家贴息助学贷款", measure="education", payer="bank",
    citation=cite(f"{SECTION}5 普通高校学生资助", "1210"),
    applies=student("college"),
    conditions=(stage("college"), DIFFICULT,
                Always("户籍在巴中市（本市登记户）；由银行发放，不计入政府资助合计")),
    amount=Param("home_area_student_loan_cap_yuan"))

EDU_BZ_10 = MemberRule(
    id="EDU-BZ-10", title="建档立卡贫困家庭本专科学生特别资助", measure="education",
    citation=cite(f"{SECTION}6(1) 建档立卡贫困家庭学生特别资助", "1214"),
    applies=student("college"),
    conditions=(stage("college"), POOR,
                Compare("school.enrolled_year", ">=", "special_aid_first_cohort_year",
                        yes="{value} 年入学（{limit} 年及以后新生）",
                        no="{value} 年入学，早于 {limit} 年（早 {diff} 年）")),
    amount=Sum((Param("special_aid_tuition_yuan"), Param("special_aid_living_yuan"))))

EDU_BZ_11 = MemberRule(
    id="EDU-BZ-11", title="建档立卡贫困家庭中职学生生活补助", measure="education",
    per_param="vocational_living_allowance_period",
    citation=cite(f"{SECTION}6(2) 建档立卡贫困家庭学生特别资助", "1214"),
    applies=student("vocational"),
    conditions=(stage("vocational"), POOR,
                When("vocational_living_allowance_period", "once", EnrolledThisYear())),
    amount=Param("vocational_living_allowance_yuan"))

RULES = (EDU_BZ_01, EDU_BZ_02, EDU_BZ_03, EDU_BZ_05, EDU_BZ_06, EDU_BZ_07, EDU_BZ_08, EDU_BZ_09,
         EDU_BZ_10, EDU_BZ_11)
