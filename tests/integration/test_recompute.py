"""``casework recompute``: every household decided with its county's pack, stored decisions equal
to the single path with reasons, runs replaced atomically, on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import func, select

from casework.cli import main
from casework.db import get_engine, read_session
from casework.decision_view import household_decisions, pack_named
from casework.demo import load_demo_data
from casework.models import (
    AuditEvent, DecisionRun, Household, StoredAssessment, StoredDecision,
)
from casework.recompute import recompute
from casework.registry import iter_snapshots, to_snapshot
from casework.uow import UnitOfWork
from rules.decision import INELIGIBLE, to_fen
from rules.engine import evaluate
from rules.pack import load_pack

ON = dt.date(2018, 9, 1)
LOCAL = Path(__file__).resolve().parents[2] / "casework" / "demo" / "local-params.yaml"


@pytest.fixture
def demo_url(db_url: str) -> str:
    load_demo_data(get_engine(db_url), households=120, seed=11)
    return db_url


def _current_runs(url: str) -> list[DecisionRun]:
    with read_session(get_engine(url)) as s:
        return list(s.scalars(select(DecisionRun).where(DecisionRun.status == "current")))


def _stored(url: str, run_id: int) -> dict[int, list[tuple]]:
    with read_session(get_engine(url)) as s:
        rows = s.scalars(select(StoredDecision).where(StoredDecision.run_id == run_id)
                         .order_by(StoredDecision.id)).all()
    by_household: dict[int, list[tuple]] = {}
    for r in rows:
        by_household.setdefault(r.household_id, []).append(
            (r.rule_id, r.member_key, r.episode, r.status, r.annual_yuan, tuple(r.missing or ())))
    return by_household


@pytest.mark.parametrize("workers", [1, 2])
def test_stored_decisions_equal_the_single_path(demo_url: str, workers: int) -> None:
    summaries = recompute(on=ON, engine=get_engine(demo_url), local_params=LOCAL, workers=workers)
    assert sum(s.households for s in summaries) == 120
    engine = get_engine(demo_url)
    for run in _current_runs(demo_url):
        pack = load_pack(run.pack, local_params=LOCAL)
        stored = _stored(demo_url, run.id)
        with read_session(engine) as s:
            for info, snapshot in iter_snapshots(s, county_code=run.county_code):
                expected = sorted(
                    (d.rule_id, d.member_id, d.episode, d.status,
                     None if d.annual_yuan is None else to_fen(d.annual_yuan), tuple(d.missing))
                    for d in evaluate(snapshot, pack, ON).decisions if d.status != INELIGIBLE)
                got = sorted(stored.get(info.id, []), key=lambda t: (t[0], t[1] or "", t[2] or 0))
                expected.sort(key=lambda t: (t[0], t[1] or "", t[2] or 0))
                assert got == expected, snapshot.household_id


def test_assessment_and_total_stored_for_every_household(demo_url: str) -> None:
    recompute(on=ON, engine=get_engine(demo_url), local_params=LOCAL, workers=1)
    engine = get_engine(demo_url)
    with read_session(engine) as s:
        runs = {r.county_code: r for r in s.scalars(select(DecisionRun))}
        for info, snapshot in iter_snapshots(s):
            run = runs[info.county_code]
            stored = s.scalars(select(StoredAssessment).where(
                StoredAssessment.run_id == run.id, StoredAssessment.household_id == info.id)).one()
            result = evaluate(snapshot, load_pack(run.pack, local_params=LOCAL), ON)
            assert stored.status == result.assessment.status
            assert stored.dimensions == result.assessment.dimensions
            assert stored.total_annual_yuan == to_fen(result.total)


def test_a_new_run_replaces_the_previous_one_whole(demo_url: str) -> None:
    engine = get_engine(demo_url)
    first = recompute(on=ON, engine=engine, local_params=LOCAL, workers=1)
    second = recompute(on=ON, engine=engine, local_params=LOCAL, workers=1)
    with read_session(engine) as s:
        statuses = dict(s.execute(select(DecisionRun.id, DecisionRun.status)).all())
        assert {statuses[x.run_id] for x in first} == {"superseded"}
        assert {statuses[x.run_id] for x in second} == {"current"}
        old = [x.run_id for x in first]
        assert s.scalar(select(func.count()).select_from(StoredDecision)
                        .where(StoredDecision.run_id.in_(old))) == 0
        assert s.scalar(select(func.count()).select_from(StoredAssessment)
                        .where(StoredAssessment.run_id.in_(old))) == 0
        per_county = s.execute(select(DecisionRun.county_code, func.count())
                               .where(DecisionRun.status == "current")
                               .group_by(DecisionRun.county_code)).all()
        assert all(n == 1 for _, n in per_county)
        events = s.scalars(select(AuditEvent).where(AuditEvent.action == "recompute")).all()
        assert len(events) == len(first) + len(second)
        assert all("households" in (e.detail or "") for e in events)


def test_a_failed_run_never_becomes_current(demo_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    engine = get_engine(demo_url)
    recompute(on=ON, engine=engine, local_params=LOCAL, workers=1)
    before = {r.county_code: r.id for r in _current_runs(demo_url)}

    def broken(*args: object) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr("casework.recompute.insert_rows", broken)
    with pytest.raises(RuntimeError):
        recompute(on=ON, engine=engine, local_params=LOCAL, workers=1)
    assert {r.county_code: r.id for r in _current_runs(demo_url)} == before
    with read_session(engine) as s:
        assert s.scalars(select(DecisionRun.status).where(DecisionRun.status == "failed")).all()


def test_household_view_words_the_stored_decisions(demo_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CASEWORK_LOCAL_PARAMS", str(LOCAL))
    pack_named.cache_clear()
    engine = get_engine(demo_url)
    recompute(on=ON, engine=engine, local_params=LOCAL, workers=1)
    with read_session(engine) as s:
        household = _household_with_money(s)
        view = household_decisions(engine, household)
    assert view is not None and not view.stale
    paid = [x for x in view.eligible if x.annual_yuan and x.annual_yuan > 0]
    assert paid and all(x.reasons and x.citation for x in paid)
    assert view.total_annual_yuan == sum(
        (x.annual_yuan for x in view.eligible if x.payer == "government"), Decimal(0))
    assert all(x.status == INELIGIBLE and x.reasons for x in view.ineligible)

    with UnitOfWork("cadre1", engine) as uow:
        row = uow.get(Household, household.id)
        uow.update(row, expected_version=row.version, address="新地址")
        uow.commit()
    with read_session(engine) as s:
        changed = _load(s, household.id)
        assert household_decisions(engine, changed).stale  # type: ignore[union-attr]


def test_no_run_yet_means_no_view(demo_url: str) -> None:
    engine = get_engine(demo_url)
    with read_session(engine) as s:
        household = _load(s, s.scalar(select(Household.id).limit(1)))
    assert household_decisions(engine, household) is None


def test_command_line(demo_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CASEWORK_DATABASE_URL", demo_url)
    monkeypatch.setenv("CASEWORK_LOCAL_PARAMS", str(LOCAL))
    runner = CliRunner()
    done = runner.invoke(main, ["recompute", "--county", "511922", "--on", "2018-09-01",
                                "--workers", "1"])
    assert done.exit_code == 0, done.output
    assert "511922 bazhong-2018" in done.output and "recomputed" in done.output
    bad = runner.invoke(main, ["recompute", "--on", "2018-13-01"])
    assert bad.exit_code == 2 and "YYYY-MM-DD" in bad.output
    unknown = runner.invoke(main, ["recompute", "--county", "999999", "--on", "2018-09-01"])
    assert unknown.exit_code == 1 and "999999" in unknown.output


def _household_with_money(s: object) -> Household:
    for household_id in s.scalars(  # type: ignore[attr-defined]
            select(StoredDecision.household_id).where(StoredDecision.annual_yuan > 0)
            .order_by(StoredDecision.household_id)):
        return _load(s, household_id)
    raise AssertionError("no household receives money")


def _load(s: object, household_id: int) -> Household:
    from sqlalchemy.orm import selectinload

    from casework.models import Member
    stmt = (select(Household).where(Household.id == household_id)
            .options(selectinload(Household.members).selectinload(Member.hospital_stays)))
    household = s.scalars(stmt).one()  # type: ignore[attr-defined]
    to_snapshot(household)  # loads everything while the session is open
    return household


def test_a_save_during_the_run_is_not_left_behind(demo_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """A cadre saves after the run read the household's page: the new run must not keep the
    figures computed from the older record."""
    import casework.recompute as module

    monkeypatch.setenv("CASEWORK_LOCAL_PARAMS", str(LOCAL))
    pack_named.cache_clear()
    engine = get_engine(demo_url)
    with read_session(engine) as s:
        target = s.scalar(select(Household.id).where(Household.county_code == "511922")
                          .order_by(Household.number).limit(1))
    real_insert = module.insert_rows
    saved: list[int] = []

    def insert_then_save(conn, run_id, county, rows, assessments):  # type: ignore[no-untyped-def]
        real_insert(conn, run_id, county, rows, assessments)
        if county == "511922" and not saved:
            conn.commit()  # the rows read so far are stored; now a cadre saves meanwhile
            with UnitOfWork("cadre1", engine) as uow:
                row = uow.get(Household, target)
                uow.update(row, expected_version=row.version, water_safe=not row.water_safe)
                uow.commit()
            saved.append(target)

    monkeypatch.setattr(module, "insert_rows", insert_then_save)
    recompute(on=ON, engine=engine, local_params=LOCAL, workers=1, county_code="511922")
    assert saved == [target]
    with read_session(engine) as s:
        household = _load(s, target)
    view = household_decisions(engine, household)
    assert view is not None and not view.stale
    expected = evaluate(to_snapshot(household), load_pack("bazhong-2018", local_params=LOCAL), ON)
    assert view.dimensions == expected.assessment.dimensions
