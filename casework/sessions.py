"""Signed-in sessions: a random token in the browser's cookie, its SHA-256 and the user id in the
``web_sessions`` table, so every server process knows every login. Every login issues a fresh
token (no session fixation) and logout deletes it, so a copied cookie stops working at once.
Starting and ending a session are writes, so they go through the unit of work (audited)."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from sqlalchemy import Engine, or_, select

from .db import read_session
from .models import Area, User, WebSession, utcnow
from .queries import Account
from .uow import UnitOfWork

__all__ = ["start_session", "session_user", "session_account", "end_session"]


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def start_session(engine: Engine, user_id: int, username: str, lifetime: dt.timedelta,
                  replacing: str | None = None) -> str:
    """A new token for the user; the token the browser had before, and expired sessions, go."""
    token = secrets.token_urlsafe(32)
    now = utcnow()
    gone = WebSession.expires_at <= now
    if replacing:
        gone = or_(gone, WebSession.token_hash == _hash(replacing))
    with UnitOfWork(username, engine) as uow:
        for old in uow.session.scalars(select(WebSession).where(gone)):
            uow.session.delete(old)
        uow.add(WebSession(token_hash=_hash(token), user_id=user_id, expires_at=now + lifetime))
        uow.commit()
    return token


def session_user(engine: Engine, token: str | None) -> int | None:
    """The user id behind a live token, else None."""
    if not token or len(token) > 128:
        return None
    with read_session(engine) as s:
        return s.scalar(select(WebSession.user_id).where(
            WebSession.token_hash == _hash(token), WebSession.expires_at > utcnow()))


def session_account(engine: Engine, token: str | None) -> Account | None:
    """The active account behind a live token, else None: one query per request (session, user
    and the name of the user's area), since every page asks it first."""
    if not token or len(token) > 128:
        return None
    with read_session(engine) as s:
        row = s.execute(
            select(User.id, User.username, User.display_name, User.role, User.area_id, Area.name)
            .join(WebSession, WebSession.user_id == User.id)
            .outerjoin(Area, Area.id == User.area_id)
            .where(WebSession.token_hash == _hash(token), WebSession.expires_at > utcnow(),
                   User.active)
        ).first()
    if row is None:
        return None
    user_id, username, display_name, role, area_id, area_name = row
    return Account(id=user_id, username=username, display_name=display_name, role=role,
                   area_id=area_id, area_name=area_name or "")


def end_session(engine: Engine, token: str | None, username: str) -> None:
    if not token or len(token) > 128:
        return
    with UnitOfWork(username, engine) as uow:
        row = uow.session.get(WebSession, _hash(token))
        if row is not None:
            uow.session.delete(row)
        uow.commit()
