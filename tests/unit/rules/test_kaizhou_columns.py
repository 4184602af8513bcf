"""Kaizhou pack: the column path (numpy over many households) gives the same statuses and amounts
as the single-household path, rule by rule and row by row, under several parameter readings."""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
from collections import Counter
from decimal import Decimal

from _engine_households import households
from hypothesis import given, settings
from hypothesis import strategies as st

from rules.decision import NOT_CANDIDATE, STATUS_CODES
from rules.engine import evaluate, evaluate_columns
from rules.pack import load_pack
from rules.snapshot import HOSPITAL_LEVELS, HospitalStay, Household, Member, School

PACK = "kaizhou-2016-2020"
TOLERANCE = 1e-6
BASE = (("inpatient_base_rate_township", "0.8"), ("inpatient_base_rate_county", "0.6"),
        ("inpatient_base_rate_city", "0.5"), ("inpatient_base_rate_provincial", "0.4"),
        ("inpatient_deductible_township_yuan", "100"), ("inpatient_deductible_county_yuan", "400"),
        ("inpatient_deductible_city_yuan", "800"), ("inpatient_deductible_provincial_yuan", "1200"),
        ("critical_illness_deductible_yuan", "10000"), ("emergency_fund_rate", "0.5"),
        ("vocational_textbook_yuan", "400"), ("pension_contribution_min_age", "16"),
        ("pension_premium_paid_for_poor_yuan", "100"), ("poverty_line_yuan", "3535"),
        ("resident_pension_min_monthly_yuan", "95"))
OVERRIDES = st.sampled_from([
    (),
    BASE,
    BASE + (("uplift_mode", "relative"), ("inpatient_deductible_cut_scope", "district_hospital"),
            ("preschool_aid_stacking", "fee_aid_only"), ("nutrition_scope", "all_compulsory"),
            ("vocational_lodging_scope", "all_poor"), ("startup_loan_candidates", "all_labourers"),
            ("poor_student_class", "economically_difficult"),
            ("poor_person_class", "registered_poor")),
    BASE + (("pension_premium_paid_for_poor_yuan", "0"), ("poor_student_class", "registered_poor"),
            ("inpatient_base_rate_city", "0.95"), ("inpatient_rate_uplift", "0.2")),
    (("inpatient_base_rate_county", "0.6"), ("inpatient_deductible_county_yuan", "400")),
])
DATES = st.sampled_from([dt.date(2018, 9, 1), dt.date(2020, 3, 2), dt.date(2018, 2, 28),
                         dt.date(2018, 3, 1)])
BIRTHS = st.one_of(st.none(), st.dates(dt.date(1930, 1, 1), dt.date(2018, 8, 31)),
                   st.sampled_from([dt.date(1960, 3, 2), dt.date(1958, 9, 1), dt.date(1960, 2, 29),
                                    dt.date(2002, 3, 2), dt.date(2000, 2, 29),
                                    dt.date(2002, 2, 28), dt.date(2002, 3, 1)]))


def mostly(value: object, *others: object) -> st.SearchStrategy:
    """``value`` three times in four, else one of ``others`` (``None`` = not recorded)."""
    return st.sampled_from([value, value, value, *others])


@st.composite
def kz_stays(draw: st.DrawFn) -> HospitalStay:
    """Stays that are often complete, so the medical rules are often eligible."""
    total = draw(st.integers(0, 300000))
    return HospitalStay(
        kind=draw(mostly("inpatient", "chronic_outpatient", None)),
        admitted_on=draw(mostly(dt.date(2018, 4, 1), dt.date(2017, 12, 30), None)),
        in_county=draw(st.sampled_from([True, False, None])),
        hospital_level=draw(st.sampled_from([*HOSPITAL_LEVELS, "county", None])),
        total_cost_yuan=draw(mostly(Decimal(total), None)),
        out_of_catalog_yuan=draw(mostly(Decimal(draw(st.integers(0, total))), None)),
        reimbursed_yuan=draw(mostly(Decimal(draw(st.integers(0, total))), None)))


@st.composite
def kz_households(draw: st.DrawFn) -> Household:
    """The engine's random households plus birth dates (Kaizhou's age rules read them) and, for
    half of them, members insured and often in hospital, in a registered-poor household."""
    household = draw(households())
    members = []
    for m in household.members:
        m = dataclasses.replace(m, birth_date=draw(BIRTHS),
                                orphan=draw(st.sampled_from([None, True, False])))
        if draw(st.booleans()):
            m = dataclasses.replace(m, medical_insurance=draw(mostly(True, False, None)),
                                   critical_illness_insurance=draw(mostly(True, False, None)),
                                   hospital_stays=tuple(draw(st.lists(kz_stays(), max_size=3))))
        members.append(m)
    poor = draw(mostly(True, False, None))
    status = draw(st.sampled_from([None, "poor", "exited", "returned"]))
    return dataclasses.replace(household, members=tuple(members), registered_poor=poor,
                               poverty_status=status,
                               exit_year=draw(st.sampled_from([None, 2016, 2017])))


@st.composite
def complete_stays(draw: st.DrawFn) -> HospitalStay:
    total = draw(st.integers(0, 300000))
    return HospitalStay(
        kind="inpatient", admitted_on=dt.date(2018, 4, 1), in_county=draw(st.booleans()),
        hospital_level=draw(st.sampled_from(HOSPITAL_LEVELS)), total_cost_yuan=Decimal(total),
        out_of_catalog_yuan=Decimal(draw(st.integers(0, total))),
        reimbursed_yuan=Decimal(draw(st.integers(0, total))))


@st.composite
def patients(draw: st.DrawFn) -> Household:
    """Registered-poor households whose insured members have complete in-year inpatient stays:
    the medical rules are eligible on most rows, so their amounts are compared, not just their
    refusals."""
    size = draw(st.integers(1, 3))
    return Household("p", registered_poor=True, members=tuple(
        Member(f"m{i}", medical_insurance=True, critical_illness_insurance=True,
               hospital_stays=tuple(draw(st.lists(complete_stays(), min_size=1, max_size=3))))
        for i in range(size)))


def single_rows(hhs: list[Household], overrides: tuple, on: dt.date) -> dict:
    pack = load_pack(PACK, overrides=overrides)
    rows: dict[tuple, tuple[int, float | None]] = {}
    for h_index, household in enumerate(hhs):
        ids = {m.member_id: i for i, m in enumerate(household.members)}
        for d in evaluate(household, pack, on).decisions:
            key = (d.rule_id, h_index, ids.get(d.member_id or "", None), d.episode)
            annual = float(d.annual_yuan) if d.annual_yuan is not None else None
            rows[key] = (STATUS_CODES[d.status], annual)
    return rows


def column_rows(hhs: list[Household], overrides: tuple, on: dt.date) -> tuple[dict, set, object]:
    run = evaluate_columns(hhs, load_pack(PACK, overrides=overrides), on)
    c = run.columns
    rows: dict[tuple, tuple[int, float | None]] = {}
    for r in run.results:
        for i, status in enumerate(r.status):
            if status == NOT_CANDIDATE:
                continue
            if r.level == "household":
                key = (r.rule_id, i, None, None)
            elif r.level == "member":
                key = (r.rule_id, int(c.member_hh[i]), int(c.member_pos[i]), None)
            else:
                m = c.stay_member[i]
                key = (r.rule_id, int(c.member_hh[m]), int(c.member_pos[m]), int(c.stay_pos[i]))
            missing = status == STATUS_CODES["missing_data"]
            rows[key] = (int(status), None if missing else float(r.annual[i]))
    return rows, {r.rule_id for r in run.results}, run


def assert_same(columns: dict, single: dict) -> None:
    """Same rows and statuses; amounts equal before rounding to the fen (Decimal against float:
    a tolerance far below a fen, so a half-fen case cannot round differently and hide)."""
    assert columns.keys() == single.keys()
    for key, (status, annual) in single.items():
        c_status, c_annual = columns[key]
        assert c_status == status, key
        if annual is None or c_annual is None:
            assert annual == c_annual, key
        else:
            assert math.isclose(c_annual, annual, abs_tol=TOLERANCE), (key, c_annual, annual)


def test_every_kaizhou_rule_has_a_column_path() -> None:
    _, covered, _ = column_rows([], (), dt.date(2018, 9, 1))
    assert covered == {r.id for r in load_pack(PACK).rules}


@settings(max_examples=80, deadline=None)
@given(st.lists(kz_households(), min_size=1, max_size=6), OVERRIDES, DATES)
def test_both_paths_agree_for_kaizhou(hhs: list[Household], overrides: tuple,
                                      on: dt.date) -> None:
    single = single_rows(hhs, overrides, on)
    columns, _, run = column_rows(hhs, overrides, on)
    assert_same(columns, single)
    pack = load_pack(PACK, overrides=overrides)
    for got, h in zip(run.household_totals(), hhs, strict=True):
        result = evaluate(h, pack, on)
        paid = [d.annual_yuan for d in result.decisions if d.status == "eligible"
                and d.payer == "government" and d.annual_yuan is not None]
        # the column total is the unrounded sum; the contract's total rounds each decision
        assert math.isclose(got, float(sum(paid, Decimal(0))), abs_tol=TOLERANCE)
        assert abs(got - float(result.total)) <= 0.005 * len(paid) + TOLERANCE


@settings(max_examples=40, deadline=None)
@given(st.lists(patients(), min_size=1, max_size=4), st.sampled_from(
    [BASE, BASE + (("uplift_mode", "relative"),),
     BASE + (("inpatient_deductible_cut_scope", "district_hospital"),
             ("inpatient_base_rate_county", "0.95"))]))
def test_both_paths_agree_on_medical_amounts(hhs: list[Household], overrides: tuple) -> None:
    on = dt.date(2018, 9, 1)
    single = single_rows(hhs, overrides, on)
    columns, _, _ = column_rows(hhs, overrides, on)
    assert_same(columns, single)
    eligible = Counter(k[0] for k, (status, _) in single.items() if status == 0)
    assert {"MED-KZ-01", "MED-KZ-02", "MED-KZ-03", "MED-KZ-04", "MED-KZ-09"} & set(eligible)


def test_worked_figures_column_wise() -> None:
    hhs = [Household("a", registered_poor=True, members=(
        Member("m1", school=School(stage="primary", boarding=True, school_days=180)),
        Member("m2", school=School(stage="junior", boarding=True, school_days=190)),
        Member("m3", school=School(stage="primary", boarding=False, school_days=180)),
        Member("m4", school=School(stage="junior", boarding=False, school_days=190))))]
    run = evaluate_columns(hhs, load_pack(PACK), dt.date(2018, 9, 1))
    annual = {r.rule_id: list(r.annual) for r in run.results}
    assert annual["EDU-KZ-02"] == [1000.0, 1250.0, 0.0, 0.0]
    assert annual["EDU-KZ-03"] == [0.0, 0.0, 1080.0, 1330.0]
    assert [round(a, 2) for a in annual["EDU-KZ-07"]] == [828.0, 874.0, 828.0, 874.0]
    assert round(run.household_totals()[0], 2) == 1000 + 1250 + 1080 + 1330 + 828 + 874 + 828 + 874


def test_preschool_routes_column_wise_match_the_single_path() -> None:
    """EDU-KZ-01's four routes, the orphan route included, and the missing ones."""
    pre = School(stage="preschool")
    hhs = [Household("orphan", registered_poor=False, dibao=False,
                     members=(Member("m1", orphan=True, school=pre),)),
           Household("unknown", registered_poor=False, dibao=False,
                     members=(Member("m1", school=pre),)),
           Household("none", registered_poor=False, dibao=False,
                     members=(Member("m1", orphan=False, school=pre),)),
           Household("disabled", members=(Member("m1", disability_grade=3, school=pre),)),
           Household("poor-not-difficult", registered_poor=True, economic_difficulty=False,
                     dibao=False, members=(Member("m1", orphan=False, school=pre),))]
    on = dt.date(2018, 9, 1)
    single = single_rows(hhs, (), on)
    columns, _, run = column_rows(hhs, (), on)
    assert_same(columns, single)
    fee = {r.rule_id: r for r in run.results}["EDU-KZ-01.fee"]
    assert [int(s) for s in fee.status] == [STATUS_CODES[s] for s in (
        "eligible", "missing_data", "ineligible", "eligible", "ineligible")]
    assert list(fee.annual) == [1500.0, 0.0, 0.0, 1500.0, 0.0]
