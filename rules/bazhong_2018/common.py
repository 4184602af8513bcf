"""Shared pieces of the Bazhong-2018 pack: the document, citations and the eligibility classes."""

from __future__ import annotations

from rules.conditions import AnyOf, Is
from rules.decision import Citation
from rules.shared_conditions import DIFFICULT, EconomicallyDifficult

__all__ = ["DOCUMENT", "SEED", "cite", "POOR", "DIFFICULT", "POOR_DIBAO_TEKUN",
           "EconomicallyDifficult"]

DOCUMENT = "巴委办〔2018〕11号"
SEED = "000_99b381a438ae79d6.txt"


def cite(section: str, lines: str) -> Citation:
    return Citation(DOCUMENT, section, SEED, lines)


POOR = Is("registered_poor", (True,), yes="建档立卡贫困户", no="非建档立卡贫困户")

POOR_DIBAO_TEKUN = AnyOf({"registered_poor": "建档立卡贫困户", "dibao": "低保户", "tekun": "特困供养人员"},
                         yes="{value}", no="非建档立卡贫困户、低保户或特困供养人员")


