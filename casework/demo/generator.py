"""Load a demo registry: the areas of :mod:`geography`, one demo user per role, and N households
with their members, hospital stays and income records — all in one transaction.

* Households, members, stays and income records go in with SQLAlchemy Core ``executemany`` in
  batches (ids assigned here, from the table's current maximum; PostgreSQL's sequences are moved
  past them afterwards). The bulk load is audited as **one** event (action ``load``, entity
  ``households``, actor ``system:demo-data``, detail with the counts and the seed), not one per row.
* Areas and users go through the ORM in the same unit of work, so each is audited as a ``create``.
* The same seed gives the same rows: one ``random.Random(seed)`` and one Faker seeded with it,
  drawn in a fixed order; even ``households.updated_at`` is drawn (a working day of 2018 before
  the reference date), not the clock. Only the users' ``created_at``, their salted password
  hashes and the audit events carry the real time of the load.
* Household numbers are ``<county code>-<serial within the county, 6 digits>``, numbered village
  by village in geography order, e.g. ``511922-000042``.
"""

from __future__ import annotations

import json
import random
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from faker import Faker
from sqlalchemy import Connection, Engine, func, insert, select, text

from casework.models import Area, User, metadata
from casework.passwords import DEMO_PASSWORD, hash_password
from casework.uow import UnitOfWork

from . import rates as R
from .accounts import CADRE_VILLAGE_CODE, DEMO_ACCOUNTS
from .draw import Draw
from .geography import CITIES, COUNTIES, PROVINCES, township_code, village_code
from .household import HouseholdDraft, Registry
from .identity import IdNumbers
from .people import Names
from .places import all_places, allocate

__all__ = ["ACTOR", "LoadResult", "RegistryNotEmpty", "load_demo_data"]

ACTOR = "system:demo-data"
BATCH_HOUSEHOLDS = 2000
_TABLES = {name: metadata.tables[name]
           for name in ("households", "members", "hospital_stays", "income_records")}
"""The bulk-loaded tables, parents before children."""


class RegistryNotEmpty(Exception):
    """The database already holds households; the demo loader never mixes with real data."""

    def __init__(self, households: int) -> None:
        super().__init__(f"the registry already holds {households} households")
        self.households = households


@dataclass(frozen=True)
class LoadResult:
    seed: int
    counts: dict[str, int]
    """Rows inserted per table (households, members, hospital_stays, income_records, areas,
    users)."""
    new_accounts: tuple[str, ...]
    """Usernames of the demo accounts created (an existing user of the same name is left as
    it is)."""


def load_demo_data(engine: Engine, households: int, seed: int) -> LoadResult:
    """Generate and store ``households`` households from ``seed``; refuse (RegistryNotEmpty) if
    the database already has any. All or nothing."""
    if households < 1:
        raise ValueError("households must be at least 1")
    with UnitOfWork(ACTOR, engine) as uow:
        conn = uow.session.connection()  # SQLite: BEGIN IMMEDIATE, so the check below holds
        if conn.dialect.name == "postgresql":  # … and on PostgreSQL a second loader waits here
            conn.execute(text("LOCK TABLE households IN SHARE ROW EXCLUSIVE MODE"))
        existing = conn.execute(
            select(func.count()).select_from(_TABLES["households"])
        ).scalar_one()
        if existing:
            raise RegistryNotEmpty(existing)
        area_ids, areas = _ensure_areas(uow)
        accounts = _ensure_users(uow, area_ids)
        counts = _bulk_load(conn, area_ids, households, seed)
        if conn.dialect.name == "postgresql":
            _advance_sequences(conn)
        counts |= {"areas": areas, "users": len(accounts)}
        detail = {"seed": seed, "reference_date": R.REFERENCE_DATE.isoformat(), **counts}
        uow.record("load", "households", detail=json.dumps(detail, sort_keys=True))
        uow.commit()
    return LoadResult(seed, counts, accounts)


def _area_specs() -> Iterator[tuple[str, str, str, str | None, str | None, bool | None]]:
    """(code, name, level, parent code, pack, poor village) for every area, parents first."""
    for p in PROVINCES:
        yield p.code, p.name, "province", None, None, None
    for c in CITIES:
        yield c.code, c.name, "city", c.parent_code, None, None
    for county in COUNTIES:
        yield county.code, county.name, "county", county.city_code, county.pack, None
    for county in COUNTIES:
        for t in county.townships:
            yield township_code(county, t), t.name, "township", county.code, None, None
    for county in COUNTIES:
        for t in county.townships:
            for v in t.villages:
                code = village_code(county, t, v)
                yield code, v.name, "village", township_code(county, t), None, v.poor


def _ensure_areas(uow: UnitOfWork) -> tuple[dict[str, int], int]:
    """Ids of all demo areas by code, creating the missing ones level by level."""
    session = uow.session
    areas = metadata.tables["areas"]
    ids = {code: ident for code, ident in session.execute(select(areas.c.code, areas.c.id))}
    created = 0
    for level in ("province", "city", "county", "township", "village"):
        new = [
            Area(code=code, name=name, level=lvl, parent_id=ids[parent] if parent else None,
                 pack=pack, poor_village=poor)
            for code, name, lvl, parent, pack, poor in _area_specs()
            if lvl == level and code not in ids
        ]
        for area in new:
            uow.add(area)
        uow.flush()
        ids.update({a.code: a.id for a in new if a.id is not None})
        created += len(new)
    return ids, created


def _ensure_users(uow: UnitOfWork, area_ids: dict[str, int]) -> tuple[str, ...]:
    """Create the demo accounts that do not exist yet; their usernames."""
    existing = set(uow.session.scalars(select(metadata.tables["users"].c.username)))
    created: list[str] = []
    for account in DEMO_ACCOUNTS:
        if account.username in existing:
            continue
        uow.add(User(
            username=account.username, display_name=account.display_name,
            password_hash=hash_password(DEMO_PASSWORD), role=account.role,
            area_id=area_ids[account.area_code], is_demo=True,
        ))
        created.append(account.username)
    uow.flush()
    return tuple(created)


class _Batch:
    """Rows waiting to be inserted, with the next id of each table."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        self.next_id = {
            name: (conn.execute(select(func.max(t.c.id))).scalar() or 0) + 1
            for name, t in _TABLES.items()
        }
        self.rows: dict[str, list[dict[str, Any]]] = {name: [] for name in _TABLES}
        self.counts = {name: 0 for name in _TABLES}

    def take(self, table: str, row: dict[str, Any]) -> int:
        ident = self.next_id[table]
        self.next_id[table] = ident + 1
        row["id"] = ident
        self.rows[table].append(row)
        return ident

    def add(self, draft: HouseholdDraft) -> None:
        household_id = self.take("households", draft.row)
        for member in draft.members:
            member.row["household_id"] = household_id
            member_id = self.take("members", member.row)
            for stay in member.stays:
                stay.update(version=1, member_id=member_id, county_code=draft.row["county_code"])
                self.take("hospital_stays", stay)
        for record in draft.incomes:
            record["household_id"] = household_id
            self.take("income_records", record)

    def flush(self) -> None:
        for name, table in _TABLES.items():  # parents before children
            rows = self.rows[name]
            if rows:
                self.conn.execute(insert(table), rows)
                self.counts[name] += len(rows)
                self.rows[name] = []


def _bulk_load(
    conn: Connection, area_ids: dict[str, int], households: int, seed: int
) -> dict[str, int]:
    rng = random.Random(seed)
    fake = Faker("zh_CN")
    fake.seed_instance(seed)
    draw = Draw(rng)
    registry = Registry(draw, Names(fake), IdNumbers(rng))
    places = all_places(area_ids)
    batch = _Batch(conn)
    serial: dict[str, int] = {}
    pending = 0
    counts = allocate(draw, places, households, CADRE_VILLAGE_CODE)
    for place, count in zip(places, counts, strict=True):
        for _ in range(count):
            serial[place.county_code] = serial.get(place.county_code, 0) + 1
            number = f"{place.county_code}-{serial[place.county_code]:06d}"
            batch.add(registry.household(place, number))
            pending += 1
            if pending == BATCH_HOUSEHOLDS:
                batch.flush()
                pending = 0
    batch.flush()
    return dict(batch.counts)


def _advance_sequences(conn: Connection) -> None:
    """PostgreSQL: move each id sequence past the ids assigned here."""
    for name in _TABLES:
        conn.execute(text(
            f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), max(id)) FROM {name}"
            " HAVING max(id) IS NOT NULL"
        ))
