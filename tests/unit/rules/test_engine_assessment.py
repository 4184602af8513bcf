"""两不愁三保障 assessment: status follows the dimensions as contract calc-v1 defines."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from decimal import Decimal

from _engine_households import OVERRIDES, households
from hypothesis import given, settings

from rules.assessment import DIMENSIONS, assess
from rules.pack import load_pack
from rules.snapshot import Household, Housing, Member, Relocation

ON = dt.date(2018, 9, 1)


def view(line: str | None = "3750"):
    overrides = [("poverty_line_yuan", line)] if line else []
    return load_pack("bazhong-2018", overrides=overrides).view(ON)


@settings(max_examples=100, deadline=None)
@given(households(), OVERRIDES)
def test_status_follows_dimensions(household: Household, overrides: tuple) -> None:
    a = assess(household, load_pack("bazhong-2018", overrides=overrides).view(ON))
    assert tuple(a.dimensions) == DIMENSIONS
    values = set(a.dimensions.values())
    assert values <= {"pass", "fail", "unknown"}
    expected = "fails" if "fail" in values else "unknown" if "unknown" in values else "meets"
    assert a.status == expected
    assert bool(a.reasons) == (a.status != "meets")


def test_food_and_clothing_follow_observations_then_income() -> None:
    base = Household("h", members=(Member("m1"),), per_capita_net_income_yuan=Decimal(3000))
    assert assess(replace(base, food_secure=True, clothing_secure=True), view()).dimensions[
        "food_clothing"] == "pass"
    assert assess(replace(base, food_secure=True, clothing_secure=False), view()).dimensions[
        "food_clothing"] == "fail"
    assert assess(base, view()).dimensions["food_clothing"] == "fail"  # 3000 < 3750
    assert assess(base, view("2900")).dimensions["food_clothing"] == "pass"
    assert assess(base, view(None)).dimensions["food_clothing"] == "unknown"
    assert assess(replace(base, per_capita_net_income_yuan=None), view()).dimensions[
        "food_clothing"] == "unknown"


def test_income_at_the_line_passes() -> None:
    h = Household("h", members=(Member("m1"),), per_capita_net_income_yuan=Decimal(3750))
    assert assess(h, view()).dimensions["income"] == "pass"
    assert assess(replace(h, per_capita_net_income_yuan=Decimal("3749.99")), view()).dimensions[
        "income"] == "fail"


def test_housing() -> None:
    h = Household("h", members=(Member("m1"),))
    grades = {g: assess(replace(h, housing=Housing(safety_grade=g)), view()).dimensions["housing"]
              for g in "ABCD"}
    assert grades == {"A": "pass", "B": "pass", "C": "fail", "D": "fail"}
    assert assess(replace(h, housing=Housing("D", renovated=True)), view()).dimensions[
        "housing"] == "pass"
    moved = replace(h, housing=Housing("D"), relocation=Relocation(status="moved_in"))
    assert assess(moved, view()).dimensions["housing"] == "pass"
    assert assess(h, view()).dimensions["housing"] == "unknown"
