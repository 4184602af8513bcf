"""Amount expressions over parameters and fields, evaluable for one subject (``Decimal``) or over a
column table (``float64``). Every money figure comes from a parameter or from the household's own
record (a fee charged, an income); none is written in rule code."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

import numpy as np

from rules.columns import Floats, Table
from rules.conditions import Bools, param_reason
from rules.fields import field as lookup_field
from rules.params import MissingParam
from rules.subject import Subject

__all__ = ["Amount", "MissingInputs", "Param", "ByValue", "FieldAmount", "Capped", "Gap", "Sum",
           "Product", "Nothing", "ByChoice"]


class MissingInputs(Exception):
    def __init__(self, missing: tuple[str, ...], reason: str) -> None:
        super().__init__(reason)
        self.missing = missing
        self.reason = reason


def _param(s: Subject, name: str) -> Decimal:
    try:
        return s.params.number(name)
    except MissingParam:
        raise MissingInputs((f"param:{name}",), param_reason(s.params, (name,))) from None


def _param_col(t: Table, name: str) -> tuple[Floats, Bools]:
    try:
        value = float(t.params.number(name))
    except MissingParam:
        return np.zeros(t.n), np.ones(t.n, dtype=bool)
    return np.full(t.n, value), np.zeros(t.n, dtype=bool)


class Amount(ABC):
    @property
    @abstractmethod
    def params(self) -> tuple[str, ...]: ...

    @abstractmethod
    def value(self, s: Subject) -> Decimal: ...

    @abstractmethod
    def columns(self, t: Table) -> tuple[Floats, Bools]: ...


@dataclass(frozen=True)
class Param(Amount):
    name: str

    @property
    def params(self) -> tuple[str, ...]:
        return (self.name,)

    def value(self, s: Subject) -> Decimal:
        return _param(s, self.name)

    def columns(self, t: Table) -> tuple[Floats, Bools]:
        return _param_col(t, self.name)


@dataclass(frozen=True)
class Nothing(Amount):
    """No money: a yes/no entitlement, a waiver of a service, a cap or a flag."""

    @property
    def params(self) -> tuple[str, ...]:
        return ()

    def value(self, s: Subject) -> Decimal:
        return Decimal(0)

    def columns(self, t: Table) -> tuple[Floats, Bools]:
        return np.zeros(t.n), np.zeros(t.n, dtype=bool)


@dataclass(frozen=True)
class ByValue(Amount):
    """A parameter chosen by the value of a field (e.g. the rate for the school stage)."""

    name: str
    by: Mapping[object, str]

    @property
    def params(self) -> tuple[str, ...]:
        return tuple(self.by.values())

    def value(self, s: Subject) -> Decimal:
        key = s.value(self.name)
        if key not in self.by:
            raise MissingInputs((s.path(self.name),), f"未记录{lookup_field(self.name).label}")
        return _param(s, self.by[key])

    def columns(self, t: Table) -> tuple[Floats, Bools]:
        col = t.col(self.name)
        out = np.zeros(t.n)
        unknown = np.ones(t.n, dtype=bool)
        for key, param in self.by.items():
            rows = col == t.code(self.name, key)
            values, p_unknown = _param_col(t, param)
            out = np.where(rows, values, out)
            unknown = np.where(rows, p_unknown, unknown)
        return out, unknown


@dataclass(frozen=True)
class FieldAmount(Amount):
    """The household's own figure (a fee actually charged: 据实)."""

    name: str

    @property
    def params(self) -> tuple[str, ...]:
        return ()

    def value(self, s: Subject) -> Decimal:
        value = s.value(self.name)
        if value is None:
            raise MissingInputs((s.path(self.name),), f"未记录{lookup_field(self.name).label}")
        assert isinstance(value, Decimal)
        return value

    def columns(self, t: Table) -> tuple[Floats, Bools]:
        col = t.col(self.name)
        return np.nan_to_num(col), np.isnan(col)


@dataclass(frozen=True)
class Capped(Amount):
    """The smaller of ``amount`` and ``cap``; an unknown cap leaves the amount as it is when
    ``cap_optional`` (a fee not recorded does not block a fixed reduction)."""

    amount: Amount
    cap: Amount
    cap_optional: bool = False

    @property
    def params(self) -> tuple[str, ...]:
        return self.amount.params + self.cap.params

    def value(self, s: Subject) -> Decimal:
        base = self.amount.value(s)
        try:
            return min(base, self.cap.value(s))
        except MissingInputs:
            if self.cap_optional:
                return base
            raise

    def columns(self, t: Table) -> tuple[Floats, Bools]:
        base, b_unknown = self.amount.columns(t)
        cap, c_unknown = self.cap.columns(t)
        if self.cap_optional:
            return np.where(c_unknown, base, np.minimum(base, cap)), b_unknown
        return np.minimum(base, cap), b_unknown | c_unknown


@dataclass(frozen=True)
class Gap(Amount):
    """``parameter - field``, never below zero (e.g. poverty line minus a person's income)."""

    param: str
    name: str

    @property
    def params(self) -> tuple[str, ...]:
        return (self.param,)

    def value(self, s: Subject) -> Decimal:
        limit = _param(s, self.param)
        return max(Decimal(0), limit - FieldAmount(self.name).value(s))

    def columns(self, t: Table) -> tuple[Floats, Bools]:
        limit, l_unknown = _param_col(t, self.param)
        value, v_unknown = FieldAmount(self.name).columns(t)
        return np.maximum(0.0, limit - value), l_unknown | v_unknown


@dataclass(frozen=True)
class Sum(Amount):
    parts: tuple[Amount, ...]

    @property
    def params(self) -> tuple[str, ...]:
        return tuple(p for a in self.parts for p in a.params)

    def value(self, s: Subject) -> Decimal:
        return sum((a.value(s) for a in self.parts), Decimal(0))

    def columns(self, t: Table) -> tuple[Floats, Bools]:
        total, unknown = np.zeros(t.n), np.zeros(t.n, dtype=bool)
        for part in self.parts:
            values, p_unknown = part.columns(t)
            total, unknown = total + values, unknown | p_unknown
        return total, unknown


@dataclass(frozen=True)
class Product(Amount):
    """``rate parameter x field`` (e.g. 70% of the build cost)."""

    param: str
    name: str

    @property
    def params(self) -> tuple[str, ...]:
        return (self.param,)

    def value(self, s: Subject) -> Decimal:
        return _param(s, self.param) * FieldAmount(self.name).value(s)

    def columns(self, t: Table) -> tuple[Floats, Bools]:
        rate, r_unknown = _param_col(t, self.param)
        value, v_unknown = FieldAmount(self.name).columns(t)
        return rate * value, r_unknown | v_unknown


@dataclass(frozen=True)
class ByChoice(Amount):
    """The amount expression selected by a choice parameter (an ambiguous reading)."""

    param: str
    options: Mapping[str, Amount]

    @property
    def params(self) -> tuple[str, ...]:
        return (self.param, *(p for a in self.options.values() for p in a.params))

    def _pick(self, params: object) -> Amount:
        from rules.params import ParamView

        assert isinstance(params, ParamView)
        try:
            return self.options[params.choice(self.param)]
        except MissingParam:
            raise MissingInputs((f"param:{self.param}",), param_reason(params, (self.param,))) from None

    def value(self, s: Subject) -> Decimal:
        return self._pick(s.params).value(s)

    def columns(self, t: Table) -> tuple[Floats, Bools]:
        try:
            return self._pick(t.params).columns(t)
        except MissingInputs:
            return np.zeros(t.n), np.ones(t.n, dtype=bool)
