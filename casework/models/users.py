"""People who log in."""


import datetime as dt

from sqlalchemy import CheckConstraint
from sqlmodel import Field

from .base import UtcDateTime, Versioned, utcnow

__all__ = ["User", "ROLES"]

ROLES = ("village_cadre", "township_staff", "inspector", "county_admin")


class User(Versioned, table=True):
    """A user and the area their role covers (a cadre's village, a township staff member's
    township, an inspector's or administrator's county)."""

    __tablename__ = "users"
    __table_args__ = (
        CheckConstraint(
            "role IN ('village_cadre','township_staff','inspector','county_admin')",
            name="ck_users_role",
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    username: str = Field(max_length=64, unique=True, index=True)
    display_name: str = Field(max_length=64)
    password_hash: str = Field(max_length=255)
    """argon2id hash (argon2-cffi PHC string)."""
    role: str = Field(max_length=20)
    area_id: int = Field(foreign_key="areas.id", index=True)
    active: bool = Field(default=True)
    is_demo: bool = Field(default=False)
    """Created by ``casework demo-data``; production mode refuses to start while one exists."""
    created_at: dt.datetime = Field(default_factory=utcnow, sa_type=UtcDateTime())
