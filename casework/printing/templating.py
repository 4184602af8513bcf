"""The Jinja environment for paper: templates under ``templates/``, autoescape always on."""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, Template

from .fetcher import asset_url
from .money import rmb_upper, yuan

__all__ = ["TEMPLATES", "environment", "render_template"]

TEMPLATES = Path(__file__).resolve().parent / "templates"
_BETWEEN_TAGS = re.compile(r">\s+<")


@lru_cache(maxsize=1)
def environment() -> Environment:
    env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=True,
                      undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    env.filters.update(yuan=yuan, rmb_upper=rmb_upper, date_zh=_date_zh)
    env.globals.update(asset_url=asset_url)
    return env


def render_template(name: str, *, compact: bool = False, **context: Any) -> str:
    """The template rendered; ``compact`` removes the whitespace between tags (WeasyPrint would
    otherwise build a box for each run of it; only for templates whose layout never relies on
    a space between two tags)."""
    template: Template = environment().get_template(name)
    html = template.render(**context)
    return _BETWEEN_TAGS.sub("><", html) if compact else html


def _date_zh(value: Any) -> str:
    """``2018-09-01`` -> ``2018年9月1日``."""
    return f"{value.year}年{value.month}月{value.day}日"
