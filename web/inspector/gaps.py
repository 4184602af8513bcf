"""Payment gaps and data-quality lists: ``/inspect/gaps`` (the index) and
``/inspect/gaps/{list_name}`` (one list; ``?township=&village=`` filter by area id, ``?page=``,
``?format=csv|xlsx`` downloads the whole list with Chinese headers and masked IDs).

Inspectors and county administrators read their county; township staff read their township
(they reconcile the payment rolls the lists check). Village cadres have no access.
"""

from __future__ import annotations

from typing import Any

import anyio.to_thread
from litestar import get
from litestar.di import NamedDependency
from litestar.exceptions import NotFoundException
from litestar.params import FromPath, FromQuery
from litestar.response import Response, Template
from sqlalchemy import Engine, select

from casework.db import read_session
from casework.models import Area, Household
from casework.queries import Account, area_scope
from casework.quality import LISTS, Filters, make_context, run_export, run_page
from casework.uow import UnitOfWork

from ..policy import policy
from .exporting import EXPORT_FORMATS, export_response

__all__ = ["HANDLERS", "GAP_ROLES"]

GAP_ROLES = frozenset({"inspector", "county_admin", "township_staff"})
GAPS = policy(roles=GAP_ROLES, area="user_area")


def _areas(engine: Engine, account: Account) -> tuple[list[Any], list[Any]]:
    """(townships, villages) inside the user's area, for the filter."""
    villages_q = select(Household.village_id).where(area_scope(account)).distinct()
    with read_session(engine) as s:
        villages = s.execute(select(Area.id, Area.name, Area.parent_id)
                             .where(Area.id.in_(villages_q)).order_by(Area.code)).all()
        townships = s.execute(select(Area.id, Area.name).where(
            Area.id.in_({v.parent_id for v in villages})).order_by(Area.code)).all()
    return list(townships), list(villages)


def _page(engine: Engine, account: Account, list_name: str, township: str | None,
          village: str | None, page: int, fmt: str | None) -> Any:
    spec = LISTS.get(list_name)
    if spec is None:
        raise NotFoundException("no such list")
    filters = Filters.read(township, village)
    ctx = make_context(engine, account, filters)
    if fmt:
        if fmt not in EXPORT_FORMATS:
            raise NotFoundException("no such format")
        table = run_export(engine, spec, ctx)
        with UnitOfWork(account.username, engine) as uow:
            uow.record("export", "gap_list", detail=f"{list_name} {fmt} {len(table.rows)} rows")
            uow.commit()
        return export_response(table, fmt, spec.title_zh)
    result = run_page(engine, spec, ctx, page)
    townships, villages = _areas(engine, account)
    return Template("inspect/gaps_list.html", context={
        "account": account, "result": result, "spec": spec, "lists": LISTS,
        "filters": filters, "townships": townships, "villages": villages,
        "query": _query(filters),
    })


def _page_number(text: str | None) -> int:
    cleaned = (text or "").strip()
    return min(int(cleaned), 10**6) if cleaned.isascii() and cleaned.isdigit() and len(cleaned) < 9 \
        and int(cleaned) > 0 else 1


def _query(filters: Filters) -> str:
    parts = []
    if filters.township_id:
        parts.append(f"township={filters.township_id}")
    if filters.village_id:
        parts.append(f"village={filters.village_id}")
    return "&".join(parts)


@get("/inspect/gaps", opt=GAPS, name="gaps_index")
async def gaps_index(account: NamedDependency[Account]) -> Template:
    return Template("inspect/gaps.html", context={"account": account, "lists": LISTS})


@get("/inspect/gaps/{list_name:str}", opt=GAPS, name="gaps_list")
async def gaps_list(account: NamedDependency[Account], engine: NamedDependency[Engine],
                    list_name: FromPath[str], township: FromQuery[str | None] = None,
                    village: FromQuery[str | None] = None, page: FromQuery[str | None] = None,
                    format: FromQuery[str | None] = None) -> Response[Any] | Template:  # noqa: A002
    return await anyio.to_thread.run_sync(
        _page, engine, account, list_name, township, village, _page_number(page), format)


HANDLERS: list[Any] = [gaps_index, gaps_list]
