"""The column path (numpy over many households) gives the same statuses and amounts as the
single-household path, rule by rule and row by row."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from _engine_households import OVERRIDES, households
from hypothesis import given, settings
from hypothesis import strategies as st

from rules.decision import NOT_CANDIDATE, STATUS_CODES, to_fen
from rules.engine import evaluate, evaluate_columns
from rules.pack import load_pack
from rules.snapshot import Household

PACKS = ["bazhong-2018"]
ON = dt.date(2018, 9, 1)
MUST_HAVE_COLUMNS = {"EDU-BZ-01", "EDU-BZ-02", "EDU-BZ-03", "EDU-BZ-05", "EDU-BZ-06",
                     "EDU-BZ-07", "EDU-BZ-08", "EDU-BZ-10", "EDU-BZ-11", "SOC-BZ-06", "SOC-BZ-07",
                     "SOC-BZ-08", "SOC-BZ-09", "MED-BZ-13", "MED-BZ-18", "MED-BZ-01"}


def single_path_rows(hhs: list[Household], pack_name: str, overrides: tuple) -> dict:
    pack = load_pack(pack_name, overrides=overrides)
    rows: dict[tuple, tuple[int, float]] = {}
    for h_index, household in enumerate(hhs):
        ids = {m.member_id: i for i, m in enumerate(household.members)}
        for d in evaluate(household, pack, ON).decisions:
            key = (d.rule_id, h_index, ids.get(d.member_id or "", None), d.episode)
            annual = float(to_fen(d.annual_yuan)) if d.annual_yuan is not None else None
            rows[key] = (STATUS_CODES[d.status], annual)
    return rows


def column_rows(hhs: list[Household], pack_name: str, overrides: tuple) -> dict:
    run = evaluate_columns(hhs, load_pack(pack_name, overrides=overrides), ON)
    c = run.columns
    rows: dict[tuple, tuple[int, float]] = {}
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
            annual = None if status == STATUS_CODES["missing_data"] else round(float(r.annual[i]), 2)
            rows[key] = (int(status), annual)
    return rows, {r.rule_id for r in run.results}, run


def test_column_path_covers_the_money_rules() -> None:
    _, covered, _ = column_rows([], "bazhong-2018", ())
    assert MUST_HAVE_COLUMNS <= covered
    assert covered == {r.id for r in load_pack("bazhong-2018").rules}  # every Bazhong rule


@settings(max_examples=60, deadline=None)
@given(st.lists(households(), min_size=1, max_size=6), OVERRIDES)
def test_both_paths_agree(hhs: list[Household], overrides: tuple) -> None:
    for pack in PACKS:
        single = single_path_rows(hhs, pack, overrides)
        columns, covered, run = column_rows(hhs, pack, overrides)
        expected = {k: v for k, v in single.items() if k[0] in covered}
        assert columns == expected
        totals = [float(evaluate(h, load_pack(pack, overrides=overrides), ON).total) for h in hhs]
        if all(r.id in covered for r in load_pack(pack).rules):
            assert [round(t, 2) for t in run.household_totals()] == totals


def test_worked_figures_column_wise() -> None:
    from rules.snapshot import Member, School

    hhs = [Household("a", registered_poor=True, members=(
        Member("m1", school=School(stage="primary", boarding=True)),
        Member("m2", school=School(stage="junior", boarding=True)),
        Member("m3", disability_grade=1)))]
    run = evaluate_columns(hhs, load_pack("bazhong-2018"), ON)
    annual = {r.rule_id: r.annual for r in run.results}
    assert list(annual["EDU-BZ-05"]) == [1000.0, 1250.0, 0.0]
    assert list(annual["SOC-BZ-06"]) == [0.0, 0.0, 960.0]
    assert Decimal(str(run.household_totals()[0])) == Decimal("4170")  # 1000+1250+960+960(SOC-BZ-07)
