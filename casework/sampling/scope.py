"""Which county's samples a user may see: inspectors and county administrators, their own
county only (a user whose area is not a county sees none)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from casework.models import Area
from casework.queries import Scoped

__all__ = ["SAMPLER_ROLES", "county_of"]

SAMPLER_ROLES = ("inspector", "county_admin")


def county_of(session: Session, user: Scoped) -> str | None:
    """The code of the county whose samples ``user`` may see, or None."""
    if user.role not in SAMPLER_ROLES:
        return None
    code = session.scalar(select(Area.code).where(Area.id == user.area_id,
                                                  Area.level == "county"))
    return str(code) if code is not None else None
