"""What every inspector's list shares: the user's area, the township/village filter, the area
names of each row's household, the county's current run, pagination and export."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import ColumnElement, Engine, Select, and_, func, select, true
from sqlalchemy.orm import aliased

from ..db import read_session
from ..decision_view import pack_named
from ..exports import Column, Table
from ..models import Area, DecisionRun, Household
from ..queries import MAX_DB_ID, Scoped, area_scope

__all__ = ["Filters", "Context", "ListSpec", "ListPage", "Village", "Township", "PAGE_SIZE",
           "EXPORT_LIMIT", "area_columns", "in_area", "current_runs", "run_page", "run_export",
           "make_context"]

PAGE_SIZE = 50
EXPORT_LIMIT = 200_000
"""A download holds at most this many rows (a county's list fits; beyond, filter by township)."""

Village = aliased(Area, name="village")
Township = aliased(Area, name="township")


@dataclass(frozen=True)
class Filters:
    township_id: int | None = None
    village_id: int | None = None

    @classmethod
    def read(cls, township: str | None, village: str | None) -> "Filters":
        return cls(_id(township), _id(village))


@dataclass(frozen=True)
class Context:
    user: Scoped
    filters: Filters
    today: dt.date
    runs: Mapping[str, tuple[int, dt.date]] = field(default_factory=dict)
    """county code -> (current run id, its date) for the counties in the user's area."""
    titles: Mapping[str, str] = field(default_factory=dict)
    """rule ID -> title, from the packs of those counties."""

    @property
    def run_ids(self) -> list[int]:
        """The current runs in the user's area (empty: nothing has been computed)."""
        return sorted(run_id for run_id, _on in self.runs.values())

    def title(self, rule_id: str) -> str:
        return self.titles.get(rule_id, rule_id)


@dataclass(frozen=True)
class ListSpec:
    name: str
    title_zh: str
    description_zh: str
    columns: tuple[Column, ...]
    build: Callable[[Context], Select[Any]]
    shape: Callable[[Any, Context], dict[str, object]]


@dataclass(frozen=True)
class ListPage:
    spec: ListSpec
    rows: tuple[dict[str, object], ...]
    total: int
    page: int
    pages: int
    page_size: int


def _id(text: str | None) -> int | None:
    cleaned = (text or "").strip()
    if cleaned.isascii() and cleaned.isdigit() and 0 < int(cleaned) < MAX_DB_ID:
        return int(cleaned)
    return None


def in_area(ctx: Context) -> ColumnElement[bool]:
    """The user's area, narrowed by the township/village filter."""
    where = [area_scope(ctx.user)]
    if ctx.filters.village_id is not None:
        where.append(Household.village_id == ctx.filters.village_id)
    if ctx.filters.township_id is not None:
        where.append(Household.village_id.in_(
            select(Area.id).where(Area.parent_id == ctx.filters.township_id)))
    return and_(*where) if len(where) > 1 else where[0]


def area_columns(stmt: Select[Any]) -> Select[Any]:
    """Join the household's village and township (names as ``village_name``, ``township_name``)."""
    return (stmt.add_columns(Village.name.label("village_name"),
                             Township.name.label("township_name"))
            .join(Village, Village.id == Household.village_id)
            .outerjoin(Township, Township.id == Village.parent_id))


def current_runs(engine: Engine, user: Scoped) -> dict[str, tuple[int, dt.date]]:
    """The current run of each county the user's area touches."""
    counties = select(Household.county_code).where(area_scope(user)).distinct()
    with read_session(engine) as s:
        rows = s.execute(select(DecisionRun.county_code, DecisionRun.id, DecisionRun.on_date)
                         .where(DecisionRun.status == "current",
                                DecisionRun.county_code.in_(counties))).all()
    return {code: (run_id, on) for code, run_id, on in rows}


def make_context(engine: Engine, user: Scoped, filters: Filters,
                 today: dt.date | None = None) -> Context:
    runs = current_runs(engine, user)
    return Context(user, filters, today or dt.date.today(), runs, _titles(engine, runs))


def _titles(engine: Engine, runs: Mapping[str, tuple[int, dt.date]]) -> dict[str, str]:
    with read_session(engine) as s:
        packs = set(s.scalars(select(DecisionRun.pack).where(
            DecisionRun.id.in_([run_id for run_id, _on in runs.values()]))))
    return {rule.id: rule.title for name in sorted(packs) for rule in pack_named(name).rules}


def run_page(engine: Engine, spec: ListSpec, ctx: Context, page: int,
             page_size: int = PAGE_SIZE) -> ListPage:
    """One page of the list (``page`` clamped to the pages there are)."""
    stmt = spec.build(ctx).add_columns(func.count().over().label("_total"))
    page = max(page, 1)
    with read_session(engine) as s:
        rows = s.execute(stmt.limit(page_size).offset((page - 1) * page_size)).all()
        if rows:
            total = rows[0]._total
        else:  # past the end (or empty): count, then show the last page
            total = s.scalar(select(func.count()).select_from(
                spec.build(ctx).order_by(None).subquery())) or 0
            if total:
                page = -(-total // page_size)
                rows = s.execute(stmt.limit(page_size).offset((page - 1) * page_size)).all()
    pages = max(1, -(-total // page_size))
    page = min(page, pages)
    return ListPage(spec, tuple(spec.shape(r, ctx) for r in rows), total, page, pages, page_size)


def run_export(engine: Engine, spec: ListSpec, ctx: Context) -> Table:
    """The whole list (up to :data:`EXPORT_LIMIT` rows) as a table for download."""
    with read_session(engine) as s:
        rows = s.execute(spec.build(ctx).limit(EXPORT_LIMIT)).all()
    return Table(spec.title_zh, spec.columns, [spec.shape(r, ctx) for r in rows])


def no_rows() -> ColumnElement[bool]:
    return ~true()
