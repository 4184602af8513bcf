"""Read side of spot checks for the web pages, scoped to the user's county (anything outside it
reads as not found). Rows come back as plain frozen dataclasses; no ID number is ever read."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from casework.db import read_session
from casework.models import Area, Household, Member
from casework.models.inspection import FrameMember, Sample, SampleFrame, SampleHousehold, Visit
from casework.queries import Scoped

from .design import parse_request
from .rollup import Rollup, VisitResult, is_discrepancy, roll_up
from .scope import county_of
from .store import Drawn, Frozen, stored_frame

__all__ = ["SampleSummary", "SampledHousehold", "Stratum", "SamplePage", "VisitPage",
           "list_samples", "sample_page", "visit_page", "sampling_areas", "stored_drawn",
           "scoped_sample"]


@dataclass(frozen=True)
class SampleSummary:
    id: int
    drawn_at: dt.datetime
    drawn_by: str
    area_name: str
    stratify: str
    per_stratum: int | None
    fraction: str | None
    overweight: str
    seed: str
    households: int
    visited: int
    frame_key: str


@dataclass(frozen=True)
class SampledHousehold:
    household_id: int
    number: str
    stratum_code: str
    rank: int
    head_name: str
    address: str
    village_name: str
    township_code: str
    township_name: str
    recorded_status: str
    recorded: dict[str, str]
    visit: Visit | None

    @property
    def discrepancies(self) -> int:
        if self.visit is None:
            return 0
        return sum(1 for f in self.visit.findings.values() if is_discrepancy(f))


@dataclass(frozen=True)
class Stratum:
    code: str
    name: str
    frame_households: int
    households: tuple[SampledHousehold, ...]


@dataclass(frozen=True)
class SamplePage:
    sample: Sample
    frame: SampleFrame
    area_name: str
    strata: tuple[Stratum, ...]
    rollup: Rollup
    names: dict[str, str]

    @property
    def households(self) -> tuple[SampledHousehold, ...]:
        return tuple(h for s in self.strata for h in s.households)


@dataclass(frozen=True)
class VisitPage:
    sample: Sample
    household: SampledHousehold


def scoped_sample(session: Session, user: Scoped, sample_id: int) -> Sample | None:
    county = county_of(session, user)
    if county is None or not 0 < sample_id < 2**62:
        return None
    sample = session.get(Sample, sample_id)
    return sample if sample is not None and sample.county_code == county else None


def sampling_areas(engine: Engine, user: Scoped) -> list[tuple[str, str]]:
    """(code, name) of the user's county and its townships: where a sample may be drawn."""
    with read_session(engine) as s:
        county = county_of(s, user)
        if county is None:
            return []
        area = s.scalars(select(Area).where(Area.code == county)).one()
        towns = s.execute(select(Area.code, Area.name).where(
            Area.parent_id == area.id, Area.level == "township").order_by(Area.code)).all()
        return [(area.code, area.name), *((c, f"{area.name} {n}") for c, n in towns)]


def list_samples(engine: Engine, user: Scoped) -> list[SampleSummary]:
    with read_session(engine) as s:
        county = county_of(s, user)
        if county is None:
            return []
        visited = (select(func.count(Visit.id)).where(Visit.sample_id == Sample.id)
                   .scalar_subquery())
        rows = s.execute(
            select(Sample, Area.name, SampleFrame.frame_key, visited)
            .join(Area, Area.code == Sample.area_code)
            .join(SampleFrame, SampleFrame.id == Sample.frame_id)
            .where(Sample.county_code == county).order_by(Sample.id.desc()))
        return [SampleSummary(
            sample.id, sample.drawn_at, sample.drawn_by, area_name, sample.stratify,
            sample.per_stratum, sample.fraction, sample.overweight, sample.seed,
            sample.households, count or 0, key) for sample, area_name, key, count in rows]


def _households(s: Session, sample: Sample) -> list[SampledHousehold]:
    head = (select(Member.name).where(Member.household_id == Household.id,
                                      Member.relation == "head", Member.active)
            .order_by(Member.id).limit(1).scalar_subquery())
    village, township = Area.__table__.alias("v"), Area.__table__.alias("t")
    rows = s.execute(
        select(SampleHousehold, head, Household.address, village.c.name, township.c.code,
               township.c.name)
        .join(Household, Household.id == SampleHousehold.household_id)
        .join(village, village.c.id == Household.village_id)
        .join(township, township.c.id == village.c.parent_id)
        .where(SampleHousehold.sample_id == sample.id)
        .order_by(SampleHousehold.stratum_code, SampleHousehold.rank))
    visits = {v.household_id: v for v in s.scalars(
        select(Visit).where(Visit.sample_id == sample.id))}
    return [SampledHousehold(
        m.household_id, m.household_number, m.stratum_code, m.rank, name or "未登记户主", address or "",
        vname, tcode, tname, m.recorded_status, dict(m.recorded), visits.get(m.household_id))
        for m, name, address, vname, tcode, tname in rows]


def _stratum_sizes(s: Session, sample: Sample) -> dict[str, int]:
    column = FrameMember.village_code if sample.stratify == "village" \
        else FrameMember.township_code
    return dict(s.execute(select(column, func.count()).where(
        FrameMember.frame_id == sample.frame_id).group_by(column)).all())


def _names(s: Session, codes: Sequence[str]) -> dict[str, str]:
    return dict(s.execute(select(Area.code, Area.name).where(Area.code.in_(codes))).all())


def sample_page(engine: Engine, user: Scoped, sample_id: int) -> SamplePage | None:
    with read_session(engine) as s:
        sample = scoped_sample(s, user, sample_id)
        if sample is None:
            return None
        frame = s.get(SampleFrame, sample.frame_id)
        assert frame is not None
        households = _households(s, sample)
        sizes = _stratum_sizes(s, sample)
        names = _names(s, [sample.area_code, *sizes,
                           *(h.township_code for h in households)])
    grouped: dict[str, list[SampledHousehold]] = {}
    for h in households:
        grouped.setdefault(h.stratum_code, []).append(h)
    strata = tuple(Stratum(code, names.get(code, code), sizes.get(code, 0), tuple(rows))
                   for code, rows in sorted(grouped.items()))
    rollup = roll_up(VisitResult(h.township_code, h.visit.findings)
                     for h in households if h.visit is not None)
    return SamplePage(sample, frame, names.get(sample.area_code, sample.area_code), strata,
                      rollup, names)


def visit_page(engine: Engine, user: Scoped, sample_id: int,
               household_id: int) -> VisitPage | None:
    page = sample_page(engine, user, sample_id)
    if page is None:
        return None
    found = next((h for h in page.households if h.household_id == household_id), None)
    return None if found is None else VisitPage(page.sample, found)


def stored_drawn(engine: Engine, user: Scoped, sample_id: int) -> tuple[Drawn, int] | None:
    """A stored sample in the shape of a fresh draw (for its JSON document)."""
    with read_session(engine) as s:
        sample = scoped_sample(s, user, sample_id)
        if sample is None:
            return None
        frame, entries = stored_frame(s, sample.frame_id)
        sizes = _stratum_sizes(s, sample)
        strata: dict[str, list[str]] = {}
        for code, number in s.execute(
                select(SampleHousehold.stratum_code, SampleHousehold.household_number)
                .where(SampleHousehold.sample_id == sample.id)
                .order_by(SampleHousehold.stratum_code, SampleHousehold.rank)):
            strata.setdefault(code, []).append(number)
    request = parse_request(sample.area_code, sample.stratify,
                            None if sample.per_stratum is None else str(sample.per_stratum),
                            sample.fraction, sample.overweight, sample.seed)
    frozen = Frozen(frame.frame_key, frame.area_code, frame.county_code, entries)
    drawn = Drawn(request, frozen, strata, dict(sorted(sizes.items())))
    return drawn, int(sample.id)  # type: ignore[arg-type]
