"""The unit of work: the only way anything is written.

    with UnitOfWork(actor="cadre1") as uow:
        household = uow.get(Household, 42)
        uow.update(household, expected_version=3, address="…")
        uow.commit()

It rolls back unless committed; every committed row change writes an audit event in the same
transaction (:mod:`casework.audit`); updates and deletes are compare-and-swap on ``version``.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any, TypeVar

from sqlalchemy import Engine, event, inspect, select
from sqlalchemy.orm.exc import StaleDataError
from sqlmodel import Session

from .audit import install_audit, record_operation
from .db import get_engine, read_session, write_engine, writer_turn
from .models import utcnow

__all__ = ["UnitOfWork", "StaleVersion", "NotFound"]

T = TypeVar("T")
_Watched = dict[tuple[type, Any], int]


class StaleVersion(Exception):
    """Someone else changed the row since it was read; both versions are carried."""

    def __init__(self, entity: str, entity_id: Any, expected: int, actual: int | None) -> None:
        self.entity, self.entity_id = entity, entity_id
        self.expected, self.actual = expected, actual
        super().__init__(f"{entity} {entity_id}: expected version {expected}, found {actual}")

    @property
    def message_zh(self) -> str:
        if self.actual is None:
            return "该记录已被删除，您的修改没有保存。"
        return (
            f"该记录已被他人修改：您编辑的是第{self.expected}版，当前已是第{self.actual}版。"
            "您的修改没有保存，请刷新后核对再提交。"
        )


class NotFound(LookupError):
    pass


class UnitOfWork:
    def __init__(self, actor: str, engine: Engine | None = None) -> None:
        if not actor:
            raise ValueError("a unit of work needs an actor for the audit trail")
        self.actor = actor
        self.engine = engine or get_engine()
        self.session: Session
        self._committed = False
        self._watched: _Watched = {}

    def __enter__(self) -> "UnitOfWork":
        self._turn = writer_turn(self.engine)
        self._turn.__enter__()
        try:
            self.session = Session(write_engine(self.engine), expire_on_commit=False)
            install_audit(self.session, self.actor)
            event.listen(self.session, "before_flush", self._note_versions)
        except BaseException:
            self._turn.__exit__(None, None, None)
            raise
        return self

    def __exit__(self, *exc: object) -> None:
        try:
            if not self._committed:
                self.session.rollback()
            self.session.close()
        finally:
            self._turn.__exit__(None, None, None)

    def get(self, model: type[T], ident: Any, *, for_update: bool = True) -> T:
        """Load a row (locked FOR UPDATE on PostgreSQL and re-read, so its version is the
        committed one; SQLite already holds the write lock)."""
        stmt = select(model).where(model.id == ident)  # type: ignore[attr-defined]
        if for_update and self.engine.dialect.name == "postgresql":
            stmt = stmt.with_for_update().execution_options(populate_existing=True)
        obj = self.session.scalars(stmt).first()
        if obj is None:
            raise NotFound(f"{model.__name__} {ident}")
        return obj

    def add(self, obj: T) -> T:
        self.session.add(obj)
        return obj

    def delete(self, obj: Any, *, expected_version: int) -> None:
        self._check_version(obj, expected_version)
        self.session.delete(obj)

    def update(self, obj: T, *, expected_version: int, **changes: Any) -> T:
        """Apply ``changes`` if the row is still at ``expected_version``; else StaleVersion.

        Only ordinary columns may be set: the primary key, the version counter, relationships
        and unknown names are refused (AttributeError) before anything is changed. A row with
        an ``updated_at`` column gets it stamped when a value really changes."""
        self._check_version(obj, expected_version)
        settable = _settable_columns(type(obj))
        refused = sorted(name for name in changes if name not in settable)
        if refused:
            raise AttributeError(f"{type(obj).__name__}: fields not settable here: {refused}")
        really_changed = any(getattr(obj, k) != v for k, v in changes.items())
        for name, value in changes.items():
            setattr(obj, name, value)
        if really_changed and "updated_at" in settable and "updated_at" not in changes:
            obj.updated_at = utcnow()  # type: ignore[attr-defined]
        return obj

    def record(self, action: str, entity: str, **kw: Any) -> None:
        """Audit an operation that changes no row (export, reveal, bulk load)."""
        record_operation(self.session, action, entity, **kw)

    def flush(self) -> None:
        try:
            self.session.flush()
        except StaleDataError as error:
            self.session.rollback()
            self._raise_stale(error)

    def commit(self) -> None:
        try:
            self.session.commit()
        except StaleDataError as error:
            self.session.rollback()
            self._raise_stale(error)
        self._committed = True

    def _check_version(self, obj: Any, expected: int) -> None:
        if obj.version != expected:
            raise StaleVersion(obj.__table__.name, obj.id, expected, obj.version)

    def _note_versions(self, session: Session, _ctx: Any, _instances: Any) -> None:
        """Remember the version each changed or deleted row is expected to have, so a
        conflict found by the flush (``UPDATE … WHERE version = ?`` hit no row) can be
        reported with both versions. Only the rows of the flush at hand are kept."""
        self._watched.clear()
        for obj in list(session.dirty) + list(session.deleted):
            state = inspect(obj)
            version_col = state.mapper.version_id_col
            if version_col is None or state.key is None:
                continue
            key = state.mapper.get_property_by_column(version_col).key
            if key in state.dict:
                self._watched[(type(obj), state.identity[0])] = state.dict[key]

    def _raise_stale(self, error: StaleDataError) -> None:
        for (model, ident), expected in self._watched.items():
            actual = _current_version(self.engine, model, ident)
            if actual != expected:
                raise StaleVersion(model.__table__.name, ident, expected, actual) from error
        raise error


@lru_cache(maxsize=None)
def _settable_columns(model: type) -> frozenset[str]:
    mapper = inspect(model)
    fixed = {mapper.get_property_by_column(c).key for c in mapper.primary_key}
    if mapper.version_id_col is not None:
        fixed.add(mapper.get_property_by_column(mapper.version_id_col).key)
    return frozenset(attr.key for attr in mapper.column_attrs if attr.key not in fixed)


def _current_version(engine: Engine, model: Any, ident: Any) -> int | None:
    with read_session(engine) as s:
        return s.scalar(select(model.version).where(model.id == ident))
