"""Bazhong's settlement of one hospital stay, in the order contract calc-v1 fixes:

1. the hospital absorbs out-of-catalogue costs above its cap (MED-BZ-18): 5% of the total at an
   in-county public township/county hospital, 10% at a city-level public hospital;
2. the patient's due is the total minus what insurance and assistance paid minus (1);
3. for an in-county inpatient stay or a chronic-outpatient episode the patient's share is capped
   at 10% of the total; the government tops up the excess (MED-BZ-13).

Each function exists twice: for one stay (``Decimal``, raising ``Ineligible``/``MissingInputs``)
and over all stays (numpy, returning masks), and the two are tested against each other.
"""

from __future__ import annotations

from decimal import Decimal

import numpy as np
from numpy.typing import NDArray

from rules.amounts import MissingInputs
from rules.columns import Floats, Table
from rules.decision import INELIGIBLE, MISSING, STATUS_CODES, percent_text, yuan_text
from rules.stays import Ineligible, Steps, need
from rules.shared_conditions import exit_note, require_year
from rules.subject import Subject

__all__ = ["cap_rate", "hospital_absorbs", "patient_due", "cap_rate_columns",
           "absorbs_columns", "common_steps", "require_poor",
           "require_year", "Steps"]

Bools = NDArray[np.bool_]
COUNTY_LEVELS = ("township", "county")


def cap_rate(s: Subject) -> tuple[Decimal, str]:
    """The out-of-catalogue cap for the stay's hospital; ``Ineligible`` when none applies."""
    if s.value("kind") == "chronic_outpatient" and not s.params.flag("hospital_absorbs_outpatient"):
        raise Ineligible("慢性病门诊不适用住院目录外费用控制")
    public, level = need(s, "public", "hospital_level")
    if not public:
        raise Ineligible("非公立医疗机构（民营医院资质未记录），不适用目录外费用控制")
    if level == "city":
        return s.params.number("ooc_cap_rate_city"), "市级公立医疗机构"
    if level not in COUNTY_LEVELS:
        raise Ineligible("省级医疗机构不在本方案目录外费用控制范围内")
    (in_county,) = need(s, "in_county")
    if not in_county:
        raise Ineligible("县域外乡镇/县级医疗机构，不适用 5% 目录外费用控制")
    return s.params.number("ooc_cap_rate_county"), "县域内公立医疗机构"


def hospital_absorbs(s: Subject) -> tuple[Decimal, str]:
    """What the hospital must absorb (0 when no cap applies), and a sentence."""
    try:
        rate, where = cap_rate(s)
    except Ineligible:
        return Decimal(0), ""
    total, ooc = need(s, "total_cost_yuan", "out_of_catalog_yuan")
    assert isinstance(total, Decimal) and isinstance(ooc, Decimal)
    limit = rate * total
    absorbs = max(Decimal(0), ooc - limit)
    text = (f"{where}目录外费用 {yuan_text(ooc)} 元，上限为总费用的 {percent_text(rate)}"
            f"（{yuan_text(limit)} 元），超出 {yuan_text(absorbs)} 元由医院承担")
    return absorbs, text


def patient_due(s: Subject) -> tuple[Decimal, Decimal, Decimal]:
    """(total, patient due after insurance and the hospital's part, the 10% cap in yuan)."""
    absorbs, _ = hospital_absorbs(s)
    total, reimbursed = need(s, "total_cost_yuan", "reimbursed_yuan")
    assert isinstance(total, Decimal) and isinstance(reimbursed, Decimal)
    due = total - reimbursed - absorbs
    return total, due, s.params.number("patient_share_cap_rate") * total


def require_poor(s: Subject) -> str:
    """``Ineligible``/``MissingInputs`` unless registered poor; else a sentence for the reasons
    (an exited household keeps its policies: 脱贫不脱政策)."""
    poor = s.value("registered_poor")
    if poor is None:
        raise MissingInputs((s.path("registered_poor"),), "未记录是否建档立卡贫困户")
    if not poor:
        raise Ineligible("非建档立卡贫困患者")
    note = exit_note(s.household, "脱贫不脱政策")
    return f"建档立卡贫困患者（{note}）" if note else "建档立卡贫困患者"


# -- column path ------------------------------------------------------------------------------

def common_steps(t: Table) -> Steps:
    steps = Steps(t.n)
    poor = t.col("registered_poor")
    steps.missing(np.isnan(poor))
    steps.fail(poor == 0.0)
    year = t.col("admitted_year")
    steps.fail(~np.isnan(year) & (year != float(t.on.year)))
    return steps


def cap_rate_columns(t: Table) -> tuple[Floats, Bools, Bools]:
    """(rate, no cap applies, unknown) per stay, mirroring :func:`cap_rate`."""
    steps = Steps(t.n)
    if not t.params.flag("hospital_absorbs_outpatient"):
        steps.fail(t.col("kind") == t.code("kind", "chronic_outpatient"))
    public, level, in_county = t.col("public"), t.col("hospital_level"), t.col("in_county")
    steps.missing(np.isnan(public) | np.isnan(level))
    steps.fail(public == 0.0)
    city = level == t.code("hospital_level", "city")
    county_level = np.isin(level, [t.code("hospital_level", v) for v in COUNTY_LEVELS])
    steps.fail(~city & ~county_level)
    county_open = steps.open & county_level
    steps.missing(county_level & np.isnan(in_county))
    steps.fail(county_level & (in_county == 0.0))
    status = steps.done()
    rate = np.where(city, float(t.params.number("ooc_cap_rate_city")),
                    np.where(county_open, float(t.params.number("ooc_cap_rate_county")), 0.0))
    return rate, status == STATUS_CODES[INELIGIBLE], status == STATUS_CODES[MISSING]


def absorbs_columns(t: Table) -> tuple[Floats, Bools]:
    """(hospital absorbs, unknown) per stay, mirroring :func:`hospital_absorbs`."""
    rate, no_cap, unknown = cap_rate_columns(t)
    total, ooc = t.col("total_cost_yuan"), t.col("out_of_catalog_yuan")
    applies = ~no_cap & ~unknown
    absorbs = np.where(applies, np.maximum(0.0, np.nan_to_num(ooc) - rate * np.nan_to_num(total)),
                       0.0)
    unknown = unknown | (applies & (np.isnan(total) | np.isnan(ooc)))
    return absorbs, unknown
