"""The household list (search, pages) and a household's read-only page."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import anyio.to_thread
from litestar import Request, get
from litestar.di import NamedDependency
from litestar.exceptions import NotFoundException
from litestar.params import FromPath, FromQuery
from litestar.response import Template
from sqlalchemy import Engine

from casework.decision_view import HouseholdDecisions, household_decisions
from casework.models import Household
from casework.queries import Account, HouseholdRecord, household_record, search_households

from .editing import EDITOR_ROLES
from .household_page import household_context
from .policy import policy

__all__ = ["household_list", "household_detail", "PAGE_SIZE", "parse_page", "clean_query"]

PAGE_SIZE = 25
MAX_QUERY = 40
_ID_SHAPED = re.compile(r"(?<![0-9Xx])(\d{17}[0-9Xx]|\d{15})(?![0-9Xx])")
"""18 characters (17 digits and a digit or X) or 15 digits: the shapes of a resident ID."""
ID_IN_QUERY = "为保护个人信息，请不要输入完整的身份证号码；输入后4位即可查找。"
BAD_PAGE = "页码应为正整数，已显示第{page}页。"
PAST_END = "没有第{asked}页，已显示最后一页（第{page}页）。"


@dataclass(frozen=True)
class SearchInput:
    query: str
    page: int
    notices: tuple[str, ...]


@get("/households", opt=policy(), name="household_list")
async def household_list(
    request: Request[Any, Any, Any], account: NamedDependency[Account],
    engine: NamedDependency[Engine], q: FromQuery[str | None] = None,
    page: FromQuery[str | None] = None,
) -> Template:
    search = read_search(q, page)
    found = await anyio.to_thread.run_sync(
        search_households, engine, account, search.query, search.page, PAGE_SIZE
    )
    notices = list(search.notices)
    if found.page != search.page and not notices:
        notices.append(PAST_END.format(asked=search.page, page=found.page))
    context = {
        "account": account, "q": search.query, "found": found, "notices": notices,
        "page_links": page_links(found.page, found.pages),
        "show_village": account.role != "village_cadre",
    }
    name = "households/_results.html" if _wants_fragment(request) else "households/list.html"
    return Template(name, context=context, headers={"Vary": "HX-Request"})


@get("/households/{household_id:int}", opt=policy(), name="household_detail")
async def household_detail(
    account: NamedDependency[Account], engine: NamedDependency[Engine], household_id: FromPath[int]
) -> Template:
    record, decisions = await anyio.to_thread.run_sync(_page_data, engine, account, household_id)
    if record is None:
        raise NotFoundException("household not found")
    context = {"account": account, **household_context(record), "decisions": decisions,
               **edit_context(account, record.household)}
    return Template("households/detail.html", context=context)


def _page_data(engine: Engine, account: Account, household_id: int
               ) -> tuple[HouseholdRecord | None, HouseholdDecisions | None]:
    """The household (None out of scope) and its decisions, read in one trip to a worker
    thread."""
    record = household_record(engine, account, household_id)
    if record is None:
        return None, None
    return record, household_decisions(engine, record.household)


def edit_context(account: Account, household: Household) -> dict[str, Any]:
    """What the page needs for its edit actions: whether the user may edit, the database ids of
    the listed (active) members in page order, and the members whose membership ended."""
    active = [m for m in household.members if m.active]
    ended = [m for m in household.members if not m.active]
    return {
        "can_edit": account.role in EDITOR_ROLES,
        "member_ids": [m.id for m in active],
        "member_has_id": [bool(m.id_number) for m in active],
        "ended_members": [EndedMember(m.name, m.relation, m.ended_on, m.end_reason)
                          for m in ended],
    }


@dataclass(frozen=True)
class EndedMember:
    """A former member as the page lists them (no ID number)."""

    name: str | None
    relation: str | None
    ended_on: Any
    end_reason: str | None


def read_search(q: str | None, page: str | None) -> SearchInput:
    notices: list[str] = []
    query = clean_query(q)
    if query is None:
        notices.append(ID_IN_QUERY)
        query = ""
    number, ok = parse_page(page)
    if not ok:
        notices.append(BAD_PAGE.format(page=number))
    return SearchInput(query, number, tuple(notices))


def clean_query(raw: str | None) -> str | None:
    """The search text, trimmed and shortened; None when it looks like an ID number (which must
    not be searched for, echoed back or kept)."""
    text = (raw or "").strip()[:MAX_QUERY]
    return None if _ID_SHAPED.search(text) else text


def parse_page(raw: str | None) -> tuple[int, bool]:
    """``(page, valid)``: a positive integer, else page 1 and ``valid`` False."""
    text = (raw or "1").strip()
    if text.isascii() and text.isdigit() and 0 < len(text) < 7 and int(text) > 0:
        return int(text), True
    return 1, False


def page_links(page: int, pages: int, radius: int = 2) -> list[int | None]:
    """Page numbers to show: first, last and a window around ``page``; None marks a gap."""
    shown = sorted({1, pages, *range(max(1, page - radius), min(pages, page + radius) + 1)})
    links: list[int | None] = []
    for number in shown:
        if links and number - (links[-1] or 0) > 1:
            links.append(None)
        links.append(number)
    return links


def _wants_fragment(request: Request[Any, Any, Any]) -> bool:
    headers = request.headers
    restoring = headers.get("hx-history-restore-request") == "true"
    return headers.get("hx-request") == "true" and not restoring
