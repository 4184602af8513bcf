"""The Kaizhou-2016-2020 pack's rules (重庆市开州区“十三五”脱贫攻坚规划, seed
``003_1b241415224f956a.txt``). Data: ``rules/packs/kaizhou-2016-2020/``; what is and is not
implemented, and why: ``rules/IMPLEMENTED.md`` (Kaizhou section) and the pack's README."""

from __future__ import annotations

from rules.kaizhou_2016_2020 import (critical, education, education_upper, finance, medical,
                                     relocation, social)
from rules.rule import Rule

__all__ = ["RULES"]

RULES: tuple[Rule, ...] = (*education.RULES, *education_upper.RULES, *medical.RULES,
                           *critical.RULES, *social.RULES, *relocation.RULES, *finance.RULES)
