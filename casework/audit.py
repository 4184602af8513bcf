"""Audit events written in the same transaction as the change they describe.

A listener on every unit-of-work session records each row the flush inserted, updated or
deleted (cascaded and orphan deletes included), after the flush, when new rows have their ids
and attribute history still shows the old values. ID numbers are masked wherever they appear
and password hashes are withheld. Operations that change no row (an export, a reveal, a bulk
load) are recorded explicitly with :func:`record_operation`.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Any

from sqlalchemy import event, inspect, insert
from sqlalchemy.orm import InstanceState
from sqlalchemy.orm import Session as OrmSession
from sqlalchemy.orm.attributes import NO_VALUE, get_history

from .ids import mask_list
from .models import AuditEvent, utcnow

__all__ = [
    "install_audit", "record_operation", "masked_value", "mask_ids_in_text",
    "SENSITIVE_ID_COLUMNS",
]

SENSITIVE_ID_COLUMNS = frozenset({"id_number"})
_SKIP = frozenset({"password_hash"})
_ABBREVIATED = frozenset({"token_hash"})
"""A login session's key is shown by its first characters only: enough to follow one session
through the trail, and it fits the event's 40-character entity id."""
_ABBREVIATION = 12
_ACTOR = "casework_actor"
_ID_SHAPE = re.compile(r"(?<![0-9A-Za-z])[0-9]{17}[0-9Xx](?![0-9A-Za-z])")
"""Anything shaped like an 18-character resident ID, wherever it turns up in free text."""


def mask_ids_in_text(text: str) -> str:
    """``text`` with every ID-shaped run masked to its last four characters."""
    return _ID_SHAPE.sub(lambda m: mask_list(m.group(0)), text)


def masked_value(column: str, value: Any) -> Any:
    """A JSON-safe value for the audit log, with ID numbers masked and hashes withheld."""
    if value is None:
        return None
    if column in SENSITIVE_ID_COLUMNS:
        return mask_list(str(value))
    if column in _SKIP:
        return "***"
    if column in _ABBREVIATED:
        return f"{str(value)[:_ABBREVIATION]}…"
    return _json_safe(value)


def _json_safe(value: Any) -> Any:
    if isinstance(value, str):
        return mask_ids_in_text(value)
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return [_json_safe(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _json_safe(v) for k, v in value.items()}
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
    if detail is not None:
        detail = mask_ids_in_text(detail)
    if entity_id is not None:
        entity_id = mask_ids_in_text(entity_id)
    session.execute(
        insert(AuditEvent.__table__),
        [_event(session.info[_ACTOR], action, entity, entity_id, county_code, None, None, detail)],
    )


def _after_flush(session: OrmSession, flush_context: Any) -> None:
    """Audit every state the flush wrote. ``flush_context.states`` (state → (isdelete,
    listonly)) also holds cascaded and orphan deletes, which ``session.deleted`` misses; new
    rows are told apart by having no identity key yet (it is assigned after this hook)."""
    actor = session.info[_ACTOR]
    rows = []
    for state, (is_delete, list_only) in list(flush_context.states.items()):
        obj = state.obj()
        if list_only or obj is None or isinstance(obj, AuditEvent):
            continue
        if is_delete:
            rows.append(_row_event(actor, "delete", state, _values(state), None))
        elif state.key is None:
            rows.append(_row_event(actor, "create", state, None, _values(state)))
        else:
            before, after = _changes(state)
            if after:
                rows.append(_row_event(actor, "update", state, before, after))
    if rows:
        session.connection().execute(insert(AuditEvent.__table__), rows)


def _row_event(
    actor: str, action: str, state: InstanceState[Any], before: Any, after: Any
) -> dict[str, Any]:
    mapper = state.mapper
    ident = mapper.primary_key_from_instance(state.obj())
    keys = [masked_value(c.key, i) for c, i in zip(mapper.primary_key, ident)]
    entity_id = "/".join(str(k) for k in keys) if None not in ident else None
    county = state.dict.get("county_code")
    return _event(actor, action, mapper.local_table.name, entity_id, county, before, after, None)


def _event(
    actor: str, action: str, entity: str, entity_id: str | None, county: str | None,
    before: Any, after: Any, detail: str | None,
) -> dict[str, Any]:
    return {
        "at": utcnow(), "actor": actor, "action": action, "entity": entity,
        "entity_id": entity_id, "county_code": county, "before": before, "after": after,
        "detail": detail,
    }


def _values(state: InstanceState[Any]) -> dict[str, Any]:
    """Every loaded column value (never loads: a deleted row can no longer be read)."""
    values = {}
    for attr in state.mapper.column_attrs:
        value = state.attrs[attr.key].loaded_value
        if value is not NO_VALUE:
            values[attr.key] = masked_value(attr.key, value)
    return values


def _version_key(mapper: Any) -> str | None:
    column = mapper.version_id_col
    return None if column is None else mapper.get_property_by_column(column).key


def _changes(state: InstanceState[Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """The changed columns before and after. The version counter is bumped by the mapper
    itself (so it shows no history); it is reported with the other changes."""
    before: dict[str, Any] = {}
    after: dict[str, Any] = {}
    version_key = _version_key(state.mapper)
    for attr in state.mapper.column_attrs:
        if attr.key == version_key:
            continue
        hist = get_history(state.obj(), attr.key)
        if not hist.has_changes():
            continue
        old = hist.deleted[0] if hist.deleted else None
        new = hist.added[0] if hist.added else None
        if old != new:
            before[attr.key] = masked_value(attr.key, old)
            after[attr.key] = masked_value(attr.key, new)
    if after and version_key is not None:
        new_version = state.dict.get(version_key)
        before[version_key] = new_version - 1 if isinstance(new_version, int) else None
        after[version_key] = new_version
    return before, after
