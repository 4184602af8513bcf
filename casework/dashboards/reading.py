"""A dashboard for one area: its figures, its townships' or villages' figures, the trend by month
and the targets of the county's pack. Reads tallies only (a few hundred rows for a county)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from ..db import read_session, write_engine
from ..models import Area, DecisionRun
from ..models.tallies import AssessmentTally
from ..queries import Scoped
from .areas import AreaRef, area_in_scope, area_tree, home_area
from .counting import bring_up_to_date, month_of
from .figures import Figures, village_tallies
from .targets import TargetStatus, measure_targets

__all__ = ["AreaLine", "Dashboard", "dashboard", "home_code", "TREND_MONTHS"]

TREND_MONTHS = 12


@dataclass(frozen=True)
class AreaLine:
    """A township or village of the dashboard's area, with its figures."""

    area: AreaRef
    figures: Figures


@dataclass(frozen=True)
class Dashboard:
    area: AreaRef
    path: Sequence[AreaRef]
    """County first, the area last (the breadcrumb)."""
    figures: Figures
    children: tuple[AreaLine, ...]
    trend: tuple[tuple[dt.date, Figures | None], ...]
    targets: tuple[TargetStatus, ...]
    pack: str | None
    run_on: dt.date | None
    """The date the current run judged households at (None before any recompute)."""
    as_of: dt.datetime | None
    demo_months: tuple[dt.date, ...]


def _has_stale(session: Session, county: str) -> bool:
    """Whether a save marked a village of the county this month since it was counted (a cheap
    read, so a dashboard takes the write lock only when there is something to count). A past
    month's row keeps the figures of its last count."""
    return session.scalar(select(AssessmentTally.id).where(
        AssessmentTally.county_code == county, AssessmentTally.month == month_of(),
        AssessmentTally.stale.is_(True)).limit(1)) is not None


def home_code(engine: Engine, user: Scoped) -> str | None:
    """The code of the area the user's dashboard opens at, or None when the role has none."""
    with read_session(engine) as session:
        area = home_area(session, user)
        return area.code if area else None


def dashboard(engine: Engine, user: Scoped, area_code: str,
              today: dt.date | None = None) -> Dashboard | None:
    """The dashboard of ``area_code``, or None when it is not within the user's area."""
    with read_session(engine) as session:
        area = area_in_scope(session, user, area_code)
        if area is None:
            return None
        tree = area_tree(session, area)
        stale = _has_stale(session, tree.county.code)
    county = tree.county.code
    if stale:
        with write_engine(engine).begin() as conn:
            bring_up_to_date(conn, county)
    villages = [v.id for v in tree.villages_under(area)]
    with read_session(engine) as session:
        tallies = village_tallies(session, county, None if area.level == "county" else villages,
                                  TREND_MONTHS, today)
        run = session.execute(select(DecisionRun.pack, DecisionRun.on_date).where(
            DecisionRun.county_code == county, DecisionRun.status == "current")).first()
        pack = run[0] if run else session.scalar(select(Area.pack).where(Area.id == tree.county.id))
    figures = tallies.for_villages(villages)
    children = tuple(
        AreaLine(child, tallies.for_villages([v.id for v in tree.villages_under(child)]))
        for child in tree.children(area))
    run_on = run[1] if run else None
    return Dashboard(
        area=area, path=tree.path_to(area), figures=figures, children=children,
        trend=tuple(tallies.trend(villages)),
        targets=measure_targets(pack, run_on, figures) if pack else (),
        pack=pack, run_on=run_on, as_of=tallies.as_of, demo_months=tallies.demo_months)
