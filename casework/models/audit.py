"""The audit trail: append-only (database triggers refuse UPDATE and DELETE)."""

import datetime as dt
from typing import Any

from sqlalchemy import JSON
from sqlmodel import Field, SQLModel

from .base import UtcDateTime, utcnow

__all__ = ["AuditEvent"]


class AuditEvent(SQLModel, table=True):
    __tablename__ = "audit_events"

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
