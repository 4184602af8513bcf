"""Evaluating a pack: one household with reasons (:func:`evaluate`) or many households column-wise
(:func:`evaluate_columns`). Pure and deterministic: same snapshot, pack and date, same result."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal, localcontext

import numpy as np

from rules.assessment import Assessment, assess
from rules.columns import Columns, Floats
from rules.decision import Decision
from rules.pack import Pack
from rules.params import DECIMAL_PRECISION
from rules.rule import STATUS_CODES, ColumnResult
from rules.snapshot import Household

__all__ = ["Result", "evaluate", "evaluate_columns", "ColumnRun"]


@dataclass(frozen=True)
class Result:
    household_id: str
    pack: str
    pack_version: str
    on: dt.date
    decisions: tuple[Decision, ...]
    assessment: Assessment

    @property
    def total(self) -> Decimal:
        return sum((d.pays() for d in self.decisions), Decimal(0))

    def by_measure(self) -> dict[str, Decimal]:
        totals: dict[str, Decimal] = {}
        for d in self.decisions:
            if d.pays():
                totals[d.measure] = totals.get(d.measure, Decimal(0)) + d.pays()
        return totals


def evaluate(household: Household, pack: Pack, on: dt.date) -> Result:
    """Every rule of the pack over the household on ``on`` (the policy year is ``on.year``)."""
    with localcontext() as ctx:
        ctx.prec = DECIMAL_PRECISION
        params = pack.view(on)
        decisions: list[Decision] = []
        for rule in pack.rules:
            decisions.extend(rule.evaluate(household, params))
        return Result(household.household_id, pack.name, pack.version, on, tuple(decisions),
                      assess(household, params))


@dataclass(frozen=True)
class ColumnRun:
    """The column path's output: per rule arrays, and each household's government total."""

    columns: Columns
    results: tuple[ColumnResult, ...]

    def household_totals(self) -> Floats:
        totals = np.zeros(len(self.columns.households))
        eligible = STATUS_CODES["eligible"]
        for r in self.results:
            if r.payer != "government":
                continue
            pays = np.where(r.status == eligible, r.annual, 0.0)
            totals += np.bincount(self._households_of(r.level), weights=pays,
                                  minlength=len(totals))
        return totals

    def _households_of(self, level: str) -> np.ndarray:
        c = self.columns
        if level == "household":
            return np.arange(len(c.households))
        if level == "member":
            return c.member_hh
        return c.member_hh[c.stay_member]


def evaluate_columns(households: Sequence[Household] | Columns, pack: Pack,
                     on: dt.date) -> ColumnRun:
    """Every rule that has a column path, over all members/stays of all households at once."""
    columns = households if isinstance(households, Columns) else Columns(households)
    params = pack.view(on)
    results = [rule.columns(columns, params) for rule in pack.rules]
    return ColumnRun(columns, tuple(r for r in results if r is not None))
