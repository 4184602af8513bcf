"""The household snapshot the engine reads: the input of ``shared/contracts/calc-v1.md`` as typed,
immutable values. ``None`` always means "not recorded" (never "no"): a rule that needs a field that
is ``None`` decides ``missing_data`` naming the field.

Money is ``Decimal`` (yuan), dates are ``datetime.date``. Field names follow the contract's JSON
names; nested objects (``school``, ``housing``, ``relocation``) keep their own small types so the
JSON path of every field is the attribute path.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Literal

__all__ = [
    "HospitalStay",
    "Household",
    "Housing",
    "Member",
    "Relocation",
    "School",
    "POVERTY_STATUSES",
    "TEKUN_MODES",
    "SAFETY_GRADES",
    "RELOCATION_STATUSES",
    "RELOCATION_MODES",
    "RELATIONS",
    "SCHOOL_STAGES",
    "LABOR_KINDS",
    "EMPLOYMENT_KINDS",
    "STAY_KINDS",
    "HOSPITAL_LEVELS",
    "SEXES",
]

POVERTY_STATUSES = ("poor", "exited", "returned")
TEKUN_MODES = ("centralized", "dispersed")
SAFETY_GRADES = ("A", "B", "C", "D")
RELOCATION_STATUSES = ("none", "planned", "building", "moved_in")
RELOCATION_MODES = ("centralized", "dispersed")
RELATIONS = ("head", "spouse", "child", "parent", "grandchild", "sibling", "other")
SCHOOL_STAGES = ("preschool", "primary", "junior", "senior", "vocational", "college", "none")
LABOR_KINDS = ("normal", "skilled", "weak", "lost", "none")
EMPLOYMENT_KINDS = ("stable", "temporary", "public_post", "self_employed", "none")
STAY_KINDS = ("inpatient", "chronic_outpatient")
HOSPITAL_LEVELS = ("township", "county", "city", "provincial")
SEXES = ("M", "F")


@dataclass(frozen=True, slots=True)
class School:
    stage: str | None = None
    boarding: bool | None = None
    public: bool | None = None
    key_school: bool | None = None
    enrolled_year: int | None = None
    fee_yuan: Decimal | None = None
    school_days: int | None = None


@dataclass(frozen=True, slots=True)
class HospitalStay:
    kind: str | None = None
    admitted_on: dt.date | None = None
    in_county: bool | None = None
    hospital_level: str | None = None
    public: bool | None = None
    total_cost_yuan: Decimal | None = None
    out_of_catalog_yuan: Decimal | None = None
    reimbursed_yuan: Decimal | None = None
    childbirth: bool | None = None
    """Added by the rules engine (optional, not yet in calc-v1's table): the stay is a hospital
    delivery (住院分娩), for Bazhong's free in-county delivery (MED-BZ-07)."""


@dataclass(frozen=True, slots=True)
class Member:
    member_id: str
    name: str | None = None
    id_number: str | None = None
    birth_date: dt.date | None = None
    """From the ID when there is one (the parser checks they agree), else as given."""
    sex: Literal["M", "F"] | None = None
    relation: str | None = None
    school: School | None = None
    out_of_school: bool | None = None
    disability_grade: int | None = None
    annual_income_yuan: Decimal | None = None
    medical_insurance: bool | None = None
    critical_illness_insurance: bool | None = None
    family_doctor: bool | None = None
    pension_insured: bool | None = None
    labor: str | None = None
    employment: str | None = None
    hospital_stays: tuple[HospitalStay, ...] = ()
    orphan: bool | None = None
    """Added to calc-v1 as an optional field: the member is an orphan (孤儿), e.g. for Kaizhou's
    preschool aid (EDU-KZ-01)."""

    def age_on(self, on: dt.date) -> int | None:
        """Whole years of age at ``on`` (a 29 February birthday counts on 1 March)."""
        if self.birth_date is None:
            return None
        b = self.birth_date
        years = on.year - b.year
        if (on.month, on.day) < (b.month, b.day):
            years -= 1
        return years


@dataclass(frozen=True, slots=True)
class Housing:
    safety_grade: str | None = None
    renovated: bool | None = None
    """Added by the rules engine (optional): a C/D house has been renovated (危房已改造)."""


@dataclass(frozen=True, slots=True)
class Relocation:
    status: str | None = None
    mode: str | None = None
    house_area_m2: Decimal | None = None
    build_cost_yuan: Decimal | None = None
    subsidy_yuan: Decimal | None = None
    self_funded_yuan: Decimal | None = None


@dataclass(frozen=True, slots=True)
class Household:
    household_id: str
    members: tuple[Member, ...] = field(default_factory=tuple)
    registered_poor: bool | None = None
    poverty_status: str | None = None
    exit_year: int | None = None
    dibao: bool | None = None
    tekun: bool | None = None
    tekun_mode: str | None = None
    economic_difficulty: bool | None = None
    """As given; see :meth:`economically_difficult` for the contract's default."""
    per_capita_net_income_yuan: Decimal | None = None
    housing: Housing | None = None
    relocation: Relocation | None = None
    water_safe: bool | None = None
    power_ok: bool | None = None
    tv_access: bool | None = None
    food_secure: bool | None = None
    clothing_secure: bool | None = None

    def economically_difficult(self) -> bool | None:
        """家庭经济困难: as recorded; when absent, true for a registered-poor, 低保 or 特困
        household (contract calc-v1), otherwise unknown."""
        if self.economic_difficulty is not None:
            return self.economic_difficulty
        if self.registered_poor or self.dibao or self.tekun:
            return True
        return None
