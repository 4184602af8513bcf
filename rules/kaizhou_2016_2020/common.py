"""Shared pieces of the Kaizhou pack (重庆市开州区“十三五”脱贫攻坚规划, seed
``003_1b241415224f956a.txt``): the document, citations, the eligibility classes the plan names
without defining (贫困学生, 贫困人口), ages, and small conditions the engine kit lacks.

Every class the plan uses is its own condition (catalog §13.1: "do not infer one class from
another"); where the plan leaves a class undefined, a choice parameter says which recorded flags
make it up.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal

import numpy as np

from rules.shared_conditions import DIFFICULT
from rules.columns import Table
from rules.conditions import AnyOf, Bools, Condition, Is, Outcome, missing_outcome
from rules.decision import Citation, yuan_text
from rules.fields import Field, register
from rules.params import MissingParam
from rules.subject import Subject

__all__ = ["DOCUMENT", "SEED", "cite", "REGISTERED_POOR", "PoorClass", "POOR_STUDENT",
           "POOR_PERSON", "AgeCompare", "ParamNote", "ParamPositive", "stage", "param_missing"]

DOCUMENT = "开州区“十三五”脱贫攻坚规划"
SEED = "003_1b241415224f956a.txt"


def cite(section: str, lines: str) -> Citation:
    return Citation(DOCUMENT, section, SEED, lines)


def param_missing(name: str) -> Outcome:
    return Outcome(None, f"参数 {name} 未设定（规划未给出具体数额，需由本地参数提供）",
                   (f"param:{name}",))


def stage(*stages: str) -> Is:
    return Is("school.stage", stages, yes="{value}在校生", no="不在该学段")


REGISTERED_POOR = Is("registered_poor", (True,), yes="建卡贫困户", no="非建卡贫困户")

CLASSES: Mapping[str, Condition] = {
    "registered_poor": REGISTERED_POOR,
    "registered_poor_dibao_tekun": AnyOf(
        {"registered_poor": "建卡贫困户", "dibao": "低保户", "tekun": "特困供养人员"},
        yes="{value}", no="非建卡贫困户、低保户或特困供养人员"),
    "economically_difficult": DIFFICULT,
}
"""The readings a county can choose for an undefined class (see the ``*_class`` parameters)."""


@dataclass(frozen=True)
class PoorClass(Condition):
    """Membership of a class the plan names but does not define, read through the choice
    parameter ``param`` (one of :data:`CLASSES`); ``label`` prefixes the reason."""

    param: str
    label: str
    params: tuple[str, ...] = field(init=False, default=())

    def __post_init__(self) -> None:
        object.__setattr__(self, "params", (self.param,))

    def _part(self, choice: str) -> Condition:
        return CLASSES[choice]

    def check(self, s: Subject) -> Outcome:
        try:
            part = self._part(s.params.choice(self.param))
        except MissingParam:
            return param_missing(self.param)
        out = part.check(s)
        return Outcome(out.ok, f"{self.label}（{out.reason}）" if out.ok else out.reason,
                       out.missing)

    def columns(self, t: Table) -> tuple[Bools, Bools]:
        try:
            part = self._part(t.params.choice(self.param))
        except MissingParam:
            return np.zeros(t.n, dtype=bool), np.ones(t.n, dtype=bool)
        return part.columns(t)


POOR_STUDENT = PoorClass("poor_student_class", "贫困学生")
POOR_PERSON = PoorClass("poor_person_class", "贫困人口")


# -- ages ----------------------------------------------------------------------------------------

def _birth(part: str) -> Field:
    def get(h: object, m: object, s: object) -> object:
        born = getattr(m, "birth_date", None)
        return None if born is None else Decimal(getattr(born, part))

    return register(Field(f"kz.birth_{part}", "member", "number", "出生日期", get,
                          path="birth_date"))


BIRTH_FIELDS = tuple(_birth(p) for p in ("year", "month", "day"))


@dataclass(frozen=True)
class AgeCompare(Condition):
    """The member's whole years of age on the policy date, ``at_least`` (or below) the age
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
            return missing_outcome(s, "kz.birth_year")
        try:
            limit = int(s.params.number(self.param))
        except MissingParam:
            return param_missing(self.param)
        holds = (age >= limit) == self.at_least
        return Outcome(holds, (self.yes if holds else self.no).format(age=age, limit=limit))

    def columns(self, t: Table) -> tuple[Bools, Bools]:
        year, month, day = (t.col(f.name) for f in BIRTH_FIELDS)
        unknown = np.isnan(year)
        try:
            limit = float(t.params.number(self.param))
        except MissingParam:
            return np.zeros(t.n, dtype=bool), np.ones(t.n, dtype=bool)
        on = t.on
        later = (month > on.month) | ((month == on.month) & (day > on.day))
        age = on.year - year - later.astype(float)
        with np.errstate(invalid="ignore"):
            ok = (age >= limit) == self.at_least
        return ok & ~unknown, unknown


# -- parameters quoted in reasons ------------------------------------------------------------------

@dataclass(frozen=True)
class ParamNote(Condition):
    """Always holds once the parameters ``names`` have values; adds ``text`` with ``{0}``,
    ``{1}``, ... (the numbers, in order)."""

    names: tuple[str, ...]
    text: str

    @property
    def params(self) -> tuple[str, ...]:  # type: ignore[override]
        return self.names

    def check(self, s: Subject) -> Outcome:
        try:
            values = [yuan_text(s.params.number(n)) for n in self.names]
        except MissingParam as exc:
            return param_missing(exc.name)
        return Outcome(True, self.text.format(*values))

    def columns(self, t: Table) -> tuple[Bools, Bools]:
        try:
            for name in self.names:
                t.params.number(name)
        except MissingParam:
            return np.zeros(t.n, dtype=bool), np.ones(t.n, dtype=bool)
        return np.ones(t.n, dtype=bool), np.zeros(t.n, dtype=bool)


@dataclass(frozen=True)
class ParamPositive(Condition):
    """Holds when the county has set the parameter above zero (a measure the plan only
    "explores"); zero means the county has not adopted it (reason ``no``)."""

    param: str
    no: str
    params: tuple[str, ...] = field(init=False, default=())

    def __post_init__(self) -> None:
        object.__setattr__(self, "params", (self.param,))

    def check(self, s: Subject) -> Outcome:
        try:
            value = s.params.number(self.param)
        except MissingParam:
            return param_missing(self.param)
        return Outcome(True, "") if value > 0 else Outcome(False, self.no)

    def columns(self, t: Table) -> tuple[Bools, Bools]:
        try:
            value = t.params.number(self.param)
        except MissingParam:
            return np.zeros(t.n, dtype=bool), np.ones(t.n, dtype=bool)
        return np.full(t.n, value > 0), np.zeros(t.n, dtype=bool)
