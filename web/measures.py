"""Routes of the received-measure record (what a household actually receives).

    GET  /households/{household_id}/measures                          list (+ add form)
    POST /households/{household_id}/measures                          add
    GET  /households/{household_id}/measures/{measure_id}/edit        correct form
    POST /households/{household_id}/measures/{measure_id}/edit        correct
    POST /households/{household_id}/measures/{measure_id}/end         end (set 终止日期)
    POST /households/{household_id}/measures/{measure_id}/delete      remove a wrong entry

Everyone who may see the household reads; only township staff write (a POST by anyone else is
403 by the route policy; out-of-area households are 404). A refused form comes back (422) with
the typed values and a message next to each wrong field; a stale version gives the conflict
screen (409) with the saved values beside the user's; success redirects (303) to the list.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import anyio.to_thread
from litestar import Request, get, post
from litestar.di import NamedDependency
from litestar.exceptions import NotFoundException
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect, Response, Template
from sqlalchemy import Engine

from casework.editing import FORM, KEY_PATTERN, ValidationFailed
from casework.queries import Account
from casework.received_measures import (
    EDITOR_ROLES, AddReceived, EditReceived, EndReceived, RemoveReceived, check_entry,
    parse_date, save_received,
)
from casework.uow import NotFound, StaleVersion

from .measures_import import HANDLERS as IMPORT_HANDLERS
from .measures_views import Page, edit_view, list_view, load_page
from .policy import ALL_ROLES, policy

__all__ = ["HANDLERS"]

READ = policy(roles=ALL_ROLES, area="user_area")
WRITE = policy(roles=EDITOR_ROLES, area="user_area")
STALE_PAGE = "页面已过期，请刷新后重新填写"
BASE = "/households/{household_id:int}/measures"
ONE = BASE + "/{measure_id:int}"


async def _form(request: Request[Any, Any, Any]) -> dict[str, str]:
    form = await request.form()
    return {k: v for k, v in form.items() if isinstance(v, str)}


def _key(raw: Mapping[str, str]) -> str | None:
    key = (raw.get("key") or "").strip()
    return key if KEY_PATTERN.fullmatch(key) else None


def _version(raw: Mapping[str, str]) -> int | None:
    text = (raw.get("version") or "").strip()
    return int(text) if text.isascii() and text.isdigit() and len(text) < 10 else None


def _done(page: Page, notice: str) -> Response[Any]:
    return Redirect(f"{page.base}?saved={notice}", status_code=303)


def _add(engine: Engine, account: Account, household_id: int, raw: dict[str, str]) -> Any:
    page = load_page(engine, account, household_id)
    entry, errors = check_entry(raw, page.catalog, page.members, page.today)
    key = _key(raw)
    if key is None:
        errors[FORM] = STALE_PAGE
    if entry is None or key is None:
        return list_view(engine, page, account, values=raw, errors=errors, key=key, status=422)
    try:
        save_received(engine, account, account.username,
                      AddReceived(household_id, key, entry), page.catalog)
    except ValidationFailed as refused:
        return list_view(engine, page, account, values=raw, errors=refused.errors, key=key,
                         status=422)
    except NotFound:
        raise NotFoundException("household not found") from None
    return _done(page, "added")


def _edit(engine: Engine, account: Account, household_id: int, measure_id: int,
          raw: dict[str, str]) -> Any:
    page = load_page(engine, account, household_id)
    entry, errors = check_entry(raw, page.catalog, page.members, page.today)
    key, version = _key(raw), _version(raw)
    if key is None or version is None:
        errors[FORM] = STALE_PAGE
    if entry is None or key is None or version is None:
        return edit_view(engine, page, account, measure_id, values=raw, errors=errors, key=key,
                         version=version, status=422)
    command = EditReceived(household_id, measure_id, version, key, entry)
    return _attempt(engine, account, page, measure_id, command, raw, "edited")


def _end_or_remove(engine: Engine, account: Account, household_id: int, measure_id: int,
                   raw: dict[str, str], remove: bool) -> Any:
    page = load_page(engine, account, household_id)
    key, version = _key(raw), _version(raw)
    errors: dict[str, str] = {}
    if key is None or version is None:
        errors[FORM] = STALE_PAGE
    until = None
    if not remove:
        try:
            until = parse_date(raw.get("end_until") or "", "终止日期")
        except ValueError as problem:
            errors["end_until"] = str(problem)
        if until is None and "end_until" not in errors:
            errors["end_until"] = "请填写终止日期"
    if errors:
        return edit_view(engine, page, account, measure_id, errors=errors, key=key,
                         version=version, status=422, end_until=raw.get("end_until") or "")
    assert key is not None and version is not None
    command: Any = (RemoveReceived(household_id, measure_id, version, key) if remove
                    else EndReceived(household_id, measure_id, version, key, until))  # type: ignore[arg-type]
    return _attempt(engine, account, page, measure_id, command, raw,
                    "removed" if remove else "ended")


def _attempt(engine: Engine, account: Account, page: Page, measure_id: int, command: Any,
             raw: dict[str, str], notice: str) -> Any:
    try:
        save_received(engine, account, account.username, command, page.catalog)
    except ValidationFailed as refused:
        errors = {("end_until" if k == "until" and isinstance(command, EndReceived) else k): v
                  for k, v in refused.errors.items()}
        return edit_view(engine, page, account, measure_id, values=raw if isinstance(
            command, EditReceived) else None, errors=errors, key=command.key,
            version=command.version, status=422, end_until=raw.get("end_until") or "")
    except StaleVersion as stale:
        if stale.actual is None:
            raise NotFoundException("received measure not found") from None
        return edit_view(engine, page, account, measure_id, values=raw if isinstance(
            command, EditReceived) else None, key=command.key, version=command.version,
            status=409, conflict=stale.message_zh)
    except NotFound:
        raise NotFoundException("received measure not found") from None
    return _done(page, notice)


NOTICES = {"added": "已添加享受记录。", "edited": "已保存修改。", "ended": "已登记终止日期。",
           "removed": "已删除该条记录。"}


PREFILL = ("rule_id", "member_id", "amount_yuan", "payer")
"""Query parameters that prefill the add form (the "登记" links of unrecorded entitlements)."""


def _list(engine: Engine, account: Account, household_id: int, saved: str,
          prefill: dict[str, str]) -> Template:
    page = load_page(engine, account, household_id)
    return list_view(engine, page, account, values=prefill, notice=NOTICES.get(saved, ""))


@get(BASE, opt=READ, name="measures_list")
async def measures_list(request: Request[Any, Any, Any], account: NamedDependency[Account],
                        engine: NamedDependency[Engine], household_id: FromPath[int],
                        saved: FromQuery[str | None] = None) -> Template:
    prefill = {k: str(request.query_params.get(k) or "")[:64] for k in PREFILL
               if request.query_params.get(k)}
    return await anyio.to_thread.run_sync(_list, engine, account, household_id, saved or "",
                                          prefill)


@post(BASE, opt=WRITE, name="measures_add", status_code=200)
async def measures_add(request: Request[Any, Any, Any], account: NamedDependency[Account],
                       engine: NamedDependency[Engine], household_id: FromPath[int]) -> Any:
    raw = await _form(request)
    return await anyio.to_thread.run_sync(_add, engine, account, household_id, raw)


@get(ONE + "/edit", opt=WRITE, name="measures_edit_form")
async def measures_edit_form(account: NamedDependency[Account], engine: NamedDependency[Engine],
                             household_id: FromPath[int], measure_id: FromPath[int]) -> Template:
    def show() -> Template:
        return edit_view(engine, load_page(engine, account, household_id), account, measure_id)
    return await anyio.to_thread.run_sync(show)


@post(ONE + "/edit", opt=WRITE, name="measures_edit", status_code=200)
async def measures_edit(request: Request[Any, Any, Any], account: NamedDependency[Account],
                        engine: NamedDependency[Engine], household_id: FromPath[int],
                        measure_id: FromPath[int]) -> Any:
    raw = await _form(request)
    return await anyio.to_thread.run_sync(_edit, engine, account, household_id, measure_id, raw)


@post(ONE + "/end", opt=WRITE, name="measures_end", status_code=200)
async def measures_end(request: Request[Any, Any, Any], account: NamedDependency[Account],
                       engine: NamedDependency[Engine], household_id: FromPath[int],
                       measure_id: FromPath[int]) -> Any:
    raw = await _form(request)
    return await anyio.to_thread.run_sync(_end_or_remove, engine, account, household_id,
                                          measure_id, raw, False)


@post(ONE + "/delete", opt=WRITE, name="measures_delete", status_code=200)
async def measures_delete(request: Request[Any, Any, Any], account: NamedDependency[Account],
                          engine: NamedDependency[Engine], household_id: FromPath[int],
                          measure_id: FromPath[int]) -> Any:
    raw = await _form(request)
    return await anyio.to_thread.run_sync(_end_or_remove, engine, account, household_id,
                                          measure_id, raw, True)


HANDLERS: list[Any] = [measures_list, measures_add, measures_edit_form, measures_edit,
                       measures_end, measures_delete, *IMPORT_HANDLERS]

