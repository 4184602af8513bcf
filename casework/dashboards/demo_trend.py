"""Synthetic past months for the demonstration, so ``make run`` shows a trend by month.

Real trends come from tallies written month after month by recomputes and saves; a fresh demo
database has only the current month. This writes, for each of the previous ``months`` months,
tallies derived from the current ones as if some households had been failing earlier (a fixed
share more per month back). The rows are marked ``origin = 'demo'`` and the dashboard says so;
never run this on real data.

``python -m casework.dashboards.demo_trend [--months 5]`` (uses ``CASEWORK_DATABASE_URL``).
"""

from __future__ import annotations

import argparse
import datetime as dt

from sqlalchemy import Engine, select

from ..db import get_engine, write_engine
from ..models import DecisionRun
from ..models.tallies import DIMENSION_COLUMNS
from .counting import Counts, county_villages, month_of, village_counts, write_tallies
from .figures import months_back

__all__ = ["record_demo_trend", "earlier", "SHARE_PER_MONTH"]

SHARE_PER_MONTH = 0.06
"""Share of a village's passing households shown as failing per month back (synthetic)."""


def earlier(counts: Counts, months_ago: int) -> Counts:
    """The figures of ``months_ago`` months back in the demonstration: on each dimension a share
    of the passing households moved to failing; households meeting all move to failing by the
    largest of those moves. Registered households and people stay the same."""
    out = dict(counts)
    share = min(0.9, SHARE_PER_MONTH * months_ago)
    largest = 0
    for dim in DIMENSION_COLUMNS:
        moved = int(out[f"{dim}_pass"] * share)
        out[f"{dim}_pass"] -= moved
        out[f"{dim}_fail"] += moved
        largest = max(largest, moved)
    moved = min(out["status_meets"], largest)
    out["status_meets"] -= moved
    out["status_fails"] += moved
    return out


def record_demo_trend(engine: Engine, months: int = 5, today: dt.date | None = None) -> int:
    """Write demo tallies for the previous ``months`` months of every county with a current
    run; returns the number of village rows written."""
    written = 0
    past = months_back(today or month_of(), months + 1)[:-1]
    with write_engine(engine).begin() as conn:
        runs = conn.execute(select(DecisionRun.id, DecisionRun.county_code).where(
            DecisionRun.status == "current")).all()
        for run_id, county in runs:
            counts = village_counts(conn, county, run_id)
            villages = county_villages(conn, county)
            for index, month in enumerate(past):
                ago = len(past) - index
                shifted = {v: earlier(c, ago) for v, c in counts.items()}
                write_tallies(conn, county, run_id, month, "demo", shifted, villages)
                written += len(villages)
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description="演示用：写入过去几个月的模拟统计（趋势图）")
    parser.add_argument("--months", type=int, default=5)
    args = parser.parse_args()
    rows = record_demo_trend(get_engine(), args.months)
    print(f"demo trend: {rows} village-month rows written for the previous {args.months} months")


if __name__ == "__main__":
    main()
