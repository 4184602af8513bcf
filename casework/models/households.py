"""Registered poor households (建档立卡贫困户), their members, hospital stays and income records.

Every field the calc contract (``shared/contracts/calc-v1.md``) reads has a column here, so a
stored household converts to the contract's JSON and back without loss (``casework.registry``).
``None`` means "not recorded", never "no". Every table owned by a household carries the county
code so a province-scale PostgreSQL deployment can partition (or distribute) by county.
"""

import datetime as dt
from decimal import Decimal
from typing import Optional

from sqlalchemy import JSON, CheckConstraint, Index, UniqueConstraint, text
from sqlmodel import Field, Relationship

from .base import UtcDateTime, Versioned, money_field, utcnow

__all__ = ["Household", "Member", "HospitalStay", "IncomeRecord"]


class Household(Versioned, table=True):
    __tablename__ = "households"
    __table_args__ = (
        CheckConstraint("housing_safety_grade IN ('A','B','C','D')", name="ck_hh_grade"),
        CheckConstraint("poverty_status IN ('poor','exited','returned')", name="ck_hh_status"),
        Index("ix_households_county_village", "county_code", "village_id"),
        # the household list: a scope's active households in number order, without a sort
        Index("ix_households_village_list", "village_id", "active", "number"),
        Index("ix_households_county_list", "county_code", "active", "number"),
    )

    id: int | None = Field(default=None, primary_key=True)
    number: str = Field(max_length=32, unique=True, index=True)
    """户编号; the contract's ``household_id``."""
    county_code: str = Field(max_length=6, index=True)
    """County (区县) code; the partition key of every household-owned table."""
    village_id: int = Field(foreign_key="areas.id", index=True)
    address: str | None = Field(default=None, max_length=200)
    registered_poor: bool | None = None
    """建档立卡贫困户."""
    poverty_status: str | None = Field(default=None, max_length=10)
    """poor / exited / returned (未脱贫 / 已脱贫 / 返贫)."""
    exit_year: int | None = None
    dibao: bool | None = None
    """农村低保户."""
    tekun: bool | None = None
    """特困供养."""
    tekun_mode: str | None = Field(default=None, max_length=12)
    """centralized / dispersed."""
    economic_difficulty: bool | None = None
    """家庭经济困难 as recorded (the engine applies the contract's default when None)."""
    poverty_causes: list[str] | None = Field(default=None, sa_type=JSON)
    """致贫原因, e.g. ["因病", "缺劳力"]."""
    per_capita_net_income_yuan: Decimal | None = money_field("年人均纯收入 (last full year)")
    housing_safety_grade: str | None = Field(default=None, max_length=1)
    """House safety appraisal A–D; C and D are 危房."""
    housing_renovated: bool | None = None
    """A C/D house has been renovated (危房已改造)."""
    relocation_status: str | None = Field(default=None, max_length=10)
    relocation_mode: str | None = Field(default=None, max_length=12)
    relocation_house_area_m2: Decimal | None = money_field("resettlement house area, m²")
    relocation_build_cost_yuan: Decimal | None = money_field("resettlement house build cost")
    relocation_subsidy_yuan: Decimal | None = money_field("relocation subsidy received")
    relocation_self_funded_yuan: Decimal | None = money_field("household's own contribution")
    water_safe: bool | None = None
    power_ok: bool | None = None
    tv_access: bool | None = None
    food_secure: bool | None = None
    """The cadre's observation of 不愁吃 at the last visit."""
    clothing_secure: bool | None = None
    """The cadre's observation of 不愁穿 at the last visit."""
    pairing_cadre: str | None = Field(default=None, max_length=64)
    """帮扶责任人 (name and unit)."""
    active: bool = Field(default=True)
    updated_at: dt.datetime = Field(default_factory=utcnow, sa_type=UtcDateTime())

    members: list["Member"] = Relationship(
        back_populates="household",
        sa_relationship_kwargs={"order_by": "Member.id", "cascade": "all, delete-orphan"},
    )
    income_records: list["IncomeRecord"] = Relationship(
        back_populates="household",
        sa_relationship_kwargs={"order_by": "IncomeRecord.year", "cascade": "all, delete-orphan"},
    )


class Member(Versioned, table=True):
    __tablename__ = "members"
    __table_args__ = (
        UniqueConstraint("household_id", "member_key", name="uq_members_household_key"),
        Index(
            "uq_members_active_id_number",
            "id_number",
            unique=True,
            sqlite_where=text("active = 1 AND id_number IS NOT NULL"),
            postgresql_where=text("active AND id_number IS NOT NULL"),
        ),
        CheckConstraint("disability_grade BETWEEN 1 AND 4", name="ck_members_disability"),
        CheckConstraint("sex IN ('M','F')", name="ck_members_sex"),
    )

    id: int | None = Field(default=None, primary_key=True)
    household_id: int = Field(foreign_key="households.id", index=True)
    county_code: str = Field(max_length=6, index=True)
    member_key: str = Field(max_length=32)
    """The contract's ``member_id``, unique within the household."""
    name: str | None = Field(default=None, max_length=64, index=True)
    id_number: str | None = Field(default=None, max_length=18)
    """Resident ID, validated (GB 11643-1999); sensitive: shown masked, never logged."""
    id_last4: str | None = Field(default=None, max_length=4, index=True)
    """Last four characters of the ID, for search."""
    sex: str | None = Field(default=None, max_length=1)
    birth_date: dt.date | None = None
    relation: str | None = Field(default=None, max_length=12)
    school_stage: str | None = Field(default=None, max_length=12)
    school_boarding: bool | None = None
    school_public: bool | None = None
    school_key_school: bool | None = None
    school_enrolled_year: int | None = None
    school_fee_yuan: Decimal | None = money_field("fee actually charged per year")
    school_days: int | None = None
    out_of_school: bool | None = None
    orphan: bool | None = None
    """孤儿."""
    disability_grade: int | None = None
    chronic_conditions: list[str] | None = Field(default=None, sa_type=JSON)
    """Illnesses (sensitive), e.g. ["高血压"]."""
    annual_income_yuan: Decimal | None = money_field("the person's own annual income")
    medical_insurance: bool | None = None
    critical_illness_insurance: bool | None = None
    family_doctor: bool | None = None
    pension_insured: bool | None = None
    labor: str | None = Field(default=None, max_length=10)
    employment: str | None = Field(default=None, max_length=16)
    active: bool = Field(default=True)
    """False once the person has left the household (moved, married out, died)."""
    ended_on: dt.date | None = None
    """When the membership ended (the member stays in the history, never deleted)."""
    end_reason: str | None = Field(default=None, max_length=16)
    """death / married_out / moved_out / split (分户)."""

    household: Optional[Household] = Relationship(back_populates="members")
    hospital_stays: list["HospitalStay"] = Relationship(
        back_populates="member",
        sa_relationship_kwargs={"order_by": "HospitalStay.id", "cascade": "all, delete-orphan"},
    )


class HospitalStay(Versioned, table=True):
    __tablename__ = "hospital_stays"

    id: int | None = Field(default=None, primary_key=True)
    member_id: int = Field(foreign_key="members.id", index=True)
    county_code: str = Field(max_length=6, index=True)
    kind: str | None = Field(default=None, max_length=20)
    """inpatient / chronic_outpatient."""
    admitted_on: dt.date | None = None
    in_county: bool | None = None
    hospital_level: str | None = Field(default=None, max_length=12)
    public: bool | None = None
    childbirth: bool | None = None
    """The stay is a hospital delivery (住院分娩)."""
    diagnosis: str | None = Field(default=None, max_length=64)
    """Sensitive; not part of the calc contract."""
    total_cost_yuan: Decimal | None = money_field("total cost of the stay")
    out_of_catalog_yuan: Decimal | None = money_field("医保目录外 part of the total")
    reimbursed_yuan: Decimal | None = money_field("paid by insurance and medical assistance")

    member: Optional[Member] = Relationship(back_populates="hospital_stays")


class IncomeRecord(Versioned, table=True):
    """A household's income for one year (the registry's 年度收入台账)."""

    __tablename__ = "income_records"
    __table_args__ = (UniqueConstraint("household_id", "year", name="uq_income_household_year"),)

    id: int | None = Field(default=None, primary_key=True)
    household_id: int = Field(foreign_key="households.id", index=True)
    county_code: str = Field(max_length=6, index=True)
    year: int
    total_net_income_yuan: Decimal | None = money_field("household net income for the year")
    per_capita_net_income_yuan: Decimal | None = money_field("net income per person")
    wage_income_yuan: Decimal | None = money_field("工资性收入")
    production_income_yuan: Decimal | None = money_field("生产经营性收入")
    transfer_income_yuan: Decimal | None = money_field("转移性收入")
    property_income_yuan: Decimal | None = money_field("财产性收入")

    household: Optional[Household] = Relationship(back_populates="income_records")
