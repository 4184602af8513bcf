"""What a household's page shows, built from a loaded record. Resident IDs are masked here
(``mask_detail``), before anything reaches a template."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from casework.ids import InvalidResidentId, ResidentId, mask_detail
from casework.models import HospitalStay, Member
from casework.queries import HouseholdRecord

__all__ = ["MemberLine", "StayLine", "household_context", "age_on"]


@dataclass(frozen=True)
class MemberLine:
    """One member as shown: the stored row's fields minus the raw ID number."""

    name: str | None
    id_masked: str
    sex: str | None
    age: int | None
    relation: str | None
    labor: str | None
    employment: str | None
    school_stage: str | None
    school_boarding: bool | None
    school_public: bool | None
    school_key_school: bool | None
    school_enrolled_year: int | None
    school_fee_yuan: Any
    school_days: int | None
    out_of_school: bool | None
    disability_grade: int | None
    chronic_conditions: tuple[str, ...]
    medical_insurance: bool | None
    critical_illness_insurance: bool | None
    family_doctor: bool | None
    pension_insured: bool | None
    annual_income_yuan: Any

    @property
    def in_school_records(self) -> bool:
        return (self.school_stage not in (None, "none")) or bool(self.out_of_school)


@dataclass(frozen=True)
class StayLine:
    member_name: str | None
    stay: HospitalStay


def household_context(record: HouseholdRecord, today: dt.date | None = None) -> dict[str, Any]:
    """Template context for ``households/detail.html``."""
    household = record.household
    members = [m for m in household.members if m.active]
    lines = [_member_line(m, today or dt.date.today()) for m in members]
    stays = [StayLine(m.name, s) for m in members for s in m.hospital_stays]
    return {
        "household": household,
        "village_name": record.village_name,
        "township_name": record.township_name,
        "members": lines,
        "students": [line for line in lines if line.in_school_records],
        "stays": stays,
        "income_records": sorted(household.income_records, key=lambda r: r.year, reverse=True),
        "causes": "、".join(household.poverty_causes or []),
    }


def age_on(born: dt.date | None, today: dt.date) -> int | None:
    if born is None:
        return None
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))


def _member_line(member: Member, today: dt.date) -> MemberLine:
    return MemberLine(
        name=member.name, id_masked=mask_detail(member.id_number), sex=member.sex,
        age=age_on(member.birth_date or _born_from_id(member.id_number), today),
        relation=member.relation, labor=member.labor,
        employment=member.employment, school_stage=member.school_stage,
        school_boarding=member.school_boarding, school_public=member.school_public,
        school_key_school=member.school_key_school,
        school_enrolled_year=member.school_enrolled_year, school_fee_yuan=member.school_fee_yuan,
        school_days=member.school_days, out_of_school=member.out_of_school,
        disability_grade=member.disability_grade,
        chronic_conditions=tuple(member.chronic_conditions or ()),
        medical_insurance=member.medical_insurance,
        critical_illness_insurance=member.critical_illness_insurance,
        family_doctor=member.family_doctor, pension_insured=member.pension_insured,
        annual_income_yuan=member.annual_income_yuan,
    )



def _born_from_id(raw: str | None) -> dt.date | None:
    if not raw:
        return None
    try:
        return ResidentId.parse(raw).birth_date
    except InvalidResidentId:
        return None
