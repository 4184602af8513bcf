"""Hypothesis strategies for random households covering every field the Bazhong rules read."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from hypothesis import strategies as st

from rules.snapshot import (EMPLOYMENT_KINDS, HOSPITAL_LEVELS, LABOR_KINDS, RELOCATION_STATUSES,
                            SAFETY_GRADES, SCHOOL_STAGES, STAY_KINDS, HospitalStay, Household,
                            Housing, Member, Relocation, School)

flag = st.sampled_from([None, True, False])


def maybe(strategy: st.SearchStrategy) -> st.SearchStrategy:
    return st.one_of(st.none(), strategy)


yuan = st.integers(min_value=0, max_value=60000).map(Decimal)


@st.composite
def stays(draw: st.DrawFn) -> HospitalStay:
    total = draw(st.integers(min_value=0, max_value=60000))
    return HospitalStay(
        kind=draw(maybe(st.sampled_from(STAY_KINDS))),
        admitted_on=draw(maybe(st.sampled_from([dt.date(2017, 12, 30), dt.date(2018, 4, 1)]))),
        in_county=draw(flag), hospital_level=draw(maybe(st.sampled_from(HOSPITAL_LEVELS))),
        public=draw(flag), childbirth=draw(flag),
        total_cost_yuan=draw(maybe(st.just(Decimal(total)))),
        out_of_catalog_yuan=draw(maybe(st.integers(0, total).map(Decimal))),
        reimbursed_yuan=draw(maybe(st.integers(0, total).map(Decimal))))


@st.composite
def schools(draw: st.DrawFn) -> School:
    return School(stage=draw(maybe(st.sampled_from(SCHOOL_STAGES))), boarding=draw(flag),
                  public=draw(flag), key_school=draw(flag),
                  enrolled_year=draw(maybe(st.integers(2013, 2018))),
                  fee_yuan=draw(maybe(st.integers(0, 5000).map(Decimal))),
                  school_days=draw(maybe(st.integers(0, 250))))


@st.composite
def members(draw: st.DrawFn, member_id: str) -> Member:
    return Member(
        member_id=member_id, school=draw(maybe(schools())),
        out_of_school=draw(flag), disability_grade=draw(maybe(st.integers(1, 4))),
        annual_income_yuan=draw(maybe(st.integers(0, 9000).map(Decimal))),
        medical_insurance=draw(flag), critical_illness_insurance=draw(flag),
        family_doctor=draw(flag), pension_insured=draw(flag),
        labor=draw(maybe(st.sampled_from(LABOR_KINDS))),
        employment=draw(maybe(st.sampled_from(EMPLOYMENT_KINDS))),
        hospital_stays=tuple(draw(st.lists(stays(), max_size=2))))


@st.composite
def households(draw: st.DrawFn, household_id: str = "h") -> Household:
    size = draw(st.integers(1, 5))
    relocation = draw(maybe(st.builds(
        Relocation, status=maybe(st.sampled_from(RELOCATION_STATUSES)),
        house_area_m2=maybe(st.integers(20, 200).map(Decimal)), build_cost_yuan=maybe(yuan),
        self_funded_yuan=maybe(st.integers(0, 20000).map(Decimal)))))
    return Household(
        household_id=household_id,
        members=tuple(draw(members(f"m{i + 1}")) for i in range(size)),
        registered_poor=draw(flag), dibao=draw(flag), tekun=draw(flag),
        economic_difficulty=draw(flag),
        per_capita_net_income_yuan=draw(maybe(st.integers(0, 9000).map(Decimal))),
        housing=draw(maybe(st.builds(Housing, safety_grade=maybe(st.sampled_from(SAFETY_GRADES)),
                                     renovated=flag))),
        relocation=relocation, water_safe=draw(flag), food_secure=draw(flag),
        clothing_secure=draw(flag))


OVERRIDES = st.sampled_from([
    (),
    (("poverty_line_yuan", "3750"), ("medical_premium_lowest_tier_yuan", "180"),
     ("private_kindergarten_reference_fee_yuan", "1200"),
     ("home_area_student_loan_cap_yuan", "8000")),
    (("poverty_line_yuan", "3535"), ("preschool_aid_stacking", "add"),
     ("vocational_living_allowance_period", "once"), ("hardship_disabled_criterion", "dibao"),
     ("disabled_gap_income_basis", "household_per_capita"), ("hospital_absorbs_outpatient", "false"),
     ("stable_employment_counts", "stable_or_public_post")),
])
