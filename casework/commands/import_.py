"""``casework import --format jsonl [--actor USERNAME] FILE``: load households from the JSON Lines
that ``casework export`` writes, creating new households and updating existing ones by number.

Every line is validated first; if any is bad, every error is printed on stderr as
``line N: path: reason`` followed by the Chinese message, nothing is written and the exit status
is 2. Otherwise the whole file is written in one unit of work (each row change audited, plus one
``import`` event with the counts).
"""

from __future__ import annotations

from pathlib import Path

import click

from casework.commands.export import operator
from casework.db import get_engine
from casework.registry import ImportRefused, import_file
from casework.settings import DatabaseSettings

__all__ = ["command"]


@click.command(name="import")
@click.option("--format", "fmt", type=click.Choice(["jsonl"]), default="jsonl", show_default=True)
@click.option("--actor", metavar="USERNAME", help="County administrator running the import "
              "(default: system:import); limits the file to their county.")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def command(fmt: str, actor: str | None, file: Path) -> None:
    """Import households from calc-v1 JSON Lines (all lines or none)."""
    engine = get_engine(DatabaseSettings.from_env().url)  # cached per URL, not per process
    who = operator(engine, actor, "system:import")
    try:
        result = import_file(engine, file, actor=who.actor, scope=who.county_code)
    except ImportRefused as refused:
        for error in refused.errors:
            click.echo(f"{error}\n  {error.zh()}", err=True)
        lines = len({e.line for e in refused.errors})
        click.echo(f"refused: {len(refused.errors)} error(s) on {lines} line(s); nothing was "
                   f"imported\n  文件有{lines}行存在错误，未导入任何数据，请改正后重新导入", err=True)
        raise click.exceptions.Exit(2) from None
    click.echo(
        f"imported {result.lines} households: {result.created} created, {result.updated} "
        f"updated, {result.unchanged} unchanged\n  已导入{result.lines}户：新建{result.created}户，"
        f"更新{result.updated}户，未变{result.unchanged}户"
    )
