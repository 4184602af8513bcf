"""Conditions and checks that more than one pack uses (moved here from the Bazhong pack so packs
do not import each other; the old import paths still work)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from rules.columns import Table
from rules.conditions import Bools, Condition, Outcome, missing_outcome
from rules.stays import Ineligible
from rules.subject import Subject
from rules.vocab import DANGEROUS_HOUSE_GRADES

__all__ = ["EconomicallyDifficult", "DIFFICULT", "EnrolledThisYear", "DangerousHouseNotSolved",
           "require_year"]


@dataclass(frozen=True)
class EconomicallyDifficult(Condition):
    """家庭经济困难 as the contract defines it: as recorded, else implied by 建档立卡/低保/特困
    (the reason says which), else unknown."""

    def check(self, s: Subject) -> Outcome:
        value = s.value("economically_difficult")
        if value is None:
            return missing_outcome(s, "economically_difficult")
        if not value:
            return Outcome(False, "非家庭经济困难家庭")
        h = s.household
        if h.economic_difficulty is None:
            source = "建档立卡户" if h.registered_poor else "低保户" if h.dibao else "特困供养户"
            return Outcome(True, f"家庭经济困难（{source}）")
        return Outcome(True, "家庭经济困难")

    def columns(self, t: Table) -> tuple[Bools, Bools]:
        col = t.col("economically_difficult")
        return col == 1.0, np.isnan(col)


DIFFICULT = EconomicallyDifficult()


@dataclass(frozen=True)
class EnrolledThisYear(Condition):
    """For a one-off grant: the student first enrolled in the policy year."""

    def check(self, s: Subject) -> Outcome:
        year = s.value("school.enrolled_year")
        if year is None:
            return missing_outcome(s, "school.enrolled_year")
        if int(str(year)) == s.params.on.year:
            return Outcome(True, f"{s.params.on.year} 年新入学，一次性发放")
        return Outcome(False, f"{year} 年入学，一次性补助只在入学当年发放")

    def columns(self, t: Table) -> tuple[Bools, Bools]:
        col = t.col("school.enrolled_year")
        return col == float(t.on.year), np.isnan(col)


@dataclass(frozen=True)
class DangerousHouseNotSolved(Condition):
    def check(self, s: Subject) -> Outcome:
        if s.value("relocation.status") == "moved_in":
            return Outcome(False, "已易地搬迁入住新房")
        grade = s.value("housing.safety_grade")
        if grade is None:
            return missing_outcome(s, "housing.safety_grade")
        if grade not in DANGEROUS_HOUSE_GRADES:
            return Outcome(False, f"住房安全等级 {grade} 级，不是危房")
        if s.value("housing.renovated") is True:
            return Outcome(False, f"{grade} 级危房已改造")
        return Outcome(True, f"住房为 {grade} 级危房，尚未改造或搬迁")

    def columns(self, t: Table) -> tuple[Bools, Bools]:
        moved = t.col("relocation.status") == t.code("relocation.status", "moved_in")
        grade, renovated = t.col("housing.safety_grade"), t.col("housing.renovated")
        dangerous = np.isin(grade, [t.code("housing.safety_grade", g) for g in DANGEROUS_HOUSE_GRADES])
        return ~moved & dangerous & (renovated != 1.0), ~moved & np.isnan(grade)


def require_year(s: Subject) -> None:
    year = s.value("admitted_year")
    if year is not None and int(str(year)) != s.params.on.year:
        raise Ineligible(f"{year} 年就医，不在 {s.params.on.year} 政策年度内")
