"""Login and logout."""

from __future__ import annotations

import re
from typing import Any

import anyio.to_thread
from litestar import Request, Response, get, post
from litestar.di import NamedDependency
from litestar.response import Redirect, Template
from sqlalchemy import Engine

from casework.passwords import DEMO_PASSWORD
from casework.queries import Account, active_demo_usernames, authenticate, record_session_event
from casework.settings import WebSettings

from .policy import PUBLIC, policy
from .sessions import SessionStore, expired_cookie, session_cookie, session_token

__all__ = ["login_page", "login", "logout", "home", "safe_next", "HOME"]

BAD_CREDENTIALS = "用户名或密码不正确，请重新输入。"
INACTIVE = "该账号已停用，请联系县级管理员。"
MAX_FIELD = 256
HOME = "/households"
_NEXT = re.compile(r"/(?!/)[A-Za-z0-9/_-]{0,200}")
"""Where to go after logging in: a path of this site only (no scheme, host, ``//``, query)."""

SettingsDep = NamedDependency[WebSettings]
EngineDep = NamedDependency[Engine]
AccountDep = NamedDependency[Account]


def safe_next(raw: object) -> str:
    """``raw`` when it is a plain path of this site, else the household list."""
    text = raw if isinstance(raw, str) else ""
    return text if _NEXT.fullmatch(text) else HOME


@get("/login", opt={"policy": PUBLIC}, name="login_page")
async def login_page(
    request: Request[Any, Any, Any], settings: SettingsDep, engine: EngineDep
) -> Template:
    after = safe_next(request.query_params.get("next"))
    return await anyio.to_thread.run_sync(_login_form, settings, engine, "", None, 200, after)


@post("/login", opt={"policy": PUBLIC}, name="login")
async def login(
    request: Request[Any, Any, Any], settings: SettingsDep, engine: EngineDep
) -> Response[Any]:
    form = await request.form()
    username = str(form.get("username") or "").strip()[:MAX_FIELD]
    password = str(form.get("password") or "")[:MAX_FIELD]
    after = safe_next(form.get("next"))
    if not username or not password:
        error = "请输入用户名。" if not username else "请输入密码。"
        return await _refuse(settings, engine, username, error, after)
    result = await anyio.to_thread.run_sync(authenticate, engine, username, password)
    if result.account is None:
        error = INACTIVE if result.inactive else BAD_CREDENTIALS
        return await _refuse(settings, engine, username, error, after)
    return await _sign_in(request, settings, engine, result.account, after)


@post("/logout", opt=policy(area="none"), name="logout")
async def logout(
    request: Request[Any, Any, Any], settings: SettingsDep, engine: EngineDep, account: AccountDep
) -> Redirect:
    store: SessionStore = request.app.state.sessions
    await anyio.to_thread.run_sync(store.end, session_token(request), account.username)
    await anyio.to_thread.run_sync(record_session_event, engine, account.username, "logout")
    return Redirect("/login", status_code=303, cookies=[expired_cookie(settings.production)])


@get("/", opt=policy(area="none"), name="home")
async def home() -> Redirect:
    return Redirect("/households", status_code=303)


async def _sign_in(
    request: Request[Any, Any, Any], settings: WebSettings, engine: Engine, account: Account,
    after: str,
) -> Redirect:
    store: SessionStore = request.app.state.sessions
    replacing = session_token(request)
    token = await anyio.to_thread.run_sync(
        lambda: store.start(account.id, replacing=replacing, username=account.username))
    await anyio.to_thread.run_sync(record_session_event, engine, account.username, "login")
    return Redirect(after, status_code=303, cookies=[session_cookie(token, settings.production)])


async def _refuse(settings: WebSettings, engine: Engine, username: str, error: str,
                  after: str) -> Template:
    return await anyio.to_thread.run_sync(_login_form, settings, engine, username, error, 401,
                                          after)


def _login_form(
    settings: WebSettings, engine: Engine, username: str, error: str | None, status: int,
    after: str = HOME,
) -> Template:
    demo = [] if settings.production else active_demo_usernames(engine)
    return Template(
        "login.html",
        context={
            "username": username, "error": error, "demo_users": demo,
            "demo_password": DEMO_PASSWORD, "next": after,
        },
        status_code=status,
    )
