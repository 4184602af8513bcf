"""A household's change history (issue 4): who changed what and when, ID numbers masked.

Everyone who may read the household may read its history (same scope as the household page:
out of area answers 404). The audited reveal of a full ID lives in :mod:`web.reveal`; its
handlers are registered from here too."""

from __future__ import annotations

from typing import Any

import anyio.to_thread
from litestar import Request, get
from litestar.di import NamedDependency
from litestar.exceptions import NotFoundException
from litestar.params import FromPath, FromQuery
from litestar.response import Template
from sqlalchemy import Engine

from casework.history import household_history
from casework.queries import Account

from .history_view import event_lines
from .households import page_links, parse_page
from .policy import policy
from .reveal import reveal_form, reveal_submit

__all__ = ["HANDLERS", "household_history_page"]

BAD_PAGE = "页码应为正整数，已显示第1页。"
PAST_END = "没有第{asked}页，已显示最后一页（第{page}页）。"


@get("/households/{household_id:int}/history", opt=policy(), name="household_history")
async def household_history_page(
    request: Request[Any, Any, Any], account: NamedDependency[Account],
    engine: NamedDependency[Engine], household_id: FromPath[int],
    page: FromQuery[str | None] = None,
) -> Template:
    number, valid = parse_page(page)
    found = await anyio.to_thread.run_sync(household_history, engine, account, household_id,
                                           number)
    if found is None:
        raise NotFoundException("household not found")
    notices = [] if valid else [BAD_PAGE]
    if valid and found.page != number:
        notices.append(PAST_END.format(asked=number, page=found.page))
    context = {
        "account": account, "history": found, "events": event_lines(found),
        "notices": notices, "page_links": page_links(found.page, found.pages),
    }
    fragment = request.headers.get("hx-request") == "true" and (
        request.headers.get("hx-history-restore-request") != "true")
    name = "history/_events.html" if fragment else "history/page.html"
    return Template(name, context=context, headers={"Vary": "HX-Request"})


HANDLERS: list[Any] = [household_history_page, reveal_form, reveal_submit]
"""Route handlers of the history and reveal pages (registered by :func:`web.app.create_app`)."""
