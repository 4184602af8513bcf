"""Conditions over named fields and parameters, each evaluable two ways: for one subject with a
Chinese reason (:meth:`Condition.check`) and over a column table (:meth:`Condition.columns`,
returning the rows where it holds and the rows where it cannot be told).

Reason templates may use ``{value}`` (the recorded value, in Chinese), ``{limit}`` (the parameter)
and ``{diff}`` (how far the value is from the limit).
"""

from __future__ import annotations

import operator
from abc import ABC, abstractmethod
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

import numpy as np
from numpy.typing import NDArray

from rules.columns import Table
from rules.decision import percent_text, yuan_text
from rules.fields import field as lookup_field
from rules.fields import zh
from rules.params import MissingParam, ParamView
from rules.subject import Subject

__all__ = ["Outcome", "Condition", "Always", "Info", "Is", "AnyOf", "AllOf", "Not", "Compare", "When",
           "Bools", "missing_outcome", "missing_param_outcome", "param_reason"]

Bools = NDArray[np.bool_]


@dataclass(frozen=True, slots=True)
class Outcome:
    ok: bool | None
    """True: holds; False: fails; None: cannot be told (see ``missing``)."""
    reason: str
    missing: tuple[str, ...] = ()


def missing_outcome(s: Subject, name: str) -> Outcome:
    return Outcome(None, f"未记录{lookup_field(name).label}", (s.path(name),))


def param_reason(params: ParamView, names: Sequence[str]) -> str:
    """Why parameters have no value on the policy date: open in the documents (the county must
    supply them), or dated later than ``--on`` (e.g. a pack whose figures start in 2018)."""
    shown = "、".join(names)
    starts = [p.values[0][0] for n in names
              if (p := params.parameters.get(n)) is not None and p.values]
    if starts and len(starts) == len(names):
        return (f"参数 {shown} 在 {params.on.isoformat()} 尚无数值（自 {min(starts).isoformat()}"
                f" 起才有数值，此前需由本地参数提供）")
    return f"参数 {shown} 未设定（文件未给出具体数额，需由本地参数提供）"


def missing_param_outcome(params: ParamView, name: str) -> Outcome:
    return Outcome(None, param_reason(params, (name,)), (f"param:{name}",))


class Condition(ABC):
    params: tuple[str, ...] = ()

    @abstractmethod
    def check(self, s: Subject) -> Outcome: ...

    def holds(self, s: Subject) -> bool | None:
        """Only the verdict, without composing a reason (fast path for candidate selection)."""
        return self.check(s).ok

    @abstractmethod
    def columns(self, t: Table) -> tuple[Bools, Bools]: ...


@dataclass(frozen=True)
class Always(Condition):
    """Holds for every row (e.g. a rule that considers every member)."""

    reason: str = ""

    def check(self, s: Subject) -> Outcome:
        return Outcome(True, self.reason)

    def holds(self, s: Subject) -> bool | None:
        return True

    def columns(self, t: Table) -> tuple[Bools, Bools]:
        return np.ones(t.n, dtype=bool), np.zeros(t.n, dtype=bool)


@dataclass(frozen=True)
class Info(Condition):
    """Always holds; adds a sentence quoting a rate parameter (``{rate}`` as a percentage)."""

    param: str
    text: str

    @property
    def params(self) -> tuple[str, ...]:  # type: ignore[override]
        return (self.param,)

    def check(self, s: Subject) -> Outcome:
        try:
            return Outcome(True, self.text.format(rate=percent_text(s.params.number(self.param))))
        except MissingParam:
            return missing_param_outcome(s.params, self.param)

    def columns(self, t: Table) -> tuple[Bools, Bools]:
        try:
            t.params.number(self.param)
        except MissingParam:
            return np.zeros(t.n, dtype=bool), np.ones(t.n, dtype=bool)
        return np.ones(t.n, dtype=bool), np.zeros(t.n, dtype=bool)


@dataclass(frozen=True)
class Is(Condition):
    """The field's value is one of ``values`` (``True`` for a yes/no field)."""

    name: str
    values: tuple[object, ...]
    yes: str
    no: str

    def holds(self, s: Subject) -> bool | None:
        value = s.value(self.name)
        return None if value is None else value in self.values

    def check(self, s: Subject) -> Outcome:
        value = s.value(self.name)
        if value is None:
            return missing_outcome(s, self.name)
        holds = value in self.values
        return Outcome(holds, (self.yes if holds else self.no).format(value=zh(value)))

    def columns(self, t: Table) -> tuple[Bools, Bools]:
        col = t.col(self.name)
        codes = [t.code(self.name, v) for v in self.values]
        return np.isin(col, codes), np.isnan(col)


@dataclass(frozen=True)
class AnyOf(Condition):
    """At least one of several yes/no fields is yes; ``labels`` name each for the reason."""

    labels: Mapping[str, str]
    yes: str
    no: str

    def check(self, s: Subject) -> Outcome:
        unknown: list[str] = []
        for name, label in self.labels.items():
            value = s.value(name)
            if value is True:
                return Outcome(True, self.yes.format(value=label))
            if value is None:
                unknown.append(name)
        if unknown:
            labels = "、".join(lookup_field(n).label for n in unknown)
            return Outcome(None, f"未记录{labels}", tuple(s.path(n) for n in unknown))
        return Outcome(False, self.no)

    def columns(self, t: Table) -> tuple[Bools, Bools]:
        cols = [t.col(n) for n in self.labels]
        ok = np.logical_or.reduce([c == 1.0 for c in cols])
        unknown = np.logical_or.reduce([np.isnan(c) for c in cols])
        return ok, unknown & ~ok


@dataclass(frozen=True)
class AllOf(Condition):
    parts: tuple[Condition, ...]

    @property
    def params(self) -> tuple[str, ...]:  # type: ignore[override]
        return tuple(p for c in self.parts for p in c.params)

    def check(self, s: Subject) -> Outcome:
        outs = [c.check(s) for c in self.parts]
        failed = [o for o in outs if o.ok is False]
        if failed:
            return Outcome(False, "，".join(o.reason for o in failed if o.reason))
        unknown = [o for o in outs if o.ok is None]
        if unknown:
            return Outcome(None, "，".join(o.reason for o in unknown),
                           tuple(m for o in unknown for m in o.missing))
        return Outcome(True, "，".join(o.reason for o in outs if o.reason))

    def columns(self, t: Table) -> tuple[Bools, Bools]:
        ok = np.ones(t.n, dtype=bool)
        failed = np.zeros(t.n, dtype=bool)
        unknown = np.zeros(t.n, dtype=bool)
        for part in self.parts:
            p_ok, p_unknown = part.columns(t)
            ok &= p_ok
            failed |= ~p_ok & ~p_unknown
            unknown |= p_unknown
        return ok, unknown & ~failed


@dataclass(frozen=True)
class Not(Condition):
    """Holds when ``part`` fails; ``yes``/``no`` replace the part's reasons."""

    part: Condition
    yes: str
    no: str

    @property
    def params(self) -> tuple[str, ...]:  # type: ignore[override]
        return self.part.params

    def check(self, s: Subject) -> Outcome:
        out = self.part.check(s)
        if out.ok is None:
            return out
        return Outcome(not out.ok, self.no if out.ok else self.yes)

    def columns(self, t: Table) -> tuple[Bools, Bools]:
        ok, unknown = self.part.columns(t)
        return ~ok & ~unknown, unknown


_OPS: dict[str, Callable[[object, object], bool]] = {
    "<": operator.lt, "<=": operator.le, ">": operator.gt, ">=": operator.ge}


@dataclass(frozen=True)
class Compare(Condition):
    """``field OP parameter``, e.g. income ``<`` the poverty line; reasons can say by how much."""

    name: str
    op: str
    param: str
    yes: str
    no: str
    params: tuple[str, ...] = field(init=False, default=())

    def __post_init__(self) -> None:
        object.__setattr__(self, "params", (self.param,))

    def check(self, s: Subject) -> Outcome:
        value = s.value(self.name)
        if value is None:
            return missing_outcome(s, self.name)
        try:
            limit = s.params.number(self.param)
        except MissingParam:
            return missing_param_outcome(s.params, self.param)
        assert isinstance(value, Decimal)
        holds = _OPS[self.op](value, limit)
        text = (self.yes if holds else self.no).format(
            value=yuan_text(value), limit=yuan_text(limit), diff=yuan_text(abs(value - limit)))
        return Outcome(holds, text)

    def columns(self, t: Table) -> tuple[Bools, Bools]:
        col = t.col(self.name)
        try:
            limit = float(t.params.number(self.param))
        except MissingParam:
            return np.zeros(t.n, dtype=bool), np.ones(t.n, dtype=bool)
        with np.errstate(invalid="ignore"):
            ok = _OPS[self.op](col, limit)
        return np.asarray(ok, dtype=bool) & ~np.isnan(col), np.isnan(col)


@dataclass(frozen=True)
class When(Condition):
    """Applies ``part`` only while the choice parameter ``param`` equals ``value``; otherwise it
    holds without a reason. This is how a pack makes an ambiguous reading a parameter."""

    param: str
    value: str
    part: Condition

    @property
    def params(self) -> tuple[str, ...]:  # type: ignore[override]
        return (self.param, *self.part.params)

    def check(self, s: Subject) -> Outcome:
        try:
            active = s.params.choice(self.param) == self.value
        except MissingParam:
            return missing_param_outcome(s.params, self.param)
        return self.part.check(s) if active else Outcome(True, "")

    def columns(self, t: Table) -> tuple[Bools, Bools]:
        try:
            active = t.params.choice(self.param) == self.value
        except MissingParam:
            return np.zeros(t.n, dtype=bool), np.ones(t.n, dtype=bool)
        if active:
            return self.part.columns(t)
        return np.ones(t.n, dtype=bool), np.zeros(t.n, dtype=bool)
