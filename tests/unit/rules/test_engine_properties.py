"""Properties of the engine over random households (Hypothesis)."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from decimal import Decimal

from _engine_households import OVERRIDES, households, members
from hypothesis import given, settings
from hypothesis import strategies as st

from rules.engine import evaluate
from rules.output import result_json
from rules.pack import load_pack
from rules.snapshot import Household

ON = dt.date(2018, 9, 1)
PACK = "bazhong-2018"


@settings(max_examples=150, deadline=None)
@given(households(), OVERRIDES)
def test_amounts_are_never_negative(household: Household, overrides: tuple) -> None:
    result = evaluate(household, load_pack(PACK, overrides=overrides), ON)
    for d in result.decisions:
        assert d.amount_yuan is None or d.amount_yuan >= 0, d
        assert d.annual_yuan is None or d.annual_yuan >= 0, d
    assert result.total >= 0


@settings(max_examples=150, deadline=None)
@given(households(), OVERRIDES)
def test_topped_up_stay_leaves_the_patient_at_most_ten_percent(household: Household,
                                                               overrides: tuple) -> None:
    pack = load_pack(PACK, overrides=overrides)
    cap_rate = pack.view(ON).number("patient_share_cap_rate")
    decisions = evaluate(household, pack, ON).decisions
    by_key = {(d.rule_id, d.member_id, d.episode): d for d in decisions}
    members = {m.member_id: m for m in household.members}
    for d in decisions:
        if d.rule_id != "MED-BZ-13" or d.status != "eligible":
            continue
        stay = members[d.member_id].hospital_stays[d.episode]
        absorbed = by_key[("MED-BZ-18", d.member_id, d.episode)]
        hospital = absorbed.amount_yuan if absorbed.status == "eligible" else Decimal(0)
        share = stay.total_cost_yuan - stay.reimbursed_yuan - hospital - d.amount_yuan
        assert share <= cap_rate * stay.total_cost_yuan


@settings(max_examples=100, deadline=None)
@given(households(), members("new"), OVERRIDES)
def test_adding_a_member_never_removes_another_members_entitlement(
        household: Household, newcomer, overrides: tuple) -> None:
    pack = load_pack(PACK, overrides=overrides)
    before = evaluate(household, pack, ON).decisions
    after = evaluate(replace(household, members=household.members + (newcomer,)), pack, ON)
    after_by_key = {(d.rule_id, d.member_id, d.episode): d for d in after.decisions}
    for d in before:
        if d.member_id is None or d.status != "eligible":
            continue
        later = after_by_key[(d.rule_id, d.member_id, d.episode)]
        assert later.status == "eligible" and later.amount_yuan == d.amount_yuan, (d, later)


@settings(max_examples=60, deadline=None)
@given(households(), OVERRIDES)
def test_evaluation_is_deterministic(household: Household, overrides: tuple) -> None:
    first = result_json(evaluate(household, load_pack(PACK, overrides=overrides), ON))
    second = result_json(evaluate(household, load_pack(PACK, overrides=overrides), ON))
    assert first == second


@settings(max_examples=60, deadline=None)
@given(households(), st.sampled_from([dt.date(2018, 1, 1), dt.date(2018, 12, 31)]))
def test_status_and_missing_are_consistent(household: Household, on: dt.date) -> None:
    for d in evaluate(household, load_pack(PACK), on).decisions:
        assert d.reasons, d
        if d.status == "missing_data":
            assert d.missing and d.amount_yuan is None
        else:
            assert not d.missing and d.amount_yuan is not None
        if d.status == "ineligible":
            assert d.amount_yuan == 0 and d.annual_yuan == 0
