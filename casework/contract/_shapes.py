"""The shape of each JSON object of calc-v1: its fields' converters, required fields and the
checks between two fields. Walking an object reports the first error in document order."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from casework.contract._errors import fail
from casework.contract._fields import Converter
from casework.ids import ResidentId

__all__ = ["Check", "Nested", "Shape", "Walker", "birth_agrees", "join", "not_over", "sex_agrees"]

Found = dict[str, Any]


@dataclass(frozen=True, slots=True)
class Nested:
    """A field holding an object or list, parsed with the walker (it needs ``strict``)."""

    parse: Callable[[object, str, Walker], object]


@dataclass(frozen=True, slots=True)
class Check:
    """``test(found[field], found[basis], path_of_field)``, run once both are present."""

    field: str
    basis: str
    test: Callable[[object, object, str], None]


@dataclass(frozen=True, slots=True)
class Shape:
    fields: Mapping[str, Converter | Nested]
    required: tuple[str, ...] = ()
    checks: tuple[Check, ...] = field(default=())


def join(path: str, key: object) -> str:
    return f"{path}.{key}" if path else str(key)


class Walker:
    """Walks one document; ``strict`` refuses keys the contract does not define."""

    def __init__(self, *, strict: bool, allowed_extra: frozenset[str]) -> None:
        self.strict = strict
        self.allowed_extra = allowed_extra

    def fields(
        self,
        obj: object,
        path: str,
        shape: Shape,
        after: Callable[[Found, str, str], None] | None = None,
    ) -> Found:
        """The object's known, non-null fields converted, in document order. ``null`` means
        "not recorded", like an absent key; a required field must be present and not null."""
        if not isinstance(obj, dict):
            fail(path or "$", "must be a JSON object", "应为JSON对象")
        duplicate = getattr(obj, "duplicate", None)
        if duplicate is not None:
            fail(join(path, duplicate), "duplicate key", "重复出现")
        found: Found = {}
        for key, raw in obj.items():
            spec = shape.fields.get(key) if isinstance(key, str) else None
            sub = join(path, key)
            if spec is None:
                self._unknown(key, sub, top_level=not path)
            elif raw is None and key in shape.required:
                fail(sub, "is required", "必须填写")
            elif raw is not None:
                found[key] = (
                    spec.parse(raw, sub, self) if isinstance(spec, Nested) else spec(raw, sub)
                )
                _cross_check(found, key, path, shape.checks)
                if after is not None:
                    after(found, key, sub)
        for key in shape.required:
            if key not in found:
                fail(join(path, key), "is required", "必须填写")
        return found

    def _unknown(self, key: object, path: str, *, top_level: bool) -> None:
        if self.strict and not (top_level and key in self.allowed_extra):
            fail(path, "unknown field", "不是本合同规定的字段")


def _cross_check(found: Found, key: str, path: str, checks: tuple[Check, ...]) -> None:
    due = [c for c in checks if key in (c.field, c.basis) and c.field in found and c.basis in found]
    order = list(found)
    for check in sorted(due, key=lambda c: order.index(c.field)):
        check.test(found[check.field], found[check.basis], join(path, check.field))


def birth_agrees(birth: object, id_number: object, path: str) -> None:
    derived = ResidentId(str(id_number)).birth_date
    if birth != derived:
        fail(
            path,
            f"birth date {birth} disagrees with id_number ({derived})",
            f"{birth}与身份证号码中的出生日期{derived}不一致",
        )


def sex_agrees(sex: object, id_number: object, path: str) -> None:
    derived = ResidentId(str(id_number)).sex
    if sex != derived:
        zh = {"M": "男", "F": "女"}
        fail(
            path,
            f"sex {sex} disagrees with id_number ({derived})",
            f"“{zh[str(sex)]}”与身份证号码显示的性别（{zh[derived]}）不一致",
        )


def not_over(basis_name: str, basis_zh: str) -> Callable[[object, object, str], None]:
    """The field may not exceed ``basis`` (e.g. a stay's reimbursement and its total cost)."""

    def test(amount: object, basis: object, path: str) -> None:
        if isinstance(amount, Decimal) and isinstance(basis, Decimal) and amount > basis:
            fail(
                path,
                f"must not exceed {basis_name} ({basis:f})",
                f"不能超过{basis_zh}（{basis:f}元）",
            )

    return test
