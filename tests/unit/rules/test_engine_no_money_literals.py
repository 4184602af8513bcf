"""No money in rule code: pack rule modules (and the generic rule kit) may not contain numeric
literals other than 0 and 1.

Why this exact lint: every amount, rate, cap, year threshold and count in the documents is a
policy number and must live in a cited parameter file, so it can be changed by a county or a
what-if run and is shown in ``--list-params``. 0 and 1 are allowed because they are identities
(``max(0, ...)``, ``x == 1.0`` for encoded booleans, "at least one member"), not policy. Booleans
are not numbers for this lint. Classification codes (disability grades 1–4) are kept out of rule
modules in ``rules/vocab.py``; calendar constants (12 months) in ``rules/decision.py``; neither
module holds a policy amount.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

RULES_DIR = Path(__file__).resolve().parents[3] / "rules"
KIT = ["conditions.py", "amounts.py", "rule.py", "stays.py", "assessment.py", "engine.py",
       "columns.py", "shared_conditions.py", "fields.py", "subject.py"]
ALLOWED = {0, 1}


def rule_modules() -> list[Path]:
    pack_code = [p for d in RULES_DIR.iterdir() if d.is_dir() and (d / "__init__.py").exists()
                 and d.name not in ("packs", "__pycache__") for p in d.glob("*.py")]
    return sorted(pack_code) + [RULES_DIR / name for name in KIT]


def numeric_literals(path: Path) -> list[tuple[int, object]]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [(node.lineno, node.value) for node in ast.walk(tree)
            if isinstance(node, ast.Constant) and not isinstance(node.value, bool)
            and isinstance(node.value, (int, float, complex)) and node.value not in ALLOWED]


def test_the_lint_sees_the_pack_modules() -> None:
    names = {p.name for p in rule_modules()}
    assert {"education.py", "medical.py", "social.py", "settlement.py"} <= names


@pytest.mark.parametrize("path", rule_modules(), ids=lambda p: f"{p.parent.name}/{p.name}")
def test_no_numeric_literal_in_rule_code(path: Path) -> None:
    assert numeric_literals(path) == []


def test_the_lint_catches_a_money_literal(tmp_path: Path) -> None:
    bad = tmp_path / "bad.py"
    bad.write_text("AMOUNT = 1250\nRATE = 0.1\nOK = max(0, 1)\n")
    assert numeric_literals(bad) == [(1, 1250), (2, 0.1)]
