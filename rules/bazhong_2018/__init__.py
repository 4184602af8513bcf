"""The Bazhong-2018 pack's rules (巴委办〔2018〕11号). Data: ``rules/packs/bazhong-2018/``."""

from __future__ import annotations

from rules.bazhong_2018 import education, flags, medical, relocation, social
from rules.rule import Rule

__all__ = ["RULES"]

RULES: tuple[Rule, ...] = (*education.RULES, *medical.RULES, *social.RULES, *relocation.RULES,
                           *flags.RULES)
