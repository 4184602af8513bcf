"""Inspector targets of a pack (catalog section 16): strict YAML with citations.

``rules/packs/<pack>/inspector-targets.yaml`` lists the targets the policy documents set for
household- and person-level indicators a dashboard can compute: an ID from the catalog, the
metric it is measured by (a name the caller knows how to count), a percentage with a comparison,
the year, the document's own phrase and the citation. The loader refuses unknown or missing
keys, duplicate IDs, unknown metrics and percentages outside 0–100, naming file and line. A
pack without the file has no targets (nothing is invented).
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from rules.decision import Citation
from rules.pack import PACKS_DIR
from rules.params import read_citation
from rules.strict_yaml import Doc, compose_file

__all__ = ["Target", "TARGETS_FILE", "COMPARISONS", "load_targets", "pack_targets"]

TARGETS_FILE = "inspector-targets.yaml"
COMPARISONS = ("at_least", "at_most")
_KEYS = ("id", "metric", "title", "comparison", "percent", "phrase", "citation")
_OPTIONAL = ("year",)


@dataclass(frozen=True)
class Target:
    id: str
    """Catalog ID, e.g. ``T-BZ-02``."""
    metric: str
    title: str
    """What is measured, in Chinese."""
    comparison: str
    """``at_least`` or ``at_most`` the percentage."""
    percent: Decimal
    year: int | None
    """The year the target is due (None where the document gives none)."""
    phrase: str
    """The document's wording."""
    citation: Citation

    def met(self, achieved: Decimal) -> bool:
        if self.comparison == "at_least":
            return achieved >= self.percent
        return achieved <= self.percent


def pack_targets(pack: str, metrics: Collection[str]) -> tuple[Target, ...]:
    """The pack's targets (none when it has no targets file)."""
    path = PACKS_DIR / pack / TARGETS_FILE
    return load_targets(path, metrics) if path.is_file() else ()


def load_targets(path: Path, metrics: Collection[str]) -> tuple[Target, ...]:
    """Read a targets file; ``metrics`` are the metric names the caller can compute."""
    root = compose_file(path).mapping(("targets",))
    targets: list[Target] = []
    seen: dict[str, int] = {}
    for doc in root["targets"].sequence():
        target = _target(doc, metrics)
        if target.id in seen:
            raise doc.fail(f"duplicate target id {target.id!r} (first at line {seen[target.id]})")
        seen[target.id] = doc.line
        targets.append(target)
    return tuple(targets)


def _target(doc: Doc, metrics: Collection[str]) -> Target:
    keys = doc.mapping(_KEYS, _OPTIONAL)
    metric = keys["metric"].string()
    if metric not in metrics:
        known = ", ".join(sorted(metrics))
        raise keys["metric"].fail(f"unknown metric {metric!r} (known: {known})")
    comparison = keys["comparison"].string()
    if comparison not in COMPARISONS:
        raise keys["comparison"].fail(f"must be one of {', '.join(COMPARISONS)}")
    return Target(id=keys["id"].string(), metric=metric, title=keys["title"].string(),
                  comparison=comparison, percent=_percent(keys["percent"]),
                  year=_year(keys["year"]) if "year" in keys else None,
                  phrase=keys["phrase"].string(), citation=read_citation(keys["citation"]))


def _percent(doc: Doc) -> Decimal:
    value = doc.scalar()
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise doc.fail("must be a number of percent (0-100)")
    number = Decimal(str(value))
    if not Decimal(0) <= number <= Decimal(100):
        raise doc.fail(f"must be between 0 and 100, not {number}")
    return number


def _year(doc: Doc) -> int:
    value = doc.scalar()
    if isinstance(value, bool) or not isinstance(value, int) or not 1990 <= value <= 2100:
        raise doc.fail("must be a year such as 2018")
    return value
