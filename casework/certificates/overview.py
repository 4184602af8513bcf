"""What the printing pages list: the villages a user may print for, with how many households
hold a certificate of the year, and a village's households with their latest certificate."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import Engine, func, select
from sqlalchemy.orm import aliased

from casework.db import read_session
from casework.models import Area, Household, Member
from casework.models.certificates import Certificate
from casework.queries import Scoped, area_scope

from .batches import BatchNotFound
from .records import CHINA
from .scope import village_scope

__all__ = ["VillageLine", "HouseholdLine", "village_lines", "household_lines"]


@dataclass(frozen=True)
class VillageLine:
    id: int
    code: str
    name: str
    township_name: str
    households: int
    certified: int
    """Households with a certificate of the year (their latest is current)."""


@dataclass(frozen=True)
class HouseholdLine:
    id: int
    number: str
    head_name: str | None
    serial: str | None
    issued_on: dt.date | None


def village_lines(engine: Engine, user: Scoped, year: int) -> list[VillageLine]:
    township = aliased(Area)
    active = (select(Household.village_id, func.count().label("n"))
              .where(Household.active, area_scope(user)).group_by(Household.village_id)
              .subquery())
    certified = (select(Household.village_id, func.count(func.distinct(Certificate.household_id))
                        .label("n"))
                 .join(Household, Household.id == Certificate.household_id)
                 .where(Certificate.policy_year == year, Household.active, area_scope(user))
                 .group_by(Household.village_id).subquery())
    stmt = (select(Area, township.name, active.c.n, certified.c.n)
            .join(township, township.id == Area.parent_id)
            .outerjoin(active, active.c.village_id == Area.id)
            .outerjoin(certified, certified.c.village_id == Area.id)
            .where(village_scope(user)).order_by(Area.code))
    with read_session(engine) as s:
        return [VillageLine(a.id or 0, a.code, a.name, t, n or 0, c or 0)
                for a, t, n, c in s.execute(stmt)]


def household_lines(engine: Engine, user: Scoped, village_id: int,
                    year: int) -> tuple[VillageLine, list[HouseholdLine]]:
    """The village (BatchNotFound when the user may not see it) and its active households."""
    village = next((v for v in village_lines(engine, user, year) if v.id == village_id), None)
    if village is None:
        raise BatchNotFound(village_id)
    latest = (select(Certificate.household_id, func.max(Certificate.id).label("cid"))
              .where(Certificate.policy_year == year).group_by(Certificate.household_id)
              .subquery())
    head = (select(Member.name).where(Member.household_id == Household.id,
                                      Member.relation == "head", Member.active)
            .order_by(Member.id).limit(1).scalar_subquery())
    stmt = (select(Household.id, Household.number, head, Certificate.serial,
                   Certificate.issued_at)
            .outerjoin(latest, latest.c.household_id == Household.id)
            .outerjoin(Certificate, Certificate.id == latest.c.cid)
            .where(Household.village_id == village_id, Household.active, area_scope(user))
            .order_by(Household.number))
    with read_session(engine) as s:
        lines = [HouseholdLine(i, n, h, serial, at.astimezone(CHINA).date() if at else None)
                 for i, n, h, serial, at in s.execute(stmt)]
    return village, lines
