"""Disabilities, chronic illness and the year's hospital stays of one person. Costs are consistent:
the out-of-catalogue part and the reimbursement never exceed the total (reimbursement covers at
most the in-catalogue part), and out-of-catalogue shares stay within Bazhong's caps except for a
few stays that exceed them (MED-BZ-18), so the hospital-absorbs and top-up rules have work."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from . import rates as R
from .draw import Draw, Table, yuan

__all__ = ["disability", "conditions", "hospital_stays", "age_rate"]

_GRADES = Table(R.DISABILITY_GRADES)
_CONDITIONS = Table(R.CONDITIONS)
_STAYS = Table(R.STAYS_PER_PATIENT)
_LEVELS = Table(R.LEVELS)
_YEAR_START = dt.date(R.POLICY_YEAR, 1, 2)
_YEAR_LAST = R.REFERENCE_DATE - dt.timedelta(days=1)


def age_rate(bands: tuple[tuple[int, float], ...], age: int) -> float:
    """The rate of the first band whose upper age bound is above ``age``."""
    for below, rate in bands:
        if age < below:
            return rate
    return bands[-1][1]


def disability(draw: Draw, age: int) -> int | None:
    """Disability certificate grade 1–4, or None for none."""
    return _GRADES.pick(draw.rng) if draw.chance(age_rate(R.DISABILITY_BY_AGE, age)) else None


def conditions(draw: Draw, age: int) -> list[str]:
    """Chronic conditions (empty for none)."""
    if not draw.chance(age_rate(R.CHRONIC_BY_AGE, age)):
        return []
    first = _CONDITIONS.pick(draw.rng)
    if draw.chance(R.SECOND_CONDITION):
        second = _CONDITIONS.pick(draw.rng)
        if second != first:
            return [first, second]
    return [first]


def hospital_stays(
    draw: Draw, age: int, sex: str, chronic: list[str], county_code: str
) -> list[dict[str, Any]]:
    """This year's inpatient stays and chronic outpatient episodes (rows without ids)."""
    stays: list[dict[str, Any]] = []
    rate = age_rate(R.INPATIENT_BY_AGE, age) + (R.INPATIENT_CHRONIC_BONUS if chronic else 0.0)
    if draw.chance(rate):
        for _ in range(_STAYS.pick(draw.rng)):
            stays.append(_inpatient(draw, county_code, _diagnosis(draw, chronic)))
    if sex == "F" and 20 <= age <= 38 and draw.chance(R.DELIVERY):
        stays.append(_inpatient(draw, county_code, "住院分娩", level="county"))
    if chronic and draw.chance(R.CHRONIC_OUTPATIENT):
        for _ in range(draw.between(*R.OUTPATIENT_EPISODES)):
            stays.append(_outpatient(draw, chronic))
    return stays


def _diagnosis(draw: Draw, chronic: list[str]) -> str:
    if draw.chance(R.MAJOR_SHARE):
        return draw.choice(R.MAJOR_DIAGNOSES)
    if chronic and draw.chance(0.5):
        return draw.choice(chronic)
    return draw.choice(R.DIAGNOSES)


def _in_county(draw: Draw, level: str, county_code: str) -> bool:
    if level == "township":
        return True
    if level == "county":
        return draw.chance(R.COUNTY_HOSPITAL_IN_COUNTY)
    # the city's hospitals stand in 巴州区, the city seat; Chongqing's are outside 开州区
    return level == "city" and county_code == "511902"


def _inpatient(
    draw: Draw, county_code: str, diagnosis: str, level: str | None = None
) -> dict[str, Any]:
    level = level or _LEVELS.pick(draw.rng)
    in_county = _in_county(draw, level, county_code)
    total = draw.lognormal(R.COST_MEDIAN[level], R.COST_SIGMA)
    if diagnosis in R.MAJOR_DIAGNOSES:
        total *= R.MAJOR_DISEASE_FACTOR
    cap = R.CATALOG_CAP[level]
    share = draw.uniform(cap, cap + 0.12) if draw.chance(R.OVER_CAP) else draw.uniform(0.0, cap)
    band = R.REIMBURSED_IN_COUNTY if in_county else R.REIMBURSED_OUT_OF_COUNTY
    return _stay(draw, "inpatient", level, in_county, diagnosis, total, share, band)


def _outpatient(draw: Draw, chronic: list[str]) -> dict[str, Any]:
    level = "township" if draw.chance(0.6) else "county"
    total = draw.lognormal(R.OUTPATIENT_COST_MEDIAN, R.COST_SIGMA)
    share = draw.uniform(0.0, 0.05)
    diagnosis = draw.choice(chronic)
    return _stay(draw, "chronic_outpatient", level, True, diagnosis, total, share,
                 R.REIMBURSED_OUTPATIENT)


def _stay(
    draw: Draw, kind: str, level: str, in_county: bool, diagnosis: str, total: float,
    out_share: float, band: tuple[float, float],
) -> dict[str, Any]:
    total_y = yuan(max(total, 50.0))
    outside = min(yuan(float(total_y) * out_share), total_y)
    reimbursed: Decimal | None = None
    if not draw.chance(R.UNSETTLED):
        reimbursed = min(yuan(float(total_y - outside) * draw.uniform(*band)), total_y - outside)
    return {
        "kind": kind,
        "admitted_on": draw.day_in(_YEAR_START, _YEAR_LAST),
        "in_county": in_county,
        "hospital_level": level,
        "public": draw.chance(R.PUBLIC_HOSPITAL[level]),
        "diagnosis": diagnosis,
        "total_cost_yuan": total_y,
        "out_of_catalog_yuan": outside,
        "reimbursed_yuan": reimbursed,
    }
