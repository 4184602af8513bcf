"""What a rule reads: parameter names found in its conditions, amount and period."""

from __future__ import annotations

from rules.rule import HouseholdRule, MemberRule, Rule

__all__ = ["parameters_of"]


def parameters_of(rule: Rule) -> tuple[str, ...]:
    names: list[str] = [rule.per_param] if rule.per_param else []
    if isinstance(rule, (MemberRule, HouseholdRule)):
        for condition in rule.conditions:
            names += condition.params
        names += rule.amount.params
    names += rule.uses
    return tuple(dict.fromkeys(names))
