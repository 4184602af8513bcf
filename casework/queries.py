"""Read-side queries for the web app, always scoped to what a user may see.

Handlers never build SQL or hold a session: they call these functions with the signed-in
:class:`Account` (or any object with ``role`` and ``area_id``, such as a :class:`User`) and get
plain, immutable rows back. Resident ID numbers leave this module masked only
(:func:`casework.ids.mask_list` in lists, :func:`casework.ids.mask_detail` on a household's page).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Protocol

from sqlalchemy import ColumnElement, Engine, and_, exists, false, func, or_, select, true
from sqlalchemy.orm import aliased, selectinload

from .db import read_session
from .ids import mask_list
from .models import Area, Household, Member, User
from .passwords import hash_password, verify_password
from .uow import UnitOfWork

__all__ = [
    "Account", "Scoped", "SignIn", "HouseholdRow", "HouseholdPage", "HouseholdRecord",
    "authenticate", "active_account", "active_demo_usernames", "record_session_event",
    "search_households", "household_record", "area_scope", "MAX_DB_ID",
]

MAX_DB_ID = 2**62
"""Larger integers cannot name a row (and overflow SQLite's binding): treated as not found."""

_DUMMY_HASH = hash_password("casework-timing-equaliser")
_LAST4 = re.compile(r"^\d{3}[\dX]$")


class Scoped(Protocol):
    role: str
    area_id: int


@dataclass(frozen=True, slots=True)
class Account:
    """The signed-in user as the web app sees it (no password hash)."""

    id: int
    username: str
    display_name: str
    role: str
    area_id: int
    area_name: str


@dataclass(frozen=True, slots=True)
class SignIn:
    """Outcome of a login attempt: ``account`` when accepted; ``inactive`` when the password was
    right but the account is disabled (only then may the caller say so)."""

    account: Account | None
    inactive: bool = False


@dataclass(frozen=True, slots=True)
class HouseholdRow:
    id: int
    number: str
    head_name: str | None
    head_id_masked: str
    village_name: str
    member_count: int
    poverty_status: str | None
    dibao: bool | None
    tekun: bool | None


@dataclass(frozen=True, slots=True)
class HouseholdRecord:
    """A household (detached ORM row, relationships loaded) and the names of its areas. It
    carries stored ID numbers: mask them (``casework.ids.mask_detail``) before showing."""

    household: Household
    village_name: str
    township_name: str


@dataclass(frozen=True, slots=True)
class HouseholdPage:
    rows: tuple[HouseholdRow, ...]
    total: int
    page: int
    pages: int
    page_size: int


def authenticate(engine: Engine, username: str, password: str) -> SignIn:
    """Check a username and password; unknown users cost the same argon2 work as known ones."""
    with read_session(engine) as s:
        user = s.scalars(select(User).where(User.username == username.strip())).first()
        if user is None:
            verify_password(_DUMMY_HASH, password)
            return SignIn(None)
        if not verify_password(user.password_hash, password):
            return SignIn(None)
        if not user.active:
            return SignIn(None, inactive=True)
        return SignIn(_account(s, user))


def active_account(engine: Engine, user_id: int) -> Account | None:
    """The account behind a session, or None when it no longer exists or was disabled."""
    if not 0 < user_id < MAX_DB_ID:
        return None
    with read_session(engine) as s:
        user = s.get(User, user_id)
        return _account(s, user) if user is not None and user.active else None


def active_demo_usernames(engine: Engine) -> list[str]:
    """Demo accounts that can still log in (production refuses to start while any exist)."""
    with read_session(engine) as s:
        stmt = select(User.username).where(User.is_demo, User.active).order_by(User.username)
        return list(s.scalars(stmt))


def record_session_event(engine: Engine, username: str, action: str) -> None:
    """Audit a login or logout (``action`` is ``login`` or ``logout``)."""
    with UnitOfWork(actor=username, engine=engine) as uow:
        uow.record(action, "session", detail=f"web {action}")
        uow.commit()


def search_households(
    engine: Engine, user: Scoped, query: str, page: int, page_size: int = 25
) -> HouseholdPage:
    """Active households in the user's area matching ``query`` (head's name, household number,
    or the last four characters of any member's ID), ordered by number; ``page`` is clamped."""
    where = and_(Household.active, area_scope(user), _matches(query))
    with read_session(engine) as s:
        total = s.scalar(select(func.count()).select_from(Household).where(where)) or 0
        pages = max(1, -(-total // page_size))
        page = min(max(page, 1), pages)
        head_name, head_id = _head_columns()
        village = aliased(Area)
        page_ids = (  # the page's ids first, so deep pages skip rows without their details
            select(Household.id).where(where).order_by(Household.number)
            .limit(page_size).offset((page - 1) * page_size)
        )
        stmt = (
            select(Household, head_name, head_id, village.name, _member_count())
            .join(village, village.id == Household.village_id)
            .where(Household.id.in_(page_ids.scalar_subquery()))
            .order_by(Household.number)
        )
        rows = tuple(
            HouseholdRow(
                id=h.id, number=h.number, head_name=name, head_id_masked=mask_list(raw_id),
                village_name=vname, member_count=count or 0, poverty_status=h.poverty_status,
                dibao=h.dibao, tekun=h.tekun,
            )
            for h, name, raw_id, vname, count in s.execute(stmt)
        )
    return HouseholdPage(rows, total, page, pages, page_size)


def household_record(engine: Engine, user: Scoped, household_id: int) -> HouseholdRecord | None:
    """One household with its members, hospital stays and income records loaded (detached, safe
    to read after the session closed), or None when it does not exist or lies outside the user's
    area (callers answer both the same way)."""
    if not 0 < household_id < MAX_DB_ID:
        return None
    with read_session(engine) as s:
        stmt = (
            select(Household)
            .where(Household.id == household_id, area_scope(user))
            .options(*_household_loads())
        )
        household = s.scalars(stmt).first()
        if household is None:
            return None
        village = s.get(Area, household.village_id)
        township = s.get(Area, village.parent_id) if village and village.parent_id else None
        return HouseholdRecord(
            household, village.name if village else "", township.name if township else ""
        )


def _household_loads() -> tuple[Any, ...]:
    """Members with their hospital stays, and income records, in two extra queries."""
    members = selectinload(Household.members)  # type: ignore[arg-type]
    stays = members.selectinload(Member.hospital_stays)  # type: ignore[arg-type]
    return stays, selectinload(Household.income_records)  # type: ignore[arg-type]


def area_scope(user: Scoped) -> ColumnElement[bool]:
    """The households a role sees: a cadre's village, a township's villages, an inspector's or
    administrator's county. A user whose area is not of the level the role needs sees nothing."""
    own = select(Area.id).where(Area.id == user.area_id)
    if user.role == "village_cadre":
        return Household.village_id.in_(own.where(Area.level == "village"))
    if user.role == "township_staff":
        township = own.where(Area.level == "township")
        villages = select(Area.id).where(Area.parent_id.in_(township), Area.level == "village")
        return Household.village_id.in_(villages)
    if user.role in ("inspector", "county_admin"):
        county = select(Area.code).where(Area.id == user.area_id, Area.level == "county")
        return Household.county_code.in_(county)
    return false()


def _matches(query: str) -> ColumnElement[bool]:
    text = query.strip()
    if not text:
        return true()
    pattern = "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    head = exists().where(
        Member.household_id == Household.id, Member.relation == "head", Member.active,
        Member.name.like(pattern, escape="\\"),  # type: ignore[union-attr]
    )
    found = [head, Household.number.ilike(pattern, escape="\\")]
    last4 = text.upper()
    if _LAST4.match(last4):
        found.append(Household.id.in_(select(Member.household_id).where(
            Member.id_last4 == last4, Member.active)))
    return or_(*found)


def _head_columns() -> tuple[ColumnElement[str], ColumnElement[str]]:
    def first_head(column: ColumnElement[str]) -> ColumnElement[str]:
        return (
            select(column)
            .where(Member.household_id == Household.id, Member.relation == "head", Member.active)
            .order_by(Member.id).limit(1).scalar_subquery()
        )
    return first_head(Member.name), first_head(Member.id_number)  # type: ignore[arg-type]


def _member_count() -> ColumnElement[int]:
    return (
        select(func.count(Member.id))
        .where(Member.household_id == Household.id, Member.active)
        .scalar_subquery()
    )


def _account(session: object, user: User) -> Account:
    area = session.get(Area, user.area_id)  # type: ignore[attr-defined]
    return Account(
        id=user.id or 0, username=user.username, display_name=user.display_name,
        role=user.role, area_id=user.area_id, area_name=area.name if area else "",
    )
