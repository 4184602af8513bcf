"""Server-side sessions that hold only a user id.

The cookie carries a random token (256 bits); the database maps its hash to the user id and an
expiry (:mod:`casework.sessions`), so several server processes share the logins and a restart
signs nobody out. Every login issues a fresh token (no session fixation) and logout deletes it,
so a copied cookie stops working at once.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from litestar.connection import ASGIConnection
from litestar.datastructures import Cookie
from sqlalchemy import Engine

from casework.queries import Account
from casework.sessions import end_session, session_account, session_user, start_session

__all__ = ["SessionStore", "SESSION_COOKIE", "session_token", "session_cookie", "expired_cookie"]

SESSION_COOKIE = "casework_session"
SESSION_SECONDS = 12 * 3600
"""A working day in the field; after that the user logs in again."""


class SessionStore:
    """The app's view of :mod:`casework.sessions` (blocking calls: run them in a thread)."""

    def __init__(self, engine: Engine, lifetime_seconds: int = SESSION_SECONDS) -> None:
        self._engine = engine
        self._lifetime = dt.timedelta(seconds=lifetime_seconds)

    def start(self, user_id: int, replacing: str | None = None, username: str = "") -> str:
        """A new token for ``user_id``; the token the browser had before is forgotten."""
        return start_session(self._engine, user_id, username or f"user:{user_id}",
                             self._lifetime, replacing)

    def user_id(self, token: str | None) -> int | None:
        return session_user(self._engine, token)

    def account(self, token: str | None) -> Account | None:
        """The active account signed in with ``token``, else None."""
        return session_account(self._engine, token)

    def end(self, token: str | None, username: str = "") -> None:
        end_session(self._engine, token, username or "web")


def session_token(connection: ASGIConnection[Any, Any, Any, Any]) -> str | None:
    return connection.cookies.get(SESSION_COOKIE)


def session_cookie(token: str, secure: bool) -> Cookie:
    return Cookie(
        key=SESSION_COOKIE, value=token, path="/", httponly=True, samesite="lax", secure=secure,
        max_age=SESSION_SECONDS,
    )


def expired_cookie(secure: bool) -> Cookie:
    return Cookie(
        key=SESSION_COOKIE, value="", path="/", httponly=True, samesite="lax", secure=secure,
        max_age=0, expires=0,
    )
