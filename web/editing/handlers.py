"""Route handlers of the edit forms: GET renders the form, POST saves through
:func:`casework.editing.save` and answers with the saved result (200), the refused form (422) or
the conflict screen (409). One handler serves the full page or, for htmx, the fragment.

Routes (no ID number ever appears in a URL; rows are named by their database ids)::

    /households/{id}/facts                      基本情况 (UpdateFacts)
    /households/{id}/income                     年度收入 (RecordIncome)
    /households/{id}/members/new                添加成员 (AddMember)
    /households/{id}/members/{member_id}/edit   修改成员 (EditMember)
    /households/{id}/members/{member_id}/end    成员减少 (EndMembership)
    /households/{id}/head                       更换户主 (ChangeHead)
    /households/{id}/stays/new                  添加就医记录 (RecordStay)
    /households/{id}/stays/{stay_id}/edit       修改就医记录 (CorrectStay)
    /households/{id}/stays/{stay_id}/delete     删除就医记录 (RemoveStay)
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import anyio.to_thread
from litestar import Request, get, post
from litestar.di import NamedDependency
from litestar.exceptions import NotFoundException
from litestar.params import FromPath
from litestar.response import Template
from sqlalchemy import Engine

from casework.editing import FORM, KEY_PATTERN, ValidationFailed, save
from casework.queries import Account
from casework.uow import NotFound, StaleVersion

from ..policy import policy
from .fields import parse_fields
from .views import EDITOR_ROLES, Edit, conflict_view, form_view, load, saved_view

__all__ = ["HANDLERS", "ROUTES"]

EDIT_POLICY = policy(roles=EDITOR_ROLES, area="user_area")
STALE_PAGE = "页面已过期，请返回户档案重新打开此表"

ROUTES: dict[str, str] = {
    "facts": "/households/{household_id:int}/facts",
    "income": "/households/{household_id:int}/income",
    "add_member": "/households/{household_id:int}/members/new",
    "edit_member": "/households/{household_id:int}/members/{member_id:int}/edit",
    "end_member": "/households/{household_id:int}/members/{member_id:int}/end",
    "change_head": "/households/{household_id:int}/head",
    "add_stay": "/households/{household_id:int}/stays/new",
    "edit_stay": "/households/{household_id:int}/stays/{stay_id:int}/edit",
    "remove_stay": "/households/{household_id:int}/stays/{stay_id:int}/delete",
}


def _fragment(request: Request[Any, Any, Any]) -> bool:
    headers = request.headers
    return headers.get("hx-request") == "true" and headers.get("hx-history-restore-request") != "true"


def show(engine: Engine, account: Account, slug: str, household_id: int,
         path: dict[str, int], action: str, fragment: bool) -> Template:
    return form_view(load(engine, account, slug, household_id, path, action, fragment), account)


def submit(engine: Engine, account: Account, slug: str, household_id: int,
           path: dict[str, int], action: str, fragment: bool, raw: Mapping[str, str]) -> Template:
    """Read the form, save, and answer with the result, the refused form or the conflict."""
    edit = load(engine, account, slug, household_id, path, action, fragment)
    parsed = parse_fields(edit.fields(), raw)
    version, key = _hidden(raw)
    errors = dict(parsed.errors)
    if version is None or key is None:
        errors[FORM] = STALE_PAGE
    if errors:
        return form_view(edit, account, raw, errors, version, key, status=422)
    assert version is not None and key is not None
    command = edit.form.command(household_id=household_id, household_version=version, key=key,
                                **path, **parsed.values)
    try:
        saved = save(engine, account, account.username, command)
    except ValidationFailed as refused:
        return form_view(edit, account, raw, refused.errors, version, key, status=422)
    except StaleVersion:
        return conflict_view(engine, account, edit, raw, key)
    except NotFound:
        raise NotFoundException("row not found") from None
    return saved_view(engine, account, edit, saved)


def _hidden(raw: Mapping[str, str]) -> tuple[int | None, str | None]:
    version_text = (raw.get("household_version") or "").strip()
    key = (raw.get("key") or "").strip()
    version = int(version_text) if version_text.isascii() and version_text.isdigit() \
        and len(version_text) < 10 else None
    return version, key if KEY_PATTERN.fullmatch(key) else None


async def _form_data(request: Request[Any, Any, Any]) -> dict[str, str]:
    form = await request.form()
    return {k: v for k, v in form.items() if isinstance(v, str)}


def _household_routes(slug: str) -> list[Any]:
    route = ROUTES[slug]

    @get(route, opt=EDIT_POLICY, name=f"edit_{slug}_form")
    async def form_page(request: Request[Any, Any, Any], account: NamedDependency[Account],
                        engine: NamedDependency[Engine],
                        household_id: FromPath[int]) -> Template:
        return await anyio.to_thread.run_sync(
            show, engine, account, slug, household_id, {}, request.url.path, _fragment(request))

    @post(route, opt=EDIT_POLICY, name=f"edit_{slug}_save", status_code=200)
    async def form_save(request: Request[Any, Any, Any], account: NamedDependency[Account],
                        engine: NamedDependency[Engine],
                        household_id: FromPath[int]) -> Template:
        raw = await _form_data(request)
        return await anyio.to_thread.run_sync(
            submit, engine, account, slug, household_id, {}, request.url.path,
            _fragment(request), raw)

    return [form_page, form_save]


def _member_routes(slug: str) -> list[Any]:
    route = ROUTES[slug]

    @get(route, opt=EDIT_POLICY, name=f"edit_{slug}_form")
    async def form_page(request: Request[Any, Any, Any], account: NamedDependency[Account],
                        engine: NamedDependency[Engine],
                        household_id: FromPath[int], member_id: FromPath[int]) -> Template:
        return await anyio.to_thread.run_sync(
            show, engine, account, slug, household_id, {"member_id": member_id},
            request.url.path, _fragment(request))

    @post(route, opt=EDIT_POLICY, name=f"edit_{slug}_save", status_code=200)
    async def form_save(request: Request[Any, Any, Any], account: NamedDependency[Account],
                        engine: NamedDependency[Engine],
                        household_id: FromPath[int], member_id: FromPath[int]) -> Template:
        raw = await _form_data(request)
        return await anyio.to_thread.run_sync(
            submit, engine, account, slug, household_id, {"member_id": member_id},
            request.url.path, _fragment(request), raw)

    return [form_page, form_save]


def _stay_routes(slug: str) -> list[Any]:
    route = ROUTES[slug]

    @get(route, opt=EDIT_POLICY, name=f"edit_{slug}_form")
    async def form_page(request: Request[Any, Any, Any], account: NamedDependency[Account],
                        engine: NamedDependency[Engine],
                        household_id: FromPath[int], stay_id: FromPath[int]) -> Template:
        return await anyio.to_thread.run_sync(
            show, engine, account, slug, household_id, {"stay_id": stay_id},
            request.url.path, _fragment(request))

    @post(route, opt=EDIT_POLICY, name=f"edit_{slug}_save", status_code=200)
    async def form_save(request: Request[Any, Any, Any], account: NamedDependency[Account],
                        engine: NamedDependency[Engine],
                        household_id: FromPath[int], stay_id: FromPath[int]) -> Template:
        raw = await _form_data(request)
        return await anyio.to_thread.run_sync(
            submit, engine, account, slug, household_id, {"stay_id": stay_id},
            request.url.path, _fragment(request), raw)

    return [form_page, form_save]


HANDLERS: list[Any] = [
    *(h for slug in ("facts", "income", "add_member", "change_head", "add_stay")
      for h in _household_routes(slug)),
    *(h for slug in ("edit_member", "end_member") for h in _member_routes(slug)),
    *(h for slug in ("edit_stay", "remove_stay") for h in _stay_routes(slug)),
]
