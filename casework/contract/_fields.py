"""Converters for the contract's scalar values: each takes the JSON value and its path and
returns the typed value, or raises :class:`ContractError` naming the path."""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Callable, Sequence
from decimal import Decimal

from casework.contract._errors import ContractError, fail
from casework.contract._labels import VALUE_LABELS, prefix_zh, schema_key
from casework.ids import InvalidResidentId, ResidentId

__all__ = [
    "Converter",
    "boolean",
    "choice",
    "date",
    "id_number",
    "integer",
    "money",
    "name_text",
    "key_text",
]

Converter = Callable[[object, str], object]

_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
MAX_AMOUNT = Decimal(10) ** 18
"""The largest amount (yuan, m²) a household may state: far above any real one, and small enough
that the rules engine's arithmetic stays exact to the fen."""


def name_text(value: object, path: str) -> str:
    """Any JSON string that is valid Unicode (a lone ``\\ud800`` escape is refused: the text
    could not be stored or printed as UTF-8)."""
    if not isinstance(value, str):
        fail(path, "must be a string", "应为文字")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as err:
        fail(path, f"contains an unpaired surrogate at character {err.start + 1}",
             f"含有无效字符（第{err.start + 1}个字符）")
    return value


def key_text(value: object, path: str) -> str:
    """An identifier: a string that is not empty or blank."""
    text = name_text(value, path)
    if not text.strip():
        fail(path, "must not be empty", "不能为空")
    return text


def boolean(value: object, path: str) -> bool:
    """A JSON ``true``/``false``; ``0``/``1`` and ``"yes"`` are refused."""
    if not isinstance(value, bool):
        fail(path, "must be true or false", "应为 true 或 false")
    return value


def integer(low: int, high: int) -> Converter:
    """A whole number (not a bool, not ``2019.0``) from ``low`` to ``high`` inclusive."""

    def convert(value: object, path: str) -> int:
        if isinstance(value, bool) or not isinstance(value, int):
            fail(path, "must be an integer", "应为整数")
        if not low <= value <= high:
            fail(path, f"must be between {low} and {high}", f"应在{low}到{high}之间")
        return value

    return convert


def money(value: object, path: str) -> Decimal:
    """A non-negative finite number up to :data:`MAX_AMOUNT`, kept exact: ``0.1`` becomes
    ``Decimal("0.1")``; ``-0.0`` becomes ``0.0``."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        fail(path, "must be a number", "应为数字")
    if isinstance(value, float) and not math.isfinite(value):
        fail(path, "must be a finite number", "应为有限的数字")
    amount = Decimal(str(value))
    if amount < 0:
        fail(path, "must not be negative", "不能为负数")
    if amount > MAX_AMOUNT:
        fail(path, f"must not exceed {MAX_AMOUNT:f}", f"不能超过{MAX_AMOUNT:f}")
    return abs(amount) if amount.is_zero() else amount


def choice(options: Sequence[str]) -> Converter:
    """One of the contract's codes, compared exactly (case matters)."""

    def convert(value: object, path: str) -> str:
        if not isinstance(value, str) or value not in options:
            names = VALUE_LABELS.get(schema_key(path), {})
            listed = "、".join(f"{names.get(o, o)}（{o}）" for o in options)
            fail(path, "must be one of " + ", ".join(options), f"应为以下之一：{listed}")
        return value

    return convert


def date(value: object, path: str) -> dt.date:
    """A real calendar date written ``YYYY-MM-DD`` (nothing else ``fromisoformat`` takes)."""
    if not isinstance(value, str) or not _DATE.fullmatch(value):
        fail(path, "must be a date YYYY-MM-DD", "应为YYYY-MM-DD格式的日期")
    try:
        return dt.date(int(value[:4]), int(value[5:7]), int(value[8:]))
    except ValueError:
        fail(path, f"{value} is not a real date", f"{value}不是有效日期")


def id_number(value: object, path: str) -> str:
    """A resident ID (GB 11643-1999), normalised to 18 characters (a 15-digit one is converted)."""
    if not isinstance(value, str):
        fail(path, "must be a string", "应为文字")
    try:
        return ResidentId.parse(value).value
    except InvalidResidentId as err:
        raise ContractError(path, err.reason, prefix_zh(path) + err.message_zh) from None
