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


AGES = (("pension_contribution_min_age", "16"), ("resident_pension_age", "60"))
BIRTHS = st.one_of(st.none(), st.dates(dt.date(1930, 1, 1), dt.date(2018, 8, 31)),
                   st.sampled_from([dt.date(2002, 9, 1), dt.date(2002, 9, 2), dt.date(1958, 9, 1),
                                    dt.date(1958, 9, 2), dt.date(2000, 2, 29)]))


@st.composite
def aged_households(draw: st.DrawFn) -> Household:
    """Random households with birth dates (SOC-BZ-09 reads the age at --on) and register status."""
    import dataclasses

    household = draw(households())
    members = tuple(dataclasses.replace(m, birth_date=draw(BIRTHS)) for m in household.members)
    return dataclasses.replace(household, members=members, poverty_status=draw(
        st.sampled_from([None, "poor", "exited", "returned"])), exit_year=draw(
        st.sampled_from([None, 2016, 2017])))


@settings(max_examples=40, deadline=None)
@given(st.lists(aged_households(), min_size=1, max_size=5),
       st.sampled_from([AGES, AGES + (("poverty_line_yuan", "3535"),), (AGES[0],)]))
def test_both_paths_agree_with_ages(hhs: list[Household], overrides: tuple) -> None:
    single = single_path_rows(hhs, "bazhong-2018", overrides)
    columns, covered, _ = column_rows(hhs, "bazhong-2018", overrides)
    assert columns == {k: v for k, v in single.items() if k[0] in covered}


def test_pension_premium_by_age_column_wise() -> None:
    from rules.snapshot import Member

    hhs = [Household("a", registered_poor=True, members=(
        Member("m1", birth_date=dt.date(2002, 9, 1)), Member("m2", birth_date=dt.date(2002, 9, 2)),
        Member("m3", birth_date=dt.date(1958, 9, 1)), Member("m4", birth_date=dt.date(1958, 9, 2)),
        Member("m5")))]
    run = evaluate_columns(hhs, load_pack("bazhong-2018", overrides=AGES), ON)
    soc = {r.rule_id: r for r in run.results}["SOC-BZ-09"]
    assert [int(s) for s in soc.status] == [STATUS_CODES[s] for s in (
        "eligible", "ineligible", "ineligible", "eligible", "missing_data")]
    assert list(soc.annual) == [100.0, 0.0, 0.0, 100.0, 0.0]


@settings(max_examples=30, deadline=None)
@given(st.lists(aged_households(), min_size=1, max_size=5), OVERRIDES)
def test_both_paths_agree_before_the_packs_figures_start(hhs: list[Household],
                                                         overrides: tuple) -> None:
    """On a date before 2018-01-01 the pack's values are not in force: both paths say
    missing_data for the same rows (the stay rules check their parameters first) and nothing
    crashes."""
    pack = load_pack("bazhong-2018", overrides=overrides)
    on = dt.date(2016, 3, 1)
    single: dict[tuple, tuple[int, float | None]] = {}
    for h_index, household in enumerate(hhs):
        ids = {m.member_id: i for i, m in enumerate(household.members)}
        for d in evaluate(household, pack, on).decisions:
            annual = float(to_fen(d.annual_yuan)) if d.annual_yuan is not None else None
            single[(d.rule_id, h_index, ids.get(d.member_id or ""), d.episode)] = (
                STATUS_CODES[d.status], annual)
    run = evaluate_columns(hhs, pack, on)
    c = run.columns
    columns: dict[tuple, tuple[int, float | None]] = {}
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
            columns[key] = (int(status), None if missing else round(float(r.annual[i]), 2))
    assert columns == single
