"""``casework export --format jsonl [--village CODE] [--county CODE] [--output FILE]
[--actor USERNAME]``: the registry's households as JSON Lines (see
:mod:`casework.registry._jsonl`), full ID numbers included: an administrator's command, audited.

Households come in household-number order, one page at a time, from one read transaction (a
consistent snapshot on both databases). With ``--output`` the file is written beside its final
name and renamed into place when complete, so a failed export leaves no half file. Messages go to
stderr; stdout carries only data.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import NoReturn

import click
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from casework.db import get_engine, read_session
from casework.models import Area, User
from casework.registry import export_lines, load_places
from casework.settings import DatabaseSettings
from casework.uow import UnitOfWork

__all__ = ["command", "Operator", "operator", "refuse"]


@dataclass(frozen=True, slots=True)
class Operator:
    """Who runs a command: the audit actor and the one county they may touch (None: all)."""

    actor: str
    county_code: str | None


def refuse(reason: str, message_zh: str) -> NoReturn:
    """Stop with exit status 2, saying why in English and Chinese on stderr."""
    click.echo(f"error: {reason}\n  {message_zh}", err=True)
    raise click.exceptions.Exit(2)


def operator(engine: Engine, username: str | None, default: str) -> Operator:
    """The system actor ``default`` when no username is given; otherwise the user, who must be
    an active county administrator (and is then limited to their county)."""
    if username is None:
        return Operator(default, None)
    with read_session(engine) as session:
        row = session.execute(
            select(User.role, User.active, Area.code, Area.level)
            .join(Area, User.area_id == Area.id).where(User.username == username)
        ).first()
    if row is None or not row.active or row.role != "county_admin" or row.level != "county":
        refuse(f"--actor {username!r} is not an active county administrator",
               f"用户“{username}”不是在用的区县管理员，不能执行此操作")
    return Operator(username, row.code)


@click.command(name="export")
@click.option("--format", "fmt", type=click.Choice(["jsonl"]), default="jsonl", show_default=True)
@click.option("--village", "village_code", metavar="CODE", help="Only this village (12 digits).")
@click.option("--county", "county_code", metavar="CODE", help="Only this county (6 digits).")
@click.option("--output", type=click.Path(dir_okay=False, path_type=Path),
              help="Write to FILE instead of stdout.")
@click.option("--actor", metavar="USERNAME", help="County administrator running the export "
              "(default: system:cli).")
def command(
    fmt: str, village_code: str | None, county_code: str | None, output: Path | None,
    actor: str | None,
) -> None:
    """Export households as calc-v1 JSON Lines, with their place and policy pack."""
    engine = get_engine(DatabaseSettings.from_env().url)  # cached per URL, not per process
    who = operator(engine, actor, "system:cli")
    if output is not None and not output.parent.is_dir():
        refuse(f"no such directory: {output.parent}", f"输出目录不存在：{output.parent}")
    destination = str(output.resolve()) if output else "stdout"
    with _consistent_read(engine) as session:
        scope = _scope(session, who, county_code, village_code)
        count, empty, complete = 0, 0, False
        try:
            with _sink(output) as write:
                for _info, household, line in export_lines(
                    session, county_code=scope.county, village_code=scope.village
                ):
                    write(line.encode("utf-8"))
                    count += 1
                    empty += not household.members
            complete = True
        finally:
            _audit(engine, who, scope, count, destination, complete)
    if empty:
        click.echo(f"warning: {empty} household(s) have no active member; `casework import` "
                   f"refuses such lines\n  {empty}户没有在册成员，导入时会被拒绝", err=True)
    click.echo(f"exported {count} households to {destination}\n  已导出{count}户", err=True)


@dataclass(frozen=True, slots=True)
class _Scope:
    county: str | None
    """County filter."""
    village: str | None
    """Village filter."""
    audit_county: str | None
    """The county the exported households are in, when there is one."""


def _consistent_read(engine: Engine) -> Session:
    if engine.dialect.name == "postgresql":
        engine = engine.execution_options(isolation_level="REPEATABLE READ")
    return read_session(engine)


def _scope(session: Session, who: Operator, county: str | None, village: str | None) -> _Scope:
    """Check the filters name real areas the operator may export; an administrator without a
    filter gets their county."""
    places = {p.village_code: p for p in load_places(session).values()}
    if village is not None and village not in places:
        refuse(f"unknown village {village}", f"村代码{village}不存在")
    if county is not None and session.scalar(
        select(Area.level).where(Area.code == county)
    ) != "county":
        refuse(f"unknown county {county}", f"区县代码{county}不存在")
    village_county = places[village].county_code if village is not None else None
    if county is not None and village is not None and village_county != county:
        refuse(f"village {village} is not in county {county}", f"村{village}不属于区县{county}")
    if who.county_code is not None:
        if county is None and village is None:
            county = who.county_code
        if (county or village_county) != who.county_code:
            refuse(f"{who.actor} may only export county {who.county_code}",
                   f"您只能导出本区县（{who.county_code}）的数据")
    return _Scope(county, village, county or village_county)


@contextmanager
def _sink(output: Path | None) -> Iterator[Callable[[bytes], object]]:
    """``write(bytes)`` to stdout, or to a temporary file renamed to ``output`` on success."""
    if output is None:
        stdout = sys.stdout.buffer
        yield stdout.write
        stdout.flush()
        return
    partial = output.with_name(f".{output.name}.{os.getpid()}.partial")
    try:
        with partial.open("wb") as stream:
            yield stream.write
        os.replace(partial, output)
    finally:
        partial.unlink(missing_ok=True)


def _audit(
    engine: Engine, who: Operator, scope: _Scope, count: int, destination: str, complete: bool
) -> None:
    if len(destination) > 300:
        destination = "…" + destination[-300:]
    detail = {"count": count, "filter": {"county": scope.county, "village": scope.village},
              "destination": destination, "complete": complete}
    with UnitOfWork(who.actor, engine) as uow:
        uow.record("export", "households", county_code=scope.audit_county,
                   detail=json.dumps(detail, ensure_ascii=False))
        uow.commit()
