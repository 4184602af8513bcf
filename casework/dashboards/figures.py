"""Dashboard figures: tallies added up per area, latest per village and month by month."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from sqlalchemy import and_, func, select
from sqlalchemy.orm import aliased
from sqlmodel import Session

from ..models.tallies import TALLY_COUNTS, AssessmentTally
from .counting import month_of

__all__ = ["Figures", "VillageTallies", "village_tallies", "months_back", "DIMENSION_NAMES",
           "DIMENSION_SHORT"]

DIMENSION_NAMES = {
    "food_clothing": "不愁吃、不愁穿",
    "compulsory_education": "义务教育有保障",
    "basic_medical": "基本医疗有保障",
    "housing": "住房安全有保障",
    "drinking_water": "饮水安全",
    "income": "收入达标",
}
"""The engine's dimensions in the words of 两不愁三保障 (plus drinking water and income)."""
DIMENSION_SHORT = {"food_clothing": "吃穿", "compulsory_education": "教育",
                   "basic_medical": "医疗", "housing": "住房", "drinking_water": "饮水",
                   "income": "收入"}
"""Column headings where space is short."""


@dataclass(frozen=True)
class Figures:
    """Counts of :data:`TALLY_COUNTS` for an area (the sum over its villages)."""

    counts: Mapping[str, int] = field(default_factory=lambda: dict.fromkeys(TALLY_COUNTS, 0))

    def __getitem__(self, name: str) -> int:
        return self.counts[name]

    @property
    def unassessed(self) -> int:
        """Registered households without an assessment in the current run (saved into the
        registry without a recompute, e.g. imported)."""
        return max(0, self.counts["households"] - self.counts["assessed"])

    def dimension(self, name: str) -> tuple[int, int, int]:
        """(pass, fail, unknown) households on one dimension."""
        return tuple(self.counts[f"{name}_{s}"] for s in ("pass", "fail", "unknown"))  # type: ignore[return-value]

    @classmethod
    def total(cls, items: Iterable[Mapping[str, int]]) -> Figures:
        summed = dict.fromkeys(TALLY_COUNTS, 0)
        for item in items:
            for name in TALLY_COUNTS:
                summed[name] += item[name]
        return cls(summed)


@dataclass(frozen=True)
class VillageTallies:
    """Per village: the current figures (latest row) and the figures as of each month."""

    current: dict[int, dict[str, int]]
    months: tuple[dt.date, ...]
    by_month: dict[dt.date, dict[int, dict[str, int]]]
    """Month -> village -> figures as they stood at the end of that month (carried forward)."""
    as_of: dt.datetime | None
    """When the newest of the current rows was written."""
    demo_months: tuple[dt.date, ...]
    """Months whose figures include synthetic demonstration rows."""

    def for_villages(self, villages: Sequence[int]) -> Figures:
        return Figures.total(self.current[v] for v in villages if v in self.current)

    def trend(self, villages: Sequence[int]) -> list[tuple[dt.date, Figures | None]]:
        out: list[tuple[dt.date, Figures | None]] = []
        for month in self.months:
            rows = [self.by_month[month][v] for v in villages if v in self.by_month[month]]
            out.append((month, Figures.total(rows) if rows else None))
        return out


def months_back(last: dt.date, count: int) -> tuple[dt.date, ...]:
    """``count`` month starts ending with ``last``'s month, oldest first."""
    year, month = last.year, last.month
    out = []
    for _ in range(count):
        out.append(dt.date(year, month, 1))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return tuple(reversed(out))


_COLUMNS = [getattr(AssessmentTally, n) for n in
            ("village_id", "month", "origin", "recorded_at", *TALLY_COUNTS)]


def village_tallies(session: Session, county: str, villages: Sequence[int] | None,
                    months: int = 12, today: dt.date | None = None) -> VillageTallies:
    """The tallies of the county's villages (or only ``villages``) for the last ``months``
    months, each month carrying forward a village's latest earlier row."""
    window = months_back(today or month_of(), months)
    t = AssessmentTally
    scope = t.county_code == county
    if villages is not None:
        scope = and_(scope, t.village_id.in_(villages))
    recent = select(*_COLUMNS).where(scope, t.month >= window[0], t.month <= window[-1])
    older = aliased(AssessmentTally)
    latest_before = (select(func.max(older.month)).where(
        older.village_id == t.village_id, older.month < window[0]).scalar_subquery())
    carried = select(*_COLUMNS).where(scope, t.month == latest_before)
    rows = list(session.execute(recent)) + list(session.execute(carried))
    return _arrange(rows, window)


def _arrange(rows: list, window: tuple[dt.date, ...]) -> VillageTallies:  # type: ignore[type-arg]
    rows.sort(key=lambda r: (r[1], r[0]))
    by_month: dict[dt.date, dict[int, dict[str, int]]] = {m: {} for m in window}
    latest: dict[int, dict[str, int]] = {}
    stamp: dict[int, dt.datetime] = {}
    demo: set[dt.date] = set()
    position = 0
    for month in window:
        while position < len(rows) and rows[position][1] <= month:
            village_id, row_month, origin, recorded_at, *values = rows[position]
            latest[village_id] = dict(zip(TALLY_COUNTS, values))
            stamp[village_id] = recorded_at
            if origin == "demo":
                demo.add(row_month if row_month >= window[0] else window[0])
            position += 1
        by_month[month] = dict(latest)
    as_of = max(stamp.values()) if stamp else None
    return VillageTallies(latest, window, by_month, as_of, tuple(sorted(demo)))


