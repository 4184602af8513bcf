"""A household's relocation (易地扶贫搬迁) and its recorded causes of poverty (致贫原因)."""

from __future__ import annotations

from typing import Any

from . import rates as R
from .draw import Draw, Table, yuan
from .members import MemberDraft
from .places import Place

__all__ = ["relocation", "causes"]

_STAGES = {key: Table(pairs) for key, pairs in R.RELOCATION_STAGES.items()}
_NO_RELOCATION: dict[str, Any] = {
    "relocation_status": "none", "relocation_mode": None, "relocation_house_area_m2": None,
    "relocation_build_cost_yuan": None, "relocation_subsidy_yuan": None,
    "relocation_self_funded_yuan": None,
}
GENERIC_CAUSES = Table((
    ("缺资金", 30), ("缺技术", 20), ("缺土地", 8), ("交通条件落后", 12), ("因灾", 6),
    ("自身发展动力不足", 8), ("缺水", 4),
))


def relocation(draw: Draw, place: Place, status: str | None, people: int) -> dict[str, Any]:
    """The ``relocation_*`` fields. Only registered-poor households are relocated."""
    if status is None or not draw.chance(R.RELOCATED["KZ" if place.kaizhou else "BZ"]):
        return _NO_RELOCATION
    stage = _STAGES[place.relocation_stage].pick(draw.rng)
    per_person = (draw.uniform(25.5, 30.0) if draw.chance(R.AREA_OVER_CAP)
                  else draw.uniform(*R.AREA_PER_PERSON))
    area = yuan(per_person * max(people, 1))
    cost = yuan(float(area) * draw.uniform(*R.COST_PER_M2))
    fields = {
        "relocation_status": stage,
        "relocation_mode": "centralized" if draw.chance(R.CENTRALIZED) else "dispersed",
        "relocation_house_area_m2": area,
        "relocation_build_cost_yuan": cost,
        "relocation_subsidy_yuan": None,
        "relocation_self_funded_yuan": None,
    }
    if stage != "planned":
        low, high = (10500, 20000) if draw.chance(R.SELF_FUNDED_OVER) else R.SELF_FUNDED
        own = min(yuan(draw.between(low // 100, high // 100) * 100), cost)
        fields["relocation_self_funded_yuan"] = own
        fields["relocation_subsidy_yuan"] = cost - own
    return fields


def causes(draw: Draw, members: list[MemberDraft]) -> list[str]:
    """The main cause from what the members show (illness, disability, schooling, no labour),
    else a general one; sometimes a second cause."""
    found = []
    if any(m.stays or (m.row["chronic_conditions"] and m.age < 60) for m in members):
        found.append("因病")
    if any(m.row["disability_grade"] in (1, 2, 3) for m in members):
        found.append("因残")
    if any(m.row["school_stage"] in ("senior", "vocational", "college") for m in members):
        found.append("因学")
    if not any(m.row["labor"] in ("normal", "skilled") for m in members):
        found.append("缺劳力")
    main = draw.choice(found) if found else GENERIC_CAUSES.pick(draw.rng)
    listed = [main]
    if draw.chance(0.4):
        second = GENERIC_CAUSES.pick(draw.rng)
        if second != main:
            listed.append(second)
    return listed
