"""Recompute one household's decisions and assessment into its county's current run, inside the
save's transaction, and say what changed.

The household's rows in the current run are deleted and the new ones inserted (the single path,
which a test holds equal to the column path of the county-wide recompute). The date judged at is
the current run's ``on_date``, so the household stays comparable with the rest of its county;
with no current run yet, a run is created for the county (status ``current``, the county's pack,
judged at today) holding the households saved since. The assessment row carries the save's
time as ``computed_at``, the same as the household's ``updated_at``, so the household page does
not call the fresh figures stale.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import Engine, delete, select

from rules.decision import INELIGIBLE
from rules.engine import evaluate

from casework.db import read_session
from casework.decision_view import pack_named
from casework.models import Area, DecisionRun, Household, StoredAssessment, StoredDecision
from casework.decision_rows import (
    DECISION_COLUMNS, assessment_row, decision_row, government_totals, insert_rows,
)
from casework.registry import to_snapshot
from casework.uow import UnitOfWork

__all__ = ["DecisionChange", "refresh_decisions", "judging_date"]

Key = tuple[str, str | None, int | None]
_STATUS = DECISION_COLUMNS.index("status")
_ANNUAL = DECISION_COLUMNS.index("annual_yuan")


@dataclass(frozen=True)
class DecisionChange:
    """A stored decision that appeared, went or changed with the save."""

    kind: str
    """``added``, ``removed`` or ``changed``."""
    rule_id: str
    title: str
    member_key: str | None
    episode: int | None
    old_status: str | None
    new_status: str | None
    old_annual: Decimal | None
    new_annual: Decimal | None


def refresh_decisions(uow: UnitOfWork, household: Household, now: dt.datetime,
                      today: dt.date) -> tuple[DecisionChange, ...]:
    """Replace the household's rows in its county's current run; the changes, in rule order."""
    run = _current_run(uow, household.county_code) or _new_run(uow, household.county_code,
                                                               now, today)
    if run is None:
        return ()
    assert household.id is not None and run.id is not None
    before = _stored(uow, run.id, household.id)
    for table in (StoredDecision, StoredAssessment):
        uow.session.execute(delete(table.__table__).where(
            table.run_id == run.id, table.household_id == household.id))
    pack = pack_named(run.pack)
    result = evaluate(to_snapshot(household), pack, run.on_date)
    rows = [decision_row(household.id, d) for d in result.decisions if d.status != INELIGIBLE]
    total = government_totals(rows).get(household.id)
    insert_rows(uow.session.connection(), run.id, household.county_code, rows,
                [assessment_row(household.id, result.assessment, total, now)])
    titles = {rule.id: rule.title for rule in pack.rules}
    return _changes(before, {_key(r): r for r in rows}, titles)


def _current_run(uow: UnitOfWork, county: str) -> DecisionRun | None:
    return uow.session.scalars(select(DecisionRun).where(
        DecisionRun.county_code == county, DecisionRun.status == "current")).first()


def _new_run(uow: UnitOfWork, county: str, now: dt.datetime, today: dt.date) -> DecisionRun | None:
    pack_name = uow.session.scalar(select(Area.pack).where(
        Area.level == "county", Area.code == county))
    if not pack_name:
        return None
    pack = pack_named(pack_name)
    run = uow.add(DecisionRun(county_code=county, pack=pack.name, pack_version=pack.version,
                              on_date=today, actor=uow.actor, status="current",
                              started_at=now, finished_at=now))
    uow.flush()
    return run


def _stored(uow: UnitOfWork, run_id: int, household_id: int) -> dict[Key, tuple[object, ...]]:
    found = uow.session.execute(select(
        StoredDecision.rule_id, StoredDecision.member_key, StoredDecision.episode,
        StoredDecision.status, StoredDecision.annual_yuan,
    ).where(StoredDecision.run_id == run_id, StoredDecision.household_id == household_id))
    return {(r, m, e): (s, a) for r, m, e, s, a in found}


def _key(row: tuple[object, ...]) -> Key:
    return row[1], row[3], row[4]  # type: ignore[return-value]


def _money(value: object) -> Decimal | None:
    return None if value is None else Decimal(str(value)).quantize(Decimal("0.01"))


def _changes(before: dict[Key, tuple[object, ...]], after: dict[Key, tuple[object, ...]],
             titles: dict[str, str]) -> tuple[DecisionChange, ...]:
    changes = []
    for key in sorted(before.keys() | after.keys(), key=lambda k: (k[0], k[1] or "", k[2] or 0)):
        old, new = before.get(key), after.get(key)
        old_status, old_annual = (old[0], _money(old[1])) if old else (None, None)
        new_status, new_annual = ((new[_STATUS], _money(new[_ANNUAL])) if new else (None, None))
        if old is None:
            kind = "added"
        elif new is None:
            kind = "removed"
        elif (old_status, old_annual) != (new_status, new_annual):
            kind = "changed"
        else:
            continue
        changes.append(DecisionChange(kind, key[0], titles.get(key[0], key[0]), key[1], key[2],
                                      old_status, new_status, old_annual, new_annual))  # type: ignore[arg-type]
    return tuple(changes)


def judging_date(engine: Engine, county_code: str, today: dt.date) -> dt.date:
    """The date a save in this county is judged at: its current run's, else today."""
    with read_session(engine) as s:
        on = s.scalar(select(DecisionRun.on_date).where(
            DecisionRun.county_code == county_code, DecisionRun.status == "current"))
    return on or today
