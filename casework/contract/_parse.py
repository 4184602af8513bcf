"""calc-v1 household JSON -> :class:`rules.snapshot.Household`."""

from __future__ import annotations

import json
from typing import Any

from casework.contract._errors import ContractError, fail
from casework.contract._fields import (
    boolean,
    choice,
    date,
    id_number,
    integer,
    key_text,
    money,
    name_text,
)
from casework.contract._shapes import (
    Check,
    Nested,
    Shape,
    Walker,
    birth_agrees,
    not_over,
    sex_agrees,
)
from casework.ids import ResidentId
from rules import snapshot as s

__all__ = ["parse_household", "parse_household_json"]

YEAR = integer(1949, 2100)


def _items(value: object, path: str) -> list[Any]:
    if not isinstance(value, list | tuple):
        fail(path, "must be a list", "应为列表")
    return list(value)


def _stays(value: object, path: str, walker: Walker) -> tuple[s.HospitalStay, ...]:
    return tuple(
        s.HospitalStay(**walker.fields(item, f"{path}[{i}]", STAY))
        for i, item in enumerate(_items(value, path))
    )


def _members(value: object, path: str, walker: Walker) -> tuple[s.Member, ...]:
    items = _items(value, path)
    if not items:
        fail(path, "must have at least one member", "至少要有一位成员")
    seen: dict[str, int] = {}
    return tuple(_member(item, path, i, walker, seen) for i, item in enumerate(items))


def _member(
    value: object, parent: str, index: int, walker: Walker, seen: dict[str, int]
) -> s.Member:
    """One member; ``seen`` maps the member_ids met so far to their index."""
    path = f"{parent}[{index}]"

    def unique(found: dict[str, Any], key: str, sub: str) -> None:
        if key != "member_id":
            return
        member_id = str(found[key])
        if member_id in seen:
            other = seen[member_id]
            fail(
                sub,
                f"duplicate member_id {member_id!r}, also used by members[{other}]",
                f"“{member_id}”与第{other + 1}位成员重复",
            )
        seen[member_id] = index

    found = walker.fields(value, path, MEMBER, after=unique)
    if "id_number" in found:
        resident = ResidentId(str(found["id_number"]))
        found["birth_date"] = resident.birth_date
        found["sex"] = resident.sex
    return s.Member(**found)


def _nested(shape: Shape, build: type) -> Nested:
    return Nested(lambda value, path, walker: build(**walker.fields(value, path, shape)))


STAY = Shape(
    {
        "kind": choice(s.STAY_KINDS),
        "admitted_on": date,
        "in_county": boolean,
        "hospital_level": choice(s.HOSPITAL_LEVELS),
        "public": boolean,
        "total_cost_yuan": money,
        "out_of_catalog_yuan": money,
        "reimbursed_yuan": money,
        "childbirth": boolean,  # added by the rules engine (MED-BZ-07), optional
    },
    checks=(
        Check("out_of_catalog_yuan", "total_cost_yuan", not_over("total_cost_yuan", "医疗总费用")),
        Check("reimbursed_yuan", "total_cost_yuan", not_over("total_cost_yuan", "医疗总费用")),
    ),
)

SCHOOL = Shape(
    {
        "stage": choice(s.SCHOOL_STAGES),
        "boarding": boolean,
        "public": boolean,
        "key_school": boolean,
        "enrolled_year": YEAR,
        "fee_yuan": money,
        "school_days": integer(0, 366),
    }
)

MEMBER = Shape(
    {
        "member_id": key_text,
        "name": name_text,
        "id_number": id_number,
        "birth_date": date,
        "sex": choice(s.SEXES),
        "relation": choice(s.RELATIONS),
        "school": _nested(SCHOOL, s.School),
        "out_of_school": boolean,
        "orphan": boolean,
        "disability_grade": integer(1, 4),
        "annual_income_yuan": money,
        "medical_insurance": boolean,
        "critical_illness_insurance": boolean,
        "family_doctor": boolean,
        "pension_insured": boolean,
        "labor": choice(s.LABOR_KINDS),
        "employment": choice(s.EMPLOYMENT_KINDS),
        "hospital_stays": Nested(_stays),
    },
    required=("member_id",),
    checks=(Check("birth_date", "id_number", birth_agrees), Check("sex", "id_number", sex_agrees)),
)

HOUSING = Shape({"safety_grade": choice(s.SAFETY_GRADES), "renovated": boolean})

RELOCATION = Shape(
    {
        "status": choice(s.RELOCATION_STATUSES),
        "mode": choice(s.RELOCATION_MODES),
        "house_area_m2": money,
        "build_cost_yuan": money,
        "subsidy_yuan": money,
        "self_funded_yuan": money,
    }
)

HOUSEHOLD = Shape(
    {
        "household_id": key_text,
        "registered_poor": boolean,
        "poverty_status": choice(s.POVERTY_STATUSES),
        "exit_year": YEAR,
        "dibao": boolean,
        "tekun": boolean,
        "tekun_mode": choice(s.TEKUN_MODES),
        "economic_difficulty": boolean,
        "per_capita_net_income_yuan": money,
        "housing": _nested(HOUSING, s.Housing),
        "relocation": _nested(RELOCATION, s.Relocation),
        "water_safe": boolean,
        "power_ok": boolean,
        "tv_access": boolean,
        "food_secure": boolean,
        "clothing_secure": boolean,
        "members": Nested(_members),
    },
    required=("household_id", "members"),
)


def parse_household(
    obj: object, *, strict: bool = False, allowed_extra: frozenset[str] = frozenset()
) -> s.Household:
    """Validate a decoded calc-v1 household and return it typed; raise :class:`ContractError`
    for the first problem in document order. Unknown keys are ignored unless ``strict``, which
    refuses them (except ``allowed_extra`` at the top level)."""
    walker = Walker(strict=strict, allowed_extra=allowed_extra)
    return s.Household(**walker.fields(obj, "", HOUSEHOLD))


class _JsonObject(dict[str, Any]):
    """A decoded JSON object that remembers its first repeated key (JSON allows them; we don't)."""

    duplicate: str | None = None

    @classmethod
    def from_pairs(cls, pairs: list[tuple[str, Any]]) -> _JsonObject:
        obj = cls()
        for key, value in pairs:
            if key in obj and obj.duplicate is None:
                obj.duplicate = key
            obj[key] = value
        return obj


def parse_household_json(text: str, **kw: Any) -> s.Household:
    """Decode ``text`` and :func:`parse_household` it; malformed JSON is a ``$`` error."""
    try:
        obj = json.loads(text, object_pairs_hook=_JsonObject.from_pairs)
    except json.JSONDecodeError as err:
        where = f"line {err.lineno} column {err.colno}"
        raise ContractError(
            "$",
            f"malformed JSON at {where}: {err.msg}",
            f"JSON格式错误（第{err.lineno}行第{err.colno}列）：{err.msg}",
        ) from None
    except (ValueError, RecursionError) as err:
        raise ContractError("$", f"malformed JSON: {err}", f"JSON格式错误：{err}") from None
    return parse_household(obj, **kw)
