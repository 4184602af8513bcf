"""The fields of the edit forms: how each is shown (input type, keyboard, browser checks) and how
its text is read back into a typed value, with a Chinese message naming the field when it cannot
be. Reading only ever looks at the fields a form declares (the command's own fields)."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from casework.editing import CHOICES, VALUE_ZH, field_zh

__all__ = ["Field", "Parsed", "parse_fields", "raw_value", "BOOL_OPTIONS", "choices_of"]

BOOL_OPTIONS: tuple[tuple[str, str], ...] = (("", "未登记"), ("1", "是"), ("0", "否"))
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_INT = re.compile(r"-?[0-9]{1,9}")
_MONEY = re.compile(r"-?[0-9]{1,15}(\.[0-9]{1,8})?")
_MAX_RAW = 200


def choices_of(name: str) -> tuple[tuple[str, str], ...]:
    """The coded values of a field with their Chinese names."""
    names = VALUE_ZH.get(name, {})
    if name not in CHOICES:
        return tuple(names.items())
    return tuple((code, names.get(code, code)) for code in CHOICES[name])


@dataclass(frozen=True)
class Field:
    """One input. ``kind``: text, id, date, int, money, choice, int_choice, bool, member."""

    name: str
    kind: str
    required: bool = False
    hint: str = ""
    low: int | None = None
    high: int | None = None
    options: tuple[tuple[str, str], ...] = ()
    """For ``choice`` (codes and names); ``member`` fields get the household's members."""

    @property
    def label(self) -> str:
        return field_zh(self.name)

    @property
    def inputmode(self) -> str | None:
        return {"int": "numeric", "money": "decimal", "id": "text"}.get(self.kind)

    def with_options(self, options: tuple[tuple[str, str], ...]) -> Field:
        return Field(self.name, self.kind, self.required, self.hint, self.low, self.high, options)


@dataclass(frozen=True)
class Parsed:
    values: dict[str, Any]
    errors: dict[str, str]


def parse_fields(fields: tuple[Field, ...], form: Mapping[str, str]) -> Parsed:
    """Each declared field's text as a typed value (``None`` when left empty)."""
    values: dict[str, Any] = {}
    errors: dict[str, str] = {}
    for field in fields:
        text = (form.get(field.name) or "").strip()
        if not text:
            if field.required:
                errors[field.name] = field.label + "必须填写"
            values[field.name] = None
            continue
        try:
            values[field.name] = _read(field, text)
        except ValueError as problem:
            errors[field.name] = field.label + str(problem)
    return Parsed(values, errors)


def _read(field: Field, text: str) -> Any:
    if len(text) > _MAX_RAW:
        raise ValueError("内容过长")
    if field.kind in ("id", "date", "int", "money", "member"):
        text = unicodedata.normalize("NFKC", text).replace(" ", "")
    reader = _READERS[field.kind]
    return reader(field, text)


def _text(_field: Field, text: str) -> str:
    return unicodedata.normalize("NFC", text)


def _id(_field: Field, text: str) -> str:
    return text.upper()


def _date(_field: Field, text: str) -> dt.date:
    if not _DATE.fullmatch(text):
        raise ValueError("应为日期，格式如 2018-09-01")
    try:
        return dt.date(int(text[:4]), int(text[5:7]), int(text[8:]))
    except ValueError:
        raise ValueError(f"{text}不是有效日期") from None


def _int(_field: Field, text: str) -> int:
    if not _INT.fullmatch(text):
        raise ValueError("应为整数")
    return int(text)


def _money(_field: Field, text: str) -> Decimal:
    if not _MONEY.fullmatch(text):
        raise ValueError("应为金额数字，如 1250 或 1250.50")
    try:
        return Decimal(text)
    except InvalidOperation:
        raise ValueError("应为金额数字") from None


def _choice(field: Field, text: str) -> str:
    if text not in {code for code, _ in field.options}:
        raise ValueError("不是可选的值，请从列表中选择")
    return text


def _int_choice(field: Field, text: str) -> int:
    return int(_choice(field, text))


def _bool(_field: Field, text: str) -> bool:
    if text not in ("1", "0"):
        raise ValueError("应选择“是”或“否”")
    return text == "1"


def _member(field: Field, text: str) -> int:
    if not text.isdigit() or text not in {code for code, _ in field.options}:
        raise ValueError("不是本户的在册成员，请从列表中选择")
    return int(text)


_READERS = {"text": _text, "id": _id, "date": _date, "int": _int, "money": _money,
            "choice": _choice, "int_choice": _int_choice, "bool": _bool, "member": _member}


def raw_value(value: Any) -> str:
    """A stored value as the text its input holds."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, Decimal):
        return f"{value:f}"
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)
