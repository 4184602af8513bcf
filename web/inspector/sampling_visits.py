"""The visit form of one sampled household (tablet-first, htmx with a retry on a dropped
connection, like the household edit forms): for each dimension what the record said at the draw
and what the inspector actually found, with a note; the visit date and the visitor.

GET renders the form (prefilled from the saved visit, if any); POST saves through
:func:`casework.sampling.visits.record_visit` and answers with the saved summary (200), the
refused form (422) or the conflict screen (409). One handler serves the page or the fragment.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Mapping
from typing import Any

import anyio.to_thread
from litestar import Request, get, post
from litestar.di import NamedDependency
from litestar.exceptions import NotFoundException
from litestar.params import FromPath
from litestar.response import Template
from sqlalchemy import Engine

from casework.queries import Account
from casework.sampling.errors import FORM, InputRefused
from casework.sampling.queries import VisitPage, visit_page
from casework.sampling.tables import FOUND_ZH, VERDICT_ZH
from casework.sampling.visits import (
    MAX_NOTE, VisitCommand, parse_visit, record_visit, DIMENSION_ZH,
)
from casework.uow import NotFound, StaleVersion
from rules.assessment import DIMENSIONS

from ..policy import policy

__all__ = ["HANDLERS"]

VISIT_POLICY = policy(roles=frozenset({"inspector", "county_admin"}), area="user_area")
ROUTE = "/inspect/samples/{sample_id:int}/visits/{household_id:int}"
STALE_PAGE = "页面已过期，请返回抽查名单重新打开此表"
CONFLICT = ("这户的走访结果已由{who}在您打开此表之后保存（第{version}版）。您填写的内容没有保存，"
            "下面是当前保存的结果；请核对后重新填写。")


def _fragment(request: Request[Any, Any, Any]) -> bool:
    headers = request.headers
    return headers.get("hx-request") == "true" and \
        headers.get("hx-history-restore-request") != "true"


def _load(engine: Engine, account: Account, sample_id: int, household_id: int) -> VisitPage:
    page = visit_page(engine, account, sample_id, household_id)
    if page is None:
        raise NotFoundException("not in this sample")
    return page


def _stored_values(page: VisitPage, account: Account, today: dt.date) -> dict[str, str]:
    visit = page.household.visit
    if visit is None:
        return {"visited_on": today.isoformat(), "visitor": account.display_name}
    values = {"visited_on": visit.visited_on.isoformat(), "visitor": visit.visitor}
    for dim, finding in visit.findings.items():
        values[f"found_{dim}"] = finding.get("found", "")
        values[f"note_{dim}"] = finding.get("note", "")
    return values


def _view(page: VisitPage, account: Account, fragment: bool, values: Mapping[str, str],
          errors: Mapping[str, str], version: str, status: int = 200,
          view: str = "form", notice: str = "") -> Template:
    household = page.household
    rows = [{"code": d, "label": DIMENSION_ZH[d],
             "recorded": household.recorded.get(d, "none")} for d in DIMENSIONS]
    context = {
        "account": account, "sample": page.sample, "household": household, "rows": rows,
        "values": values, "errors": errors, "version": version, "view": view,
        "key": secrets.token_urlsafe(24), "today": dt.date.today().isoformat(),
        "drawn_on": page.sample.drawn_at.date().isoformat(), "notice": notice,
        "action": f"/inspect/samples/{page.sample.id}/visits/{household.household_id}",
        "back": f"/inspect/samples/{page.sample.id}#h-{household.household_id}",
        "found_zh": FOUND_ZH, "verdict_zh": VERDICT_ZH, "max_note": MAX_NOTE,
    }
    template = f"inspect/visit_{view}.html" if fragment else "inspect/visit.html"
    return Template(template, context=context, status_code=status)


def show(engine: Engine, account: Account, sample_id: int, household_id: int,
         fragment: bool) -> Template:
    page = _load(engine, account, sample_id, household_id)
    visit = page.household.visit
    values = _stored_values(page, account, dt.date.today())
    return _view(page, account, fragment, values, {}, str(visit.version) if visit else "")


def submit(engine: Engine, account: Account, sample_id: int, household_id: int,
           fragment: bool, raw: Mapping[str, str]) -> Template:
    page = _load(engine, account, sample_id, household_id)
    version_text = (raw.get("version") or "").strip()
    if version_text and not (version_text.isascii() and version_text.isdigit()
                             and len(version_text) < 10):
        return _view(page, account, fragment, raw, {FORM: STALE_PAGE}, "", 422)
    try:
        visited_on, visitor, found, notes = parse_visit(
            raw, page.household.recorded, dt.date.today(), page.sample.drawn_at.date())
        command = VisitCommand(sample_id, household_id, visited_on, visitor, found, notes,
                               int(version_text) if version_text else None,
                               (raw.get("key") or "").strip())
        record_visit(engine, account, account.username, command)
    except InputRefused as refused:
        return _view(page, account, fragment, raw, refused.errors, version_text, 422)
    except StaleVersion:
        return _conflict(engine, account, sample_id, household_id, fragment)
    except NotFound:
        raise NotFoundException("not in this sample") from None
    saved = _load(engine, account, sample_id, household_id)
    visit = saved.household.visit
    assert visit is not None
    return _view(saved, account, fragment, _stored_values(saved, account, dt.date.today()), {},
                 str(visit.version), view="saved")


def _conflict(engine: Engine, account: Account, sample_id: int, household_id: int,
              fragment: bool) -> Template:
    page = _load(engine, account, sample_id, household_id)
    visit = page.household.visit
    values = _stored_values(page, account, dt.date.today())
    notice = CONFLICT.format(who=visit.recorded_by if visit else "他人",
                             version=visit.version if visit else "?")
    return _view(page, account, fragment, values, {}, str(visit.version) if visit else "",
                 409, notice=notice)


@get(ROUTE, opt=VISIT_POLICY, name="inspect_visit_form")
async def visit_form(request: Request[Any, Any, Any], account: NamedDependency[Account],
                     engine: NamedDependency[Engine], sample_id: FromPath[int],
                     household_id: FromPath[int]) -> Template:
    return await anyio.to_thread.run_sync(
        show, engine, account, sample_id, household_id, _fragment(request))


@post(ROUTE, opt=VISIT_POLICY, name="inspect_visit_save", status_code=200)
async def visit_save(request: Request[Any, Any, Any], account: NamedDependency[Account],
                     engine: NamedDependency[Engine], sample_id: FromPath[int],
                     household_id: FromPath[int]) -> Template:
    form = await request.form()
    raw = {k: v for k, v in form.items() if isinstance(v, str)}
    return await anyio.to_thread.run_sync(
        submit, engine, account, sample_id, household_id, _fragment(request), raw)


HANDLERS: list[Any] = [visit_form, visit_save]
