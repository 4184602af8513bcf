"""The households behind a dashboard figure: an area's households filtered by a dimension's
status in the current run or by the gap of a target, in household-number order, paged."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import ColumnElement, Engine, and_, exists, func, not_, or_, select, true
from sqlalchemy.orm import aliased
from sqlmodel import Session

from rules.vocab import DANGEROUS_HOUSE_GRADES, LABOUR_CAPABLE

from ..db import read_session
from ..ids import mask_list
from ..models import Area, DecisionRun, Household, Member, StoredAssessment
from ..models.tallies import DIMENSION_COLUMNS
from ..queries import Scoped
from .areas import AreaRef, area_in_scope, area_tree
from .targets import stable_column

__all__ = ["ListFilter", "ListedHousehold", "HouseholdList", "GAPS", "parse_filter",
           "list_households", "EXPORT_LIMIT"]

DIMENSION_STATUSES = ("pass", "fail", "unknown")
OVERALL_STATUSES = ("meets", "fails", "unknown", "unassessed")
GAPS = {
    "insurance": "有成员未参加（或未记录）基本医保和大病保险",
    "family_doctor": "有成员未签约（或未记录）家庭医生",
    "out_of_school": "有义务教育阶段失学辍学儿童",
    "dangerous_house": "C、D 级危房尚未改造或搬迁",
    "unpaired": "未记录帮扶责任人",
    "no_stable_job": "有劳动能力但无人稳定就业",
}
EXPORT_LIMIT = 200_000


@dataclass(frozen=True)
class ListFilter:
    dimension: str | None = None
    """One of the dimensions, or ``overall`` (the assessment's status)."""
    status: str | None = None
    gap: str | None = None


def parse_filter(dimension: str | None, status: str | None, gap: str | None) -> ListFilter | None:
    """The filter of the query parameters, or None when they name no known filter."""
    dimension, status, gap = (v.strip() if v else None for v in (dimension, status, gap))
    if gap:
        return ListFilter(gap=gap) if gap in GAPS and not (dimension or status) else None
    if not dimension and not status:
        return ListFilter()
    if dimension == "overall" and status in OVERALL_STATUSES:
        return ListFilter(dimension, status)
    if dimension in DIMENSION_COLUMNS and status in DIMENSION_STATUSES:
        return ListFilter(dimension, status)
    return None


@dataclass(frozen=True, slots=True)
class ListedHousehold:
    id: int
    number: str
    head_name: str | None
    head_id_masked: str
    village_name: str
    members: int
    status: str | None
    """The assessment's status in the current run (None: not assessed)."""
    dimensions: tuple[str | None, ...]
    """Statuses in :data:`DIMENSION_COLUMNS` order."""


@dataclass(frozen=True)
class HouseholdList:
    area: AreaRef
    path: Sequence[AreaRef]
    filter: ListFilter
    rows: tuple[ListedHousehold, ...]
    total: int
    page: int
    pages: int
    page_size: int


def list_households(engine: Engine, user: Scoped, area_code: str, flt: ListFilter,
                    page: int, page_size: int) -> HouseholdList | None:
    """One page of the area's households matching ``flt`` (``page`` is clamped); None when the
    area is not within the user's area."""
    with read_session(engine) as session:
        area = area_in_scope(session, user, area_code)
        if area is None:
            return None
        tree = area_tree(session, area)
        run = session.execute(select(DecisionRun.id, DecisionRun.pack, DecisionRun.on_date).where(
            DecisionRun.county_code == tree.county.code, DecisionRun.status == "current")).first()
        where = and_(Household.county_code == tree.county.code, Household.active.is_(True),
                     _in_area(area), _matches(flt, run))
        total = session.scalar(select(func.count()).select_from(Household).where(where)) or 0
        pages = max(1, -(-total // page_size))
        page = min(max(page, 1), pages)
        rows = _rows(session, where, run[0] if run else None, (page - 1) * page_size, page_size)
    return HouseholdList(area, tree.path_to(area), flt, rows, total, page, pages, page_size)


def _in_area(area: AreaRef) -> ColumnElement[bool]:
    if area.level == "village":
        return Household.village_id == area.id
    if area.level == "township":
        return Household.village_id.in_(select(Area.id).where(Area.parent_id == area.id))
    return true()


def _matches(flt: ListFilter, run: tuple[int, str, dt.date] | None) -> ColumnElement[bool]:
    if flt.gap:
        return _gap(flt.gap, run)
    if flt.dimension is None:
        return true()
    if flt.status == "unassessed":
        if run is None:
            return true()
        return not_(exists().where(StoredAssessment.run_id == run[0],
                                   StoredAssessment.household_id == Household.id))
    if run is None:
        return _nothing()
    a = StoredAssessment
    column = a.status if flt.dimension == "overall" else getattr(a, flt.dimension)
    return Household.id.in_(select(a.household_id).where(a.run_id == run[0],
                                                         column == flt.status))


def _nothing() -> ColumnElement[bool]:
    return Household.id.is_(None)


def _member(*conditions: ColumnElement[bool]) -> ColumnElement[bool]:
    return exists().where(Member.household_id == Household.id, Member.active.is_(True),
                          *conditions)


def _gap(gap: str, run: tuple[int, str, dt.date] | None) -> ColumnElement[bool]:
    m, h = Member, Household
    if gap == "insurance":
        return _member(not_(and_(m.medical_insurance.is_(True),
                                 m.critical_illness_insurance.is_(True))))
    if gap == "family_doctor":
        return _member(m.family_doctor.is_not(True))
    if gap == "out_of_school":
        return _member(m.out_of_school.is_(True))
    if gap == "dangerous_house":
        return and_(h.housing_safety_grade.in_(DANGEROUS_HOUSE_GRADES),
                    h.housing_renovated.is_not(True),
                    or_(h.relocation_status.is_(None), h.relocation_status != "moved_in"))
    if gap == "unpaired":
        return func.coalesce(func.trim(h.pairing_cadre), "") == ""
    stable = ("stable", "public_post") if run and stable_column(
        run[1], run[2]) == "hh_labour_stable_or_post" else ("stable",)
    return and_(_member(m.labor.in_(LABOUR_CAPABLE)), not_(_member(m.employment.in_(stable))))


def _rows(session: Session, where: ColumnElement[bool], run_id: int | None, offset: int,
          limit: int) -> tuple[ListedHousehold, ...]:
    village = aliased(Area)
    a = StoredAssessment
    page_ids = (select(Household.id).where(where).order_by(Household.number)
                .limit(limit).offset(offset).scalar_subquery())
    head = (select(Member.id).where(Member.household_id == Household.id, Member.active.is_(True),
                                    Member.relation == "head")
            .order_by(Member.id).limit(1).scalar_subquery())
    head_member = aliased(Member)
    members = (select(func.count(Member.id)).where(Member.household_id == Household.id,
                                                    Member.active.is_(True)).scalar_subquery())
    stmt = (select(Household.id, Household.number, head_member.name, head_member.id_number,
                   village.name, members, a.status, *(getattr(a, d) for d in DIMENSION_COLUMNS))
            .join(village, village.id == Household.village_id)
            .outerjoin(head_member, head_member.id == head)
            .outerjoin(a, and_(a.household_id == Household.id, a.run_id == (run_id or -1)))
            .where(Household.id.in_(page_ids)).order_by(Household.number))
    return tuple(ListedHousehold(hid, number, name, mask_list(raw), vname, count or 0, status,
                                 tuple(dims))
                 for hid, number, name, raw, vname, count, status, *dims in session.execute(stmt))
