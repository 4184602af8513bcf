"""Runs every YAML situation test of every installed pack (rules/packs/*/tests/*.yaml)."""

from __future__ import annotations

import pytest

from casework.contract import parse_household
from rules.pack import PACKS_DIR, available_packs
from rules.situations import Situation, load_situations, situation_files


def all_situations() -> list[Situation]:
    return [s for pack in available_packs() for path in situation_files(PACKS_DIR / pack)
            for s in load_situations(path, pack)]


SITUATIONS = all_situations()


def test_every_pack_has_situations() -> None:
    for pack in available_packs():
        assert any(s.pack == pack for s in SITUATIONS), pack


@pytest.mark.parametrize("situation", SITUATIONS, ids=lambda s: f"{s.pack}/{s.id}")
def test_situation(situation: Situation) -> None:
    problems = run(situation)
    assert problems == [], "\n".join(problems)


def run(situation: Situation) -> list[str]:
    from rules.situations import run_situation

    return run_situation(situation, parse_household)


def test_every_rule_has_an_eligible_and_an_ineligible_situation() -> None:
    from rules.pack import load_pack

    for name in available_packs():
        seen: dict[str, set[str]] = {}
        for s in (s for s in SITUATIONS if s.pack == name):
            for want in s.expect:
                seen.setdefault(str(want["rule_id"]), set()).add(str(want.get("status")))
        pack = load_pack(name)
        lacking = [r.id for r in pack.rules
                   if not {"eligible", "ineligible"} <= seen.get(r.id, set())]
        assert lacking == [], f"{name}: rules without both an eligible and an ineligible situation"
