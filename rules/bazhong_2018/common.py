"""Shared pieces of the Bazhong-2018 pack: the document, citations and the eligibility classes."""

from __future__ import annotations

from rules.conditions import AnyOf
from rules.decision import Citation
from rules.shared_conditions import DIFFICULT, EconomicallyDifficult, RegisteredPoor

__all__ = ["DOCUMENT", "SEED", "cite", "POOR", "DIFFICULT", "POOR_DIBAO_TEKUN",
           "EconomicallyDifficult"]

DOCUMENT = "巴委办〔2018〕11号"
SEED = "000_99b381a438ae79d6.txt"


def cite(section: str, lines: str) -> Citation:
    return Citation(DOCUMENT, section, SEED, lines)


POOR = RegisteredPoor("建档立卡贫困户", "脱贫不脱政策")
"""建档立卡; an exited household keeps its policies (脱贫不脱政策, seed L948, L1098, L1971: 2020 年前，
现有的帮扶措施不变), and the reason says so."""

POOR_DIBAO_TEKUN = AnyOf({"registered_poor": "建档立卡贫困户", "dibao": "低保户", "tekun": "特困供养人员"},
                         yes="{value}", no="非建档立卡贫困户、低保户或特困供养人员")


