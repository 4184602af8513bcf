"""Column helpers shared by the tables."""


import datetime as dt
from decimal import Decimal
from typing import Any

from sqlalchemy import DateTime, Numeric, TypeDecorator
from sqlalchemy.orm import declared_attr
from sqlmodel import Field, SQLModel

__all__ = ["Money", "Versioned", "money_field", "utcnow", "UtcDateTime"]

Money = Numeric(14, 2)
"""Yuan with two decimals (fen), exact on SQLite and PostgreSQL."""

class UtcDateTime(TypeDecorator[dt.datetime]):
    """A timestamp stored in UTC and always read back timezone-aware (SQLite keeps no zone)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: Any) -> dt.datetime | None:
        if value is not None and value.tzinfo is None:
            raise ValueError("naive datetime: store UTC-aware timestamps only")
        return value.astimezone(dt.timezone.utc) if value is not None else None

    def process_result_value(self, value: dt.datetime | None, dialect: Any) -> dt.datetime | None:
        if value is not None and value.tzinfo is None:
            return value.replace(tzinfo=dt.timezone.utc)
        return value


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


def money_field(description: str) -> Any:
    """A nullable money column (yuan, two decimals); ``None`` means not recorded."""
    return Field(default=None, sa_type=Money, description=description)


class Versioned(SQLModel):
    """A mutable row: ``version`` starts at 1 and every UPDATE is a compare-and-swap on it
    (SQLAlchemy's version counter: ``UPDATE … WHERE id = ? AND version = ?``)."""

    version: int = Field(default=1, nullable=False)
    """Row version; bumped by every update."""

    @declared_attr  # type: ignore[misc]
    def __mapper_args__(cls) -> dict[str, Any]:  # noqa: N805
        return {"version_id_col": cls.__table__.c.version}  # type: ignore[attr-defined]


_ = Decimal  # re-exported type used in annotations of sibling modules
