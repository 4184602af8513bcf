"""Status dashboards: county → township → village figures of 两不愁三保障, the section-16 targets
with their gaps, charts, and the households behind every number (paged, exportable).

Who: inspectors and county administrators (their county), township staff (their township).
Everything is read from the tallies and stored assessments; nothing here writes."""

from __future__ import annotations

from typing import Any

import anyio.to_thread
from litestar import MediaType, get
from litestar.di import NamedDependency
from litestar.exceptions import NotFoundException
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect, Template
from sqlalchemy import Engine

from casework.dashboards.areas import DASHBOARD_ROLES
from casework.dashboards.households import EXPORT_LIMIT, list_households, parse_filter
from casework.dashboards.reading import dashboard, home_code
from casework.queries import Account

from ..households import page_links, parse_page
from ..policy import policy
from .dashboard_view import BAD_FILTER, dashboard_context, export_table, list_context
from .exporting import export_response

__all__ = ["HANDLERS", "LIST_PAGE_SIZE"]

LIST_PAGE_SIZE = 50
_POLICY = policy(roles=frozenset(DASHBOARD_ROLES), area="user_area")


@get("/inspect", opt=_POLICY, name="inspect_home")
async def inspect_home(account: NamedDependency[Account],
                       engine: NamedDependency[Engine]) -> Redirect:
    code = await anyio.to_thread.run_sync(home_code, engine, account)
    if code is None:
        raise NotFoundException("no dashboard for this account")
    return Redirect(f"/inspect/areas/{code}", status_code=303)


@get("/inspect/areas/{area_code:str}", opt=_POLICY, name="inspect_area")
async def inspect_area(account: NamedDependency[Account], engine: NamedDependency[Engine],
                       area_code: FromPath[str]) -> Template:
    found = await anyio.to_thread.run_sync(dashboard, engine, account, area_code)
    if found is None:
        raise NotFoundException("area not found")
    return Template("inspect/dashboard.html", context={"account": account,
                                                         **dashboard_context(found)})


@get("/inspect/areas/{area_code:str}/households", opt=_POLICY, name="inspect_area_households",
     media_type=MediaType.HTML)
async def inspect_area_households(
    account: NamedDependency[Account], engine: NamedDependency[Engine], area_code: FromPath[str],
    dimension: FromQuery[str | None] = None, status: FromQuery[str | None] = None,
    gap: FromQuery[str | None] = None, page: FromQuery[str | None] = None,
    format: FromQuery[str | None] = None,  # noqa: A002  (the export's query parameter)
) -> Any:
    flt = parse_filter(dimension, status, gap)
    notices = [] if flt is not None else [BAD_FILTER]
    flt = flt or parse_filter(None, None, None)
    if format is not None:
        found = await anyio.to_thread.run_sync(list_households, engine, account, area_code,
                                               flt, 1, EXPORT_LIMIT)
        if found is None:
            raise NotFoundException("area not found")
        return export_response(export_table(found), format, f"户清单-{found.area.name}")
    number, _ok = parse_page(page)
    found = await anyio.to_thread.run_sync(list_households, engine, account, area_code,
                                           flt, number, LIST_PAGE_SIZE)
    if found is None:
        raise NotFoundException("area not found")
    context = {"account": account, "notices": notices, **list_context(found),
               "page_links": page_links(found.page, found.pages)}
    return Template("inspect/dashboard_households.html", context=context)


HANDLERS: list[Any] = [inspect_home, inspect_area, inspect_area_households]
