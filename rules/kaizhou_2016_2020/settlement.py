"""Kaizhou's basic resident medical insurance for one inpatient stay of a poor person, as the
plan adjusts it (第七章 第一节, seed L209), on base parameters the plan leaves open.

For a stay with in-policy cost ``P`` (total minus out-of-catalogue) at a hospital level with base
reimbursement rate ``r`` and deductible ``D`` (Chongqing's numbers, open parameters):

* standard reimbursement  = r x max(0, P - D);
* the poor deductible is ``Dp = D x (1 - cut)`` (MED-KZ-02, cut 50%);
* at a district-level hospital inside the district the rate is uplifted to ``rp`` (MED-KZ-01,
  +10%: percentage points or relative, by ``uplift_mode``);
* poor reimbursement = rp x max(0, P - Dp); the difference from the standard splits into the
  MED-KZ-02 part ``r x (max(0, P - Dp) - max(0, P - D))`` and the MED-KZ-01 part
  ``(rp - r) x max(0, P - Dp)``; the stay's in-policy self-pay ``P - poor reimbursement`` feeds
  the critical-illness insurance (MED-KZ-03/04, :mod:`rules.kaizhou_2016_2020.critical`).

Every function exists for one stay (``Decimal``) and over all stays (numpy); a test checks they
agree.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import numpy as np

from rules.amounts import MissingInputs
from rules.columns import Floats, Table
from rules.conditions import Bools, param_reason
from rules.params import MissingParam, ParamView
from rules.snapshot import HOSPITAL_LEVELS
from rules.stays import need
from rules.subject import Subject

__all__ = ["StayBasic", "basic_settlement", "basic_columns", "uplifted", "read_params",
           "LEVEL_PARAMS", "SETTLEMENT_PARAMS", "BasicColumns", "district_hospital"]

DISTRICT_LEVEL = "county"
"""区级医院: for Kaizhou district the contract's ``county`` level is the district level."""
LEVEL_PARAMS = {level: (f"inpatient_base_rate_{level}", f"inpatient_deductible_{level}_yuan")
                for level in HOSPITAL_LEVELS}
GENERAL_PARAMS = ("inpatient_deductible_cut_rate", "inpatient_deductible_cut_scope",
                  "inpatient_rate_uplift", "uplift_mode")
SETTLEMENT_PARAMS = tuple(p for pair in LEVEL_PARAMS.values() for p in pair) + GENERAL_PARAMS
ZERO, ONE = Decimal(0), Decimal(1)


def read_params(params: ParamView, names: tuple[str, ...]) -> dict[str, Decimal | str]:
    """The parameters' values; every open one is reported at once (``MissingInputs``)."""
    found: dict[str, Decimal | str] = {}
    missing: list[str] = []
    for name in names:
        try:
            value = params.get(name)
        except MissingParam:
            missing.append(name)
            continue
        assert not isinstance(value, bool)
        found[name] = value
    if missing:
        raise MissingInputs(tuple(f"param:{n}" for n in missing), param_reason(params, missing))
    return found


def uplifted(base: Decimal, uplift: Decimal, mode: str) -> Decimal:
    """The rate after "+uplift": percentage points or relative, never above 100%."""
    rate = base + uplift if mode == "points" else base * (ONE + uplift)
    return min(ONE, rate)


def district_hospital(s: Subject) -> bool:
    """区域内区级医院: a district-level hospital inside the district."""
    (level,) = need(s, "hospital_level")
    if level != DISTRICT_LEVEL:
        return False
    (in_county,) = need(s, "in_county")
    return bool(in_county)


@dataclass(frozen=True)
class StayBasic:
    policy_cost: Decimal
    rate: Decimal
    deductible: Decimal
    poor_deductible: Decimal
    poor_rate: Decimal

    @property
    def deductible_gain(self) -> Decimal:
        """MED-KZ-02: what the lower deductible adds, at the base rate."""
        p = self.policy_cost
        return self.rate * (max(ZERO, p - self.poor_deductible) - max(ZERO, p - self.deductible))

    @property
    def rate_gain(self) -> Decimal:
        """MED-KZ-01: what the uplifted rate adds above the lower deductible."""
        return (self.poor_rate - self.rate) * max(ZERO, self.policy_cost - self.poor_deductible)

    @property
    def self_pay(self) -> Decimal:
        """In-policy cost the patient still bears after basic insurance (poor terms)."""
        covered = max(ZERO, self.policy_cost - self.poor_deductible)
        return self.policy_cost - self.poor_rate * covered


def basic_settlement(s: Subject, *, with_uplift: bool = True) -> StayBasic:
    """The stay under the poor terms. ``with_uplift=False`` skips the rate uplift (and the data
    it needs) when only the deductible part is wanted."""
    total, ooc, level = need(s, "total_cost_yuan", "out_of_catalog_yuan", "hospital_level")
    assert isinstance(total, Decimal) and isinstance(ooc, Decimal) and isinstance(level, str)
    p = read_params(s.params, LEVEL_PARAMS[level] + GENERAL_PARAMS)
    rate_name, deductible_name = LEVEL_PARAMS[level]
    rate, deductible = _num(p[rate_name]), _num(p[deductible_name])
    scope = p["inpatient_deductible_cut_scope"]
    cut_applies = scope == "all_inpatient" or district_hospital(s)
    cut = _num(p["inpatient_deductible_cut_rate"]) if cut_applies else ZERO
    poor_rate = rate
    if with_uplift and district_hospital(s):
        poor_rate = uplifted(rate, _num(p["inpatient_rate_uplift"]), str(p["uplift_mode"]))
    return StayBasic(max(ZERO, total - ooc), rate, deductible, deductible * (ONE - cut), poor_rate)


def _num(value: Decimal | str) -> Decimal:
    assert isinstance(value, Decimal)
    return value


# -- column path ------------------------------------------------------------------------------

@dataclass(frozen=True)
class BasicColumns:
    policy_cost: Floats
    rate: Floats
    deductible: Floats
    poor_deductible: Floats
    poor_rate: Floats
    district: Bools
    unknown: Bools
    """Rows whose settlement cannot be computed (missing costs, level or parameters)."""

    @property
    def deductible_gain(self) -> Floats:
        p = self.policy_cost
        return self.rate * (np.maximum(0.0, p - self.poor_deductible)
                            - np.maximum(0.0, p - self.deductible))

    @property
    def rate_gain(self) -> Floats:
        covered = np.maximum(0.0, self.policy_cost - self.poor_deductible)
        return (self.poor_rate - self.rate) * covered

    @property
    def self_pay(self) -> Floats:
        return self.policy_cost - self.poor_rate * np.maximum(
            0.0, self.policy_cost - self.poor_deductible)


def _value(params: ParamView, name: str) -> float | str | None:
    try:
        value = params.get(name)
    except MissingParam:
        return None
    return value if isinstance(value, str) else float(value)


def _float(value: float | str | None) -> float:
    assert isinstance(value, float)
    return value


def basic_columns(t: Table, *, with_uplift: bool = True) -> BasicColumns:
    """:func:`basic_settlement` for every stay at once."""
    total, ooc = t.col("total_cost_yuan"), t.col("out_of_catalog_yuan")
    level = t.col("hospital_level")
    in_county = t.col("in_county")
    at_district = level == t.code("hospital_level", DISTRICT_LEVEL)
    district = at_district & (in_county == 1.0)
    unknown = np.isnan(total) | np.isnan(ooc) | np.isnan(level)
    general = {n: _value(t.params, n) for n in GENERAL_PARAMS}
    rate, deductible = np.zeros(t.n), np.zeros(t.n)
    for name, (rate_name, deductible_name) in LEVEL_PARAMS.items():
        rows = level == t.code("hospital_level", name)
        r, d = _value(t.params, rate_name), _value(t.params, deductible_name)
        if r is None or d is None:
            unknown |= rows
            continue
        rate, deductible = np.where(rows, r, rate), np.where(rows, d, deductible)
    if any(v is None for v in general.values()):
        unknown |= np.ones(t.n, dtype=bool)
        return BasicColumns(total, rate, deductible, deductible, rate, district, unknown)
    scope_all = general["inpatient_deductible_cut_scope"] == "all_inpatient"
    needs_district = at_district & (with_uplift or not scope_all)
    unknown |= needs_district & np.isnan(in_county)
    cut = np.where(scope_all | district, _float(general["inpatient_deductible_cut_rate"]), 0.0)
    poor_rate = rate
    if with_uplift:
        up = _float(general["inpatient_rate_uplift"])
        lifted = rate + up if general["uplift_mode"] == "points" else rate * (1.0 + up)
        poor_rate = np.where(district, np.minimum(1.0, lifted), rate)
    policy = np.maximum(0.0, np.nan_to_num(total) - np.nan_to_num(ooc))
    return BasicColumns(policy, rate, deductible, deductible * (1.0 - cut), poor_rate, district,
                        unknown)
