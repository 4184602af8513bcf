"""``casework received …``: import a payment spreadsheet, or make demo records.

    casework received import FILE.xlsx --user USERNAME   all or nothing, as that township account
    casework received demo [--seed 1]                      demo records from the current runs

(Registered in ``casework/cli.py`` as ``"received"``.)
"""

from __future__ import annotations

import secrets
from pathlib import Path

import click
from sqlalchemy import select

from ..db import get_engine, read_session
from ..models import User
from ..received_measures.demo import load_demo_received
from ..received_measures.importing import ImportRefused, import_received, read_rows
from ..received_measures.records import EDITOR_ROLES

__all__ = ["command"]


@click.group(name="received")
def command() -> None:
    """What households actually receive (享受政策记录)."""


@command.command(name="import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--user", "username", required=True,
              help="A township staff account: rows are limited to its township.")
def import_command(path: Path, username: str) -> None:
    """Import received measures from an .xlsx or .csv file (every row checked; all or nothing)."""
    engine = get_engine()
    with read_session(engine) as s:
        user = s.scalar(select(User).where(User.username == username, User.active))
    if user is None or user.role not in EDITOR_ROLES:
        raise click.ClickException(f"{username}: no active township staff account "
                                   "(须为在用的乡镇扶贫专干账号)")
    try:
        rows = read_rows(path.read_bytes(), path.name)
        result = import_received(engine, user, f"cli:{username}", rows, secrets.token_urlsafe(18))
    except ImportRefused as refused:
        for problem in refused.problems:
            click.echo(problem, err=True)
        raise click.ClickException(f"文件没有导入：{len(refused.problems)} 处问题") from None
    click.echo(f"imported {result.records} records for {result.households} households "
               f"(已导入 {result.records} 条)")


@command.command(name="demo")
@click.option("--seed", type=int, default=1, show_default=True)
def demo_command(seed: int) -> None:
    """Write demo received records from every county's current run (skipped if any exist)."""
    summary = load_demo_received(get_engine(), seed=seed)
    if summary.skipped:
        click.echo("received measures exist already: nothing written")
        return
    click.echo(f"{summary.records} received records ({summary.left_out} eligible decisions left "
               f"without a record, {summary.wrongly_paid} records not owed)")
