"""A person's schooling as at the reference date: the stage follows from the age (primary from 6,
junior secondary from 12, senior or vocational from 15, college from 18), with enrolment year,
boarding, school type, fee and days attended; and the few compulsory-age children out of school."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from . import rates as R
from .draw import Draw, yuan

__all__ = ["schooling", "NOT_IN_SCHOOL"]

NOT_IN_SCHOOL: dict[str, Any] = {
    "school_stage": "none", "school_boarding": None, "school_public": None,
    "school_key_school": None, "school_enrolled_year": None, "school_fee_yuan": None,
    "school_days": None, "out_of_school": False,
}
_ZERO = Decimal("0.00")


def _stage(draw: Draw, age: int) -> str | None:
    """The stage, "out" for a compulsory-age child not enrolled, or None for no school."""
    if 3 <= age <= 5:
        return "preschool" if draw.chance(R.PRESCHOOL_ENROLLED) else None
    if 6 <= age <= 14:
        if draw.chance(R.OUT_OF_SCHOOL):
            return "out"
        return "primary" if age <= 11 else "junior"
    if 15 <= age <= 17:
        if not draw.chance(R.SENIOR_ENROLLED):
            return None
        return "vocational" if draw.chance(R.VOCATIONAL_SHARE) else "senior"
    if 18 <= age <= 21 and draw.chance(R.COLLEGE_ENROLLED):
        return "college"
    return None


def _fee(draw: Draw, stage: str, public: bool, key: bool | None) -> Decimal:
    if stage == "preschool":
        return yuan(draw.choice(R.PRESCHOOL_FEES[public]))
    if stage == "senior":
        return yuan(draw.choice(R.SENIOR_FEES[bool(key)]))
    if stage == "vocational":
        return yuan(R.VOCATIONAL_FEE)
    if stage == "college":
        return yuan(draw.choice(R.COLLEGE_FEES))
    return _ZERO  # compulsory schooling charges no tuition ("三免")


def _days(draw: Draw) -> int:
    if draw.chance(R.SCHOOL_DAYS_LOW):
        return draw.between(60, 150)
    return draw.between(*R.SCHOOL_DAYS)


def schooling(draw: Draw, age: int) -> dict[str, Any]:
    """The ``school_*`` and ``out_of_school`` fields of a member aged ``age``."""
    stage = _stage(draw, age)
    if stage is None:
        return NOT_IN_SCHOOL
    if stage == "out":
        return {**NOT_IN_SCHOOL, "out_of_school": True}
    public = draw.chance(R.PUBLIC[stage])
    key = draw.chance(R.KEY_SCHOOL) if stage == "senior" else None
    return {
        "school_stage": stage,
        "school_boarding": draw.chance(R.BOARDING[stage]),
        "school_public": public,
        "school_key_school": key,
        "school_enrolled_year": R.POLICY_YEAR - (age - R.STAGE_START_AGE[stage]),
        "school_fee_yuan": _fee(draw, stage, public, key),
        "school_days": _days(draw),
        "out_of_school": False,
    }
