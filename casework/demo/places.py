"""Where the demo households live: every village of :mod:`geography`, and how many households
each gets (weighted by county, twice as many in a 贫困村, and at least a minimum in the demo
cadre's village)."""

from __future__ import annotations

from dataclasses import dataclass

from . import rates as R
from .draw import Draw, Table
from .geography import COUNTIES, birthplaces, village_code

__all__ = ["Place", "all_places", "allocate"]


@dataclass(frozen=True, slots=True)
class Place:
    village_id: int
    village_code: str
    county_code: str
    county_name: str
    address: str
    """County, township and village, the start of a household's address."""
    poor_village: bool | None
    kaizhou: bool
    birthplaces: tuple[str, ...]
    relocation_stage: str
    """Key of :data:`rates.RELOCATION_STAGES` for the county."""


def _stage(county_code: str) -> str:
    if county_code == "500154":
        return "KZ"
    return "done" if county_code in R.RELOCATION_DONE_2017 else "2018"


def all_places(area_ids: dict[str, int]) -> list[Place]:
    """Every village, in geography order, given the database id of each area code."""
    places = []
    for county in COUNTIES:
        for township in county.townships:
            for village in township.villages:
                code = village_code(county, township, village)
                places.append(Place(
                    area_ids[code], code, county.code, county.name,
                    f"{county.name}{township.name}{village.name}", village.poor,
                    county.pack.startswith("kaizhou"), birthplaces(county), _stage(county.code),
                ))
    return places


def allocate(draw: Draw, places: list[Place], households: int, cadre_village: str) -> list[int]:
    """How many households each place gets (same order as ``places``), ``households`` in all."""
    per_county: dict[str, float] = {}
    for p in places:
        per_county[p.county_code] = per_county.get(p.county_code, 0.0) + _village_weight(p)
    table = Table(
        (i, R.COUNTY_WEIGHTS[p.county_code] * _village_weight(p) / per_county[p.county_code])
        for i, p in enumerate(places)
    )
    counts = [0] * len(places)
    reserved = min(households, R.CADRE_VILLAGE_MIN)
    cadre_index = next(i for i, p in enumerate(places) if p.village_code == cadre_village)
    counts[cadre_index] = reserved
    for _ in range(households - reserved):
        counts[table.pick(draw.rng)] += 1
    return counts


def _village_weight(place: Place) -> float:
    return R.POOR_VILLAGE_WEIGHT if place.poor_village else 1.0
