"""YAML situation tests beside each pack (``rules/packs/<pack>/tests/*.yaml``).

A file is a list of situations::

    - name: 初中寄宿生（建档立卡户）每年补助 1250 元     # states the expectation
      on: 2018-09-01
      set: {poverty_line_yuan: 3750}                    # optional --set overrides
      household: {household_id: t1, registered_poor: true, members: [...]}   # contract JSON
      expect:                                           # decisions that must be present
        - {rule_id: EDU-BZ-05, member_id: m2, status: eligible, amount_yuan: 1250,
           annual_yuan: 1250, reasons_include: [寄宿生]}
      absent: [{rule_id: EDU-BZ-06, member_id: m2}]     # optional: decisions that must not exist
      totals: {annual_yuan: 1250}                       # optional
      assessment: {status: fails, dimensions: {basic_medical: fail}}   # optional, partial
      local_params: ../../../../casework/demo/local-params.yaml   # optional: a deployment's
                                                        # local file, relative to this YAML file

An expected decision is matched by ``rule_id``, ``member_id`` (omit or null for household rules)
and ``episode`` when given; each other key given must equal the decision's output JSON exactly
(money to the fen). ``reasons_include`` lists substrings that must appear in some reason.

The household is parsed by a function the caller passes (the contract parser lives outside
``rules/``, which imports nothing of the project).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from rules.engine import evaluate
from rules.output import result_json
from rules.pack import load_pack
from rules.snapshot import Household
from rules.strict_yaml import Doc, LoaderError, compose_file

__all__ = ["Situation", "load_situations", "run_situation"]

SITUATION_KEYS = ("name", "on", "household")
SITUATION_OPTIONAL = ("set", "expect", "absent", "totals", "assessment", "local_params")
Parse = Callable[[object], Household]


@dataclass(frozen=True)
class Situation:
    pack: str
    file: str
    line: int
    name: str
    on: dt.date
    household: object
    overrides: tuple[tuple[str, str], ...] = ()
    expect: tuple[dict[str, object], ...] = ()
    absent: tuple[dict[str, object], ...] = ()
    totals: dict[str, object] = field(default_factory=dict)
    assessment: dict[str, object] = field(default_factory=dict)
    local_params: Path | None = None

    @property
    def id(self) -> str:
        return f"{Path(self.file).name}:{self.line}:{self.name}"


def load_situations(path: Path, pack: str) -> list[Situation]:
    return [_situation(doc, pack) for doc in compose_file(path).sequence()]


def _situation(doc: Doc, pack: str) -> Situation:
    keys = doc.mapping(SITUATION_KEYS, SITUATION_OPTIONAL)
    on = keys["on"].scalar()
    if not isinstance(on, dt.date):
        raise keys["on"].fail("malformed date (expected YYYY-MM-DD)")
    overrides = tuple((k, _text(v.scalar())) for k, v in keys["set"].items()) if "set" in keys else ()
    return Situation(
        pack=pack, file=doc.file, line=doc.line, name=keys["name"].string(), on=on,
        household=keys["household"].plain(), overrides=overrides,
        expect=tuple(_dict(d) for d in keys["expect"].sequence()) if "expect" in keys else (),
        absent=tuple(_dict(d) for d in keys["absent"].sequence()) if "absent" in keys else (),
        totals=_dict(keys["totals"]) if "totals" in keys else {},
        assessment=_dict(keys["assessment"]) if "assessment" in keys else {},
        local_params=_local_file(doc, keys["local_params"]) if "local_params" in keys else None)


def _local_file(doc: Doc, value: Doc) -> Path:
    path = (Path(doc.file).parent / value.string()).resolve()
    if not path.is_file():
        raise value.fail(f"local parameter file not found: {path}")
    return path


def _text(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _dict(doc: Doc) -> dict[str, object]:
    value = doc.plain()
    if not isinstance(value, dict):
        raise doc.fail("expected a mapping")
    return value


def run_situation(situation: Situation, parse: Parse) -> list[str]:
    """Problems found (empty when the situation holds)."""
    pack = load_pack(situation.pack, local_params=situation.local_params,
                     overrides=situation.overrides)
    output = result_json(evaluate(parse(situation.household), pack, situation.on))
    decisions = output["decisions"]
    assert isinstance(decisions, list)
    problems = [p for want in situation.expect for p in _check_decision(want, decisions)]
    for unwanted in situation.absent:
        if _matching(unwanted, decisions):
            problems.append(f"unexpected decision {unwanted}")
    problems += _check_partial("totals", situation.totals, output["totals"])
    problems += _check_partial("assessment", situation.assessment, output["assessment"])
    return problems


def _matching(want: dict[str, object], decisions: list[dict[str, object]]) -> list[dict[str, object]]:
    keys = ("rule_id", "member_id", "episode")
    return [d for d in decisions
            if all(d.get(k) == want.get(k) for k in keys if k in want or k != "episode")]


def _check_decision(want: dict[str, object], decisions: list[dict[str, object]]) -> list[str]:
    label = f"{want.get('rule_id')} member {want.get('member_id')}"
    found = _matching(want, decisions)
    if len(found) != 1:
        return [f"{label}: expected one decision, found {len(found)}"]
    got = found[0]
    problems = []
    for key, value in want.items():
        if key in ("rule_id", "member_id", "episode"):
            continue
        if key == "reasons_include":
            assert isinstance(value, list)
            text = " | ".join(str(r) for r in got["reasons"])  # type: ignore[attr-defined]
            problems += [f"{label}: no reason contains {part!r} (reasons: {text})"
                         for part in value if part not in text]
        elif got.get(key) != value:
            problems.append(f"{label}: {key} is {got.get(key)!r}, expected {value!r} "
                            f"(reasons: {got.get('reasons')})")
    return problems


def _check_partial(label: str, want: object, got: object) -> list[str]:
    if isinstance(want, dict):
        if not isinstance(got, dict):
            return [f"{label}: expected a mapping, got {got!r}"]
        return [p for k, v in want.items() for p in _check_partial(f"{label}.{k}", v, got.get(k))]
    return [] if want == got else [f"{label} is {got!r}, expected {want!r}"]


def situation_files(pack_folder: Path) -> list[Path]:
    return sorted((pack_folder / "tests").glob("*.yaml"))


__all__ += ["situation_files", "LoaderError"]
