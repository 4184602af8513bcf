"""A household's net income for the last full years (income records 2015–2017), split into wage,
production, transfer and property income, and each member's own share of it. The four parts add
up exactly to the total; the per-capita figure is the total over the active members."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from . import rates as R
from .draw import Draw, yuan
from .members import MemberDraft

__all__ = ["income_records", "assign_member_incomes"]

_ZERO = Decimal("0.00")


def _shares(draw: Draw, working: bool, assisted: bool) -> tuple[float, float, float]:
    """Shares of (wage, transfer, property) income; production takes the rest."""
    wage = draw.uniform(0.55, 0.75) if working else 0.0
    transfer = draw.uniform(0.05, 0.15) + (0.25 if assisted else 0.0)
    prop = draw.uniform(0.0, 0.03)
    spare = 1.0 - 0.05  # production income keeps at least 5 %
    scale = min(1.0, spare / (wage + transfer + prop))
    return wage * scale, transfer * scale, prop * scale


def income_records(
    draw: Draw, per_capita_2017: float, people: int, working: bool, assisted: bool,
    county_code: str,
) -> list[dict[str, Any]]:
    """Records for ``R.INCOME_YEARS``, oldest first; incomes grow year on year."""
    wage_s, transfer_s, prop_s = _shares(draw, working, assisted)
    records: list[dict[str, Any]] = []
    per_capita = per_capita_2017
    for year in reversed(R.INCOME_YEARS):
        total = yuan(per_capita * people)
        wage, transfer, prop = yuan(float(total) * wage_s), yuan(float(total) * transfer_s), \
            yuan(float(total) * prop_s)
        records.append({
            "version": 1, "county_code": county_code, "year": year,
            "total_net_income_yuan": total,
            "per_capita_net_income_yuan": yuan(float(total) / people),
            "wage_income_yuan": wage, "production_income_yuan": total - wage - transfer - prop,
            "transfer_income_yuan": transfer, "property_income_yuan": prop,
        })
        per_capita /= draw.uniform(*R.INCOME_GROWTH)
    records.reverse()
    return records


def assign_member_incomes(draw: Draw, members: list[MemberDraft], wage_total: Decimal) -> None:
    """Each active member's own annual income: a share of the wages for those in work (by kind
    of work), a little farm or transfer income for other adults, nothing for children and
    students."""
    weights = [
        R.WAGE_WEIGHT.get(m.row["employment"], 0.0) if m.row["active"] else 0.0 for m in members
    ]
    total_weight = sum(weights)
    low, high = R.OWN_INCOME_IDLE_ADULT
    for m, weight in zip(members, weights, strict=True):
        row = m.row
        if weight:
            row["annual_income_yuan"] = yuan(float(wage_total) * weight / total_weight)
        elif m.age < 16 or row["school_stage"] != "none":
            row["annual_income_yuan"] = _ZERO
        else:
            row["annual_income_yuan"] = yuan(draw.between(low // 100, high // 100) * 100)
