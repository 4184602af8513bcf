"""One member's record: identity (a resident ID that agrees with birth date, sex and birthplace),
schooling, health, labour, work and insurance. Incomes are filled in by the household, which
knows the household's total."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from . import health
from . import rates as R
from .draw import Draw, Table
from .identity import IdNumbers
from .people import Person
from .schooling import schooling

__all__ = ["MemberDraft", "draft_member"]

_LABOR_WORKING = Table(R.LABOR_WORKING_AGE)
_LABOR_YOUNG_OLD = Table(R.LABOR_YOUNG_OLD)
_LABOR_OLD = Table(R.LABOR_OLD)
_WORK_ABLE = Table(R.EMPLOYMENT_ABLE)
_WORK_WEAK = Table(R.EMPLOYMENT_WEAK)


@dataclass(slots=True)
class MemberDraft:
    """A member's row (``row``, keyed by column) and the stays that go with it."""

    row: dict[str, Any]
    age: int
    stays: list[dict[str, Any]] = field(default_factory=list)


def draft_member(
    draw: Draw, ids: IdNumbers, person: Person, index: int, county_code: str,
    birthplaces: tuple[str, ...],
) -> MemberDraft:
    born = draw.birth_date(person.age, R.REFERENCE_DATE)
    id_number = _id_number(draw, ids, person, born, county_code, birthplaces)
    school = schooling(draw, person.age)
    grade = health.disability(draw, person.age)
    chronic = health.conditions(draw, person.age)
    student = school["school_stage"] != "none"
    labor = _labor(draw, person.age, student, grade, bool(chronic))
    row = {
        "version": 1, "county_code": county_code, "member_key": f"m{index}",
        "name": person.name, "id_number": id_number,
        "id_last4": id_number[-4:] if id_number else None, "sex": person.sex,
        "birth_date": born, "relation": person.relation, **school,
        "disability_grade": grade, "chronic_conditions": chronic, "annual_income_yuan": None,
        **_insurance(draw, person.age, student), "labor": labor,
        "employment": _employment(draw, labor), "active": _active(draw, person),
    }
    stays = health.hospital_stays(draw, person.age, person.sex, chronic, county_code)
    return MemberDraft(row, person.age, stays)


def _id_number(
    draw: Draw, ids: IdNumbers, person: Person, born: dt.date, county_code: str,
    birthplaces: tuple[str, ...],
) -> str | None:
    if person.age == 0 and draw.chance(R.INFANT_WITHOUT_ID):
        return None
    area = county_code
    married_in = person.relation in ("spouse", "other", "parent")
    if married_in and birthplaces and draw.chance(R.OTHER_BIRTHPLACE):
        area = draw.choice(birthplaces)
    return ids.issue(area, born, person.sex)


def _labor(draw: Draw, age: int, student: bool, grade: int | None, chronic: bool) -> str:
    if age < 16 or student:
        return "none"
    if grade in (1, 2):
        return "lost"
    if grade == 3:
        return "weak" if draw.chance(0.75) else "lost"
    if age >= 70:
        return _LABOR_OLD.pick(draw.rng)
    if age >= 60:
        return _LABOR_YOUNG_OLD.pick(draw.rng)
    if (chronic or grade == 4) and draw.chance(R.WEAK_IF_CHRONIC):
        return "weak"
    return _LABOR_WORKING.pick(draw.rng)


def _employment(draw: Draw, labor: str) -> str:
    if labor in ("normal", "skilled"):
        return _WORK_ABLE.pick(draw.rng)
    if labor == "weak":
        return _WORK_WEAK.pick(draw.rng)
    return "none"


def _insurance(draw: Draw, age: int, student: bool) -> dict[str, bool]:
    medical = draw.chance(R.MEDICAL_INSURED)
    if age >= 60:
        pension = draw.chance(R.PENSION_INSURED_ELDERLY)
    else:
        pension = age >= 16 and not student and draw.chance(R.PENSION_INSURED)
    return {
        "medical_insurance": medical,
        "critical_illness_insurance": medical and draw.chance(R.CRITICAL_INSURED),
        "family_doctor": draw.chance(R.FAMILY_DOCTOR),
        "pension_insured": pension,
    }


def _active(draw: Draw, person: Person) -> bool:
    return person.relation == "head" or person.age < 18 or not draw.chance(R.LEFT_HOUSEHOLD)
