"""SQLite is set up as DESIGN.md says: WAL, synchronous=FULL, foreign keys on; a unit of work
takes the write lock up front (BEGIN IMMEDIATE), a read session does not."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import Engine, event, select, text
from sqlalchemy.exc import IntegrityError

from casework.db import get_engine, is_sqlite, read_session
from casework.models import Household
from casework.uow import UnitOfWork
from tests.support.storage import COUNTY, audit_rows, seed_household


@pytest.fixture
def engine(sqlite_url: str) -> Engine:
    return get_engine(sqlite_url)


def _db_file(engine: Engine) -> Path:
    return Path(str(engine.url.database))


@contextmanager
def _other_connection(engine: Engine) -> Iterator[sqlite3.Connection]:
    """A second, plain connection that gives up on a lock after 50 ms."""
    conn = sqlite3.connect(_db_file(engine), timeout=0.05, isolation_level=None)
    try:
        yield conn
    finally:
        conn.close()


def _can_take_write_lock(engine: Engine) -> bool:
    with _other_connection(engine) as conn:
        try:
            conn.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as error:
            assert "locked" in str(error)
            return False
        conn.execute("ROLLBACK")
        return True


def test_connections_use_wal_full_sync_and_foreign_keys(engine: Engine) -> None:
    assert is_sqlite(engine)
    with engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 5000


def test_a_unit_of_work_holds_the_write_lock_from_its_first_read(engine: Engine) -> None:
    household_id = seed_household(engine)
    assert _can_take_write_lock(engine)
    with UnitOfWork("cadre1", engine) as uow:
        uow.get(Household, household_id)  # only read so far
        assert not _can_take_write_lock(engine)
    assert _can_take_write_lock(engine)  # released when the unit of work ends


def test_a_unit_of_work_begins_immediate_and_a_read_session_plainly(engine: Engine) -> None:
    household_id = seed_household(engine)
    seen: list[str] = []

    def spy(_conn: object, _cursor: object, statement: str, *_: object) -> None:
        if statement.split()[0].upper() == "BEGIN":
            seen.append(statement.strip().upper())

    event.listen(engine, "before_cursor_execute", spy)
    try:
        with UnitOfWork("cadre1", engine) as uow:
            uow.get(Household, household_id)
        with read_session(engine) as s:
            s.get(Household, household_id)
    finally:
        event.remove(engine, "before_cursor_execute", spy)
    assert seen == ["BEGIN IMMEDIATE", "BEGIN"]


def test_a_read_session_does_not_block_writers(engine: Engine) -> None:
    household_id = seed_household(engine)
    with read_session(engine) as s:
        assert s.get(Household, household_id).version == 1  # a read transaction is open
        assert _can_take_write_lock(engine)
        with UnitOfWork("cadre1", engine) as uow:  # and a writer can commit meanwhile
            uow.update(uow.get(Household, household_id), expected_version=1, address="甲")
            uow.commit()
        assert s.get(Household, household_id).address is None  # its snapshot is unchanged


def test_a_foreign_key_violation_is_refused(engine: Engine) -> None:
    seed_household(engine)
    events_before = len(audit_rows(engine))
    with pytest.raises(IntegrityError, match="FOREIGN KEY"):
        with UnitOfWork("cadre1", engine) as uow:
            uow.add(Household(number="H-404", county_code=COUNTY, village_id=404404))
            uow.commit()
    with pytest.raises(IntegrityError, match="FOREIGN KEY"):
        with engine.begin() as conn:
            conn.execute(text("DELETE FROM areas"))  # the household's village is still used
    with read_session(engine) as s:
        assert s.scalars(select(Household.number)).all() == ["H-0001"]
    assert len(audit_rows(engine)) == events_before
