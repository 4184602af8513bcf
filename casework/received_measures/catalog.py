"""The measures a household can be recorded as receiving: the rules of its county's policy pack
that pay or provide something by the year, month or once. Rules settled per hospital stay
(``per = episode``) are paid at discharge through the hospital's one-stop settlement and are not
recorded here, so they are not offered (and the gap lists leave them out)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from sqlalchemy import Engine, select

from rules.pack import Pack
from rules.rule import HouseholdRule

from ..db import read_session
from ..decision_view import pack_named
from ..models import Area

__all__ = ["Measure", "Catalog", "catalog_for_pack", "catalog_for_county", "DEFAULT_PAYERS",
           "PAYER_SUGGESTIONS"]

DEFAULT_PAYERS: dict[str, str] = {
    "education": "县教育局", "medical": "县医疗保障局", "social": "县民政局",
    "relocation": "县发展和改革局", "housing": "县住房和城乡建设局", "jobs": "县人力资源和社会保障局",
    "finance": "县扶贫开发局",
}
"""The department that usually pays a kind of measure (a suggestion in forms and demo data)."""
PAYER_SUGGESTIONS: tuple[str, ...] = tuple(dict.fromkeys(
    [*DEFAULT_PAYERS.values(), "县卫生健康局", "县残疾人联合会", "县财政局", "乡镇人民政府",
     "中国农业银行", "农村信用社"]))


@dataclass(frozen=True)
class Measure:
    rule_id: str
    title: str
    kind: str
    """education / medical / social / … (the rule's ``measure``)."""
    per_member: bool
    """Received by one member (a student, a disabled person …) rather than the household."""
    payer_kind: str
    """The engine's payer: government, bank or hospital."""

    @property
    def default_payer(self) -> str:
        if self.payer_kind == "bank":
            return "农村信用社"
        return DEFAULT_PAYERS.get(self.kind, "")


@dataclass(frozen=True)
class Catalog:
    pack: str
    measures: tuple[Measure, ...]

    def get(self, rule_id: str) -> Measure | None:
        return next((m for m in self.measures if m.rule_id == rule_id), None)

    def title(self, rule_id: str) -> str:
        found = self.get(rule_id)
        return found.title if found else rule_id

    @property
    def rule_ids(self) -> tuple[str, ...]:
        return tuple(m.rule_id for m in self.measures)


@lru_cache(maxsize=8)
def catalog_for_pack(pack_name: str) -> Catalog:
    pack: Pack = pack_named(pack_name)
    return Catalog(pack_name, tuple(
        Measure(rule.id, rule.title, rule.measure, not isinstance(rule, HouseholdRule),
                rule.payer)
        for rule in pack.rules if rule.per != "episode"
    ))


def catalog_for_county(engine: Engine, county_code: str) -> Catalog | None:
    """The county's catalog, or None when the county has no policy pack."""
    with read_session(engine) as s:
        pack = s.scalar(select(Area.pack).where(Area.code == county_code,
                                                Area.level == "county"))
    return catalog_for_pack(pack) if pack else None
