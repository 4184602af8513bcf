"""Who may do what with certificates, and which villages and households they reach.

* township staff and county administrators issue (one household or a batch) and print;
* village cadres view and print (reprint batches included) the certificates of their village,
  but never issue;
* inspectors view and print single certificates of their county (read-only, for field checks);
  they start no batches.

Area limits follow :func:`casework.queries.area_scope` exactly: a cadre's village, a township's
villages, an inspector's or administrator's county.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, Select, false, select
from sqlalchemy.orm import Session

from casework.models import Area, Household
from casework.queries import Scoped, area_scope

__all__ = [
    "ISSUER_ROLES", "PRINTER_ROLES", "VIEWER_ROLES", "may_issue", "village_scope",
    "visible_villages", "household_visible",
]

ISSUER_ROLES = frozenset({"township_staff", "county_admin"})
PRINTER_ROLES = frozenset({"village_cadre", "township_staff", "county_admin"})
"""Roles that use the batch printing pages."""
VIEWER_ROLES = frozenset({"village_cadre", "township_staff", "county_admin", "inspector"})


def may_issue(user: Scoped | None) -> bool:
    """``None`` is the command line's system actor, which may issue anywhere."""
    return user is None or user.role in ISSUER_ROLES


def village_scope(user: Scoped) -> ColumnElement[bool]:
    """The villages (``Area`` rows) whose households ``user`` sees."""
    own = select(Area.id).where(Area.id == user.area_id)
    village = Area.level == "village"
    if user.role == "village_cadre":
        return village & Area.id.in_(own.where(Area.level == "village"))
    if user.role == "township_staff":
        return village & Area.parent_id.in_(own.where(Area.level == "township"))
    if user.role in ("inspector", "county_admin"):
        county = select(Area.code).where(Area.id == user.area_id, Area.level == "county")
        townships = select(Area.id).where(Area.parent_id.in_(
            select(Area.id).where(Area.code.in_(county))))
        return village & Area.parent_id.in_(townships)
    return false()


def visible_villages(user: Scoped) -> Select[tuple[Area]]:
    return select(Area).where(village_scope(user)).order_by(Area.code)


def household_visible(session: Session, user: Scoped | None, household_id: int) -> bool:
    if not 0 < household_id < 2**62:
        return False
    where = Household.id == household_id
    if user is not None:
        where = where & area_scope(user)
    return session.scalar(select(Household.id).where(where)) is not None
