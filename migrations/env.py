"""Alembic environment: the models' metadata, the project's engine (SQLite pragmas included),
batch mode on SQLite."""

from alembic import context

from casework.db import get_engine
from casework.models import metadata
from casework.models.base import UtcDateTime

config = context.config


def run_migrations() -> None:
    url = config.attributes.get("url") or config.get_main_option("sqlalchemy.url") or None
    engine = get_engine(url)
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    with engine.connect() as conn:
        _run(conn)
        conn.commit()


def _run(connection) -> None:  # type: ignore[no-untyped-def]
    context.configure(
        connection=connection,
        target_metadata=metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
        render_item=_render_item,
    )
    with context.begin_transaction():
        context.run_migrations()


def _render_item(kind: str, obj: object, _ctx: object) -> str | bool:
    """Render project column types as plain SQLAlchemy types, so migrations don't import them."""
    if kind == "type" and isinstance(obj, UtcDateTime):
        return "sa.DateTime(timezone=True)"
    return False


if context.is_offline_mode():
    raise SystemExit("offline migrations are not supported; run `casework db upgrade`")
run_migrations()
