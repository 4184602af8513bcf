"""Which areas a user's dashboards cover, and the area tree of a county."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlmodel import Session

from ..models import Area
from ..queries import MAX_DB_ID, Scoped

__all__ = ["AreaRef", "AreaTree", "DASHBOARD_ROLES", "home_area", "area_in_scope", "area_tree"]

DASHBOARD_ROLES = ("inspector", "county_admin", "township_staff")
"""Inspectors and county administrators see their county; township staff their township."""
_LEVELS = {"inspector": "county", "county_admin": "county", "township_staff": "township"}


@dataclass(frozen=True, slots=True)
class AreaRef:
    id: int
    code: str
    name: str
    level: str
    parent_id: int | None


def _ref(area: Area) -> AreaRef:
    assert area.id is not None
    return AreaRef(area.id, area.code, area.name, area.level, area.parent_id)


def home_area(session: Session, user: Scoped) -> AreaRef | None:
    """The area a user's dashboard starts at (their county or township), or None."""
    level = _LEVELS.get(user.role)
    if level is None or not 0 < user.area_id < MAX_DB_ID:
        return None
    area = session.get(Area, user.area_id)
    return _ref(area) if area is not None and area.level == level else None


def area_in_scope(session: Session, user: Scoped, code: str) -> AreaRef | None:
    """The area with ``code`` when it lies within the user's home area (county, township or
    village); None otherwise (callers answer "not found" either way)."""
    home = home_area(session, user)
    if (home is None or len(code) > 12 or not code.isascii() or not code.isdigit()
            or not code.startswith(home.code)):
        return None
    area = session.scalars(select(Area).where(Area.code == code)).first()
    if area is None or area.level not in ("county", "township", "village"):
        return None
    return _ref(area)


@dataclass(frozen=True)
class AreaTree:
    """A county's townships and villages."""

    county: AreaRef
    by_id: dict[int, AreaRef]

    def children(self, area: AreaRef) -> list[AreaRef]:
        return sorted((a for a in self.by_id.values() if a.parent_id == area.id),
                      key=lambda a: a.code)

    def villages_under(self, area: AreaRef) -> list[AreaRef]:
        if area.level == "village":
            return [area]
        return [v for child in self.children(area) for v in self.villages_under(child)]

    def township_of(self, village: AreaRef) -> AreaRef | None:
        return self.by_id.get(village.parent_id) if village.parent_id else None

    def path_to(self, area: AreaRef) -> Sequence[AreaRef]:
        """County first, ``area`` last."""
        path = [area]
        while path[0].level != "county" and path[0].parent_id in self.by_id:
            path.insert(0, self.by_id[path[0].parent_id])  # type: ignore[index]
        return path


def area_tree(session: Session, area: AreaRef) -> AreaTree:
    """The tree of the county ``area`` lies in (one query)."""
    county_code = area.code[:6]
    rows = session.scalars(select(Area).where(
        Area.code.like(f"{county_code}%"), Area.level.in_(("county", "township", "village"))))
    by_id = {a.id: _ref(a) for a in rows if a.id is not None}
    county = next(a for a in by_id.values() if a.level == "county")
    return AreaTree(county, by_id)
