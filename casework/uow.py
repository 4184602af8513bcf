"""The unit of work: the only way anything is written.

    with UnitOfWork(actor="cadre1") as uow:
        household = uow.get(Household, 42)
        uow.update(household, expected_version=3, address="…")
        uow.commit()

It rolls back unless committed; every committed row change writes an audit event in the same
transaction (:mod:`casework.audit`); updates are compare-and-swap on ``version``.
"""

from __future__ import annotations

from typing import Any, TypeVar

from sqlalchemy import Engine, select
from sqlalchemy.orm.exc import StaleDataError
from sqlmodel import Session

from .audit import install_audit, record_operation
from .db import get_engine, read_session, write_engine

__all__ = ["UnitOfWork", "StaleVersion", "NotFound"]

T = TypeVar("T")


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
        self._watched: list[tuple[type, str, Any, int]] = []

    def __enter__(self) -> "UnitOfWork":
        self.session = Session(write_engine(self.engine), expire_on_commit=False)
        install_audit(self.session, self.actor)
        return self

    def __exit__(self, *exc: object) -> None:
        if not self._committed:
            self.session.rollback()
        self.session.close()

    def get(self, model: type[T], ident: Any, *, for_update: bool = True) -> T:
        """Load a row (locked FOR UPDATE on PostgreSQL; SQLite already holds the write lock)."""
        stmt = select(model).where(model.id == ident)  # type: ignore[attr-defined]
        if for_update and self.engine.dialect.name == "postgresql":
            stmt = stmt.with_for_update()
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
        """Apply ``changes`` if the row is still at ``expected_version``; else StaleVersion."""
        self._check_version(obj, expected_version)
        for name, value in changes.items():
            if name in ("id", "version") or not hasattr(obj, name):
                raise AttributeError(f"{type(obj).__name__} has no settable field {name!r}")
            setattr(obj, name, value)
        self._watched.append((type(obj), obj.__table__.name, obj.id, expected_version))
        return obj

    def record(self, action: str, entity: str, **kw: Any) -> None:
        """Audit an operation that changes no row (export, reveal, bulk load)."""
        record_operation(self.session, action, entity, **kw)

    def flush(self) -> None:
        try:
            self.session.flush()
        except StaleDataError:
            self._raise_stale()

    def commit(self) -> None:
        try:
            self.session.commit()
        except StaleDataError:
            self.session.rollback()
            self._raise_stale()
        self._committed = True

    def _check_version(self, obj: Any, expected: int) -> None:
        if obj.version != expected:
            raise StaleVersion(obj.__table__.name, obj.id, expected, obj.version)

    def _raise_stale(self) -> None:
        for model, table, ident, expected in self._watched:
            actual = _current_version(self.engine, model, ident)
            if actual != expected:
                raise StaleVersion(table, ident, expected, actual) from None
        raise StaleVersion("?", None, -1, None) from None


def _current_version(engine: Engine, model: type, ident: Any) -> int | None:
    with read_session(engine) as s:
        return s.scalar(select(model.version).where(model.id == ident))  # type: ignore[attr-defined]
