"""Per-episode rules: one decision per hospital stay of each member (``per: episode``).

A :class:`StayRule` subclass writes :meth:`StayRule.decide_stay` (one stay, with reasons) and, for
the column path, :meth:`StayRule.stay_columns` over the table of all stays."""

from __future__ import annotations

from abc import abstractmethod
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

import numpy as np
from numpy.typing import NDArray

from rules.amounts import MissingInputs
from rules.columns import Columns, Floats, Table
from rules.decision import ELIGIBLE, INELIGIBLE, MISSING, UNDECIDED, Decision
from rules.conditions import param_reason
from rules.fields import field
from rules.params import MissingParam, ParamView
from rules.decision import NOT_CANDIDATE, STATUS_CODES
from rules.rule import ColumnResult, Rule, make_decision
from rules.snapshot import Household
from rules.subject import Subject

__all__ = ["StayRule", "Ineligible", "need", "StayColumns", "Steps"]


class Ineligible(Exception):
    """Raised inside :meth:`StayRule.decide_stay` when a condition fails (message = reason)."""


def need(s: Subject, *names: str) -> tuple[object, ...]:
    """The values of fields a computation needs; all missing ones are reported together."""
    values = tuple(s.value(n) for n in names)
    missing = tuple(s.path(n) for n, v in zip(names, values) if v is None)
    if missing:
        raise MissingInputs(missing, "未记录" + "、".join(
            field(n).label for n, v in zip(names, values) if v is None))
    return values


@dataclass(frozen=True)
class StayColumns:
    """A stay rule's column output before wrapping: status codes and amounts per stay."""

    status: NDArray[np.int8]
    amount: Floats
    candidate: NDArray[np.bool_] | None = None
    """Stays the rule considers (``applies``); ``None`` means all."""


@dataclass(frozen=True, kw_only=True)
class StayRule(Rule):
    per: str = "episode"
    applies: Callable[[Subject], bool] | None = None
    """Single path only: the stays the rule considers (the column path says so through
    ``StayColumns.candidate``); prefer ``candidate_field``, which serves both paths."""
    candidate_field: str | None = None
    """A yes/no stay field: the rule considers only stays where it is recorded true."""
    required: tuple[str, ...] = ()
    """Parameters checked before anything else: while one has no value on ``--on`` (e.g. a date
    before the pack's figures start), every stay the rule considers is ``missing_data`` naming
    them, in both paths."""

    def evaluate(self, household: Household, params: ParamView) -> list[Decision]:
        base = Subject(household, params)
        decisions: list[Decision] = []
        for m_index, member in enumerate(household.members):
            for s_index, stay in enumerate(member.hospital_stays):
                s = base.for_member(m_index, member).for_stay(s_index, stay)
                if self._considers(s):
                    decisions.append(self._decide(s))
        return decisions

    def _considers(self, s: Subject) -> bool:
        if self.candidate_field is not None and s.value(self.candidate_field) is not True:
            return False
        return self.applies is None or self.applies(s)

    def _unset(self, params: ParamView) -> tuple[str, ...]:
        return tuple(n for n in self.required if not _has(params, n))

    def _decide(self, s: Subject) -> Decision:
        index = s.stay_index
        unset = self._unset(s.params)
        try:
            if unset:
                raise MissingInputs(tuple(f"param:{n}" for n in unset),
                                    param_reason(s.params, unset))
            amount, reasons = self.decide_stay(s)
        except MissingParam as exc:
            return make_decision(self, s, MISSING, None, None,
                                 [param_reason(s.params, (exc.name,))], (f"param:{exc.name}",),
                                 names=self.uses, episode=index)
        except Ineligible as exc:
            return make_decision(self, s, INELIGIBLE, Decimal(0), Decimal(0), [str(exc)],
                                 names=self.uses, episode=index)
        except MissingInputs as exc:
            return make_decision(self, s, MISSING, None, None, [exc.reason], exc.missing,
                                 names=self.uses, episode=index)
        return make_decision(self, s, ELIGIBLE, amount, amount, reasons, names=self.uses,
                             episode=index)

    @abstractmethod
    def decide_stay(self, s: Subject) -> tuple[Decimal, list[str]]:
        """The amount for one stay and the reasons; raise :class:`Ineligible` or
        ``MissingInputs``."""

    def stay_columns(self, t: Table) -> StayColumns | None:
        return None

    def columns(self, columns: Columns, params: ParamView) -> ColumnResult | None:
        table = Table(columns, "stay", params)
        if self._unset(params):
            if type(self).stay_columns is StayRule.stay_columns:
                return None
            out: StayColumns | None = StayColumns(
                np.full(table.n, STATUS_CODES[MISSING], dtype=np.int8), np.zeros(table.n))
        else:
            out = self.stay_columns(table)
        if out is None:
            return None
        status = out.status
        if self.candidate_field is not None:
            status = np.where(table.col(self.candidate_field) == 1.0, status, NOT_CANDIDATE)
        if out.candidate is not None:
            status = np.where(out.candidate, status, NOT_CANDIDATE).astype(np.int8)
        status = status.astype(np.int8)
        eligible = status == STATUS_CODES[ELIGIBLE]
        amount = np.where(eligible, out.amount, 0.0)
        return ColumnResult(self.id, "stay", self.payer, status, amount, amount)


def _has(params: ParamView, name: str) -> bool:
    try:
        params.get(name)
    except MissingParam:
        return False
    return True


class Steps:
    """Sequential checks over columns: the first check that fails or lacks data decides a row,
    exactly as the single-stay code raises at its first problem."""

    def __init__(self, n: int) -> None:
        self.status = np.full(n, UNDECIDED, dtype=np.int8)

    @property
    def open(self) -> NDArray[np.bool_]:
        return self.status == UNDECIDED

    def missing(self, mask: NDArray[np.bool_]) -> None:
        self.status[self.open & mask] = STATUS_CODES[MISSING]

    def fail(self, mask: NDArray[np.bool_]) -> None:
        self.status[self.open & mask] = STATUS_CODES[INELIGIBLE]

    def done(self) -> NDArray[np.int8]:
        self.status[self.open] = STATUS_CODES[ELIGIBLE]
        return self.status
