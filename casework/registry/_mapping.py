"""Stored rows -> :class:`rules.snapshot.Household`, and the column names each snapshot field
lives in.

The same functions read ORM objects (:func:`to_snapshot`) and plain result rows
(:func:`casework.registry.iter_snapshots`): both expose the columns as attributes, so there is
one mapping, not two that could drift apart.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Sequence
from typing import Any

from rules import snapshot as s

from casework.models import HospitalStay, Household, Member

__all__ = [
    "UNSTORED", "HOUSEHOLD_LAYOUT", "MEMBER_LAYOUT", "STAY_LAYOUT", "HOUSEHOLD_COLUMNS", "MEMBER_COLUMNS", "STAY_COLUMNS", "canonical", "household_snapshot",
    "member_snapshot", "stay_of", "stay_snapshot", "to_snapshot",
]

def _columns(model: type, snapshot_type: type, rename: Any = lambda name: name,
             skip: tuple[str, ...] = ()) -> dict[str, str]:
    """Snapshot field -> column, for the snapshot's fields the table has a column for."""
    table = model.__table__.c  # type: ignore[attr-defined]
    names = (f.name for f in dataclasses.fields(snapshot_type) if f.name not in skip)
    return {name: rename(name) for name in names if rename(name) in table}


HOUSEHOLD_FLAT = tuple(_columns(Household, s.Household, skip=("household_id", "members",
                                                               "housing", "relocation")))
HOUSING = _columns(Household, s.Housing, lambda name: f"housing_{name}")
RELOCATION = _columns(Household, s.Relocation, lambda name: f"relocation_{name}")
MEMBER_FLAT = tuple(_columns(Member, s.Member, skip=("member_id", "school", "hospital_stays")))
SCHOOL = _columns(
    Member, s.School, lambda name: name if name == "school_days" else f"school_{name}"
)
STAY_COLUMNS = tuple(_columns(HospitalStay, s.HospitalStay))

HOUSEHOLD_COLUMNS = (*HOUSEHOLD_FLAT, *HOUSING.values(), *RELOCATION.values())
"""Household columns that carry contract fields (``number`` carries ``household_id``)."""
MEMBER_COLUMNS = (*MEMBER_FLAT, *SCHOOL.values())
"""Member columns that carry contract fields (``member_key`` carries ``member_id``)."""


def _unstored() -> frozenset[str]:
    stored = {
        s.Household: {"household_id", "members", "housing", "relocation", *HOUSEHOLD_FLAT},
        s.Housing: set(HOUSING), s.Relocation: set(RELOCATION),
        s.Member: {"member_id", "school", "hospital_stays", *MEMBER_FLAT},
        s.School: set(SCHOOL), s.HospitalStay: set(STAY_COLUMNS),
    }
    return frozenset(
        f"{kind.__name__}.{f.name}"
        for kind, names in stored.items() for f in dataclasses.fields(kind) if f.name not in names
    )


UNSTORED = _unstored()
"""Snapshot fields with no column yet (``"HospitalStay.childbirth"``): a value in one cannot be
stored and is refused (:func:`casework.registry.storable_problems`); reading gives ``None``."""


# Row layouts: the columns, in order, that the builders below read by position. The bulk reader
# selects exactly these (result rows are tuples); to_snapshot reads them off ORM objects.
HOUSEHOLD_LAYOUT = ("number", *HOUSEHOLD_COLUMNS)
MEMBER_LAYOUT = ("member_key", *MEMBER_COLUMNS)
STAY_LAYOUT = STAY_COLUMNS
_H_FLAT = slice(1, 1 + len(HOUSEHOLD_FLAT))
_H_HOUSING = slice(_H_FLAT.stop, _H_FLAT.stop + len(HOUSING))
_H_RELOCATION = slice(_H_HOUSING.stop, _H_HOUSING.stop + len(RELOCATION))
_M_FLAT = slice(1, 1 + len(MEMBER_FLAT))
_M_SCHOOL = slice(_M_FLAT.stop, _M_FLAT.stop + len(SCHOOL))


def _nested(build: type, names: Iterable[str], values: Sequence[Any]) -> Any:
    """A nested contract object, or ``None`` when none of its columns is recorded."""
    if values.count(None) == len(values):
        return None
    return build(**dict(zip(names, values)))


def stay_snapshot(row: Sequence[Any]) -> s.HospitalStay:
    """A stay from its ``STAY_LAYOUT`` values."""
    return s.HospitalStay(**dict(zip(STAY_COLUMNS, row)))


def member_snapshot(row: Sequence[Any], stays: Iterable[Sequence[Any]]) -> s.Member:
    """A member from its ``MEMBER_LAYOUT`` values and its stays' values (already in order)."""
    return s.Member(
        member_id=row[0],
        school=_nested(s.School, SCHOOL, row[_M_SCHOOL]),
        hospital_stays=tuple(stay_snapshot(stay) for stay in stays),
        **dict(zip(MEMBER_FLAT, row[_M_FLAT])),
    )


def household_snapshot(row: Sequence[Any], members: Iterable[s.Member]) -> s.Household:
    """A household from its ``HOUSEHOLD_LAYOUT`` values and its (active, ordered) members."""
    return s.Household(
        household_id=row[0],
        members=tuple(members),
        housing=_nested(s.Housing, HOUSING, row[_H_HOUSING]),
        relocation=_nested(s.Relocation, RELOCATION, row[_H_RELOCATION]),
        **dict(zip(HOUSEHOLD_FLAT, row[_H_FLAT])),
    )


def to_snapshot(household: Household) -> s.Household:
    """The engine's view of a stored household: its active members ordered by id, each with
    its hospital stays ordered by id. Lazy-loads members and stays unless already loaded
    (bulk readers should use :func:`casework.registry.iter_snapshots`)."""
    members: list[Member] = sorted((m for m in household.members if m.active), key=_by_id)
    return household_snapshot(
        _values(household, HOUSEHOLD_LAYOUT),
        (
            member_snapshot(
                _values(m, MEMBER_LAYOUT),
                (_values(stay, STAY_LAYOUT) for stay in sorted(m.hospital_stays, key=_by_id)),
            )
            for m in members
        ),
    )


def stay_of(row: HospitalStay) -> s.HospitalStay:
    """The snapshot of a stored stay."""
    return stay_snapshot(_values(row, STAY_LAYOUT))


def _values(obj: object, layout: tuple[str, ...]) -> tuple[Any, ...]:
    return tuple(getattr(obj, name) for name in layout)


def _by_id(row: Member | HospitalStay) -> tuple[bool, int]:
    """Id order; rows not yet flushed (no id) last, in the order they were added."""
    return (row.id is None, row.id or 0)


def canonical(snapshot: s.Household) -> s.Household:
    """The form the registry stores: a nested object (``housing``, ``relocation``, a member's
    ``school``) with nothing recorded in it is the same as no object. Storing ``snapshot`` and
    reading it back gives exactly ``canonical(snapshot)``."""
    members = tuple(
        dataclasses.replace(m, school=_empty_to_none(m.school)) for m in snapshot.members
    )
    return dataclasses.replace(
        snapshot,
        members=members,
        housing=_empty_to_none(snapshot.housing),
        relocation=_empty_to_none(snapshot.relocation),
    )


def _empty_to_none(obj: Any) -> Any:
    if obj is None or any(getattr(obj, f.name) is not None for f in dataclasses.fields(obj)):
        return obj
    return None
