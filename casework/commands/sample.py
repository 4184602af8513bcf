"""``casework sample --area CODE --stratify village|township --per-stratum N [--fraction F]
[--overweight-failing W] --seed S [--save --actor USERNAME]``: draw a spot-check sample.

Prints JSON (sorted keys, UTF-8): the frame's key, the seed, the parameters and the household
numbers drawn per stratum in rank order (:mod:`casework.sampling.report`). The same arguments on
the same frame (same households in the same assessed state) print the same JSON. Without
``--save`` nothing is written; with it the frame and the sample are stored (audited as the
``--actor``, who must be an active inspector or county administrator of the area's county) and
the JSON carries ``sample_id``. The algorithm is documented in :mod:`casework.sampling.draw`.

Exit status: 0 drawn; 2 refused input (a Chinese message on stderr naming the option, nothing on
stdout).
"""

from __future__ import annotations

import click
from sqlalchemy import Engine, select

from casework.db import get_engine, read_session
from casework.sampling.errors import InputRefused
from casework.models import Area, User
from casework.sampling import (
    AreaNotFound, DrawRequest, draw_document, draw_sample, dumps, parse_request, save_draw,
)
from casework.sampling.report import area_names
from casework.settings import DatabaseSettings

from .export import refuse

__all__ = ["command"]

OPTION_NAMES = {"area": "--area", "stratify": "--stratify", "per_stratum": "--per-stratum",
                "fraction": "--fraction", "overweight": "--overweight-failing", "seed": "--seed"}
SAMPLER_ROLES = ("inspector", "county_admin")


def _request(area: str | None, stratify: str | None, per_stratum: str | None,
             fraction: str | None, overweight: str | None, seed: str | None) -> DrawRequest:
    try:
        return parse_request(area, stratify, per_stratum, fraction, overweight, seed)
    except InputRefused as refused:
        options = ", ".join(OPTION_NAMES[k] for k in sorted(refused.errors))
        refuse(f"invalid {options}", "\n  ".join(
            f"{OPTION_NAMES[k]}：{refused.errors[k]}" for k in sorted(refused.errors)))


def _check_actor(engine: Engine, username: str, county_code: str) -> None:
    with read_session(engine) as s:
        row = s.execute(select(User.role, User.active, Area.code, Area.level)
                        .join(Area, User.area_id == Area.id)
                        .where(User.username == username)).first()
    if row is None or not row.active or row.role not in SAMPLER_ROLES \
            or row.level != "county" or row.code != county_code:
        refuse(f"--actor {username!r} may not draw samples in county {county_code}",
               f"--actor：用户“{username}”不是本区县（{county_code}）在用的督查人员或区县管理员，"
               "不能保存抽样")


@click.command(name="sample")
@click.option("--area", metavar="CODE", help="County (6 digits) or township (9 digits).")
@click.option("--stratify", metavar="village|township", help="Strata: villages or townships.")
@click.option("--per-stratum", "per_stratum", metavar="N", help="At least N per stratum.")
@click.option("--fraction", metavar="F", help="At least F of each stratum, rounded up.")
@click.option("--overweight-failing", "overweight", metavar="W",
              help="Weight of households whose assessment fails (default 1).")
@click.option("--seed", metavar="S", help="The random seed (any text, up to 64 characters).")
@click.option("--save", is_flag=True, help="Store the frame and the sample.")
@click.option("--actor", metavar="USERNAME", help="Inspector or county administrator saving it.")
def command(area: str | None, stratify: str | None, per_stratum: str | None,
            fraction: str | None, overweight: str | None, seed: str | None, save: bool,
            actor: str | None) -> None:
    """Draw a reproducible stratified spot-check sample and print it as JSON."""
    request = _request(area, stratify, per_stratum, fraction, overweight, seed)
    if save and not actor:
        refuse("--save needs --actor", "--actor：保存抽样时须注明操作人（督查人员或区县管理员的用户名）")
    if actor and not save:
        refuse("--actor is only used with --save", "--actor：只在保存抽样（--save）时使用")
    engine = get_engine(DatabaseSettings.from_env().url)
    try:
        drawn = draw_sample(engine, request)
    except AreaNotFound:
        refuse(f"no county or township {request.area_code}",
               f"--area：没有代码为 {request.area_code} 的区县或乡镇")
    if not drawn.frame.entries:
        refuse(f"no active households in {request.area_code}",
               f"--area：{request.area_code} 范围内没有在册户，无法抽样")
    sample_id = None
    if save:
        assert actor is not None
        _check_actor(engine, actor, drawn.frame.county_code)
        sample_id = save_draw(engine, actor, drawn)
    names = area_names(engine, [drawn.frame.area_code, *drawn.strata])
    click.echo(dumps(draw_document(drawn, names, sample_id)))
