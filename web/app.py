"""The Litestar application factory."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from litestar import Litestar, Request, get
from litestar.config.csrf import CSRFConfig
from litestar.plugins.jinja import JinjaTemplateEngine
from litestar.datastructures import CacheControlHeader, State
from litestar.di import Provide
from litestar.static_files import create_static_files_router
from litestar.template.config import TemplateConfig
from sqlalchemy import Engine

from casework.db import get_engine
from casework.queries import Account
from casework.settings import WebSettings

from . import certificates, editing, history, inspector, measures
from .auth import home, login, login_page, logout
from .errors import EXCEPTION_HANDLERS
from .households import household_detail, household_list
from .labels import FILTERS, ROLE_NAMES
from .policy import PUBLIC, enforce_policy, user_of
from .security import security_headers
from .sessions import SessionStore
from .startup import StartupRefused, startup_problems

__all__ = ["create_app", "StartupRefused", "WEB_ROOT", "CSRF_HEADER", "CSRF_COOKIE"]

WEB_ROOT = Path(__file__).resolve().parent
CSRF_HEADER = "X-CSRFToken"
CSRF_COOKIE = "casework_csrf"


@get("/health", opt={"policy": PUBLIC}, name="health")
async def health() -> dict[str, str]:
    return {"status": "ok"}


def create_app(settings: WebSettings | None = None, engine: Engine | None = None) -> Litestar:
    """Build the app; raises :class:`StartupRefused` when production settings are unsafe."""
    settings = settings or WebSettings.from_env()
    engine = engine or get_engine()
    problems = startup_problems(settings, engine)
    if problems:
        raise StartupRefused(problems)
    return Litestar(
        route_handlers=[login_page, login, logout, home, household_list, household_detail, health,
                        *editing.HANDLERS, *history.HANDLERS, *certificates.HANDLERS,
                        *inspector.HANDLERS, *measures.HANDLERS, _static_router()],
        guards=[enforce_policy],
        dependencies=_dependencies(settings, engine),
        csrf_config=CSRFConfig(
            secret=settings.secret_key, cookie_name=CSRF_COOKIE, header_name=CSRF_HEADER,
            cookie_secure=settings.production, cookie_samesite="lax",
        ),
        template_config=TemplateConfig(
            directory=WEB_ROOT / "templates", engine=JinjaTemplateEngine,
            engine_callback=_jinja_setup,
        ),
        exception_handlers=EXCEPTION_HANDLERS,
        before_send=[security_headers],
        state=State(
            {"engine": engine, "sessions": SessionStore(engine), "production": settings.production}
        ),
        logging_config=None,
        openapi_config=None,
        debug=False,
    )


def _dependencies(settings: WebSettings, engine: Engine) -> dict[str, Provide]:
    def provide_settings() -> WebSettings:
        return settings

    def provide_engine() -> Engine:
        return engine

    def provide_account(request: Request[Any, Any, Any]) -> Account:
        return user_of(request)

    return {
        "settings": Provide(provide_settings, use_cache=True, sync_to_thread=False),
        "engine": Provide(provide_engine, use_cache=True, sync_to_thread=False),
        "account": Provide(provide_account, sync_to_thread=False),
    }


def _static_router() -> Any:
    return create_static_files_router(
        path="/static", directories=[WEB_ROOT / "static"], opt={"policy": PUBLIC},
        cache_control=CacheControlHeader(max_age=86400), name="static",
    )


def _jinja_setup(engine: JinjaTemplateEngine) -> None:
    engine.engine.filters.update(FILTERS)
    engine.engine.globals.update(role_names=ROLE_NAMES, csrf_header=CSRF_HEADER)
