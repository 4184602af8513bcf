"""Idempotent form submissions: a save carries a one-time key, so a double tap or a retry after
a dropped connection applies the change once and answers the repeat with the first result."""

import datetime as dt

from sqlmodel import Field, SQLModel

from .base import UtcDateTime, utcnow

__all__ = ["Submission"]


class Submission(SQLModel, table=True):
    __tablename__ = "submissions"

    key: str = Field(primary_key=True, max_length=64)
    """The form's one-time key (a random token rendered into the form)."""
    username: str = Field(max_length=64)
    household_id: int | None = Field(default=None, foreign_key="households.id", index=True)
    action: str = Field(max_length=40)
    """What was saved, e.g. ``add_member``."""
    result_id: str | None = Field(default=None, max_length=40)
    """The id of the row the first submission created or changed."""
    at: dt.datetime = Field(default_factory=utcnow, sa_type=UtcDateTime())
