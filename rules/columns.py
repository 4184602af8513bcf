"""Column-wise input: the members (and hospital stays) of many households as numpy columns.

Each field becomes a ``float64`` column built once and cached: booleans 1/0, enums the index of the
value in the field's choices, numbers as floats, and ``NaN`` where the value is not recorded. A
household column is spread over members (and stays) by index, so one rule expression evaluates
every member of every household at once.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

import numpy as np
from numpy.typing import NDArray

from rules.fields import Field, field
from rules.params import ParamView
from rules.snapshot import Household

__all__ = ["Columns", "Table", "encode"]

Floats = NDArray[np.float64]


def encode(f: Field, value: object) -> float:
    if value is None:
        return np.nan
    if f.kind == "bool":
        return 1.0 if value else 0.0
    if f.kind == "enum":
        return float(f.choices.index(str(value))) if value in f.choices else np.nan
    assert isinstance(value, (Decimal, int, float))
    return float(value)


class Columns:
    """The input of a batch: households, their members and stays, flattened in order."""

    def __init__(self, households: Sequence[Household]) -> None:
        self.households = households
        self.member_hh = np.array([h for h, hh in enumerate(households) for _ in hh.members],
                                  dtype=np.int64)
        self.member_pos = np.array([i for hh in households for i in range(len(hh.members))],
                                   dtype=np.int64)
        members = [m for hh in households for m in hh.members]
        self.stay_member = np.array([r for r, m in enumerate(members) for _ in m.hospital_stays],
                                    dtype=np.int64)
        self.stay_pos = np.array([i for m in members for i in range(len(m.hospital_stays))],
                                 dtype=np.int64)
        self._members = members
        self._cache: dict[str, Floats] = {}

    def count(self, level: str) -> int:
        if level == "household":
            return len(self.households)
        return len(self.member_hh) if level == "member" else len(self.stay_member)

    def raw(self, name: str) -> Floats:
        """The field's column at its own level."""
        if name not in self._cache:
            self._cache[name] = self._build(field(name))
        return self._cache[name]

    def _build(self, f: Field) -> Floats:
        if f.level == "household":
            cells = [encode(f, f.get(h, None, None)) for h in self.households]
        elif f.level == "member":
            owners = [self.households[h] for h in self.member_hh]
            cells = [encode(f, f.get(h, m, None)) for h, m in zip(owners, self._members)]
        else:
            cells = [encode(f, f.get(self.households[self.member_hh[r]], self._members[r], s))
                     for r, m in enumerate(self._members) for s in m.hospital_stays]
        return np.array(cells, dtype=np.float64)

    def at(self, name: str, level: str) -> Floats:
        """The field's column spread to ``level`` rows (a household value for each member...)."""
        f = field(name)
        col = self.raw(name)
        if f.level == level:
            return col
        if f.level == "household":
            rows = self.member_hh if level == "member" else self.member_hh[self.stay_member]
            return col[rows]
        if f.level == "member" and level == "stay":
            return col[self.stay_member]
        raise ValueError(f"field {name} ({f.level}) cannot be read per {level}")


@dataclass(frozen=True)
class Table:
    """The rows one rule evaluates (members, stays or households) plus parameters."""

    columns: Columns
    level: str
    params: ParamView

    @property
    def n(self) -> int:
        return self.columns.count(self.level)

    @property
    def on(self) -> dt.date:
        return self.params.on

    def col(self, name: str) -> Floats:
        return self.columns.at(name, self.level)

    def code(self, name: str, value: object) -> float:
        return encode(field(name), value)
