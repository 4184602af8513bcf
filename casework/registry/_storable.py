"""What the contract accepts but the registry's columns cannot hold exactly.

The calc contract accepts any non-negative amount and any string; the tables keep money in fen
(``Numeric(14, 2)``), names in ``VARCHAR(64)`` and so on, and PostgreSQL refuses NUL characters.
Storing such a value would round, truncate or fail half-way, so it is refused first, naming the
field like any other invalid input.
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Iterator
from decimal import Decimal

from rules import snapshot as s

from casework.contract import ContractError
from casework.contract import subject_zh
from casework.registry._mapping import UNSTORED

__all__ = ["MAX_MONEY", "check_storable", "storable_problems"]

MAX_MONEY = Decimal("999999999999.99")
"""The largest amount a ``Numeric(14, 2)`` column holds."""
_FEN = Decimal("0.01")
_LENGTHS = {"household_id": 32, "member_id": 32, "name": 64}


def storable_problems(household: s.Household) -> list[ContractError]:
    """Every field of ``household`` the registry cannot store exactly (empty when none)."""
    return list(_walk(household, ""))


def check_storable(household: s.Household) -> None:
    """Raise the first of :func:`storable_problems`."""
    problems = storable_problems(household)
    if problems:
        raise problems[0]


Problem = tuple[str, str]
"""(English reason, Chinese problem completing the field's name)."""
_NO_PROBLEM: tuple[Problem, ...] = ()


def _walk(obj: object, path: str) -> Iterator[ContractError]:
    kind = type(obj).__name__
    for name in _field_names(type(obj)):
        value = getattr(obj, name)
        if value is None:
            continue
        if isinstance(value, tuple):
            for i, item in enumerate(value):
                yield from _walk(item, f"{_join(path, name)}[{i}]")
        elif dataclasses.is_dataclass(value):
            yield from _walk(value, _join(path, name))
        else:
            for reason, problem_zh in _value_problems(kind, name, value):
                yield _error(_join(path, name), reason, problem_zh)


def _value_problems(kind: str, name: str, value: object) -> tuple[Problem, ...] | list[Problem]:
    if f"{kind}.{name}" in UNSTORED:
        return [("cannot be stored: the registry has no column for it yet",
                 "暂无法保存（系统尚未设置该字段）")]
    if isinstance(value, str):
        return _text(value, _LENGTHS.get(name))
    if isinstance(value, Decimal):
        return _money(value)
    return _NO_PROBLEM


def _text(value: str, limit: int | None) -> list[Problem]:
    found = []
    if limit is not None and len(value) > limit:
        found.append((f"must be at most {limit} characters", f"最多{limit}个字符"))
    if "\x00" in value:
        found.append(("must not contain NUL characters", "含有不可见的空字符（NUL）"))
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        found.append(("must be valid Unicode text", "含有无效的字符"))
    return found


def _money(value: Decimal) -> list[Problem]:
    if not value.is_finite():
        return [("must be a finite number", "应为有限的数字")]
    if value > MAX_MONEY:
        return [(f"must not exceed {MAX_MONEY}", f"不能超过{MAX_MONEY}")]
    if value != value.quantize(_FEN):
        return [("must have at most 2 decimal places", "最多保留两位小数（精确到分）")]
    return []


@functools.cache
def _field_names(cls: type) -> tuple[str, ...]:
    return tuple(f.name for f in dataclasses.fields(cls))  # type: ignore[arg-type]


def _join(path: str, name: str) -> str:
    return f"{path}.{name}" if path else name


def _error(path: str, reason: str, problem_zh: str) -> ContractError:
    return ContractError(path, reason, subject_zh(path) + problem_zh)
