"""Audit events written in the same transaction as the change they describe.

A listener on every unit-of-work session records each inserted, updated and deleted row after
the flush (when new rows have their ids and attribute history still shows the old values), with
ID numbers masked. Operations that change no row (an export, a reveal, a bulk load) are recorded
explicitly with :func:`record_operation`.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from sqlalchemy import event, inspect, insert
from sqlalchemy.orm import Session as OrmSession
from sqlalchemy.orm.attributes import get_history

from .ids import mask_list
from .models import AuditEvent, utcnow

__all__ = ["install_audit", "record_operation", "masked_value", "SENSITIVE_ID_COLUMNS"]

SENSITIVE_ID_COLUMNS = frozenset({"id_number"})
_SKIP = frozenset({"password_hash"})
_ACTOR = "casework_actor"


def masked_value(column: str, value: Any) -> Any:
    """A JSON-safe value for the audit log, with ID numbers masked and hashes withheld."""
    if value is None:
        return None
    if column in SENSITIVE_ID_COLUMNS:
        return mask_list(str(value))
    if column in _SKIP:
        return "***"
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return value


def install_audit(session: OrmSession, actor: str) -> None:
    """Make ``session`` audit every row it writes, attributed to ``actor``."""
    session.info[_ACTOR] = actor
    event.listen(session, "after_flush", _after_flush)


def record_operation(
    session: OrmSession,
    action: str,
    entity: str,
    *,
    entity_id: str | None = None,
    county_code: str | None = None,
    detail: str | None = None,
) -> None:
    """Record an operation that is not a row change (export, reveal, bulk load …)."""
    session.execute(
        insert(AuditEvent.__table__),
        [_event(session.info[_ACTOR], action, entity, entity_id, county_code, None, None, detail)],
    )


def _after_flush(session: OrmSession, _ctx: Any) -> None:
    actor = session.info[_ACTOR]
    rows = []
    for obj in session.new:
        if not isinstance(obj, AuditEvent):
            rows.append(_row_event(actor, "create", obj, None, _values(obj)))
    for obj in session.dirty:
        if session.is_modified(obj, include_collections=False):
            before, after = _changes(obj)
            if after:
                rows.append(_row_event(actor, "update", obj, before, after))
    for obj in session.deleted:
        rows.append(_row_event(actor, "delete", obj, _values(obj), None))
    if rows:
        session.connection().execute(insert(AuditEvent.__table__), rows)


def _row_event(actor: str, action: str, obj: Any, before: Any, after: Any) -> dict[str, Any]:
    table = obj.__table__.name
    ident = inspect(obj).identity
    entity_id = "/".join(str(i) for i in ident) if ident else None
    county = getattr(obj, "county_code", None)
    return _event(actor, action, table, entity_id, county, before, after, None)


def _event(
    actor: str, action: str, entity: str, entity_id: str | None, county: str | None,
    before: Any, after: Any, detail: str | None,
) -> dict[str, Any]:
    return {
        "at": utcnow(), "actor": actor, "action": action, "entity": entity,
        "entity_id": entity_id, "county_code": county, "before": before, "after": after,
        "detail": detail,
    }


def _values(obj: Any) -> dict[str, Any]:
    return {
        col.key: masked_value(col.key, getattr(obj, col.key))
        for col in inspect(obj).mapper.column_attrs
    }


def _changes(obj: Any) -> tuple[dict[str, Any], dict[str, Any]]:
    before: dict[str, Any] = {}
    after: dict[str, Any] = {}
    for col in inspect(obj).mapper.column_attrs:
        hist = get_history(obj, col.key)
        if hist.has_changes():
            old = hist.deleted[0] if hist.deleted else None
            new = hist.added[0] if hist.added else None
            if old != new or col.key == "version":
                before[col.key] = masked_value(col.key, old)
                after[col.key] = masked_value(col.key, new)
    if set(after) == {"version"}:
        return {}, {}
    return before, after
