"""rules.snapshot.Household -> calc-v1 household JSON (a dict ready for ``json.dumps``)."""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal
from typing import Any

from rules.snapshot import Household

__all__ = ["dump_household"]


def dump_household(household: Household) -> dict[str, Any]:
    """The contract JSON of ``household``: fields that are ``None`` are left out, dates are
    ``YYYY-MM-DD``, money is an int when whole and a float otherwise, so that
    ``parse_household(dump_household(h)) == h``. A member with an ``id_number`` also gets the
    birth date and sex derived from it. Raises ``ValueError`` for an amount a JSON number
    cannot carry exactly (more than ~15 significant digits with a fraction, NaN)."""
    return _object(household)


def _object(obj: Any) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for f in dataclasses.fields(obj):
        value = getattr(obj, f.name)
        if value is not None:
            out[f.name] = _value(value)
    return out


def _value(value: object) -> Any:
    if isinstance(value, bool | int | str):
        return value
    if isinstance(value, Decimal):
        return _number(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, tuple | list):
        return [_value(item) for item in value]
    if dataclasses.is_dataclass(value):
        return _object(value)
    raise TypeError(f"cannot write {type(value).__name__} as contract JSON")


def _number(amount: Decimal) -> int | float:
    if not amount.is_finite():
        raise ValueError(f"amount {amount} is not a finite number")
    if amount == amount.to_integral_value():
        return int(amount)
    as_float = float(amount)
    if Decimal(repr(as_float)) != amount:
        raise ValueError(f"amount {amount} cannot be written exactly as a JSON number")
    return as_float
