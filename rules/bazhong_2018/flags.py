"""Bazhong-2018 household flags for housing and jobs:

* HOU-BZ-01 — a registered-poor household whose house is 危房 (C/D) and is neither renovated nor
  relocated is flagged for dangerous-house renovation (新村建设扶贫专项, seed L1032, L1046);
* JOB-BZ-01 — a registered-poor household with labour capacity but no stably employed member is
  flagged for employment support (就业专项 一、年度目标, seed L904; = EXIT-BZ-07).

``eligible`` here means "flagged: the measure is due"; neither carries money.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from rules.bazhong_2018.common import POOR, cite
from rules.columns import Table
from rules.conditions import Bools, Condition, Outcome, missing_param_outcome
from rules.params import MissingParam
from rules.rule import HouseholdRule
from rules.shared_conditions import DangerousHouseNotSolved
from rules.subject import Subject
from rules.vocab import LABOUR_CAPABLE

__all__ = ["RULES"]


STABLE_KINDS = {"stable": ("stable",), "stable_or_public_post": ("stable", "public_post")}


@dataclass(frozen=True)
class LabourWithoutStableJob(Condition):
    params: tuple[str, ...] = ("stable_employment_counts",)

    def check(self, s: Subject) -> Outcome:
        try:
            stable = STABLE_KINDS[s.params.choice("stable_employment_counts")]
        except MissingParam:
            return missing_param_outcome(s.params, "stable_employment_counts")
        members = s.household.members
        capable = [m for m in members if m.labor in LABOUR_CAPABLE]
        if any(m.employment in stable for m in capable + list(members)):
            return Outcome(False, "已有成员稳定就业")
        unknown_labour = [i for i, m in enumerate(members) if m.labor is None]
        if not capable:
            if unknown_labour:
                return Outcome(None, "未记录成员劳动能力",
                               tuple(f"members[{i}].labor" for i in unknown_labour))
            return Outcome(False, "家庭无劳动能力成员")
        unknown_jobs = [i for i, m in enumerate(members) if m.employment is None
                        and m.labor in LABOUR_CAPABLE]
        if unknown_jobs:
            return Outcome(None, "未记录有劳动能力成员的就业状况",
                           tuple(f"members[{i}].employment" for i in unknown_jobs))
        return Outcome(True, f"家庭有劳动能力成员 {len(capable)} 人，无人稳定就业")

    def columns(self, t: Table) -> tuple[Bools, Bools]:
        c = t.columns
        try:
            stable = STABLE_KINDS[t.params.choice("stable_employment_counts")]
        except MissingParam:
            return np.zeros(t.n, dtype=bool), np.ones(t.n, dtype=bool)
        labor, job = c.raw("labor"), c.raw("employment")
        capable = np.isin(labor, [t.code("labor", v) for v in LABOUR_CAPABLE])
        employed = np.isin(job, [t.code("employment", v) for v in stable])
        n = len(c.households)

        def count(mask: Bools) -> np.ndarray:
            return np.bincount(c.member_hh, weights=mask.astype(float), minlength=n) > 0

        any_stable, any_capable = count(employed), count(capable)
        unknown_labour, unknown_job = count(np.isnan(labor)), count(capable & np.isnan(job))
        ok = ~any_stable & any_capable & ~unknown_job
        unknown = ~any_stable & ((~any_capable & unknown_labour) | (any_capable & unknown_job))
        return ok, unknown


HOU_BZ_01 = HouseholdRule(
    id="HOU-BZ-01", title="建档立卡贫困户危房改造（待改造危房）", measure="housing", per="once",
    citation=cite("新村建设扶贫专项 一、目标任务；二(二)", "1032, 1046"),
    conditions=(POOR, DangerousHouseNotSolved()))

JOB_BZ_01 = HouseholdRule(
    id="JOB-BZ-01", title="有劳动能力的贫困家庭至少 1 人稳定就业（待帮扶就业）", measure="jobs",
    citation=cite("贫困家庭技能培训和就业促进扶贫专项 一、年度目标", "904"),
    conditions=(POOR, LabourWithoutStableJob()))

RULES = (HOU_BZ_01, JOB_BZ_01)
