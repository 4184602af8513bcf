"""Shared fixtures: migrated throw-away databases on SQLite and on a real PostgreSQL server.

* ``sqlite_url``  a migrated SQLite database file in the test's temp dir
* ``pg_url``      a fresh migrated database on a session-wide throw-away PostgreSQL server
* ``db_url``      parametrised over both
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from casework import migrate
from casework.db import forget_engines, get_engine
from tests.support.postgres import PostgresServer


@pytest.fixture
def sqlite_url(tmp_path) -> str:  # type: ignore[no-untyped-def]
    url = f"sqlite:///{tmp_path / 'casework.db'}"
    migrate.upgrade(url)
    return url


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PostgresServer]:
    server = PostgresServer().start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def pg_url(pg_server: PostgresServer) -> Iterator[str]:
    url = pg_server.create_database()
    migrate.upgrade(url)
    try:
        yield url
    finally:
        get_engine(url).dispose()
        forget_engines()
        pg_server.drop_database(url)


@pytest.fixture(params=["sqlite", pytest.param("pg", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest) -> str:
    return request.getfixturevalue(f"{request.param}_url")
