"""The audit trail: append-only (database triggers refuse UPDATE and DELETE)."""

import datetime as dt
from typing import Any

from sqlalchemy import JSON, Index, text
from sqlmodel import Field, SQLModel

from .base import UtcDateTime, utcnow

__all__ = ["AuditEvent", "DEPARTURES"]

DEPARTURES = {
    "sqlite": "(action = 'delete' OR json_extract(\"before\", '$.household_id') IS NOT NULL"
              " OR json_extract(\"before\", '$.member_id') IS NOT NULL)",
    "postgresql": "(action = 'delete' OR (\"before\" ->> 'household_id') IS NOT NULL"
                  " OR (\"before\" ->> 'member_id') IS NOT NULL)",
}
"""Events by which a row can leave its household: its deletion, or an update that changed its
owner (an update's ``before`` holds only the changed columns). Written out per database; the
partial index ``ix_audit_events_departures`` has this very predicate, so the planner uses it for
a household's history (:mod:`casework.history`)."""


class AuditEvent(SQLModel, table=True):
    __tablename__ = "audit_events"
    __table_args__ = (
        Index("ix_audit_events_departures", "county_code", "entity",
              sqlite_where=text(DEPARTURES["sqlite"]),
              postgresql_where=text(DEPARTURES["postgresql"])),
    )

    id: int | None = Field(default=None, primary_key=True)
    at: dt.datetime = Field(default_factory=utcnow, sa_type=UtcDateTime(), index=True)
    """When, in UTC."""
    actor: str = Field(max_length=64, index=True)
    """Username, or ``system:<command>`` for command-line jobs."""
    action: str = Field(max_length=16)
    """create / update / delete, or an operation such as export, reveal, import, load."""
    entity: str = Field(max_length=40)
    """Table name (or a pseudo-entity for operations)."""
    entity_id: str | None = Field(default=None, max_length=40, index=True)
    county_code: str | None = Field(default=None, max_length=6, index=True)
    before: dict[str, Any] | None = Field(default=None, sa_type=JSON(none_as_null=True))
    """Changed fields before, ID numbers masked."""
    after: dict[str, Any] | None = Field(default=None, sa_type=JSON(none_as_null=True))
    """Changed fields after, ID numbers masked."""
    detail: str | None = Field(default=None, max_length=500)
