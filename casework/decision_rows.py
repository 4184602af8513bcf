"""Stored decision and assessment rows: how a page of households is decided for storage (the
column path, with the single path where it must give exact ``missing`` names) and how the rows
are written. Shared by the county-wide recompute and the recompute of one household on save."""

from __future__ import annotations

import datetime as dt
import json
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import numpy as np
from sqlalchemy import Connection

from rules.assessment import DIMENSIONS, Assessment, assess
from rules.columns import Columns
from rules.decision import INELIGIBLE, MISSING, STATUS_CODES, Decision, to_fen
from rules.engine import ColumnRun, evaluate, evaluate_columns
from rules.pack import Pack
from rules.snapshot import Household as Snapshot

from .dashboards.counting import refresh_after_insert

__all__ = ["Page", "DECISION_COLUMNS", "ASSESSMENT_COLUMNS", "evaluate_page", "decision_row",
           "assessment_row", "government_totals", "insert_rows"]


Page = tuple[list[tuple[Any, ...]], list[tuple[Any, ...]], int]
"""Decision rows, assessment rows (in the column orders below), ineligible decisions skipped."""

DECISION_COLUMNS = ("household_id", "rule_id", "measure", "member_key", "episode", "status",
                    "amount_yuan", "per", "annual_yuan", "payer", "missing")
ASSESSMENT_COLUMNS = ("household_id", "status", "dimensions", "reasons", "total_annual_yuan",
                      "computed_at", *DIMENSIONS)
"""The dimensions are stored twice: in the JSON and one column each (for the dashboards)."""


def evaluate_page(pack: Pack, on: dt.date, page: Sequence[tuple[int, Snapshot]],
                  computed_at: dt.datetime) -> Page:
    """Decide one page of households: the column path for every rule that has one, the single
    path for rules without one and for households with a ``missing_data`` decision (so the
    stored ``missing`` names are exact). ``computed_at`` is when the households were read."""
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
        skipped += sum(d.status == INELIGIBLE for d in result.decisions)
        skipped -= stored.ineligible_of(index)
        rows += [decision_row(ids[index], d) for d in result.decisions if d.status != INELIGIBLE]
    totals = government_totals(rows)
    assessments = [assessment_row(ids[i], assess(snapshots[i], params), totals.get(ids[i]),
                                  computed_at) for i in range(len(page))]
    return rows, assessments, skipped


def government_totals(rows: list[tuple[Any, ...]]) -> dict[int, Decimal]:
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


def decision_row(household_id: int, d: Decision) -> tuple[Any, ...]:
    return (
        household_id, d.rule_id, d.measure, d.member_id, d.episode, d.status,
        _money(d.amount_yuan), d.per, _money(d.annual_yuan), d.payer,
        _json(list(d.missing)) if d.missing else None,
    )


def assessment_row(household_id: int, a: Assessment, total: Decimal | None,
                   computed_at: dt.datetime) -> tuple[Any, ...]:
    return (household_id, a.status, _json(dict(a.dimensions)), _json(list(a.reasons)),
            float(total or 0), computed_at, *(a.dimensions.get(name) for name in DIMENSIONS))


def _json(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def insert_rows(
    conn: Connection, run_id: int, county: str, rows: list[tuple[Any, ...]],
    assessments: list[tuple[Any, ...]],
) -> None:
    """Plain DB-API executemany: millions of rows, so no per-row ORM or type processing (the
    rows are already plain numbers, strings and JSON text). Not audited: the rows are derived,
    never edited, and replaced whole by the next run. When the run is already current (a save),
    the villages' tallies are counted again in the same transaction, so the dashboards stay
    exact after every save."""
    head = (run_id, county)
    stamp = _timestamp_binder(conn.dialect.name)
    for table, columns, batch in (("decisions", DECISION_COLUMNS, rows),
                                  ("assessments", ASSESSMENT_COLUMNS, assessments)):
        if batch:
            values = [head + row for row in batch]
            if table == "assessments":
                at = len(head) + columns.index("computed_at")
                values = [(*row[:at], stamp(row[at]), *row[at + 1:]) for row in values]
            conn.exec_driver_sql(_insert_sql(conn.dialect.paramstyle, table, columns), values)
    if assessments:
        refresh_after_insert(conn, run_id, county, [row[0] for row in assessments])


def _timestamp_binder(dialect: str) -> Callable[[dt.datetime], object]:
    """SQLite keeps SQLAlchemy's text form (naive UTC, read back as UTC by ``UtcDateTime``);
    PostgreSQL takes the aware datetime."""
    if dialect != "sqlite":
        return lambda value: value
    return lambda value: value.astimezone(dt.timezone.utc).replace(tzinfo=None).isoformat(" ")


def _insert_sql(paramstyle: str, table: str, columns: tuple[str, ...]) -> str:
    names = ("run_id", "county_code", *columns)
    mark = "?" if paramstyle == "qmark" else "%s"
    return f"INSERT INTO {table} ({', '.join(names)}) VALUES ({', '.join([mark] * len(names))})"
