"""Kaizhou start-up guarantee loan (第四章 转移就业扶贫 第二节, seed L159): FIN-KZ-01 (= JOB-KZ-08).

A poor labourer who wants to start a business, has some conditions to do so and meets the rules
may get a guarantee loan of up to 10万 元 for up to three years with the interest fully
subsidised. The decision's payer is ``bank`` and its amount the loan cap (not a grant: it is not
in the government totals). Who counts as "wanting to start a business" is not recorded in calc-v1:
the choice parameter ``startup_loan_candidates`` reads it as self-employed members (default) or
as every poor labourer.
"""

from __future__ import annotations

from rules.amounts import Param
from rules.conditions import Always, Info, Is, When
from rules.kaizhou_2016_2020.common import POOR_PERSON, ParamNote, cite
from rules.rule import MemberRule
from rules.vocab import LABOUR_CAPABLE

__all__ = ["RULES"]

FIN_KZ_01 = MemberRule(
    id="FIN-KZ-01", title="贫困劳动力创业担保贷款（全额贴息）", measure="finance", per="once",
    payer="bank", citation=cite("第四章 转移就业扶贫 第二节 多渠道促进转移就业", "159"),
    applies=Always(),
    conditions=(POOR_PERSON,
                Is("labor", LABOUR_CAPABLE, yes="贫困劳动力（{value}）",
                   no="劳动能力为“{value}”，不属于贫困劳动力"),
                When("startup_loan_candidates", "self_employed",
                     Is("employment", ("self_employed",), yes="自主创业",
                        no="未登记自主创业（就业状况：{value}）；有创业意愿并具备一定创业条件的可申请")),
                ParamNote(("startup_loan_term_years_max",), "贷款期限最长 {0} 年"),
                Info("startup_loan_interest_subsidy_rate", "财政贴息比例 {rate}（全额贴息）"),
                Always("由银行放贷，额度为上限，不计入政府资助合计")),
    amount=Param("startup_loan_cap_yuan"))

RULES = (FIN_KZ_01,)
