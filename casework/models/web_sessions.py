"""Signed-in sessions, kept in the database so several server processes share them."""

import datetime as dt

from sqlmodel import Field, SQLModel

from .base import UtcDateTime, utcnow

__all__ = ["WebSession"]


class WebSession(SQLModel, table=True):
    __tablename__ = "web_sessions"

    token_hash: str = Field(primary_key=True, max_length=64)
    """SHA-256 of the cookie's random token (the token itself is never stored)."""
    user_id: int = Field(foreign_key="users.id", index=True)
    expires_at: dt.datetime = Field(sa_type=UtcDateTime(), index=True)
    created_at: dt.datetime = Field(default_factory=utcnow, sa_type=UtcDateTime())
