"""``casework db upgrade`` / ``casework db check``."""

from __future__ import annotations

import click

from casework import migrate
from casework.settings import DatabaseSettings

__all__ = ["command"]


@click.group(name="db")
def command() -> None:
    """Database schema (Alembic migrations)."""


@command.command()
@click.option("--revision", default="head", show_default=True)
def upgrade(revision: str) -> None:
    """Upgrade the database to the latest migration."""
    migrate.upgrade(revision=revision)
    click.echo(f"database at {revision}: {_where()}")


@command.command()
def check() -> None:
    """Fail if the models and the migrations disagree."""
    migrate.check()
    click.echo("models and migrations agree")


def _where() -> str:
    url = DatabaseSettings.from_env().url
    return url.split("@")[-1] if "@" in url else url
