"""Database engines: SQLite by default (WAL, synchronous=FULL, foreign keys on, write
transactions begun with BEGIN IMMEDIATE), PostgreSQL when ``CASEWORK_DATABASE_URL`` names one."""

from __future__ import annotations

import json
import threading
from contextlib import AbstractContextManager, nullcontext
from functools import lru_cache
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, make_url
from sqlmodel import Session

from .settings import DatabaseSettings, normalise_url

__all__ = ["get_engine", "forget_engines", "write_engine", "read_session", "is_sqlite"]

_WRITE = "casework_write"


def is_sqlite(engine: Engine) -> bool:
    return engine.dialect.name == "sqlite"


def get_engine(url: str | None = None) -> Engine:
    """The engine for ``url`` (default: from the environment, read at each call), created once
    per URL."""
    return _engine_for(normalise_url(url) if url else DatabaseSettings.from_env().url)


def forget_engines() -> None:
    """Drop the cached engines (tests that create and drop databases)."""
    _engine_for.cache_clear()


@lru_cache(maxsize=16)
def _engine_for(url: str) -> Engine:
    if url.startswith("sqlite"):
        return _sqlite_engine(url)
    return create_engine(url, pool_pre_ping=True, pool_size=10, max_overflow=20,
                         json_serializer=_json_dumps)


def write_engine(engine: Engine) -> Engine:
    """The same engine, marked so SQLite begins its transactions with BEGIN IMMEDIATE (the write
    lock is taken up front, so a read-then-write transaction never fails half-way with BUSY)."""
    return engine.execution_options(**{_WRITE: True})


def writer_turn(engine: Engine) -> AbstractContextManager[object]:
    """Hold this while a write transaction is open. On SQLite the writers of one process wait
    for each other here, each woken the moment the previous one finishes, instead of in
    SQLite's busy handler, which sleeps with back-off (up to 100 ms at a time) and so gives a
    queue of saves a long tail. Other databases lock rows themselves: no wait here."""
    if not is_sqlite(engine):
        return nullcontext()
    return _sqlite_writer_lock(str(engine.url))


@lru_cache(maxsize=16)
def _sqlite_writer_lock(url: str) -> threading.RLock:
    return threading.RLock()


def read_session(engine: Engine | None = None) -> Session:
    """A session for reading (plain BEGIN on SQLite, so readers never wait for the write lock)."""
    return Session(engine or get_engine(), expire_on_commit=False)


def _sqlite_engine(url: str) -> Engine:
    path = make_url(url).database  # without any ?query part
    if path and path != ":memory:" and not path.startswith("file:"):
        Path(path).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, connect_args={"timeout": 30, "check_same_thread": False},
                           json_serializer=_json_dumps)
    event.listen(engine, "connect", _sqlite_on_connect)
    event.listen(engine, "begin", _sqlite_on_begin)
    return engine


def _json_dumps(value: Any) -> str:
    """JSON columns keep Chinese as it is (a third of the size of \\u escapes)."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _sqlite_on_connect(dbapi_conn: Any, _record: Any) -> None:
    dbapi_conn.isolation_level = None  # let SQLAlchemy's "begin" event issue BEGIN itself
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=FULL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA busy_timeout=30000")
    cur.close()


def _sqlite_on_begin(conn: Any) -> None:
    immediate = conn.get_execution_options().get(_WRITE, False)
    conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")
