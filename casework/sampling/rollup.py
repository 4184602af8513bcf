"""Discrepancy rates from visit results (pure).

Definitions (shown on the sample page too):

* A dimension of a visited household is **checked** when the inspector found it 达标 (``pass``)
  or 不达标 (``fail``); 无法核实 (``unverifiable``) is counted apart and is not checked.
* A checked dimension is a **discrepancy** when what was found differs from what the stored
  assessment recorded at the draw; a record of ``unknown`` (待核实) or no assessment counts as a
  discrepancy too, since the record did not say what was found.
* Per dimension: checked, discrepancies, unverifiable, rate = discrepancies / checked.
* Per township (and for the whole sample): visited households, households with at least one
  discrepancy, rate = those / visited.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from fractions import Fraction

from rules.assessment import DIMENSIONS

__all__ = ["VisitResult", "DimensionRate", "AreaRate", "Rollup", "roll_up", "is_discrepancy"]


@dataclass(frozen=True)
class VisitResult:
    township_code: str
    findings: Mapping[str, Mapping[str, str]]
    """dimension → {"recorded": …, "found": …}."""


@dataclass(frozen=True)
class DimensionRate:
    dimension: str
    checked: int
    discrepancies: int
    unverifiable: int

    @property
    def rate(self) -> Fraction | None:
        return Fraction(self.discrepancies, self.checked) if self.checked else None


@dataclass(frozen=True)
class AreaRate:
    code: str
    visited: int
    discrepant: int

    @property
    def rate(self) -> Fraction | None:
        return Fraction(self.discrepant, self.visited) if self.visited else None


@dataclass(frozen=True)
class Rollup:
    dimensions: tuple[DimensionRate, ...]
    townships: tuple[AreaRate, ...]
    total: AreaRate


def is_discrepancy(finding: Mapping[str, str]) -> bool:
    found = finding.get("found")
    return found in ("pass", "fail") and finding.get("recorded") != found


def roll_up(visits: Iterable[VisitResult]) -> Rollup:
    checked = dict.fromkeys(DIMENSIONS, 0)
    wrong = dict.fromkeys(DIMENSIONS, 0)
    unverifiable = dict.fromkeys(DIMENSIONS, 0)
    visited: dict[str, int] = {}
    discrepant: dict[str, int] = {}
    for visit in visits:
        any_wrong = False
        for dim in DIMENSIONS:
            finding = visit.findings.get(dim, {})
            found = finding.get("found")
            if found == "unverifiable":
                unverifiable[dim] += 1
            elif found in ("pass", "fail"):
                checked[dim] += 1
                if is_discrepancy(finding):
                    wrong[dim] += 1
                    any_wrong = True
        code = visit.township_code
        visited[code] = visited.get(code, 0) + 1
        discrepant[code] = discrepant.get(code, 0) + int(any_wrong)
    return Rollup(
        tuple(DimensionRate(d, checked[d], wrong[d], unverifiable[d]) for d in DIMENSIONS),
        tuple(AreaRate(c, visited[c], discrepant[c]) for c in sorted(visited)),
        AreaRate("", sum(visited.values()), sum(discrepant.values())),
    )
