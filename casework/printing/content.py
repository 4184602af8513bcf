"""What a benefit certificate says, as plain frozen data that survives a JSON round trip.

Issuing stores :meth:`CertificateContent.to_json` in the certificate record and reprints render
:meth:`CertificateContent.from_json` of it, so a reprint shows exactly what was issued, whatever
the registry or the policy pack say later. Money is ``Decimal`` (yuan, to the fen) and is written
as a string; dates as ISO text. Nothing here holds a full ID number or an illness.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, NamedTuple

__all__ = [
    "CONTENT_FORMAT", "CertificateMember", "CertificateMeasure", "AssessmentLine",
    "CertificateContent",
]

CONTENT_FORMAT = 1
"""Version of the JSON layout; :meth:`CertificateContent.from_json` refuses others."""


def _money(value: Decimal | None) -> str | None:
    return None if value is None else f"{value:.2f}"


def _decimal(text: str | None) -> Decimal | None:
    return None if text is None else Decimal(text)


@dataclass(frozen=True)
class CertificateMember:
    name: str
    relation_zh: str
    id_masked: str
    """Only the last four characters, ``**************002X`` (``casework.ids.mask_list``)."""
    sex_zh: str
    age: int | None
    """Whole years on the certificate's evaluation date."""

    def to_json(self) -> dict[str, Any]:
        return {"name": self.name, "relation_zh": self.relation_zh, "id_masked": self.id_masked,
                "sex_zh": self.sex_zh, "age": self.age}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> "CertificateMember":
        return cls(name=data["name"], relation_zh=data["relation_zh"],
                   id_masked=data["id_masked"], sex_zh=data["sex_zh"], age=data["age"])


@dataclass(frozen=True)
class CertificateMeasure:
    """One eligible decision of the rules engine, in words."""

    rule_id: str
    measure_zh: str
    """What it is (the rule's title), e.g. 义务教育寄宿生生活补助."""
    member_name: str | None
    """Who gets it; None for a household measure."""
    amount_yuan: Decimal | None
    """The amount per :attr:`per_zh`; 0 or None for an entitlement without money."""
    per_zh: str
    """每年 / 每月 / 每天 / 一次性 / 每次就医."""
    annual_yuan: Decimal | None
    """What it comes to in the policy year."""
    period_zh: str
    """How the yearly figure arises, e.g. ``每月 80 元 × 12 个月`` or ``2018年3月就医``."""
    payer_zh: str
    document_zh: str
    section_zh: str
    category_zh: str
    """教育扶贫 / 健康扶贫 / …, for grouping on paper."""
    in_total: bool
    """Counted in the yearly total (paid by government; loans and hospital-borne costs are not)."""

    @property
    def has_money(self) -> bool:
        return bool(self.amount_yuan) or bool(self.annual_yuan)

    def to_json(self) -> dict[str, Any]:
        return {
            "rule_id": self.rule_id, "measure_zh": self.measure_zh,
            "member_name": self.member_name, "amount_yuan": _money(self.amount_yuan),
            "per_zh": self.per_zh, "annual_yuan": _money(self.annual_yuan),
            "period_zh": self.period_zh, "payer_zh": self.payer_zh,
            "document_zh": self.document_zh, "section_zh": self.section_zh,
            "category_zh": self.category_zh, "in_total": self.in_total,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> "CertificateMeasure":
        return cls(
            rule_id=data["rule_id"], measure_zh=data["measure_zh"],
            member_name=data["member_name"], amount_yuan=_decimal(data["amount_yuan"]),
            per_zh=data["per_zh"], annual_yuan=_decimal(data["annual_yuan"]),
            period_zh=data["period_zh"], payer_zh=data["payer_zh"],
            document_zh=data["document_zh"], section_zh=data["section_zh"],
            category_zh=data["category_zh"], in_total=bool(data["in_total"]),
        )


class AssessmentLine(NamedTuple):
    """One 两不愁三保障 dimension: its name, 达标/未达标/待核实, and why (empty when met)."""

    dimension_zh: str
    status_zh: str
    reason_zh: str


@dataclass(frozen=True)
class CertificateContent:
    county_zh: str
    township_zh: str
    village_zh: str
    household_number: str
    head_name: str
    members: tuple[CertificateMember, ...]
    measures: tuple[CertificateMeasure, ...]
    total_annual_yuan: Decimal
    """Sum of the yearly amounts of the measures counted :attr:`CertificateMeasure.in_total`."""
    assessment: tuple[AssessmentLine, ...]
    assessment_zh: str
    """The overall verdict, e.g. 两不愁三保障达标."""
    pairing_cadre: str
    policy_year: int
    pack: str
    pack_version: str
    pack_title_zh: str
    """The policy document set the pack encodes, e.g. 巴中市 22 个扶贫专项 2018 年实施方案."""
    computed_on: dt.date
    """The date the rules were evaluated at (see :mod:`casework.printing.assembly`)."""

    def to_json(self) -> dict[str, Any]:
        """Canonical JSON-ready form (Decimals as strings, dates ISO); B hashes it sorted."""
        return {
            "format": CONTENT_FORMAT,
            "county_zh": self.county_zh, "township_zh": self.township_zh,
            "village_zh": self.village_zh, "household_number": self.household_number,
            "head_name": self.head_name,
            "members": [m.to_json() for m in self.members],
            "measures": [m.to_json() for m in self.measures],
            "total_annual_yuan": _money(self.total_annual_yuan),
            "assessment": [list(line) for line in self.assessment],
            "assessment_zh": self.assessment_zh, "pairing_cadre": self.pairing_cadre,
            "policy_year": self.policy_year, "pack": self.pack,
            "pack_version": self.pack_version, "pack_title_zh": self.pack_title_zh,
            "computed_on": self.computed_on.isoformat(),
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> "CertificateContent":
        if data.get("format") != CONTENT_FORMAT:
            raise ValueError(f"unknown certificate content format {data.get('format')!r}")
        total = _decimal(data["total_annual_yuan"])
        assert total is not None
        return cls(
            county_zh=data["county_zh"], township_zh=data["township_zh"],
            village_zh=data["village_zh"], household_number=data["household_number"],
            head_name=data["head_name"],
            members=tuple(CertificateMember.from_json(m) for m in data["members"]),
            measures=tuple(CertificateMeasure.from_json(m) for m in data["measures"]),
            total_annual_yuan=total,
            assessment=tuple(AssessmentLine(*line) for line in data["assessment"]),
            assessment_zh=data["assessment_zh"], pairing_cadre=data["pairing_cadre"],
            policy_year=int(data["policy_year"]), pack=data["pack"],
            pack_version=data["pack_version"], pack_title_zh=data["pack_title_zh"],
            computed_on=dt.date.fromisoformat(data["computed_on"]),
        )
