"""Recompute: evaluate every household of a county with its pack and store the decisions.

Per county: a new :class:`DecisionRun` is written with status ``running``; households are read
in pages, evaluated (in worker processes when there are several cores) and their decisions and
assessment inserted in short write transactions, so cadres' edits are never blocked for long.
Then one transaction makes the new run ``current`` and the previous one ``superseded`` — readers
always see one complete set — and the superseded rows are deleted afterwards in batches. A
household saved while the run was being computed (its page read before the save) is decided
again into the new run right after the switch.

Stored are the eligible and ``missing_data`` decisions (what a household gets, and what cannot be
decided until data is recorded) and every household's assessment; ineligible decisions (the
"why not") are counted in the run but not stored: ``casework calc`` and the household page's live
evaluation give them.
"""

from __future__ import annotations

import datetime as dt
import multiprocessing
import os
import time
from collections import deque
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from multiprocessing.pool import AsyncResult
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, delete, select, update

from rules.pack import Pack, load_pack, local_params_from_env

from .dashboards.counting import record_county
from .db import get_engine, read_session, write_engine
from .decision_rows import Page, evaluate_page, insert_rows
from .editing.refresh import refresh_decisions
from .models import Area, DecisionRun, Household, StoredAssessment, StoredDecision, utcnow
from .registry import iter_snapshots
from .uow import UnitOfWork

__all__ = ["RunSummary", "recompute", "counties_to_recompute"]

PAGE = 2000
"""Households read, evaluated and stored per step."""
_DELETE_BATCH = 20000


@dataclass(frozen=True)
class RunSummary:
    run_id: int
    county_code: str
    pack: str
    pack_version: str
    households: int
    decisions: int
    not_stored_ineligible: int
    seconds: dict[str, float] = field(default_factory=dict)
    """Wall time per phase: ``evaluate`` (reading and deciding, waited for by the writer),
    ``store``, ``switch`` (making the run current), ``cleanup`` (removing the previous run)."""


def counties_to_recompute(engine: Engine, county_code: str | None) -> list[tuple[str, str]]:
    """``(county code, pack)`` of the counties to run, in code order."""
    stmt = select(Area.code, Area.pack).where(Area.level == "county", Area.pack.is_not(None))
    if county_code:
        stmt = stmt.where(Area.code == county_code)
    with read_session(engine) as session:
        return [(code, pack) for code, pack in session.execute(stmt.order_by(Area.code)).all()]


def recompute(
    *,
    on: dt.date,
    county_code: str | None = None,
    actor: str = "system:recompute",
    engine: Engine | None = None,
    local_params: Path | None = None,
    workers: int | None = None,
) -> list[RunSummary]:
    """Recompute the given county (or every county with a pack); returns one summary each."""
    engine = engine or get_engine()
    local_params = local_params or local_params_from_env()
    counties = counties_to_recompute(engine, county_code)
    if county_code and not counties:
        raise LookupError(f"no county {county_code} with a policy pack")
    workers = workers if workers is not None else min(2, os.cpu_count() or 1)
    summaries = []
    for code, pack_name in counties:
        pack = load_pack(pack_name, local_params=local_params)
        summaries.append(_recompute_county(engine, code, pack, on, actor, workers))
    return summaries


def _recompute_county(
    engine: Engine, county: str, pack: Pack, on: dt.date, actor: str, workers: int
) -> RunSummary:
    run_id = _start_run(engine, county, pack, on, actor)
    households = stored = ineligible = 0
    clock = _Clock()
    try:
        for rows, assessments, skipped in clock.timed("evaluate", _evaluated_pages(
                engine, county, pack, on, workers)):
            with clock("store"):
                with write_engine(engine).begin() as conn:
                    insert_rows(conn, run_id, county, rows, assessments)
            households += len(assessments)
            stored += len(rows)
            ineligible += skipped
    except BaseException:
        _finish_run(engine, run_id, "failed", households, stored)
        raise
    with clock("switch"):
        _make_current(engine, run_id, county, households, stored, actor, ineligible)
        _catch_up(engine, county, actor)
    with clock("cleanup"):
        _delete_superseded(engine, county)
    return RunSummary(run_id, county, pack.name, pack.version, households, stored, ineligible,
                      clock.seconds)


class _Clock:
    """Adds up wall time per phase."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}

    @contextmanager
    def __call__(self, phase: str) -> Iterator[None]:
        started = time.perf_counter()
        try:
            yield
        finally:
            self.seconds[phase] = self.seconds.get(phase, 0.0) + time.perf_counter() - started

    def timed(self, phase: str, items: Iterator[Page]) -> Iterator[Page]:
        while True:
            with self(phase):
                item = next(items, None)
            if item is None:
                return
            yield item


def _evaluated_pages(
    engine: Engine, county: str, pack: Pack, on: dt.date, workers: int
) -> Iterator[Page]:
    """Pages of evaluated households, in household-number order. With several workers each
    process reads its own pages from the database and decides them; this process only stores."""
    ranges = _number_ranges(engine, county)
    if workers <= 1:
        for numbers in ranges:
            yield _evaluate_range(engine, county, pack, on, numbers)
        return
    context = multiprocessing.get_context("fork")
    with context.Pool(workers, initializer=_init_worker, initargs=(engine, county, pack, on)) as pool:
        pending: deque[AsyncResult[Page]] = deque()
        for numbers in ranges:  # at most 2 pages per worker in flight: memory stays flat
            pending.append(pool.apply_async(_evaluate_range_in_worker, (numbers,)))
            if len(pending) >= 2 * workers:
                yield pending.popleft().get()
        while pending:
            yield pending.popleft().get()


def _number_ranges(engine: Engine, county: str) -> list[tuple[str, str]]:
    """The county's active households cut into pages of :data:`PAGE` by household number."""
    with read_session(engine) as session:
        numbers = session.scalars(select(Household.number).where(
            Household.county_code == county, Household.active.is_(True))
            .order_by(Household.number)).all()
    return [(numbers[i], numbers[min(i + PAGE, len(numbers)) - 1])
            for i in range(0, len(numbers), PAGE)]


def _evaluate_range(
    engine: Engine, county: str, pack: Pack, on: dt.date, numbers: tuple[str, str]
) -> Page:
    read_at = utcnow()
    with read_session(engine) as session:
        page = [(info.id, snapshot) for info, snapshot in iter_snapshots(
            session, county_code=county, numbers=numbers, chunk=PAGE)]
    return evaluate_page(pack, on, page, read_at)


_worker_state: dict[str, Any] = {}


def _init_worker(engine: Engine, county: str, pack: Pack, on: dt.date) -> None:
    engine.dispose(close=False)  # the parent's pooled connections are not ours to use
    _worker_state.update(engine=engine, county=county, pack=pack, on=on)


def _evaluate_range_in_worker(numbers: tuple[str, str]) -> Page:
    w = _worker_state
    return _evaluate_range(w["engine"], w["county"], w["pack"], w["on"], numbers)


def _start_run(engine: Engine, county: str, pack: Pack, on: dt.date, actor: str) -> int:
    with UnitOfWork(actor, engine) as uow:
        run = uow.add(DecisionRun(county_code=county, pack=pack.name, pack_version=pack.version,
                                  on_date=on, actor=actor))
        uow.flush()
        uow.commit()
        assert run.id is not None
        return run.id


def _make_current(
    engine: Engine, run_id: int, county: str, households: int, stored: int, actor: str,
    ineligible: int,
) -> None:
    """One transaction: the previous current run is superseded, the new one becomes current."""
    with UnitOfWork(actor, engine) as uow:
        for old in uow.session.scalars(select(DecisionRun).where(
                DecisionRun.county_code == county, DecisionRun.status == "current")):
            old.status = "superseded"
        run = uow.session.get(DecisionRun, run_id)
        assert run is not None
        run.status, run.finished_at = "current", utcnow()
        run.households, run.decisions = households, stored
        uow.record("recompute", "decision_runs", entity_id=str(run_id), county_code=county,
                   detail=f"{households} households, {stored} decisions stored, "
                          f"{ineligible} ineligible not stored; pack {run.pack} {run.pack_version}, "
                          f"on {run.on_date.isoformat()}")
        record_county(uow.session.connection(), run_id, county)  # the dashboards' tallies
        uow.commit()


def _catch_up(engine: Engine, county: str, actor: str) -> None:
    """Households saved while the run was being computed (read before the save) are decided
    again into the now-current run, so no save is left with figures older than its record."""
    with read_session(engine) as session:
        changed = session.scalars(
            select(StoredAssessment.household_id)
            .join(DecisionRun, DecisionRun.id == StoredAssessment.run_id)
            .join(Household, Household.id == StoredAssessment.household_id)
            .where(DecisionRun.county_code == county, DecisionRun.status == "current",
                   Household.updated_at > StoredAssessment.computed_at)).all()
    for household_id in changed:
        with UnitOfWork(actor, engine) as uow:
            refresh_decisions(uow, uow.get(Household, household_id), utcnow(), dt.date.today())
            uow.commit()


def _finish_run(engine: Engine, run_id: int, status: str, households: int, stored: int) -> None:
    with write_engine(engine).begin() as conn:
        conn.execute(update(DecisionRun.__table__).where(DecisionRun.id == run_id).values(
            status=status, finished_at=utcnow(), households=households, decisions=stored))


def _delete_superseded(engine: Engine, county: str) -> None:
    """Remove the rows of superseded and failed runs, in short transactions."""
    with read_session(engine) as session:
        old_runs = session.scalars(select(DecisionRun.id).where(
            DecisionRun.county_code == county,
            DecisionRun.status.in_(("superseded", "failed")))).all()
    for run_id in old_runs:
        for table in (StoredDecision, StoredAssessment):
            _delete_in_batches(engine, table, run_id)


def _delete_in_batches(engine: Engine, table: Any, run_id: int) -> None:
    batch = select(table.id).where(table.run_id == run_id).limit(_DELETE_BATCH).scalar_subquery()
    while True:
        with write_engine(engine).begin() as conn:
            if conn.execute(delete(table.__table__).where(table.id.in_(batch))).rowcount == 0:
                return
