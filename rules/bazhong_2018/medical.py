"""Bazhong-2018 medical rules (健康扶贫专项, seed L1307–1404): MED-BZ-01, 02, 07, 08, 12, 13,
14, 15, 18.

The per-stay rules follow the settlement order in :mod:`rules.bazhong_2018.settlement`.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import numpy as np

from rules.amounts import Nothing, Param
from rules.bazhong_2018.common import POOR, cite
from rules.bazhong_2018.settlement import (absorbs_columns, cap_rate, cap_rate_columns, common_steps,
                                           hospital_absorbs, patient_due, require_poor,
                                           require_year)
from rules.columns import Table
from rules.conditions import Always, Info, Is
from rules.shared_conditions import Describe
from rules.decision import percent_text, yuan_text
from rules.rule import MemberRule
from rules.stays import Ineligible, StayColumns, StayRule, Steps, need
from rules.subject import Subject

__all__ = ["RULES"]

SECTION = "健康扶贫专项 二(一)"
SETTLEMENT_PARAMS = ("ooc_cap_rate_county", "ooc_cap_rate_city", "hospital_absorbs_outpatient",
                     "patient_share_cap_rate")

MED_BZ_01 = MemberRule(
    id="MED-BZ-01", title="贫困人口城乡居民医保个人缴费财政全额代缴", measure="medical",
    citation=cite(f"{SECTION}1 强化精准管理", "1321"),
    applies=Always(),
    conditions=(POOR, Always("个人缴费部分由财政按最低档次缴费标准全额代缴")),
    amount=Param("medical_premium_lowest_tier_yuan"))

MED_BZ_15 = MemberRule(
    id="MED-BZ-15", title="贫困人口大病保险支付比例不低于 50%", measure="medical",
    citation=cite(f"{SECTION}4 落实医保政策", "1336"),
    applies=Always(),
    conditions=(POOR,
                Is("critical_illness_insurance", (True,), yes="参加大病保险", no="未参加大病保险"),
                Info("critical_illness_payment_ratio_min", "大病保险支付比例不低于 {rate}")),
    amount=Nothing())


def _in_county_inpatient_steps(t: Table) -> Steps:
    steps = common_steps(t)
    kind, in_county = t.col("kind"), t.col("in_county")
    steps.missing(np.isnan(kind) | np.isnan(in_county))
    steps.fail(kind != t.code("kind", "inpatient"))
    steps.fail(in_county == 0.0)
    return steps


def _due_columns(t: Table, steps: Steps) -> tuple[np.ndarray, np.ndarray]:
    """(patient due, 10% cap) per stay; rows lacking inputs are marked missing in ``steps``."""
    absorbs, unknown = absorbs_columns(t)
    steps.missing(unknown)
    total, reimbursed = t.col("total_cost_yuan"), t.col("reimbursed_yuan")
    steps.missing(np.isnan(total) | np.isnan(reimbursed))
    due = np.nan_to_num(total) - np.nan_to_num(reimbursed) - absorbs
    return due, float(t.params.number("patient_share_cap_rate")) * np.nan_to_num(total)


MED_BZ_02 = MemberRule(
    id="MED-BZ-02", title="贫困人口家庭医生签约服务", measure="medical",
    citation=cite(f"{SECTION}1 强化精准管理", "1321"),
    applies=Always(),
    conditions=(POOR, Describe("family_doctor", {True: "已签约家庭医生", False: "尚未签约家庭医生，应签尽签"},
                               unknown="家庭医生签约服务应签尽签")))

MED_BZ_14 = MemberRule(
    id="MED-BZ-14", title="贫困人口纳入疾病应急救助基金补助", measure="medical",
    citation=cite(f"{SECTION}4 落实医保政策", "1334-1335"),
    applies=Always(), conditions=(POOR, Always("纳入疾病应急救助基金补助范围")))


def _in_county_inpatient(s: Subject) -> None:
    kind, in_county = need(s, "kind", "in_county")
    if kind != "inpatient":
        raise Ineligible("慢性病门诊，不属于住院")
    if not in_county:
        raise Ineligible("县域外住院")


@dataclass(frozen=True, kw_only=True)
class HospitalAbsorbs(StayRule):
    """MED-BZ-18: out-of-catalogue costs above the cap are borne by the hospital."""

    def decide_stay(self, s: Subject) -> tuple[Decimal, list[str]]:
        poor = require_poor(s)
        require_year(s)
        cap_rate(s)
        absorbs, text = hospital_absorbs(s)
        return absorbs, [poor, text]

    def stay_columns(self, t: Table) -> StayColumns:
        steps = common_steps(t)
        absorbs, unknown = absorbs_columns(t)
        _, no_cap, rate_unknown = cap_rate_columns(t)
        steps.missing(rate_unknown)
        steps.fail(no_cap)
        steps.missing(unknown)
        return StayColumns(steps.done(), absorbs)


@dataclass(frozen=True, kw_only=True)
class PatientShareCap(StayRule):
    """MED-BZ-13: the government tops up the patient's share above 10% of the total."""

    def decide_stay(self, s: Subject) -> tuple[Decimal, list[str]]:
        poor = require_poor(s)
        require_year(s)
        (kind,) = need(s, "kind")
        if kind == "inpatient":
            (in_county,) = need(s, "in_county")
            if not in_county:
                raise Ineligible("县域外住院，不适用个人支付 10% 控制（可申请医疗救助）")
        total, due, cap = patient_due(s)
        topup = max(Decimal(0), due - cap)
        rate = percent_text(s.params.number("patient_share_cap_rate"))
        where = "县域内住院" if kind == "inpatient" else "慢性病门诊维持治疗"
        if topup:
            text = (f"个人应付 {yuan_text(due)} 元，超过总费用 {yuan_text(total)} 元的 {rate}"
                    f"（{yuan_text(cap)} 元），超出部分 {yuan_text(topup)} 元由政府兜底")
        else:
            text = f"个人应付 {yuan_text(due)} 元，未超过总费用的 {rate}（{yuan_text(cap)} 元）"
        return topup, [poor, where, text]

    def stay_columns(self, t: Table) -> StayColumns:
        steps = common_steps(t)
        kind, in_county = t.col("kind"), t.col("in_county")
        steps.missing(np.isnan(kind))
        inpatient = kind == t.code("kind", "inpatient")
        steps.missing(inpatient & np.isnan(in_county))
        steps.fail(inpatient & (in_county == 0.0))
        due, cap = _due_columns(t, steps)
        return StayColumns(steps.done(), np.maximum(0.0, due - cap))


@dataclass(frozen=True, kw_only=True)
class InCountyInpatient(StayRule):
    """MED-BZ-12: in-county inpatient in-policy costs are reimbursed in full (an entitlement)."""

    def decide_stay(self, s: Subject) -> tuple[Decimal, list[str]]:
        require_poor(s)
        require_year(s)
        _in_county_inpatient(s)
        rate = percent_text(s.params.number("in_policy_reimbursement_rate"))
        total, ooc = s.value("total_cost_yuan"), s.value("out_of_catalog_yuan")
        if isinstance(total, Decimal) and isinstance(ooc, Decimal):
            text = f"政策范围内费用 {yuan_text(total - ooc)} 元按 {rate} 报销"
        else:
            text = f"政策范围内费用按 {rate} 报销"
        return Decimal(0), ["建档立卡贫困患者县域内住院", text]

    def stay_columns(self, t: Table) -> StayColumns:
        return StayColumns(_in_county_inpatient_steps(t).done(), np.zeros(t.n))


@dataclass(frozen=True, kw_only=True)
class TreatFirstPayLater(StayRule):
    """MED-BZ-08: in-county public-hospital stays are treated first and paid later, with
    one-stop settlement (an entitlement; non-public hospitals qualify only at grade 2+ meeting the
    grade-3 set-up standard, which the household record does not hold)."""

    def decide_stay(self, s: Subject) -> tuple[Decimal, list[str]]:
        require_poor(s)
        require_year(s)
        _in_county_inpatient(s)
        (public,) = need(s, "public")
        if not public:
            raise Ineligible("非公立医疗机构（仅二级以上且符合三级医院设置标准的民营医院适用，未记录医院资质）")
        return Decimal(0), ["建档立卡贫困患者在县域内公立医疗机构住院", "先诊疗后付费，“一站式”结算"]

    def stay_columns(self, t: Table) -> StayColumns:
        steps = _in_county_inpatient_steps(t)
        public = t.col("public")
        steps.missing(np.isnan(public))
        steps.fail(public == 0.0)
        return StayColumns(steps.done(), np.zeros(t.n))


@dataclass(frozen=True, kw_only=True)
class FreeDelivery(StayRule):
    """MED-BZ-07: in-county hospital delivery is free: the government pays what is left to the
    mother after insurance, the hospital's part and the MED-BZ-13 top-up."""

    def decide_stay(self, s: Subject) -> tuple[Decimal, list[str]]:
        require_poor(s)
        require_year(s)
        _in_county_inpatient(s)
        total, due, cap = patient_due(s)
        remaining = max(Decimal(0), due - max(Decimal(0), due - cap))
        rate = percent_text(s.params.number("patient_share_cap_rate"))
        return remaining, ["建档立卡贫困孕产妇县域内住院分娩",
                           f"扣除报销、医院承担和 {rate} 兜底后剩余 {yuan_text(remaining)} 元全免"]

    def stay_columns(self, t: Table) -> StayColumns:
        steps = _in_county_inpatient_steps(t)
        due, cap = _due_columns(t, steps)
        remaining = np.maximum(0.0, due - np.maximum(0.0, due - cap))
        return StayColumns(steps.done(), remaining)


MED_BZ_07 = FreeDelivery(
    id="MED-BZ-07", title="贫困孕产妇县域内住院分娩全免费", measure="medical",
    citation=cite(f"{SECTION}3 深化医疗救助", "1325"), candidate_field="childbirth",
    uses=SETTLEMENT_PARAMS, required=SETTLEMENT_PARAMS)

MED_BZ_08 = TreatFirstPayLater(
    id="MED-BZ-08", title="贫困人口县域内住院先诊疗后付费和“一站式”结算", measure="medical",
    citation=cite(f"{SECTION}3 深化医疗救助", "1325"))

MED_BZ_12 = InCountyInpatient(
    id="MED-BZ-12", title="贫困患者县域内住院政策范围内费用全额报销", measure="medical",
    citation=cite(f"{SECTION}3 深化医疗救助", "1330-1331"),
    uses=("in_policy_reimbursement_rate",), required=("in_policy_reimbursement_rate",))

MED_BZ_18 = HospitalAbsorbs(
    id="MED-BZ-18", title="住院医保目录外费用超比例部分由医疗机构承担", measure="medical",
    payer="hospital", citation=cite(f"{SECTION}5 严格控费比例", "1348-1352"),
    uses=SETTLEMENT_PARAMS, required=SETTLEMENT_PARAMS)

MED_BZ_13 = PatientShareCap(
    id="MED-BZ-13", title="县域内住院和慢性病门诊个人支付占比不超过 10%", measure="medical",
    citation=cite(f"{SECTION}3 深化医疗救助", "1331-1332"),
    uses=SETTLEMENT_PARAMS, required=SETTLEMENT_PARAMS)

RULES = (MED_BZ_01, MED_BZ_02, MED_BZ_14, MED_BZ_15, MED_BZ_18, MED_BZ_13, MED_BZ_12, MED_BZ_08,
         MED_BZ_07)
