"""Server-side sessions that hold only a user id.

The cookie carries a random token (256 bits); the store maps it to the user id and an expiry.
Every login issues a fresh token (no session fixation) and logout forgets it, so a copied cookie
stops working at once. The store lives in the process: restarting the server signs everyone out.
"""

from __future__ import annotations

import secrets
import threading
import time
from typing import Any

from litestar.connection import ASGIConnection
from litestar.datastructures import Cookie

__all__ = ["SessionStore", "SESSION_COOKIE", "session_token", "session_cookie", "expired_cookie"]

SESSION_COOKIE = "casework_session"
SESSION_SECONDS = 12 * 3600
"""A working day in the field; after that the user logs in again."""


class SessionStore:
    def __init__(self, lifetime_seconds: int = SESSION_SECONDS) -> None:
        self._lifetime = lifetime_seconds
        self._sessions: dict[str, tuple[int, float]] = {}
        self._lock = threading.Lock()

    def start(self, user_id: int, replacing: str | None = None) -> str:
        """A new token for ``user_id``; the token the browser had before is forgotten."""
        token = secrets.token_urlsafe(32)
        now = time.monotonic()
        with self._lock:
            if replacing:
                self._sessions.pop(replacing, None)
            self._sessions = {k: v for k, v in self._sessions.items() if v[1] > now}
            self._sessions[token] = (user_id, now + self._lifetime)
        return token

    def user_id(self, token: str | None) -> int | None:
        if not token:
            return None
        with self._lock:
            found = self._sessions.get(token)
            if found is None:
                return None
            if found[1] <= time.monotonic():
                del self._sessions[token]
                return None
            return found[0]

    def end(self, token: str | None) -> None:
        if token:
            with self._lock:
                self._sessions.pop(token, None)


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
