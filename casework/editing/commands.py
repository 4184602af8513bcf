"""The commands a cadre's form may send: frozen dataclasses listing exactly the fields a request
may set (anything else a request carries is never read, so mass assignment has no path).

Every command names its household, the household ``version`` the form was rendered with (the
save is a compare-and-swap on it) and the form's one-time submission ``key`` (a repeat of the
key returns the first result instead of applying again). ``None`` means "not recorded".
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

__all__ = [
    "Command", "UpdateFacts", "RecordIncome", "AddMember", "EditMember", "EndMembership",
    "ChangeHead", "RecordStay", "CorrectStay", "RemoveStay", "ACTIONS", "END_REASONS",
    "JOIN_REASONS",
]

END_REASONS = ("death", "married_out", "moved_out", "split")
"""Why a membership ended: 死亡, 婚出, 迁出, 分户."""
JOIN_REASONS = ("birth", "married_in", "moved_in")
"""Why a member was added: 出生, 婚入, 迁入."""


@dataclass(frozen=True, kw_only=True)
class Command:
    household_id: int
    household_version: int
    key: str


@dataclass(frozen=True, kw_only=True)
class UpdateFacts(Command):
    """The household's own facts (基本情况, 住房, 易地搬迁, 两不愁 and utilities)."""

    registered_poor: bool | None = None
    poverty_status: str | None = None
    exit_year: int | None = None
    dibao: bool | None = None
    tekun: bool | None = None
    tekun_mode: str | None = None
    housing_safety_grade: str | None = None
    housing_renovated: bool | None = None
    relocation_status: str | None = None
    relocation_mode: str | None = None
    relocation_house_area_m2: Decimal | None = None
    relocation_build_cost_yuan: Decimal | None = None
    relocation_subsidy_yuan: Decimal | None = None
    relocation_self_funded_yuan: Decimal | None = None
    water_safe: bool | None = None
    power_ok: bool | None = None
    tv_access: bool | None = None
    food_secure: bool | None = None
    clothing_secure: bool | None = None


@dataclass(frozen=True, kw_only=True)
class RecordIncome(Command):
    """A year's net income by source (年度收入台账); total and per-capita are computed."""

    year: int
    wage_income_yuan: Decimal | None = None
    production_income_yuan: Decimal | None = None
    transfer_income_yuan: Decimal | None = None
    property_income_yuan: Decimal | None = None


@dataclass(frozen=True, kw_only=True)
class AddMember(Command):
    """A person joins the household (birth, marriage, moving in); a newborn may have no ID yet."""

    join_reason: str
    name: str
    id_number: str | None = None
    birth_date: dt.date | None = None
    sex: str | None = None
    relation: str


@dataclass(frozen=True, kw_only=True)
class EditMember(Command):
    """A member's record; ``id_number`` None keeps the stored ID (forms never show a full ID, so
    they send one only to correct it)."""

    member_id: int
    name: str
    id_number: str | None = None
    birth_date: dt.date | None = None
    sex: str | None = None
    relation: str | None = None
    school_stage: str | None = None
    school_boarding: bool | None = None
    school_public: bool | None = None
    school_key_school: bool | None = None
    school_enrolled_year: int | None = None
    school_fee_yuan: Decimal | None = None
    school_days: int | None = None
    out_of_school: bool | None = None
    orphan: bool | None = None
    disability_grade: int | None = None
    medical_insurance: bool | None = None
    critical_illness_insurance: bool | None = None
    family_doctor: bool | None = None
    pension_insured: bool | None = None
    labor: str | None = None
    employment: str | None = None
    annual_income_yuan: Decimal | None = None


@dataclass(frozen=True, kw_only=True)
class EndMembership(Command):
    """The person left the household; the row stays (active=False), never deleted."""

    member_id: int
    end_reason: str
    ended_on: dt.date


@dataclass(frozen=True, kw_only=True)
class ChangeHead(Command):
    """Make another member the head; the former head takes ``former_head_relation``."""

    new_head_id: int
    former_head_relation: str


@dataclass(frozen=True, kw_only=True)
class RecordStay(Command):
    member_id: int
    kind: str
    admitted_on: dt.date
    in_county: bool | None = None
    hospital_level: str | None = None
    public: bool | None = None
    childbirth: bool | None = None
    total_cost_yuan: Decimal | None = None
    out_of_catalog_yuan: Decimal | None = None
    reimbursed_yuan: Decimal | None = None


@dataclass(frozen=True, kw_only=True)
class CorrectStay(RecordStay):
    stay_id: int


@dataclass(frozen=True, kw_only=True)
class RemoveStay(Command):
    stay_id: int


ACTIONS: dict[type[Command], str] = {
    UpdateFacts: "update_facts", RecordIncome: "record_income", AddMember: "add_member",
    EditMember: "edit_member", EndMembership: "end_membership", ChangeHead: "change_head",
    RecordStay: "record_stay", CorrectStay: "correct_stay", RemoveStay: "remove_stay",
}
"""The name a save is recorded under (``submissions.action``)."""
