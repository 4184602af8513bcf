"""Demo payment records: what the demo households "receive", made from the stored decisions of
each county's current run so the inspector's gap lists have something real to find.

For each eligible decision that would be recorded as received (see
:mod:`casework.quality.gaps`: not per hospital stay, not a bank loan), a record is written with the
decision's amount, a start date before the run's date and the usual paying department — except
for a small share left out (``missing_share``: they show up as 应享未享). A few households
(``wrong_share``) also get a measure of the pack they are not eligible for (不应享而享).
Deterministic: the same database and seed give the same records.

Call after ``casework recompute``::

    from casework.received_measures.demo import load_demo_received
    load_demo_received(engine, seed=1)
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine, and_, func, select

from ..db import read_session
from ..models import DecisionRun, Household, Member, StoredDecision, utcnow
from ..models.received_measures import ReceivedMeasure
from ..uow import UnitOfWork
from .catalog import Measure, catalog_for_pack

__all__ = ["DemoSummary", "load_demo_received", "DEMO_ACTOR"]

DEMO_ACTOR = "system:demo-data"
_BATCH = 5000


@dataclass(frozen=True)
class DemoSummary:
    records: int
    left_out: int
    """Eligible decisions deliberately given no record (应享未享)."""
    wrongly_paid: int
    """Records of measures the household is not eligible for (不应享而享)."""
    skipped: bool = False
    """Records existed already: nothing was written."""


def load_demo_received(engine: Engine, *, seed: int = 1, missing_share: float = 0.03,
                       wrong_share: float = 0.005) -> DemoSummary:
    """Write demo records for every county's current run (nothing when records exist)."""
    with read_session(engine) as s:
        if s.scalar(select(func.count()).select_from(ReceivedMeasure)):
            return DemoSummary(0, 0, 0, skipped=True)
        runs = s.execute(select(DecisionRun.id, DecisionRun.pack, DecisionRun.on_date)
                         .where(DecisionRun.status == "current")
                         .order_by(DecisionRun.county_code)).all()
    rng = random.Random(seed)
    totals = [0, 0, 0]
    with UnitOfWork(DEMO_ACTOR, engine) as uow:
        table = ReceivedMeasure.__table__  # Core executemany: millions of rows, no ORM work
        connection = uow.session.connection()
        for run_id, pack, on in runs:
            batch: list[dict[str, Any]] = []
            for row in _plan(engine, run_id, pack, on, rng, missing_share, wrong_share, totals):
                batch.append(row)
                if len(batch) >= _BATCH:
                    connection.execute(table.insert(), batch)  # type: ignore[attr-defined]
                    batch.clear()
            if batch:
                connection.execute(table.insert(), batch)  # type: ignore[attr-defined]
        uow.record("demo_load", "received_measures",
                   detail=f"demo received measures: {totals[0]} records, seed {seed}")
        uow.commit()
    if engine.dialect.name == "postgresql":  # fresh statistics, or the gap lists plan badly
        with engine.begin() as conn:
            conn.exec_driver_sql("ANALYZE received_measures")
    return DemoSummary(*totals)


def _plan(engine: Engine, run_id: int, pack: str, on: dt.date, rng: random.Random,
          missing_share: float, wrong_share: float, totals: list[int]) -> Iterator[dict[str, Any]]:
    catalog = catalog_for_pack(pack)
    wrong_pool = [m for m in catalog.measures if m.payer_kind != "bank"]
    now = utcnow()
    for household_id, county, decisions, members in _households(engine, run_id):
        owned = set()
        for rule_id, member_id, amount in decisions:
            owned.add((rule_id, member_id))
            measure = catalog.get(rule_id)
            if measure is None or measure.payer_kind == "bank":
                continue
            if rng.random() < missing_share:
                totals[1] += 1
                continue
            totals[0] += 1
            yield _record(household_id, county, member_id, measure, amount, on, rng, now)
        if wrong_pool and rng.random() < wrong_share:
            measure = rng.choice(wrong_pool)
            member_id = rng.choice(members) if measure.per_member and members else None
            if (measure.per_member and member_id is None) or (measure.rule_id, member_id) in owned:
                continue
            totals[0] += 1
            totals[2] += 1
            yield _record(household_id, county, member_id, measure, None, on, rng, now)


def _record(household_id: int, county: str, member_id: int | None, measure: Measure,
            amount: Any, on: dt.date, rng: random.Random, now: dt.datetime) -> dict[str, Any]:
    since = on - dt.timedelta(days=rng.randrange(30, 900))
    return {"household_id": household_id, "county_code": county, "member_id": member_id,
            "rule_id": measure.rule_id, "amount_yuan": amount or None, "since": since, "until": None,
            "payer": measure.default_payer or "县扶贫开发局", "note": None,
            "created_by": DEMO_ACTOR, "updated_at": now, "version": 1}


def _households(engine: Engine, run_id: int) -> Iterator[tuple[int, str, list[Any], list[int]]]:
    """Per household of the run, in id order: its eligible decisions (rule, member id, amount)
    and its active members' ids."""
    stmt = (select(StoredDecision.household_id, Household.county_code, StoredDecision.rule_id,
                   Member.id, StoredDecision.amount_yuan)
            .join(Household, Household.id == StoredDecision.household_id)
            .outerjoin(Member, and_(Member.household_id == StoredDecision.household_id,
                                    Member.member_key == StoredDecision.member_key))
            .where(StoredDecision.run_id == run_id, StoredDecision.status == "eligible",
                   StoredDecision.episode.is_(None), Household.active)  # type: ignore[union-attr]
            .order_by(StoredDecision.household_id, StoredDecision.id))
    members_stmt = (select(Member.household_id, Member.id).where(Member.active)
                    .join(Household, Household.id == Member.household_id)
                    .where(Household.county_code == select(DecisionRun.county_code)
                           .where(DecisionRun.id == run_id).scalar_subquery())
                    .order_by(Member.household_id, Member.id))
    with read_session(engine) as s:
        members: dict[int, list[int]] = {}
        for household_id, member_id in s.execute(members_stmt):
            members.setdefault(household_id, []).append(member_id)
        current: tuple[int, str] | None = None
        decisions: list[Any] = []
        streamed = s.execute(stmt.execution_options(yield_per=_BATCH))  # server-side cursor
        for household_id, county, rule_id, member_id, amount in streamed:
            if current is not None and current[0] != household_id:
                yield current[0], current[1], decisions, members.get(current[0], [])
                decisions = []
            current = (household_id, county)
            decisions.append((rule_id, member_id, amount))
        if current is not None:
            yield current[0], current[1], decisions, members.get(current[0], [])
