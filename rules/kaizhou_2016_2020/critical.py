"""Kaizhou critical-illness insurance for poor people (城乡居民大病保险, 第七章 第一节, seed L209):

* MED-KZ-03 — on the self-pay between the deductible and 10万 元 the rate is raised by 10% and
  reaches 50%;
* MED-KZ-04 — the critical-illness deductible is cut by 50%.

Critical-illness insurance works on the year's cumulated in-policy self-pay after basic insurance,
so these are per-member yearly decisions over the member's inpatient stays of the policy year
(each settled by :func:`rules.kaizhou_2016_2020.settlement.basic_settlement`). With the plan's
"达到50%" the poor rate is a stated number; the base rate follows from it and the uplift
(``50% − 10`` points, or ``50% ÷ 1.1`` when the uplift is read as relative). The deductible is
Chongqing's and open.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import numpy as np

from rules.amounts import MissingInputs
from rules.columns import Columns, Table
from rules.conditions import Condition, Is
from rules.decision import ELIGIBLE, INELIGIBLE, MISSING, Decision, yuan_text
from rules.kaizhou_2016_2020.common import POOR_PERSON, cite
from rules.kaizhou_2016_2020.medical import INSURED, rate_text
from rules.kaizhou_2016_2020.settlement import (SETTLEMENT_PARAMS, basic_columns,
                                                basic_settlement, read_params)
from rules.params import ParamView
from rules.decision import NOT_CANDIDATE, STATUS_CODES
from rules.rule import ColumnResult, Rule, make_decision
from rules.snapshot import HospitalStay, Household
from rules.subject import Subject

__all__ = ["RULES"]

CI_PARAMS = ("critical_illness_deductible_yuan", "critical_illness_deductible_cut_rate",
             "critical_illness_rate_uplift", "critical_illness_rate_poor",
             "critical_illness_band_top_yuan", "uplift_mode")
CI_INSURED = Is("critical_illness_insurance", (True,), yes="参加大病保险", no="未参加大病保险")
CONDITIONS: tuple[Condition, ...] = (POOR_PERSON, INSURED, CI_INSURED)
ZERO, ONE = Decimal(0), Decimal(1)


def _counts(stay: HospitalStay, year: int) -> bool:
    """A stay the year's critical-illness self-pay may include (inpatient, or kind unknown)."""
    in_year = stay.admitted_on is None or stay.admitted_on.year == year
    return in_year and stay.kind != "chronic_outpatient"


@dataclass(frozen=True)
class Band:
    self_pay: Decimal
    deductible: Decimal
    poor_deductible: Decimal
    top: Decimal
    base_rate: Decimal
    poor_rate: Decimal

    def covered(self, deductible: Decimal) -> Decimal:
        return max(ZERO, min(self.self_pay, self.top) - deductible)

    @property
    def deductible_gain(self) -> Decimal:
        return self.base_rate * (self.covered(self.poor_deductible) - self.covered(self.deductible))

    @property
    def rate_gain(self) -> Decimal:
        return (self.poor_rate - self.base_rate) * self.covered(self.poor_deductible)


def band_for(params: ParamView, self_pay: Decimal) -> Band:
    p = read_params(params, CI_PARAMS)
    num = {k: v for k, v in p.items() if isinstance(v, Decimal)}
    poor, uplift = num["critical_illness_rate_poor"], num["critical_illness_rate_uplift"]
    base = poor - uplift if p["uplift_mode"] == "points" else poor / (ONE + uplift)
    deductible = num["critical_illness_deductible_yuan"]
    cut = num["critical_illness_deductible_cut_rate"]
    return Band(self_pay, deductible, deductible * (ONE - cut),
                num["critical_illness_band_top_yuan"], base, poor)


def year_self_pay(s: Subject) -> Decimal:
    """The member's in-policy self-pay after basic insurance over the year's inpatient stays;
    every missing input of every stay is reported together."""
    assert s.member is not None
    total = ZERO
    missing: list[str] = []
    reasons: list[str] = []
    for index, stay in enumerate(s.member.hospital_stays):
        if not _counts(stay, s.params.on.year):
            continue
        stay_s = s.for_stay(index, stay)
        try:
            if stay.kind is None:
                raise MissingInputs((stay_s.path("kind"),), "未记录就诊类型")
            total += basic_settlement(stay_s).self_pay
        except MissingInputs as exc:
            missing += exc.missing
            reasons.append(exc.reason)
    if missing:
        raise MissingInputs(tuple(dict.fromkeys(missing)), "；".join(dict.fromkeys(reasons)))
    return total


@dataclass(frozen=True, kw_only=True)
class CriticalIllness(Rule):
    """MED-KZ-03 (``part="rate"``) or MED-KZ-04 (``part="deductible"``)."""

    part: str

    def evaluate(self, household: Household, params: ParamView) -> list[Decision]:
        base = Subject(household, params)
        return [self._decide(base.for_member(i, m)) for i, m in enumerate(household.members)
                if any(_counts(st, params.on.year) for st in m.hospital_stays)]

    def _decide(self, s: Subject) -> Decision:
        outs = [c.check(s) for c in CONDITIONS]
        failed = [o.reason for o in outs if o.ok is False]
        if failed:
            return make_decision(self, s, INELIGIBLE, ZERO, ZERO, failed, names=self.uses)
        unknown = [o for o in outs if o.ok is None]
        if unknown:
            return make_decision(self, s, MISSING, None, None, [o.reason for o in unknown],
                                 [m for o in unknown for m in o.missing], names=self.uses)
        try:
            band = band_for(s.params, year_self_pay(s))
        except MissingInputs as exc:
            return make_decision(self, s, MISSING, None, None, [exc.reason], exc.missing,
                                 names=self.uses)
        amount = band.rate_gain if self.part == "rate" else band.deductible_gain
        return make_decision(self, s, ELIGIBLE, amount, amount,
                             [o.reason for o in outs] + [self._explain(band, amount)],
                             names=self.uses)

    def _explain(self, b: Band, amount: Decimal) -> str:
        head = f"本年度住院政策范围内个人自付（基本医保报销后）{yuan_text(b.self_pay)} 元"
        if self.part == "rate":
            return (f"{head}，起付标准至 {yuan_text(b.top)} 元段报销比例由 {rate_text(b.base_rate)}"
                    f" 提高到 {rate_text(b.poor_rate)}，多报销 {yuan_text(amount)} 元")
        return (f"{head}，大病保险起付标准由 {yuan_text(b.deductible)} 元降低到 "
                f"{yuan_text(b.poor_deductible)} 元，多报销 {yuan_text(amount)} 元")

    def columns(self, columns: Columns, params: ParamView) -> ColumnResult:
        stays, members = Table(columns, "stay", params), Table(columns, "member", params)
        kind, year = stays.col("kind"), stays.col("admitted_year")
        counts = (np.isnan(year) | (year == float(params.on.year))) & (
            kind != stays.code("kind", "chronic_outpatient"))
        basic = basic_columns(stays)
        owner, n = columns.stay_member, members.n
        candidate = np.bincount(owner, weights=counts.astype(float), minlength=n) > 0
        stay_unknown = counts & (basic.unknown | np.isnan(kind))
        unknown = np.bincount(owner, weights=stay_unknown.astype(float), minlength=n) > 0
        self_pay = np.bincount(owner, weights=np.where(counts & ~stay_unknown, basic.self_pay, 0.0),
                               minlength=n)
        failed = np.zeros(n, dtype=bool)
        for condition in CONDITIONS:
            ok, c_unknown = condition.columns(members)
            failed |= ~ok & ~c_unknown
            unknown |= c_unknown
        amount, p_unknown = self._amount_columns(params, self_pay)
        unknown |= p_unknown
        status = np.where(failed, STATUS_CODES[INELIGIBLE],
                          np.where(unknown, STATUS_CODES[MISSING], STATUS_CODES[ELIGIBLE]))
        status = np.where(candidate, status, NOT_CANDIDATE).astype(np.int8)
        pays = np.where(status == STATUS_CODES[ELIGIBLE], amount, 0.0)
        return ColumnResult(self.id, "member", self.payer, status, pays, pays)

    def _amount_columns(self, params: ParamView, self_pay: np.ndarray) -> tuple[np.ndarray, bool]:
        try:
            b = band_for(params, ZERO)
        except MissingInputs:
            return np.zeros(len(self_pay)), True
        top, base, poor = float(b.top), float(b.base_rate), float(b.poor_rate)

        def covered(deductible: Decimal) -> np.ndarray:
            return np.maximum(0.0, np.minimum(self_pay, top) - float(deductible))

        if self.part == "rate":
            return (poor - base) * covered(b.poor_deductible), False
        return base * (covered(b.poor_deductible) - covered(b.deductible)), False


USES = ("poor_person_class", *SETTLEMENT_PARAMS, *CI_PARAMS)

MED_KZ_03 = CriticalIllness(
    id="MED-KZ-03", title="贫困人口大病保险起付标准至 10 万元段报销比例提高 10%、达到 50%",
    measure="medical", part="rate", uses=USES,
    citation=cite("第七章 健康扶贫 第一节 加大贫困人口医疗救助 提高医疗保障水平", "209"))

MED_KZ_04 = CriticalIllness(
    id="MED-KZ-04", title="贫困人口大病保险起付标准降低 50%", measure="medical", part="deductible",
    uses=USES, citation=cite("第七章 健康扶贫 第一节 加大贫困人口医疗救助 提高医疗保障水平", "209"))

RULES = (MED_KZ_03, MED_KZ_04)
