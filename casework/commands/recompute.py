"""``casework recompute [--county CODE] [--on DATE]``."""

from __future__ import annotations

import datetime as dt
import time

import click

from casework.recompute import recompute

__all__ = ["command"]


@click.command(name="recompute")
@click.option("--county", "county_code", default=None, help="County code (default: every county).")
@click.option("--on", "on", default=None, help="Judge households at this date (YYYY-MM-DD; "
              "default today).")
@click.option("--workers", type=click.IntRange(1, 16), default=None,
              help="Evaluation processes (default: up to 2).")
@click.option("--actor", default="system:recompute", show_default=True)
def command(county_code: str | None, on: str | None, workers: int | None, actor: str) -> None:
    """Evaluate every household and store decisions and assessments (replacing the previous set
    atomically, per county)."""
    try:
        day = dt.date.fromisoformat(on) if on else dt.date.today()
    except ValueError:
        raise click.BadParameter(f"{on!r} is not a date YYYY-MM-DD (日期格式应为 YYYY-MM-DD)",
                                 param_hint="--on") from None
    started = time.perf_counter()
    try:
        summaries = recompute(on=day, county_code=county_code, actor=actor, workers=workers)
    except LookupError as exc:
        raise click.ClickException(f"{exc} (没有该区县或该区县未配置政策包)") from None
    for s in summaries:
        click.echo(f"{s.county_code} {s.pack} {s.pack_version}: {s.households} households, "
                   f"{s.decisions} decisions stored ({s.not_stored_ineligible} ineligible not "
                   f"stored), run {s.run_id}; "
                   + ", ".join(f"{k} {v:.1f} s" for k, v in s.seconds.items()))
    click.echo(f"recomputed {sum(s.households for s in summaries)} households on "
               f"{day.isoformat()} in {time.perf_counter() - started:.1f} s")
