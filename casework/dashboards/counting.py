"""Counting the dashboards' figures per village and writing them as tallies.

The counts come straight from the registry (active households and members) and the county's
current run of stored assessments. They are written when a run becomes current (every village of
the county). A save only marks its village's row of the month stale, inside its transaction;
:func:`bring_up_to_date`, called by every dashboard before it reads, counts the marked villages
again. So what a dashboard shows always equals a direct count, and a save never pays for
counting a village (~10 µs a household) while it holds the write lock.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import Connection, ColumnElement, and_, case, func, select
from sqlalchemy.dialects import postgresql, sqlite

from rules.vocab import COMPULSORY_STAGES, DANGEROUS_HOUSE_GRADES, LABOUR_CAPABLE

from ..models import Area, DecisionRun, Household, Member, StoredAssessment, utcnow
from ..models.tallies import DIMENSION_COLUMNS, TALLY_COUNTS, AssessmentTally

__all__ = ["CHINA", "Counts", "month_of", "village_counts", "county_villages", "record_county",
           "refresh_villages", "refresh_after_insert", "write_tallies", "bring_up_to_date"]

Counts = dict[str, int]
CHINA = dt.timezone(dt.timedelta(hours=8))
_ASSESSMENT_STATUSES = (("status_meets", "meets"), ("status_fails", "fails"),
                        ("status_unknown", "unknown"))


def month_of(moment: dt.datetime | None = None) -> dt.date:
    """The first day of the month (China Standard Time) of ``moment`` (default: now)."""
    local = (moment or utcnow()).astimezone(CHINA)
    return local.date().replace(day=1)


def _count(condition: ColumnElement[bool]) -> Any:
    return func.sum(case((condition, 1), else_=0))


def _households(county: str, villages: Sequence[int] | None) -> ColumnElement[bool]:
    where = and_(Household.county_code == county, Household.active.is_(True))
    return where if villages is None else and_(where, Household.village_id.in_(villages))


def village_counts(conn: Connection, county: str, run_id: int | None,
                   villages: Sequence[int] | None = None) -> dict[int, Counts]:
    """Every count of :data:`TALLY_COUNTS` per village id (villages without households absent)."""
    found: dict[int, Counts] = {}
    for query in (_household_query, _assessment_query, _member_query):
        stmt = query(county, run_id, villages)
        if stmt is None:
            continue
        names = [c.name for c in stmt.selected_columns][1:]
        for village_id, *values in conn.execute(stmt):
            row = found.setdefault(village_id, dict.fromkeys(TALLY_COUNTS, 0))
            row.update({n: int(v or 0) for n, v in zip(names, values)})
    return found


def _household_query(county: str, _run: int | None, villages: Sequence[int] | None) -> Any:
    h = Household
    dangerous = h.housing_safety_grade.in_(DANGEROUS_HOUSE_GRADES)
    fixed = and_(dangerous, (h.housing_renovated.is_(True)) | (h.relocation_status == "moved_in"))
    paired = func.coalesce(func.trim(h.pairing_cadre), "") != ""
    return (select(h.village_id, func.count().label("households"),
                   _count(dangerous).label("hh_dangerous"),
                   _count(fixed).label("hh_dangerous_fixed"),
                   _count(paired).label("hh_paired"))
            .where(_households(county, villages)).group_by(h.village_id))


def _assessment_query(county: str, run_id: int | None, villages: Sequence[int] | None) -> Any:
    if run_id is None:
        return None
    a = StoredAssessment
    columns = [func.count().label("assessed")]
    columns += [_count(a.status == value).label(name) for name, value in _ASSESSMENT_STATUSES]
    for dim in DIMENSION_COLUMNS:
        column = getattr(a, dim)
        columns += [_count(column == s).label(f"{dim}_{s}") for s in ("pass", "fail", "unknown")]
    return (select(Household.village_id, *columns)
            .join(Household, Household.id == a.household_id)
            .where(a.run_id == run_id, _households(county, villages))
            .group_by(Household.village_id))


def _member_query(county: str, _run: int | None, villages: Sequence[int] | None) -> Any:
    """People and the person-level counts, and the labour counts per household, in one pass
    over the members (grouped per household first, then per village)."""
    m = Member
    both = and_(m.medical_insurance.is_(True), m.critical_illness_insurance.is_(True))
    uninsured = (m.medical_insurance.is_(False)) | (m.critical_illness_insurance.is_(False))
    out = m.out_of_school.is_(True)
    pupil = and_(m.school_stage.in_(COMPULSORY_STAGES), m.out_of_school.is_not(True))
    person = {
        "people": func.count(),
        "people_insured_both": _count(both),
        "people_insured_unknown": _count(~both & ~uninsured),
        "people_uninsured": _count(uninsured),
        "people_family_doctor": _count(m.family_doctor.is_(True)),
        "people_family_doctor_unknown": _count(m.family_doctor.is_(None)),
        "people_no_family_doctor": _count(m.family_doctor.is_(False)),
        "pupils_compulsory": _count(pupil),
        "pupils_out_of_school": _count(out),
    }
    flags = {"capable": m.labor.in_(LABOUR_CAPABLE), "stable": m.employment == "stable",
             "stable_or_post": m.employment.in_(("stable", "public_post"))}
    members_of = (m.county_code == county if villages is None else  # the whole county: a scan
                  m.household_id.in_(select(Household.id).where(_households(county, villages))))
    per_household = (
        select(m.household_id, *(c.label(n) for n, c in person.items()),
               *(func.max(case((c, 1), else_=0)).label(n) for n, c in flags.items()))
        .where(m.active.is_(True), members_of)
        .group_by(m.household_id).subquery())
    h = per_household.c
    capable = h.capable == 1
    return (select(Household.village_id, *(func.sum(h[n]).label(n) for n in person),
                   _count(capable).label("hh_labour"),
                   _count(and_(capable, h.stable == 1)).label("hh_labour_stable"),
                   _count(and_(capable, h.stable_or_post == 1)).label("hh_labour_stable_or_post"))
            .join(Household, Household.id == h.household_id)
            .where(_households(county, villages))
            .group_by(Household.village_id))


def county_villages(conn: Connection, county: str) -> list[int]:
    """Ids of the county's villages (codes start with the county's)."""
    return list(conn.scalars(select(Area.id).where(
        Area.level == "village", Area.code.like(f"{county}%"))))


def write_tallies(conn: Connection, county: str, run_id: int | None, month: dt.date,
                  origin: str, counts: dict[int, Counts], villages: Iterable[int]) -> None:
    """Insert or replace the rows of ``villages`` for ``month`` (zeros where ``counts`` has none)."""
    now = utcnow()
    rows = [{"county_code": county, "village_id": v, "month": month, "run_id": run_id,
             "origin": origin, "recorded_at": now, "stale": False,
             **counts.get(v, dict.fromkeys(TALLY_COUNTS, 0))} for v in villages]
    if not rows:
        return
    dialect = postgresql if conn.dialect.name == "postgresql" else sqlite
    stmt = dialect.insert(AssessmentTally.__table__)
    replace = {name: stmt.excluded[name] for name in
               ("run_id", "origin", "recorded_at", "stale", *TALLY_COUNTS)}
    conn.execute(stmt.on_conflict_do_update(index_elements=["village_id", "month"],
                                            set_=replace), rows)


def record_county(conn: Connection, run_id: int, county: str,
                  month: dt.date | None = None, origin: str = "run") -> None:
    """Tallies of every village of the county from run ``run_id`` (call it in the transaction
    that makes the run current)."""
    counts = village_counts(conn, county, run_id)
    villages = sorted(set(county_villages(conn, county)) | counts.keys())
    write_tallies(conn, county, run_id, month or month_of(), origin, counts, villages)


def refresh_villages(conn: Connection, county: str, run_id: int, villages: Sequence[int],
                     month: dt.date | None = None) -> None:
    """Count the villages again (after a save). The month's rows are locked first (PostgreSQL),
    so concurrent saves in one village count one after the other, each seeing the other's
    committed changes."""
    month = month or month_of()
    villages = sorted(set(villages))
    if not villages:
        return
    dialect = postgresql if conn.dialect.name == "postgresql" else sqlite
    table = AssessmentTally.__table__
    placeholders = [{"county_code": county, "village_id": v, "month": month, "run_id": run_id,
                     "origin": "save", "recorded_at": utcnow()} for v in villages]
    conn.execute(dialect.insert(table).on_conflict_do_nothing(
        index_elements=["village_id", "month"]), placeholders)
    conn.execute(select(table.c.id).where(table.c.village_id.in_(villages),
                                          table.c.month == month)
                 .order_by(table.c.village_id).with_for_update())
    counts = village_counts(conn, county, run_id, villages)
    write_tallies(conn, county, run_id, month, "save", counts, villages)


def refresh_after_insert(conn: Connection, run_id: int, county: str,
                         household_ids: Sequence[int]) -> None:
    """After assessments were stored: when the run is the current one (a save, or the catch-up
    after a recompute), mark the households' villages stale for this month; a run still being
    computed is counted whole when it becomes current."""
    status = conn.scalar(select(DecisionRun.status).where(DecisionRun.id == run_id))
    if status != "current":
        return
    villages = sorted(set(conn.scalars(select(Household.village_id).where(
        Household.id.in_(household_ids)))))
    if not villages:
        return
    dialect = postgresql if conn.dialect.name == "postgresql" else sqlite
    stmt = dialect.insert(AssessmentTally.__table__)
    marks = [{"county_code": county, "village_id": v, "month": month_of(), "run_id": run_id,
              "origin": "save", "recorded_at": utcnow(), "stale": True} for v in villages]
    conn.execute(stmt.on_conflict_do_update(index_elements=["village_id", "month"],
                                            set_={"stale": True}), marks)


def bring_up_to_date(conn: Connection, county: str) -> None:
    """Count the county's villages marked stale again (a county never counted before, whole).
    Call it in a write transaction before reading the county's tallies."""
    run_id = conn.scalar(select(DecisionRun.id).where(DecisionRun.county_code == county,
                                                      DecisionRun.status == "current"))
    if run_id is None:
        return
    table = AssessmentTally.__table__
    stale = sorted(set(conn.scalars(select(table.c.village_id).where(
        table.c.county_code == county, table.c.month == month_of(), table.c.stale.is_(True)))))
    if not stale:
        return
    counted = conn.scalar(select(table.c.id).where(table.c.county_code == county,
                                                   table.c.stale.is_(False)).limit(1))
    if counted is None:
        record_county(conn, run_id, county, origin="save")  # the county's first figures
    else:
        refresh_villages(conn, county, run_id, stale)
