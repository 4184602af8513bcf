"""Twenty threads edit the same household through the unit of work at once. No update is lost:
every edit either lands (its change is in the final row and in the audit trail) or is refused
with StaleVersion; the version counts exactly the landed edits.

Each edit appends its own tag to the household's ``poverty_causes`` list, computed from the
row as that thread read it, so a lost update would drop a tag from the final list. The threads
meet at a barrier right before they read, so they really race for the write. On PostgreSQL
half of them lock the row (SELECT … FOR UPDATE: the version check sees the winner's commit)
and half do not (the database's ``UPDATE … WHERE version = ?`` then finds no row); on SQLite
every unit of work begins with BEGIN IMMEDIATE.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
from sqlalchemy import Engine

from casework.db import get_engine, read_session
from casework.models import Household
from casework.uow import StaleVersion, UnitOfWork
from tests.support.storage import audit_rows, seed_household

THREADS = 20
ROUNDS = 3


@dataclass
class Outcomes:
    landed: list[str] = field(default_factory=list)
    stale: list[StaleVersion] = field(default_factory=list)
    other: list[BaseException] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def record(self, tag: str, outcome: StaleVersion | BaseException | None) -> None:
        with self.lock:
            if outcome is None:
                self.landed.append(tag)
            elif isinstance(outcome, StaleVersion):
                self.stale.append(outcome)
            else:
                self.other.append(outcome)


def _read(engine: Engine, household_id: int) -> tuple[int, list[str]]:
    with read_session(engine) as s:
        household = s.get(Household, household_id)
        return household.version, list(household.poverty_causes or [])


def _edit(engine: Engine, household_id: int, tag: str, expected: int, causes: list[str],
          lock_row: bool) -> None:
    with UnitOfWork(f"cadre-{tag}", engine) as uow:
        household = uow.get(Household, household_id, for_update=lock_row)
        uow.update(household, expected_version=expected, poverty_causes=[*causes, tag])
        uow.commit()


def _race(engine: Engine, household_id: int, expected_of: Callable[[int], int | None]) -> Outcomes:
    """Run THREADS threads for ROUNDS rounds; each round every thread waits at the barrier,
    reads the row, then writes with the version from its own read (or ``expected_of(i)``)."""
    outcomes = Outcomes()
    barrier = threading.Barrier(THREADS)

    def worker(i: int) -> None:
        for round_no in range(ROUNDS):
            tag = f"t{i:02d}r{round_no}"
            try:
                barrier.wait(timeout=60)
                version, causes = _read(engine, household_id)
                forced = expected_of(i)
                _edit(engine, household_id, tag, version if forced is None else forced, causes,
                      lock_row=i % 2 == 0)
            except BaseException as error:  # noqa: BLE001 - every outcome is recorded
                outcomes.record(tag, error)
            else:
                outcomes.record(tag, None)

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(t.is_alive() for t in threads), "a worker hung"
    return outcomes


def _assert_nothing_lost(engine: Engine, household_id: int, outcomes: Outcomes) -> None:
    assert outcomes.other == [], outcomes.other[:3]
    assert len(outcomes.landed) + len(outcomes.stale) == THREADS * ROUNDS
    assert outcomes.landed, "no edit landed at all"
    version, causes = _read(engine, household_id)
    assert version == 1 + len(outcomes.landed)
    assert sorted(causes) == sorted(outcomes.landed)  # every landed edit is in the final row
    updates = audit_rows(engine, entity="households", action="update")
    assert len(updates) == len(outcomes.landed)
    assert sorted(e["actor"] for e in updates) == sorted(f"cadre-{t}" for t in outcomes.landed)
    assert [e["after"]["version"] for e in updates] == list(range(2, version + 1))
    for event in updates:  # each event shows exactly its own edit
        tag = event["actor"].removeprefix("cadre-")
        before = event["before"]["poverty_causes"] or []
        assert event["after"]["poverty_causes"] == [*before, tag]
    for stale in outcomes.stale:
        assert stale.entity == "households" and stale.entity_id == household_id
        assert stale.actual is not None and stale.actual > stale.expected


@pytest.fixture
def engine(db_url: str) -> Engine:
    return get_engine(db_url)


def test_concurrent_edits_lose_no_update(engine: Engine) -> None:
    household_id = seed_household(engine)
    outcomes = _race(engine, household_id, expected_of=lambda i: None)
    _assert_nothing_lost(engine, household_id, outcomes)
    assert len(outcomes.landed) >= ROUNDS  # at least one winner per round


def test_all_edits_from_the_same_stale_read_let_exactly_one_land(engine: Engine) -> None:
    household_id = seed_household(engine)
    outcomes = _race(engine, household_id, expected_of=lambda i: 1)
    _assert_nothing_lost(engine, household_id, outcomes)
    assert len(outcomes.landed) == 1
    assert all(s.expected == 1 and s.actual == 2 for s in outcomes.stale)
