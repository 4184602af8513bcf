"""Checking a whole exchange file before anything is written.

Every line is checked on its own (calc-v1 with unknown keys refused, the place keys against the
areas table, values the columns can hold) and against the rest of the file and the registry
(one line per household number; an active ID number on one member only, in the file and in the
registry, counting the households the file replaces as the file has them).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rules import snapshot as s
from sqlalchemy import select
from sqlalchemy.orm import Session

from casework.contract import ContractError, parse_household_json
from casework.models import Household, Member
from casework.registry._bulk import Place
from casework.registry._jsonl import PLACE_KEYS, LineError, read_lines
from casework.registry._storable import storable_problems

__all__ = ["FileLine", "Plan", "batches", "parse_line", "parsed_lines", "validate_file"]

EXTRA = frozenset(PLACE_KEYS)
_LABELS = {"county_code": "区县代码", "township_code": "乡镇代码", "village_code": "村代码",
           "pack": "政策包"}


@dataclass(frozen=True, slots=True)
class FileLine:
    """A line that passed its own checks."""

    number: int
    household: s.Household
    place: Place


@dataclass
class Plan:
    """What validation learnt about the file, kept for the writing pass (no snapshots: memory
    grows with numbers and ID numbers only)."""

    numbers: dict[str, int] = field(default_factory=dict)
    """Household number -> line."""
    ids: dict[str, tuple[int, int]] = field(default_factory=dict)
    """Active ID number -> (line, member index)."""
    existing: set[int] = field(default_factory=set)
    """Lines whose household is already in the registry."""
    counties: set[str] = field(default_factory=set)
    errors: list[LineError] = field(default_factory=list)
    held_elsewhere: list[tuple[int, str, str, str]] = field(default_factory=list)
    """(line, path, household, member key): an ID number the registry has active elsewhere."""

    def claimed_elsewhere(self, line: int) -> Any:
        """For line ``line``: whether an ID number goes to another household of the file."""
        return lambda id_number: self.ids.get(id_number, (line, 0))[0] != line


def validate_file(
    session: Session, path: Path, places: dict[str, Place], scope: str | None, chunk: int
) -> Plan:
    """Check every line; ``plan.errors`` lists every problem found, in line order."""
    plan = Plan()
    for batch in batches(parsed_lines(path, places, scope, plan.errors), chunk):
        for line in batch:
            _within_file(line, plan)
        _against_registry(session, batch, plan)
    for number, path_, holder, key in plan.held_elsewhere:
        if holder not in plan.numbers:
            plan.errors.append(LineError(
                number, path_,
                f"ID number is active in household {holder} (member {key}), "
                "which this file does not update",
                f"{_member_zh(path_)}身份证号码已登记在户{holder}（成员{key}）中，请先将其从该户移出",
            ))
    plan.errors.sort(key=lambda e: e.line)
    return plan


def parsed_lines(
    path: Path, places: dict[str, Place], scope: str | None, errors: list[LineError],
    only: set[int] | None = None,
) -> Iterator[FileLine]:
    """The file's lines that pass their own checks; the problems of the others go to
    ``errors``. With ``only``, other lines are skipped unread."""
    for number, text in read_lines(path):
        if only is not None and number not in only:
            continue
        if isinstance(text, LineError):
            errors.append(text)
            continue
        line, problems = parse_line(number, text, places, scope)
        errors.extend(problems)
        if line is not None:
            yield line


def parse_line(
    number: int, text: str, places: dict[str, Place], scope: str | None
) -> tuple[FileLine | None, list[LineError]]:
    """One line checked on its own."""
    errors: list[LineError] = []
    household: s.Household | None = None
    try:
        household = parse_household_json(text, strict=True, allowed_extra=EXTRA)
    except ContractError as err:
        errors.append(LineError.of(number, err))
    place = None
    obj = _decoded(text)
    if obj is not None:
        place = _place(number, obj, places, scope, errors)
    if household is not None:
        errors.extend(LineError.of(number, err) for err in storable_problems(household))
    if errors or household is None or place is None:
        return None, errors
    return FileLine(number, household, place), []


def _decoded(text: str) -> dict[str, Any] | None:
    try:
        obj = json.loads(text)
    except ValueError:
        return None
    return obj if isinstance(obj, dict) else None


def _place(
    number: int, obj: dict[str, Any], places: dict[str, Place], scope: str | None,
    errors: list[LineError],
) -> Place | None:
    def error(key: str, reason: str, problem_zh: str) -> None:
        errors.append(LineError(number, key, reason, _LABELS[key] + problem_zh))

    missing = [key for key in PLACE_KEYS if key not in obj]
    for key in missing:
        error(key, "is required", "必须填写")
    code = obj.get("village_code")
    if "village_code" in missing:
        return None
    place = places.get(code) if isinstance(code, str) else None
    if place is None:
        error("village_code", f"unknown village {_show(code)}", f"{_show(code)}不是系统中已有的村")
        return None
    expected = {"county_code": place.county_code, "township_code": place.township_code,
                "pack": place.pack}
    for key, want in expected.items():
        if key not in missing and obj[key] != want:
            error(key, f"is {_show(obj[key])} but village {code} has {_show(want)}",
                  f"为{_show(obj[key])}，与村{code}的{_show(want)}不一致")
    if scope is not None and place.county_code != scope:
        error("county_code", f"village {code} is outside the actor's county {scope}",
              f"：村{code}不在操作人所管辖的区县（{scope}）内")
    return place


def _show(value: object) -> str:
    return json.dumps(value, ensure_ascii=False)


def _within_file(line: FileLine, plan: Plan) -> None:
    household = line.household
    first = plan.numbers.setdefault(household.household_id, line.number)
    if first != line.number:
        plan.errors.append(LineError(
            line.number, "household_id", f"duplicate household_id, also on line {first}",
            f"户编号“{household.household_id}”与第{first}行重复",
        ))
    plan.counties.add(line.place.county_code or "")
    for index, member in enumerate(household.members):
        if member.id_number is None:
            continue
        seen = plan.ids.setdefault(member.id_number, (line.number, index))
        if seen != (line.number, index):
            where = f"line {seen[0]} " if seen[0] != line.number else ""
            plan.errors.append(LineError(
                line.number, f"members[{index}].id_number",
                f"duplicate ID number, also on {where}members[{seen[1]}]",
                f"第{index + 1}位成员的身份证号码与第{seen[0]}行第{seen[1] + 1}位成员重复",
            ))


def _against_registry(session: Session, batch: list[FileLine], plan: Plan) -> None:
    numbers = [line.household.household_id for line in batch]
    stored = dict(session.execute(
        select(Household.number, Household.active).where(Household.number.in_(numbers))
    ).all())
    wanted = {m.id_number: (line, i) for line in batch
              for i, m in enumerate(line.household.members) if m.id_number}
    holders = session.execute(
        select(Member.id_number, Household.number, Member.member_key)
        .join(Household, Member.household_id == Household.id)
        .where(Member.active.is_(True), Member.id_number.in_(list(wanted)))
    ).all()
    for line in batch:
        number = line.household.household_id
        if number in stored:
            plan.existing.add(line.number)
        if stored.get(number) is False:
            plan.errors.append(LineError(
                line.number, "household_id", f"household {number} is deactivated in the registry",
                f"户编号“{number}”在系统中已注销，不能导入",
            ))
    for id_number, holder, key in holders:
        line, index = wanted[id_number]  # type: ignore[index]
        if holder != line.household.household_id:
            plan.held_elsewhere.append((line.number, f"members[{index}].id_number", holder, key))


def _member_zh(path: str) -> str:
    index = int(path.split("[", 1)[1].split("]", 1)[0])
    return f"第{index + 1}位成员的"


def batches(lines: Iterable[FileLine], size: int) -> Iterator[list[FileLine]]:
    batch: list[FileLine] = []
    for line in lines:
        batch.append(line)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch
