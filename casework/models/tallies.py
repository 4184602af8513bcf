"""Per-village tallies of the 两不愁三保障 assessment, one row per village and month.

A row holds what the inspector's dashboards show for one village: registered households and
people, households meeting / failing / unknown on each dimension (from the county's current run
of stored assessments) and the counts behind the section-16 targets (insurance, family doctors,
children out of school, dangerous houses, pairing, stable employment). The row of the current
month is rewritten whenever the county's run becomes current and whenever a save in the village
refreshes its assessment, so it always equals a direct count; rows of past months keep the
figures as they stood when last written in that month (the trend by month).

Rows are derived, never edited by people: they are rewritten whole from the registry and the
stored assessments, so they carry no ``version`` (like the stored decisions).
"""

import datetime as dt

from sqlalchemy import Index, UniqueConstraint
from sqlmodel import Field, SQLModel

from .base import UtcDateTime, utcnow

__all__ = ["AssessmentTally", "DIMENSION_COLUMNS", "TALLY_COUNTS", "TALLY_ORIGINS"]

DIMENSION_COLUMNS = ("food_clothing", "compulsory_education", "basic_medical", "housing",
                     "drinking_water", "income")
"""The assessment's dimensions (``rules.assessment.DIMENSIONS``), one status column each on the
stored assessments and three counts each (``_pass``, ``_fail``, ``_unknown``) here."""

_DIMENSION_COUNTS = tuple(f"{d}_{s}" for d in DIMENSION_COLUMNS
                          for s in ("pass", "fail", "unknown"))

TALLY_COUNTS = (
    "households", "people", "assessed", "status_meets", "status_fails", "status_unknown",
    *_DIMENSION_COUNTS,
    "people_insured_both", "people_insured_unknown", "people_uninsured",
    "people_family_doctor", "people_family_doctor_unknown", "people_no_family_doctor",
    "pupils_compulsory", "pupils_out_of_school",
    "hh_dangerous", "hh_dangerous_fixed", "hh_paired",
    "hh_labour", "hh_labour_stable", "hh_labour_stable_or_post",
)
"""Every count column, in a fixed order (the migration lists the same names)."""

TALLY_ORIGINS = ("run", "save", "demo")


class AssessmentTally(SQLModel, table=True):
    __tablename__ = "assessment_tallies"
    __table_args__ = (
        UniqueConstraint("village_id", "month", name="uq_tallies_village_month"),
        Index("ix_tallies_county_month", "county_code", "month"),
    )

    id: int | None = Field(default=None, primary_key=True)
    county_code: str = Field(max_length=6)
    village_id: int = Field(foreign_key="areas.id")
    month: dt.date
    """First day of the month (China Standard Time) the figures were written in."""
    run_id: int | None = None
    """The county's current run when written (no foreign key: runs are deleted when superseded)."""
    origin: str = Field(max_length=8)
    """``run`` (a county recompute became current), ``save`` (a household was saved) or
    ``demo`` (synthetic past months written for the demonstration)."""
    recorded_at: dt.datetime = Field(default_factory=utcnow, sa_type=UtcDateTime())
    stale: bool = False
    """A save changed the village since the row was counted: the next dashboard that reads the
    county counts it again first (a save only marks, so it never pays for counting a village
    inside its write transaction)."""

    households: int = 0
    """Active registered households of the village."""
    people: int = 0
    """Active members of those households."""
    assessed: int = 0
    """Households with an assessment in the current run."""
    status_meets: int = 0
    status_fails: int = 0
    status_unknown: int = 0
    food_clothing_pass: int = 0
    food_clothing_fail: int = 0
    food_clothing_unknown: int = 0
    compulsory_education_pass: int = 0
    compulsory_education_fail: int = 0
    compulsory_education_unknown: int = 0
    basic_medical_pass: int = 0
    basic_medical_fail: int = 0
    basic_medical_unknown: int = 0
    housing_pass: int = 0
    housing_fail: int = 0
    housing_unknown: int = 0
    drinking_water_pass: int = 0
    drinking_water_fail: int = 0
    drinking_water_unknown: int = 0
    income_pass: int = 0
    income_fail: int = 0
    income_unknown: int = 0
    people_insured_both: int = 0
    """People in basic medical insurance and critical-illness insurance (both recorded yes)."""
    people_insured_unknown: int = 0
    """Neither recorded no, but at least one not recorded."""
    people_uninsured: int = 0
    """At least one of the two recorded no."""
    people_family_doctor: int = 0
    people_family_doctor_unknown: int = 0
    people_no_family_doctor: int = 0
    pupils_compulsory: int = 0
    """Members in primary or junior school and not recorded out of school."""
    pupils_out_of_school: int = 0
    """Members recorded as compulsory-age children out of school (失学辍学)."""
    hh_dangerous: int = 0
    """Households whose house is graded C or D (危房)."""
    hh_dangerous_fixed: int = 0
    """Of those, renovated or moved into the resettlement house."""
    hh_paired: int = 0
    """Households with a pairing cadre recorded (帮扶责任人)."""
    hh_labour: int = 0
    """Households with at least one member with labour capacity (普通/技能/弱劳动力)."""
    hh_labour_stable: int = 0
    """Of those, with at least one member recorded in stable employment."""
    hh_labour_stable_or_post: int = 0
    """Of those, with at least one member in stable employment or a public-welfare post."""
