"""Recompute: evaluate every household of a county with its pack and store the decisions.

Per county: a new :class:`DecisionRun` is written with status ``running``; households are read
in pages, evaluated (in worker processes when there are several cores) and their decisions and
assessment inserted in short write transactions, so cadres' edits are never blocked for long.
Then one transaction makes the new run ``current`` and the previous one ``superseded`` — readers
always see one complete set — and the superseded rows are deleted afterwards in batches.

Stored are the eligible and ``missing_data`` decisions (what a household gets, and what cannot be
decided until data is recorded) and every household's assessment; ineligible decisions (the
"why not") are counted in the run but not stored: ``casework calc`` and the household page's live
evaluation give them.
"""

from __future__ import annotations

import datetime as dt
import json
import time
import math
import multiprocessing
import os
from collections import deque
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal
from multiprocessing.pool import AsyncResult
from pathlib import Path
from typing import Any

import numpy as np
from sqlalchemy import Engine, delete, select, update

from rules.assessment import Assessment, assess
from rules.columns import Columns
from rules.decision import INELIGIBLE, MISSING, STATUS_CODES, Decision, to_fen
from rules.engine import ColumnRun, evaluate, evaluate_columns
from rules.pack import Pack, load_pack, local_params_from_env
from rules.snapshot import Household as Snapshot

from .db import get_engine, read_session, write_engine
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
                _insert(engine, run_id, county, rows, assessments)
            households += len(assessments)
            stored += len(rows)
            ineligible += skipped
    except BaseException:
        _finish_run(engine, run_id, "failed", households, stored)
        raise
    with clock("switch"):
        _make_current(engine, run_id, county, households, stored, actor, ineligible)
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


Page = tuple[list[tuple[Any, ...]], list[tuple[Any, ...]], int]
"""Decision rows, assessment rows (in the column orders below), ineligible decisions skipped."""

DECISION_COLUMNS = ("household_id", "rule_id", "measure", "member_key", "episode", "status",
                    "amount_yuan", "per", "annual_yuan", "payer", "missing")
ASSESSMENT_COLUMNS = ("household_id", "status", "dimensions", "reasons", "total_annual_yuan")


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
    with read_session(engine) as session:
        page = [(info.id, snapshot) for info, snapshot in iter_snapshots(
            session, county_code=county, numbers=numbers, chunk=PAGE)]
    return _evaluate_page(pack, on, page)


_worker_state: dict[str, Any] = {}


def _init_worker(engine: Engine, county: str, pack: Pack, on: dt.date) -> None:
    engine.dispose(close=False)  # the parent's pooled connections are not ours to use
    _worker_state.update(engine=engine, county=county, pack=pack, on=on)


def _evaluate_range_in_worker(numbers: tuple[str, str]) -> Page:
    w = _worker_state
    return _evaluate_range(w["engine"], w["county"], w["pack"], w["on"], numbers)


def _evaluate_page(pack: Pack, on: dt.date, page: Sequence[tuple[int, Snapshot]]) -> Page:
    """Decide one page of households: the column path for every rule that has one, the single
    path for rules without one and for households with a ``missing_data`` decision (so the
    stored ``missing`` names are exact)."""
    ids = [household_id for household_id, _ in page]
    snapshots = [snapshot for _, snapshot in page]
    params = pack.view(on)
    run = evaluate_columns(snapshots, pack, on)
    stored = _column_rows(pack, run, ids, params)
    undecided = stored.missing_households | (set(range(len(page))) if stored.uncovered else set())
    rows = [row for index, row in stored.rows if index not in undecided]
    skipped = stored.ineligible
    for index in sorted(undecided):
        result = evaluate(snapshots[index], pack, on)
        skipped += sum(1 for d in result.decisions if d.status == INELIGIBLE) - stored.ineligible_of(index)
        rows += [_decision_row(ids[index], d) for d in result.decisions if d.status != INELIGIBLE]
    totals = _government_totals(rows)
    assessments = [_assessment_row(ids[i], assess(snapshots[i], params), totals.get(ids[i]))
                   for i in range(len(page))]
    return rows, assessments, skipped


def _government_totals(rows: list[tuple[Any, ...]]) -> dict[int, Decimal]:
    """Each household's yearly total from its stored rows, exactly as the single path adds it up
    (eligible decisions paid by government, each rounded to the fen first)."""
    status, annual, payer = (DECISION_COLUMNS.index(c) for c in ("status", "annual_yuan", "payer"))
    totals: dict[int, Decimal] = {}
    for row in rows:
        if row[status] == "eligible" and row[payer] == "government" and row[annual] is not None:
            totals[row[0]] = totals.get(row[0], Decimal(0)) + Decimal(str(row[annual]))
    return totals


@dataclass
class _ColumnRows:
    rows: list[tuple[int, tuple[Any, ...]]]
    missing_households: set[int]
    ineligible_by_household: dict[int, int]
    uncovered: bool
    """Some rule of the pack has no column path: every household takes the single path."""

    @property
    def ineligible(self) -> int:
        return sum(self.ineligible_by_household.values())

    def ineligible_of(self, index: int) -> int:
        return self.ineligible_by_household.get(index, 0)


def _column_rows(pack: Pack, run: ColumnRun, ids: list[int], params: Any) -> _ColumnRows:
    c = run.columns
    member_keys = [m.member_id for h in c.households for m in h.members]
    rules = {rule.id: rule for rule in pack.rules}
    out = _ColumnRows([], set(), {}, uncovered=len(run.results) < len(pack.rules))
    for result in run.results:
        rule = rules[result.rule_id]
        per, measure = rule.period(params), rule.measure
        for row in np.flatnonzero(result.status >= 0):
            status = int(result.status[row])
            household, member_row, episode = _owner(c, result.level, int(row))
            if status == STATUS_CODES[INELIGIBLE]:
                out.ineligible_by_household[household] = out.ineligible_of(household) + 1
                continue
            if status == STATUS_CODES[MISSING]:
                out.missing_households.add(household)
            out.rows.append((household, (
                ids[household], result.rule_id, measure,
                None if member_row is None else member_keys[member_row], episode,
                _STATUS_NAMES[status], _fen(result.amount[row]), per,
                _fen(result.annual[row]), result.payer, None,
            )))
    return out


_STATUS_NAMES = {code: name for name, code in STATUS_CODES.items()}


def _owner(c: Columns, level: str, row: int) -> tuple[int, int | None, int | None]:
    """(household index, member row, stay index within the member) of a result row."""
    if level == "household":
        return row, None, None
    if level == "member":
        return int(c.member_hh[row]), row, None
    member_row = int(c.stay_member[row])
    return int(c.member_hh[member_row]), member_row, int(c.stay_pos[row])


def _fen(value: float) -> float | None:
    """A column-path float as yuan to the fen, rounded half up like :func:`rules.decision.to_fen`
    (the nudge absorbs binary representation error, far below half a fen); the stored column is
    ``Numeric(14, 2)``, so the nearest float to a whole number of fen reads back exact."""
    if math.isnan(value):
        return None
    return math.floor(value * 100 + 0.5 + 1e-6) / 100


def _money(amount: Decimal | None) -> float | None:
    return None if amount is None else float(to_fen(amount))


def _decision_row(household_id: int, d: Decision) -> tuple[Any, ...]:
    return (
        household_id, d.rule_id, d.measure, d.member_id, d.episode, d.status,
        _money(d.amount_yuan), d.per, _money(d.annual_yuan), d.payer,
        _json(list(d.missing)) if d.missing else None,
    )


def _assessment_row(household_id: int, a: Assessment, total: Decimal | None) -> tuple[Any, ...]:
    return (household_id, a.status, _json(dict(a.dimensions)), _json(list(a.reasons)),
            float(total or 0))


def _json(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _start_run(engine: Engine, county: str, pack: Pack, on: dt.date, actor: str) -> int:
    with UnitOfWork(actor, engine) as uow:
        run = uow.add(DecisionRun(county_code=county, pack=pack.name, pack_version=pack.version,
                                  on_date=on, actor=actor))
        uow.flush()
        uow.commit()
        assert run.id is not None
        return run.id


def _insert(
    engine: Engine, run_id: int, county: str, rows: list[tuple[Any, ...]],
    assessments: list[tuple[Any, ...]],
) -> None:
    """Plain DB-API executemany: millions of rows, so no per-row ORM or type processing (the
    rows are already plain numbers, strings and JSON text)."""
    head = (run_id, county)
    with write_engine(engine).begin() as conn:
        for table, columns, batch in (("decisions", DECISION_COLUMNS, rows),
                                      ("assessments", ASSESSMENT_COLUMNS, assessments)):
            if batch:
                conn.exec_driver_sql(_insert_sql(conn.dialect.paramstyle, table, columns),
                                     [head + row for row in batch])


def _insert_sql(paramstyle: str, table: str, columns: tuple[str, ...]) -> str:
    names = ("run_id", "county_code", *columns)
    mark = "?" if paramstyle == "qmark" else "%s"
    return f"INSERT INTO {table} ({', '.join(names)}) VALUES ({', '.join([mark] * len(names))})"


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
