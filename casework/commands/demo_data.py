"""``casework demo-data --households N --seed S [--if-empty]``: load a synthetic registry."""

from __future__ import annotations

import time

import click

from sqlalchemy import Engine, select

from casework.db import get_engine, read_session
from casework.demo import DEMO_ACCOUNTS, ROLE_LABELS, RegistryNotEmpty, load_demo_data
from casework.models import User
from casework.passwords import DEMO_PASSWORD
from casework.settings import DatabaseSettings

__all__ = ["command"]

_TABLE_LABELS = (
    ("households", "户"), ("members", "人"), ("hospital_stays", "条就医记录"),
    ("income_records", "条年度收入记录"),
)


@click.command(name="demo-data")
@click.option("--households", "households", type=click.IntRange(min=1), default=2000,
              show_default=True, help="Number of households to generate.")
@click.option("--seed", type=int, default=1, show_default=True,
              help="Random seed; the same seed gives the same data.")
@click.option("--if-empty", is_flag=True,
              help="Do nothing (exit 0) when the database already has households.")
def command(households: int, seed: int, if_empty: bool) -> None:
    """Load a synthetic demo registry (real place names, synthetic people) and demo accounts."""
    engine = get_engine(DatabaseSettings.from_env().url)
    started = time.perf_counter()
    try:
        result = load_demo_data(engine, households, seed)
    except RegistryNotEmpty as exc:
        if if_empty:
            click.echo(f"数据库中已有 {exc.households} 户，未加载演示数据（--if-empty）。")
            _echo_existing_demo_accounts(engine)
            return
        raise click.ClickException(
            f"数据库中已有 {exc.households} 户，演示数据只能加载到空库；未做任何修改。"
            "（加 --if-empty 可在非空时静默跳过。）"
        ) from None
    elapsed = time.perf_counter() - started
    counts = result.counts
    summary = "，".join(f"{counts[name]} {label}" for name, label in _TABLE_LABELS)
    click.echo(f"已加载演示数据（seed={seed}）：{summary}；用时 {elapsed:.1f} 秒。")
    click.echo(f"演示账号（密码均为 {DEMO_PASSWORD}，仅供演示）：")
    for account in DEMO_ACCOUNTS:
        new = account.username in result.new_accounts
        password = DEMO_PASSWORD if new else "（该用户已存在，未改动）"
        click.echo(
            f"  {account.username:<11} {ROLE_LABELS[account.role]:<8} "
            f"{account.area_label:<12} {password}"
        )


def _echo_existing_demo_accounts(engine: Engine) -> None:
    with read_session(engine) as session:
        users = session.scalars(select(User).where(User.is_demo.is_(True), User.active.is_(True))
                                .order_by(User.id)).all()
    if users:
        click.echo(f"演示账号（初始密码均为 {DEMO_PASSWORD}，仅供演示）：")
    for user in users:
        click.echo(f"  {user.username:<11} {ROLE_LABELS.get(user.role, user.role):<8} "
                   f"{user.display_name}")
