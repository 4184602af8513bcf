"""Rules: a catalog ID, a title, a citation, the candidates it looks at, its conditions and its
amount. :class:`MemberRule` and :class:`HouseholdRule` are declarative (conditions and an amount
expression), so the same definition runs per household with reasons and column-wise over many
households. A rule that does not fit (hospital-stay settlement, ...) subclasses :class:`Rule` and
writes both :meth:`Rule.evaluate` and :meth:`Rule.columns` itself; a test checks they agree."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

import numpy as np
from numpy.typing import NDArray

from rules.amounts import Amount, MissingInputs, Nothing
from rules.columns import Columns, Floats, Table
from rules.conditions import Condition, Outcome, param_reason
from rules.decision import (ELIGIBLE, INELIGIBLE, MISSING, MONTHS_PER_YEAR, NOT_CANDIDATE,
                            STATUS_CODES, Citation, Decision, ParamValue, Status, yuan_text)
from rules.params import MissingParam, ParamView
from rules.snapshot import Household
from rules.subject import Subject

__all__ = ["Rule", "MemberRule", "HouseholdRule", "ColumnResult", "decide", "make_decision",
           "used_parameters", "NOT_CANDIDATE", "STATUS_CODES", "annualise"]

PER_ZH = {"year": "每年", "month": "每月", "day": "每天", "once": "一次性", "episode": "本次"}


@dataclass(frozen=True)
class ColumnResult:
    """One rule over many rows (members, stays or households); ``status`` uses
    :data:`STATUS_CODES`, ``NOT_CANDIDATE`` where the rule did not consider the row."""

    rule_id: str
    level: str
    payer: str
    status: NDArray[np.int8]
    amount: Floats
    annual: Floats


@dataclass(frozen=True, kw_only=True)
class Rule(ABC):
    id: str
    title: str
    measure: str
    citation: Citation
    payer: str = "government"
    per: str = "year"
    per_param: str | None = None
    """A choice parameter giving the period instead of ``per`` (an ambiguous reading)."""
    uses: tuple[str, ...] = ()
    """Parameters read by hand-written code (custom rules and conditions), checked at load."""

    @abstractmethod
    def evaluate(self, household: Household, params: ParamView) -> list[Decision]: ...

    def columns(self, columns: Columns, params: ParamView) -> ColumnResult | None:
        """The column path; ``None`` when the rule has none."""
        return None

    def period(self, params: ParamView) -> str:
        return params.choice(self.per_param) if self.per_param else self.per


def annualise(rule: Rule, s: Subject, value: Decimal, per: str) -> tuple[Decimal, str]:
    """The amount for the policy year and a sentence saying how it was reached."""
    if per == "month":
        annual = value * MONTHS_PER_YEAR
        return annual, f"每月 {yuan_text(value)} 元，全年 {yuan_text(annual)} 元"
    if per == "day":
        days = s.value("school.school_days")
        if days is None:
            raise MissingInputs((s.path("school.school_days"),), "未记录在校天数")
        assert isinstance(days, Decimal)
        annual = value * days
        return annual, f"每天 {yuan_text(value)} 元，在校 {days} 天，共 {yuan_text(annual)} 元"
    return value, f"{PER_ZH[per]} {yuan_text(value)} 元"


def used_parameters(names: Sequence[str], params: ParamView) -> tuple[tuple[str, ParamValue], ...]:
    """The parameters among ``names`` that have a value, with it."""
    return params.values_of(tuple(names))


def make_decision(rule: Rule, s: Subject, status: Status, amount: Decimal | None,
                  annual: Decimal | None, reasons: Sequence[str], missing: Sequence[str] = (),
                  *, per: str | None = None, names: Sequence[str] = (),
                  episode: int | None = None) -> Decision:
    return Decision(
        rule_id=rule.id, measure=rule.measure, title=rule.title,
        member_id=s.member.member_id if s.member else None, status=status, amount_yuan=amount,
        per=per or rule.per, annual_yuan=annual, payer=rule.payer,
        reasons=tuple(dict.fromkeys(r for r in reasons if r)), missing=tuple(dict.fromkeys(missing)),
        citation=rule.citation, parameters=used_parameters(names, s.params), episode=episode)


def decide(rule: Rule, s: Subject, conditions: Sequence[Condition], amount: Amount) -> Decision:
    """Conditions in order; any failure makes it ineligible, any unknown ``missing_data``."""
    names = _names(rule, conditions, amount)
    outs: list[Outcome] = [c.check(s) for c in conditions]
    failed = [o.reason for o in outs if o.ok is False]
    if failed:
        return make_decision(rule, s, INELIGIBLE, Decimal(0), Decimal(0), failed, names=names,
                             per=_safe_period(rule, s.params))
    unknown = [o for o in outs if o.ok is None]
    if unknown:
        return make_decision(rule, s, MISSING, None, None, [o.reason for o in unknown],
                             [m for o in unknown for m in o.missing], names=names,
                             per=_safe_period(rule, s.params))
    try:
        per = rule.period(s.params)
    except MissingParam as exc:
        return make_decision(rule, s, MISSING, None, None, [param_reason(s.params, (exc.name,))],
                             [f"param:{exc.name}"], names=names)
    try:
        value = amount.value(s)
        annual, how = annualise(rule, s, value, per)
    except MissingInputs as exc:
        return make_decision(rule, s, MISSING, None, None, [exc.reason], exc.missing,
                             names=names, per=per)
    reasons = [o.reason for o in outs] + ([] if isinstance(amount, Nothing) else [how])
    return make_decision(rule, s, ELIGIBLE, value, annual, reasons, names=names, per=per)


_NAMES: dict[int, tuple[str, ...]] = {}


def _names(rule: Rule, conditions: Sequence[Condition], amount: Amount) -> tuple[str, ...]:
    """Parameter names a declarative rule reads (computed once per rule object)."""
    key = id(rule)
    if key not in _NAMES:
        names = [p for c in conditions for p in c.params] + list(amount.params)
        names += [rule.per_param] if rule.per_param else []
        _NAMES[key] = tuple(dict.fromkeys(names))
    return _NAMES[key]


def _safe_period(rule: Rule, params: ParamView) -> str:
    try:
        return rule.period(params)
    except MissingParam:
        return rule.per


@dataclass(frozen=True, kw_only=True)
class HouseholdRule(Rule):
    """One decision for the household (``member_id`` null)."""

    conditions: tuple[Condition, ...] = ()
    amount: Amount = field(default_factory=Nothing)

    def evaluate(self, household: Household, params: ParamView) -> list[Decision]:
        return [decide(self, Subject(household, params), self.conditions, self.amount)]

    def columns(self, columns: Columns, params: ParamView) -> ColumnResult | None:
        table = Table(columns, "household", params)
        return _column_result(self, table, np.ones(table.n, dtype=bool), self.conditions,
                              self.amount)


@dataclass(frozen=True, kw_only=True)
class MemberRule(Rule):
    """One decision per member that ``applies`` selects (e.g. members at a school stage)."""

    applies: Condition
    conditions: tuple[Condition, ...] = ()
    amount: Amount = field(default_factory=Nothing)

    def evaluate(self, household: Household, params: ParamView) -> list[Decision]:
        base = Subject(household, params)
        decisions = []
        for index, member in enumerate(household.members):
            s = base.for_member(index, member)
            if self.applies.holds(s) is True:
                decisions.append(decide(self, s, self.conditions, self.amount))
        return decisions

    def columns(self, columns: Columns, params: ParamView) -> ColumnResult | None:
        table = Table(columns, "member", params)
        candidate, _ = self.applies.columns(table)
        return _column_result(self, table, candidate, self.conditions, self.amount)


def _column_result(rule: Rule, t: Table, candidate: NDArray[np.bool_],
                   conditions: Sequence[Condition], amount: Amount) -> ColumnResult:
    failed = np.zeros(t.n, dtype=bool)
    unknown = np.zeros(t.n, dtype=bool)
    for condition in conditions:
        ok, c_unknown = condition.columns(t)
        failed |= ~ok & ~c_unknown
        unknown |= c_unknown
    values, a_unknown = amount.columns(t)
    try:
        per = rule.period(t.params)
        annual, p_unknown = _annual_columns(t, values, per)
    except MissingParam:
        annual, p_unknown = values, np.ones(t.n, dtype=bool)
    unknown |= a_unknown | p_unknown
    status = np.where(failed, STATUS_CODES[INELIGIBLE],
                      np.where(unknown, STATUS_CODES[MISSING], STATUS_CODES[ELIGIBLE]))
    status = np.where(candidate, status, NOT_CANDIDATE).astype(np.int8)
    eligible = status == STATUS_CODES[ELIGIBLE]
    return ColumnResult(rule.id, t.level, rule.payer, status,
                        np.where(eligible, values, 0.0), np.where(eligible, annual, 0.0))


def _annual_columns(t: Table, values: Floats, per: str) -> tuple[Floats, NDArray[np.bool_]]:
    if per == "month":
        return values * MONTHS_PER_YEAR, np.zeros(t.n, dtype=bool)
    if per == "day":
        days = t.col("school.school_days")
        return values * np.nan_to_num(days), np.isnan(days)
    return values, np.zeros(t.n, dtype=bool)
