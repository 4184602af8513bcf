"""Conditions and checks that more than one pack uses (moved here from the Bazhong pack so packs
do not import each other; the old import paths still work): 家庭经济困难, 建档立卡 (with the
exited/returned note), new entrants, 危房, the policy year of a stay, ages at ``--on``, school-stage
candidates, and ``Describe`` (a reason that never blocks)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np

from rules.columns import Table
from rules.conditions import (Bools, Condition, Outcome, missing_outcome,
                              missing_param_outcome)
from rules.fields import zh
from rules.params import MissingParam
from rules.snapshot import Household
from rules.stays import Ineligible
from rules.subject import Subject
from rules.vocab import DANGEROUS_HOUSE_GRADES

__all__ = ["EconomicallyDifficult", "DIFFICULT", "EnrolledThisYear", "DangerousHouseNotSolved",
           "require_year", "RegisteredPoor", "AgeCompare", "BIRTH_FIELDS", "exit_note", "Describe",
           "Student", "student"]


def exit_note(h: Household, kept: str) -> str:
    """The household's place in the register, for a reason: ``2017 年已脱贫，{kept}`` for an
    exited household (its policies continue: 脱贫不脱政策), ``返贫户``, or nothing."""
    if h.poverty_status == "exited":
        year = f"{h.exit_year} 年" if h.exit_year is not None else ""
        return f"{year}已脱贫，{kept}"
    return "返贫户" if h.poverty_status == "returned" else ""


@dataclass(frozen=True)
class RegisteredPoor(Condition):
    """建档立卡 as recorded. A household that has exited poverty stays in the register and keeps
    its policies (脱贫不脱政策); the reason says so, so a cadre can explain why an exited household
    still receives a measure."""

    label: str = "建档立卡贫困户"
    kept: str = "脱贫不脱政策"

    def check(self, s: Subject) -> Outcome:
        value = s.value("registered_poor")
        if value is None:
            return missing_outcome(s, "registered_poor")
        if not value:
            return Outcome(False, f"非{self.label}")
        note = exit_note(s.household, self.kept)
        return Outcome(True, f"{self.label}（{note}）" if note else self.label)

    def holds(self, s: Subject) -> bool | None:
        value = s.value("registered_poor")
        return None if value is None else bool(value)

    def columns(self, t: Table) -> tuple[Bools, Bools]:
        col = t.col("registered_poor")
        return col == 1.0, np.isnan(col)


@dataclass(frozen=True)
class Describe(Condition):
    """Always holds; adds the sentence ``texts[value]`` for the field's recorded value (``unknown``
    when not recorded). It never blocks a decision: it tells the cadre what is already done and
    what is still to do (e.g. "尚未参保：由社保经办机构办理参保缴费手续")."""

    name: str
    texts: Mapping[object, str]
    unknown: str = ""

    def check(self, s: Subject) -> Outcome:
        value = s.value(self.name)
        return Outcome(True, self.unknown if value is None else self.texts.get(value, ""))

    def holds(self, s: Subject) -> bool | None:
        return True

    def columns(self, t: Table) -> tuple[Bools, Bools]:
        return np.ones(t.n, dtype=bool), np.zeros(t.n, dtype=bool)


@dataclass(frozen=True)
class Student(Condition):
    """Candidate selection (``applies``) for a school-stage rule: members at one of ``stages``, and
    members with a school record whose stage is not recorded, so that the rule's own stage
    condition says ``missing_data`` naming ``school.stage`` instead of leaving the student out.
    Members without a school record are not candidates."""

    stages: tuple[str, ...]

    def holds(self, s: Subject) -> bool | None:
        stage = s.value("school.stage")
        return stage in self.stages if stage is not None else s.value("has_school") is True

    def check(self, s: Subject) -> Outcome:
        return Outcome(self.holds(s), "")

    def columns(self, t: Table) -> tuple[Bools, Bools]:
        stage = t.col("school.stage")
        at = np.isin(stage, [t.code("school.stage", v) for v in self.stages])
        return at | (np.isnan(stage) & (t.col("has_school") == 1.0)), np.zeros(t.n, dtype=bool)


def student(*stages: str) -> Student:
    return Student(stages)


BIRTH_FIELDS = ("birth_year", "birth_month", "birth_day")


@dataclass(frozen=True)
class AgeCompare(Condition):
    """The member's whole years of age on the policy date (a birthday on that date counts; a
    29 February birthday counts on 1 March in other years) is ``at_least`` (or below) the age
    parameter ``param``; ``yes``/``no`` may use ``{age}`` and ``{limit}``."""

    param: str
    at_least: bool
    yes: str
    no: str
    params: tuple[str, ...] = field(init=False, default=())

    def __post_init__(self) -> None:
        object.__setattr__(self, "params", (self.param,))

    def check(self, s: Subject) -> Outcome:
        assert s.member is not None
        age = s.member.age_on(s.params.on)
        if age is None:
            return missing_outcome(s, "birth_year")
        try:
            limit = int(s.params.number(self.param))
        except MissingParam:
            return missing_param_outcome(s.params, self.param)
        holds = (age >= limit) == self.at_least
        if age < 0:
            return Outcome(holds, "判断日尚未出生")
        return Outcome(holds, (self.yes if holds else self.no).format(age=age, limit=limit))

    def columns(self, t: Table) -> tuple[Bools, Bools]:
        year, month, day = (t.col(name) for name in BIRTH_FIELDS)
        unknown = np.isnan(year)
        try:
            limit = float(int(t.params.number(self.param)))
        except MissingParam:
            return np.zeros(t.n, dtype=bool), np.ones(t.n, dtype=bool)
        on = t.on
        later = (month > on.month) | ((month == on.month) & (day > on.day))
        age = on.year - year - later.astype(float)
        with np.errstate(invalid="ignore"):
            ok = (age >= limit) == self.at_least
        return ok & ~unknown, unknown


@dataclass(frozen=True)
class EconomicallyDifficult(Condition):
    """家庭经济困难 as the contract defines it: as recorded, else implied by 建档立卡/低保/特困
    (the reason says which), else unknown."""

    def check(self, s: Subject) -> Outcome:
        value = s.value("economically_difficult")
        if value is None:
            return missing_outcome(s, "economically_difficult")
        if not value:
            return Outcome(False, "家庭登记为经济不困难")
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
        status = s.value("relocation.status")
        if status in ("planned", "building"):
            return Outcome(True, f"住房为 {grade} 级危房，尚未改造；已纳入易地扶贫搬迁"
                                 f"（{zh(status)}），搬迁入住前住房仍不安全")
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
