"""Reading many households fast: keyset pages of households in number order, their active
members and hospital stays fetched with one ``IN`` query each per page, snapshots built straight
from result rows (no ORM objects). Memory stays constant: one page at a time."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from rules import snapshot as s
from sqlalchemy import Row, Select, select
from sqlalchemy.orm import Session

from casework.models import Area, HospitalStay, Household, Member
from casework.registry._mapping import (
    HOUSEHOLD_LAYOUT, MEMBER_LAYOUT, STAY_LAYOUT, household_snapshot, member_snapshot,
)

__all__ = ["HouseholdInfo", "Place", "iter_snapshots", "load_places"]

_H = Household.__table__.c  # type: ignore[attr-defined]
_M = Member.__table__.c  # type: ignore[attr-defined]
_S = HospitalStay.__table__.c  # type: ignore[attr-defined]


@dataclass(frozen=True, slots=True)
class HouseholdInfo:
    """The stored facts about a household that are not part of its snapshot."""

    id: int
    number: str
    version: int
    county_code: str
    village_id: int
    active: bool


@dataclass(frozen=True, slots=True)
class Place:
    """Where a village is: its code, its township's and county's codes, the county's pack."""

    village_id: int
    village_code: str
    township_code: str | None
    county_code: str | None
    pack: str | None


def load_places(session: Session) -> dict[int, Place]:
    """Every village keyed by id (one query over the areas table)."""
    rows = session.execute(select(Area.id, Area.code, Area.level, Area.parent_id, Area.pack)).all()
    by_id = {row.id: row for row in rows}
    places: dict[int, Place] = {}
    for row in rows:
        if row.level != "village":
            continue
        above = _ancestors(row, by_id)
        township, county = above.get("township"), above.get("county")
        places[row.id] = Place(
            village_id=row.id,
            village_code=row.code,
            township_code=township.code if township else None,
            county_code=county.code if county else None,
            pack=county.pack if county else None,
        )
    return places


def _ancestors(row: Any, by_id: dict[int, Any]) -> dict[str, Any]:
    found: dict[str, Any] = {}
    seen = {row.id}
    while row.parent_id is not None and row.parent_id not in seen:
        row = by_id[row.parent_id]
        seen.add(row.id)
        found.setdefault(row.level, row)
    return found


def iter_snapshots(
    session: Session,
    *,
    county_code: str | None = None,
    village_code: str | None = None,
    chunk: int = 1000,
    include_inactive: bool = False,
    numbers: tuple[str, str] | None = None,
) -> Iterator[tuple[HouseholdInfo, s.Household]]:
    """Yield ``(info, snapshot)`` for every (active, unless ``include_inactive``) household in
    the county and/or village, in household-number order; ``snapshot`` equals
    :func:`casework.registry.to_snapshot` of the household; ``numbers`` limits them to household
    numbers from ``first`` to ``last`` inclusive. Reads ``chunk`` households per page
    with three queries, so memory does not grow with the registry."""
    if chunk < 1:
        raise ValueError("chunk must be at least 1")
    page = _page_query(county_code, village_code, include_inactive, chunk)
    if numbers is not None:
        page = page.where(_H.number >= numbers[0], _H.number <= numbers[1])
    last: str | None = None
    while True:
        stmt = page if last is None else page.where(_H.number > last)
        rows = session.execute(stmt).all()
        if not rows:
            return
        yield from _assemble(session, rows)
        if len(rows) < chunk:
            return
        last = rows[-1][0]


def _page_query(
    county_code: str | None, village_code: str | None, include_inactive: bool, chunk: int
) -> Select[Any]:
    info = (_H.id, _H.version, _H.county_code, _H.village_id, _H.active)
    stmt = select(*(_H[name] for name in HOUSEHOLD_LAYOUT), *info).order_by(_H.number)
    if county_code is not None:
        stmt = stmt.where(_H.county_code == county_code)
    if village_code is not None:
        stmt = stmt.where(_H.village_id == select(Area.id).where(Area.code == village_code)
                          .scalar_subquery())
    if not include_inactive:
        stmt = stmt.where(_H.active.is_(True))
    return stmt.limit(chunk)


def _assemble(
    session: Session, rows: Sequence[Row[Any]]
) -> Iterator[tuple[HouseholdInfo, s.Household]]:
    """Snapshots of one page. Rows are read by position (``*_LAYOUT`` first, then ids)."""
    ids = [row[-5] for row in rows]
    stays: defaultdict[int, list[Row[Any]]] = defaultdict(list)
    for stay in session.execute(
        select(*(_S[name] for name in STAY_LAYOUT), _S.member_id)
        .join(Member.__table__, _M.id == _S.member_id)  # type: ignore[attr-defined]
        .where(_M.household_id.in_(ids), _M.active.is_(True))
        .order_by(_S.member_id, _S.id)
    ).all():
        stays[stay[-1]].append(stay)
    by_household: defaultdict[int, list[s.Member]] = defaultdict(list)
    for member in session.execute(
        select(*(_M[name] for name in MEMBER_LAYOUT), _M.id, _M.household_id)
        .where(_M.household_id.in_(ids), _M.active.is_(True))
        .order_by(_M.household_id, _M.id)
    ).all():
        by_household[member[-1]].append(member_snapshot(member, stays.get(member[-2], ())))
    for row in rows:
        info = HouseholdInfo(row[-5], row[0], *row[-4:])
        yield info, household_snapshot(row, by_household.get(row[-5], ()))
