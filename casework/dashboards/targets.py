"""The section-16 targets of a county's pack measured on dashboard figures, with the gap."""

from __future__ import annotations

import datetime as dt
import math
from functools import lru_cache
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, ROUND_UP, Decimal

from rules.params import MissingParam
from rules.targets import Target, pack_targets

from ..decision_view import pack_named
from .figures import Figures

__all__ = ["Metric", "METRICS", "TargetStatus", "measure_targets", "stable_column",
           "STABLE_PARAM"]

STABLE_PARAM = "stable_employment_counts"
"""The pack parameter saying which employment counts as stable (catalog §15 P35)."""


@dataclass(frozen=True)
class Metric:
    """How a target's metric is counted from the tallies, and the household list of its gap."""

    numerator: str
    denominator: tuple[str, ...]
    """Counts added up to make the population."""
    unknown: str | None
    """Count of the population not recorded either way (shown beside the rate)."""
    unit_zh: str
    gap_list: str
    """The ``gap`` filter of the household list that shows the households behind the gap."""


METRICS: dict[str, Metric] = {
    "people_insured_both": Metric("people_insured_both", ("people",), "people_insured_unknown",
                                  "人", "insurance"),
    "people_family_doctor": Metric("people_family_doctor", ("people",),
                                   "people_family_doctor_unknown", "人", "family_doctor"),
    "pupils_enrolled": Metric("pupils_compulsory", ("pupils_compulsory", "pupils_out_of_school"),
                              None, "人", "out_of_school"),
    "households_labour_employed": Metric("hh_labour_stable", ("hh_labour",), None, "户",
                                         "no_stable_job"),
    "dangerous_houses_fixed": Metric("hh_dangerous_fixed", ("hh_dangerous",), None, "户",
                                     "dangerous_house"),
    "households_paired": Metric("hh_paired", ("households",), None, "户", "unpaired"),
}


@dataclass(frozen=True)
class TargetStatus:
    target: Target
    metric: Metric
    achieved: int
    population: int
    unknown: int
    percent: Decimal | None
    """Achieved share in percent (one decimal), None with no population."""
    gap_points: Decimal | None
    """Percentage points still missing (0 when met)."""
    gap_count: int
    """People or households still to reach to meet the target."""

    @property
    def met(self) -> bool | None:
        return None if self.percent is None else self.gap_count == 0


def measure_targets(pack: str, on: dt.date | None, figures: Figures) -> tuple[TargetStatus, ...]:
    """Every target of ``pack`` measured on ``figures``."""
    stable = stable_column(pack, on)
    out = []
    for target in _targets(pack):
        metric = METRICS[target.metric]
        if target.metric == "households_labour_employed":
            if stable is None:
                continue  # the pack leaves "stable" open: the target cannot be measured
            metric = Metric(stable, *_rest(metric))
        out.append(_measure(target, metric, figures))
    return tuple(out)


@lru_cache(maxsize=8)
def _targets(pack: str) -> tuple[Target, ...]:
    """The pack's targets, read once per process (the files ship with the code)."""
    return pack_targets(pack, METRICS)


def _rest(metric: Metric) -> tuple[tuple[str, ...], str | None, str, str]:
    return metric.denominator, metric.unknown, metric.unit_zh, metric.gap_list


def stable_column(pack: str, on: dt.date | None) -> str | None:
    """The tally column of households with stable employment as the pack counts it, or None
    when the pack leaves "stable" open."""
    try:
        view = pack_named(pack).view(on or dt.date.today())
        choice = view.choice(STABLE_PARAM)
    except (MissingParam, KeyError, TypeError, LookupError):
        return None
    return "hh_labour_stable_or_post" if choice == "stable_or_public_post" else "hh_labour_stable"


def _measure(target: Target, metric: Metric, figures: Figures) -> TargetStatus:
    achieved = figures[metric.numerator]
    population = sum(figures[name] for name in metric.denominator)
    unknown = figures[metric.unknown] if metric.unknown else 0
    if population == 0:
        return TargetStatus(target, metric, achieved, 0, unknown, None, None, 0)
    exact = Decimal(achieved) * 100 / population
    if target.comparison == "at_least":
        gap_count = max(0, math.ceil(target.percent * population / 100) - achieved)
        gap = max(Decimal(0), target.percent - exact)
    else:
        gap_count = max(0, achieved - math.floor(target.percent * population / 100))
        gap = max(Decimal(0), exact - target.percent)
    return TargetStatus(target, metric, achieved, population, unknown,
                        exact.quantize(_TENTH, ROUND_HALF_UP), gap.quantize(_TENTH, ROUND_UP),
                        gap_count)


_TENTH = Decimal("0.1")
