"""Freezing a frame from the household table, drawing from it, storing the draw, and redrawing a
stored sample to verify it.

The frame holds the area's *active* households with the status of the county's current stored
assessment (``none`` when a household has none). Frame members are written in one bulk insert
and audited as one ``freeze`` operation (a county holds up to 100,000 of them); the sample and its
households are ordinary audited rows.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import Engine, insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, aliased

from casework.db import read_session
from casework.models import Area, DecisionRun, Household, StoredAssessment, Submission, utcnow
from casework.models.inspection import FrameMember, Sample, SampleFrame, SampleHousehold
from casework.uow import UnitOfWork

from .design import DrawRequest, decimal_text
from .draw import ALGORITHM, draw
from .errors import FORM, InputRefused
from .frame import FrameEntry, candidates, frame_key

DRAW_ACTION = "draw_sample"

__all__ = ["DRAW_ACTION", "Frozen", "Drawn", "AreaNotFound", "freeze", "draw_sample", "save_draw",
           "stored_frame", "Verification", "verify_sample"]


class AreaNotFound(LookupError):
    """No county or township with that code (or not one the caller may sample)."""


@dataclass(frozen=True)
class Frozen:
    """A frame read from the household table (not yet stored)."""

    key: str
    area_code: str
    county_code: str
    entries: tuple[FrameEntry, ...]

    @property
    def failing(self) -> int:
        return sum(1 for e in self.entries if e.status == "fails")


@dataclass(frozen=True)
class Drawn:
    request: DrawRequest
    frame: Frozen
    strata: dict[str, list[str]]
    """Stratum code → household numbers in rank order."""
    sizes: dict[str, int]
    """Stratum code → households in the frame."""


def _area(session: Session, code: str) -> Area:
    area = session.scalars(select(Area).where(Area.code == code)).first()
    if area is None or area.level not in ("county", "township"):
        raise AreaNotFound(code)
    return area


def freeze(engine: Engine, area_code: str, county_code: str | None = None) -> Frozen:
    """The area's active households as they stand; ``county_code`` limits the areas allowed."""
    with read_session(engine) as s:
        area = _area(s, area_code)
        county = area.code if area.level == "county" else area.code[:6]
        if county_code is not None and county != county_code:
            raise AreaNotFound(area_code)
        village, township = aliased(Area), aliased(Area)
        current = select(DecisionRun.id).where(DecisionRun.county_code == county,
                                               DecisionRun.status == "current")
        stmt = (
            select(Household.id, Household.number, village.code, township.code,
                   StoredAssessment.status)
            .join(village, village.id == Household.village_id)
            .join(township, township.id == village.parent_id)
            .outerjoin(StoredAssessment, (StoredAssessment.household_id == Household.id)
                       & StoredAssessment.run_id.in_(current))
            .where(Household.county_code == county, Household.active)
        )
        if area.level == "township":
            stmt = stmt.where(township.id == area.id)
        entries = tuple(FrameEntry(hid, number, vcode, tcode, status or "none")
                        for hid, number, vcode, tcode, status in s.execute(stmt))
    entries = tuple(sorted(entries, key=lambda e: e.number.encode("utf-8")))
    return Frozen(frame_key(area.code, entries), area.code, county, entries)


def draw_sample(engine: Engine, request: DrawRequest, county_code: str | None = None) -> Drawn:
    """Freeze the request's area and draw from it (nothing is written)."""
    frame = freeze(engine, request.area_code, county_code)
    members = candidates(frame.entries, request.design.stratify)
    sizes: dict[str, int] = {}
    for m in members:
        sizes[m.stratum] = sizes.get(m.stratum, 0) + 1
    strata = draw(request.seed, frame.key, members, request.design)
    return Drawn(request, frame, strata, dict(sorted(sizes.items())))


def save_draw(engine: Engine, actor: str, drawn: Drawn, key: str | None = None) -> int:
    """Store the frame (unless a frame with the same key is stored) and the sample; the id.

    ``key`` is a form's one-time submission key: a repeated key stores nothing again and
    answers with the first sample's id. Two sessions freezing the same new frame at once
    (PostgreSQL) collide on the frame key: the loser tries once more and reuses the frame."""
    try:
        return _save_draw(engine, actor, drawn, key)
    except IntegrityError:
        return _save_draw(engine, actor, drawn, key)


def _save_draw(engine: Engine, actor: str, drawn: Drawn, key: str | None) -> int:
    design = drawn.request.design
    with UnitOfWork(actor, engine) as uow:
        if key is not None:
            first = uow.session.get(Submission, key)
            if first is not None and first.action == DRAW_ACTION and first.result_id:
                return int(first.result_id)
            if first is not None:
                raise InputRefused({FORM: "提交编号已用于其他操作，请刷新页面后重新填写"})
        frame_id = _stored_frame_id(uow, drawn.frame, actor)
        sample = uow.add(Sample(
            frame_id=frame_id, county_code=drawn.frame.county_code,
            area_code=drawn.frame.area_code, seed=drawn.request.seed, stratify=design.stratify,
            per_stratum=design.per_stratum,
            fraction=None if design.fraction is None else decimal_text(design.fraction),
            overweight=decimal_text(design.overweight), algorithm=ALGORITHM,
            households=sum(len(v) for v in drawn.strata.values()), drawn_by=actor))
        uow.flush()
        by_number = {e.number: e for e in drawn.frame.entries}
        drawn_ids = [by_number[n].household_id for ns in drawn.strata.values() for n in ns]
        recorded = _recorded_dimensions(uow.session, drawn.frame.county_code, drawn_ids)
        for stratum, numbers in drawn.strata.items():
            for rank, number in enumerate(numbers, start=1):
                entry = by_number[number]
                status, dims = recorded.get(entry.household_id, ("none", {}))
                uow.add(SampleHousehold(
                    sample_id=sample.id, county_code=drawn.frame.county_code,
                    household_id=entry.household_id, household_number=number,
                    stratum_code=stratum, rank=rank, recorded_status=status, recorded=dims))
        if key is not None:
            uow.add(Submission(key=key, username=actor, household_id=None, action=DRAW_ACTION,
                               result_id=str(sample.id), at=utcnow()))
        uow.commit()
        return int(sample.id)  # type: ignore[arg-type]


def _stored_frame_id(uow: UnitOfWork, frame: Frozen, actor: str) -> int:
    found = uow.session.scalar(select(SampleFrame.id).where(SampleFrame.frame_key == frame.key))
    if found is not None:
        return int(found)
    row = uow.add(SampleFrame(frame_key=frame.key, county_code=frame.county_code,
                              area_code=frame.area_code, households=len(frame.entries),
                              failing=frame.failing, created_by=actor))
    uow.flush()
    rows = [{"frame_id": row.id, "county_code": frame.county_code, "household_id": e.household_id,
             "household_number": e.number, "village_code": e.village_code,
             "township_code": e.township_code, "status": e.status} for e in frame.entries]
    for start in range(0, len(rows), 5000):
        uow.session.execute(insert(FrameMember.__table__), rows[start:start + 5000])
    uow.record("freeze", "inspection_frame_members", entity_id=str(row.id),
               county_code=frame.county_code,
               detail=f"frame {frame.key} area {frame.area_code}: {len(rows)} households")
    return int(row.id)  # type: ignore[arg-type]


def _recorded_dimensions(session: Session, county: str,
                         household_ids: Sequence[int]) -> dict[int, tuple[str, dict[str, str]]]:
    current = select(DecisionRun.id).where(DecisionRun.county_code == county,
                                           DecisionRun.status == "current")
    stmt = select(StoredAssessment.household_id, StoredAssessment.status,
                  StoredAssessment.dimensions).where(
        StoredAssessment.run_id.in_(current), StoredAssessment.household_id.in_(household_ids))
    return {hid: (status, dict(dims or {})) for hid, status, dims in session.execute(stmt)}


def stored_frame(session: Session, frame_id: int) -> tuple[SampleFrame, tuple[FrameEntry, ...]]:
    frame = session.get(SampleFrame, frame_id)
    if frame is None:
        raise LookupError(f"frame {frame_id}")
    rows = session.execute(
        select(FrameMember.household_id, FrameMember.household_number, FrameMember.village_code,
               FrameMember.township_code, FrameMember.status)
        .where(FrameMember.frame_id == frame_id))
    entries = tuple(sorted((FrameEntry(*row) for row in rows),
                           key=lambda e: e.number.encode("utf-8")))
    return frame, entries


@dataclass(frozen=True)
class Verification:
    """A stored sample redrawn from its stored frame and seed."""

    frame_key_ok: bool
    """The stored members still hash to the stored frame key."""
    sample_ok: bool
    """The redraw gives exactly the stored households, stratum by stratum, in rank order."""
    recomputed_key: str
    redrawn: dict[str, list[str]]
    stored: dict[str, list[str]]

    @property
    def ok(self) -> bool:
        return self.frame_key_ok and self.sample_ok


def verify_sample(session: Session, sample: Sample) -> Verification:
    from .design import parse_request  # the stored design is re-read as a user's would be

    frame, entries = stored_frame(session, sample.frame_id)
    key = frame_key(frame.area_code, entries)
    request = parse_request(sample.area_code, sample.stratify,
                            None if sample.per_stratum is None else str(sample.per_stratum),
                            sample.fraction, sample.overweight, sample.seed)
    redrawn = draw(sample.seed, frame.frame_key, candidates(entries, sample.stratify),
                   request.design)
    stored: dict[str, list[str]] = {}
    rows = session.execute(
        select(SampleHousehold.stratum_code, SampleHousehold.household_number)
        .where(SampleHousehold.sample_id == sample.id)
        .order_by(SampleHousehold.stratum_code, SampleHousehold.rank))
    for stratum, number in rows:
        stored.setdefault(stratum, []).append(number)
    redrawn = {k: v for k, v in redrawn.items() if v}
    return Verification(key == frame.frame_key, redrawn == stored, key, redrawn, stored)
