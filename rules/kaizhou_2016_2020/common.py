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

from rules.columns import Table
from rules.conditions import AnyOf, Bools, Condition, Is, Outcome, missing_param_outcome
from rules.decision import Citation, yuan_text
from rules.params import MissingParam, ParamView
from rules.shared_conditions import DIFFICULT, AgeCompare, RegisteredPoor, exit_note
from rules.subject import Subject

__all__ = ["DOCUMENT", "SEED", "cite", "REGISTERED_POOR", "PoorClass", "POOR_STUDENT",
           "POOR_PERSON", "AgeCompare", "ParamNote", "ParamPositive", "stage", "param_missing"]

DOCUMENT = "开州区“十三五”脱贫攻坚规划"
SEED = "003_1b241415224f956a.txt"


def cite(section: str, lines: str) -> Citation:
    return Citation(DOCUMENT, section, SEED, lines)


def param_missing(params: ParamView, name: str) -> Outcome:
    return missing_param_outcome(params, name)


def stage(*stages: str) -> Is:
    return Is("school.stage", stages, yes="{value}在校生", no="{value}在校生，不属于本项资助学段")


KEPT = "2020 年前继续享受到户到人扶持政策"
"""What an exited household keeps (seed L319: 已脱贫人口从脱贫次年起，到2020年前继续享受到户到人扶持政策)."""
REGISTERED_POOR = RegisteredPoor("建卡贫困户", KEPT)

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
            return param_missing(s.params, self.param)
        out = part.check(s)
        if not out.ok:
            return out
        h = s.household
        note = exit_note(h, KEPT) if h.registered_poor and part is not REGISTERED_POOR else ""
        return Outcome(True, f"{self.label}（{out.reason}{'，' + note if note else ''}）")

    def columns(self, t: Table) -> tuple[Bools, Bools]:
        try:
            part = self._part(t.params.choice(self.param))
        except MissingParam:
            return np.zeros(t.n, dtype=bool), np.ones(t.n, dtype=bool)
        return part.columns(t)


POOR_STUDENT = PoorClass("poor_student_class", "贫困学生")
POOR_PERSON = PoorClass("poor_person_class", "贫困人口")


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
            return param_missing(s.params, exc.name)
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
            return param_missing(s.params, self.param)
        return Outcome(True, "") if value > 0 else Outcome(False, self.no)

    def columns(self, t: Table) -> tuple[Bools, Bools]:
        try:
            value = t.params.number(self.param)
        except MissingParam:
            return np.zeros(t.n, dtype=bool), np.ones(t.n, dtype=bool)
        return np.full(t.n, value > 0), np.zeros(t.n, dtype=bool)
