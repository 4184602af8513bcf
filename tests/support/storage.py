"""Helpers for the storage tests: a minimal registry (county, village, household), valid
resident IDs, and the audit trail read back as plain dicts."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine, select, text

from casework.ids import check_character
from casework.db import read_session
from casework.models import Area, AuditEvent, Household
from casework.uow import UnitOfWork

__all__ = ["valid_id", "seed_village", "seed_household", "audit_rows", "audit_text"]

COUNTY = "511922"  # 南江县


def valid_id(seq: int, *, area: str = COUNTY, born: str = "19800101") -> str:
    """A GB 11643-1999 valid ID number; ``seq`` (0–999) picks the sequence code."""
    first17 = f"{area}{born}{seq:03d}"
    return first17 + check_character(first17)


def seed_village(engine: Engine) -> int:
    """The county and one village under it (created once); returns the village's id."""
    with UnitOfWork("test:seed", engine) as uow:
        found = uow.session.scalars(select(Area).where(Area.code == COUNTY + "100201")).first()
        if found is not None:
            return found.id  # type: ignore[return-value]
        county = uow.add(Area(code=COUNTY, name="南江县", level="county"))
        uow.flush()
        village = uow.add(
            Area(code=COUNTY + "100201", name="五郎沟村", level="village", parent_id=county.id)
        )
        uow.commit()
        return village.id  # type: ignore[return-value]


def seed_household(engine: Engine, number: str = "H-0001", **fields: Any) -> int:
    """A household in the test village, committed through a unit of work; returns its id."""
    village_id = seed_village(engine)
    with UnitOfWork("test:seed", engine) as uow:
        household = uow.add(
            Household(number=number, county_code=COUNTY, village_id=village_id, **fields)
        )
        uow.commit()
        return household.id  # type: ignore[return-value]


def audit_rows(engine: Engine, **where: str) -> list[dict[str, Any]]:
    """Audit events in insertion order as dicts, optionally filtered by equality on columns,
    e.g. ``audit_rows(engine, entity="households", action="update")``."""
    stmt = select(AuditEvent).order_by(AuditEvent.id)
    for column, value in where.items():
        stmt = stmt.where(getattr(AuditEvent, column) == value)
    with read_session(engine) as s:
        return [event.model_dump() for event in s.scalars(stmt)]


def audit_text(engine: Engine) -> list[str]:
    """Every audit row as one string of all its columns (as stored), for pattern checks."""
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT * FROM audit_events ORDER BY id")).all()
    return [" | ".join("" if v is None else str(v) for v in row) for row in rows]
