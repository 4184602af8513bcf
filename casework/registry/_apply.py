"""Write a :class:`rules.snapshot.Household` into the registry's rows.

Decisions (see the package docstring): members are matched by ``member_key``; a member missing
from the snapshot is kept with ``active = False`` (the person left the household; their history
and audit trail stay) and is reactivated if the key comes back; hospital stays are replaced, but
an unchanged leading run of stays keeps its rows; only changed columns are written, so applying
the same snapshot twice changes nothing (no version bump, no audit event).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from rules import snapshot as s
from sqlmodel import Session

from casework.models import Area, HospitalStay, Household, Member, utcnow
from casework.registry._mapping import (
    HOUSEHOLD_FLAT, HOUSING, MEMBER_FLAT, RELOCATION, SCHOOL, STAY_COLUMNS, stay_of,
)
from casework.registry._storable import check_storable
from casework.uow import UnitOfWork

__all__ = ["apply_snapshot", "county_code_of", "release_members", "ClaimedElsewhere"]

ClaimedElsewhere = Callable[[str], bool]
"""Whether an ID number belongs, in the same batch, to a member of another household."""
_CACHE = "casework_registry_county_of"


class _Writer:
    """Row changes through the unit of work when there is one (its compare-and-swap and
    stale-version messages), else straight on the session."""

    def __init__(self, target: UnitOfWork | Session) -> None:
        self.uow = target if isinstance(target, UnitOfWork) else None
        self.session: Session = target.session if isinstance(target, UnitOfWork) else target

    def change(self, obj: Any, values: dict[str, Any]) -> bool:
        """Set the values that differ; True when any did."""
        changes = {k: v for k, v in values.items() if getattr(obj, k) != v}
        if not changes:
            return False
        if self.uow is not None and obj.id is not None:
            self.uow.update(obj, expected_version=obj.version, **changes)
        else:
            for name, value in changes.items():
                setattr(obj, name, value)
        return True

    def flush(self) -> None:
        if self.uow is not None:
            self.uow.flush()
        else:
            self.session.flush()


def county_code_of(session: Session, village: Area) -> str:
    """The code of the county above ``village`` (cached per session)."""
    cache: dict[int, str] = session.info.setdefault(_CACHE, {})
    if village.id not in cache:
        area: Area | None = village
        while area is not None and area.level != "county":
            area = session.get(Area, area.parent_id) if area.parent_id is not None else None
        if area is None:
            raise ValueError(f"area {village.code} has no county above it")
        cache[village.id] = area.code  # type: ignore[index]
    return cache[village.id]  # type: ignore[index]


def apply_snapshot(
    target: UnitOfWork | Session,
    snapshot: s.Household,
    *,
    village: Area,
    existing: Household | None,
    claimed_elsewhere: ClaimedElsewhere | None = None,
) -> Household:
    """Create (``existing is None``) or update the household's rows so that
    ``to_snapshot(result) == canonical(snapshot)`` (for an update, members already stored keep
    their registry order). Raises :class:`~casework.contract.ContractError` first if a value
    cannot be stored exactly. ``claimed_elsewhere`` tells a batch writer which ID numbers move
    to another household of the same batch (see :func:`release_members`)."""
    check_storable(snapshot)
    writer = _Writer(target)
    county = county_code_of(writer.session, village)
    if existing is None:
        household = Household(number=snapshot.household_id, county_code=county, village_id=village.id)
        household.members = [_new_member(m, county) for m in snapshot.members]
        _household_values(household, snapshot)
        writer.session.add(household)
        return household
    if release_members(target, existing, snapshot, claimed_elsewhere):
        writer.flush()
    _update(writer, existing, snapshot, county, village)
    return existing


def release_members(
    target: UnitOfWork | Session,
    household: Household,
    snapshot: s.Household,
    claimed_elsewhere: ClaimedElsewhere | None = None,
) -> bool:
    """Free what the snapshot takes away before anything is added (the active ID number must
    stay unique at every statement): deactivate members missing from ``snapshot``, and clear the
    ID number of a member who keeps their key but whose old number now belongs to someone else.
    Returns True when anything changed (flush before writing the rest)."""
    writer = _Writer(target)
    wanted = {m.member_id: m.id_number for m in snapshot.members}
    holders = {m.id_number: m.member_id for m in snapshot.members if m.id_number}
    elsewhere = claimed_elsewhere or (lambda _number: False)
    changed = False
    for row in household.members:
        if not row.active:
            continue
        if row.member_key not in wanted:
            changed |= writer.change(row, {"active": False})
        elif row.id_number and row.id_number != wanted[row.member_key]:
            if row.id_number in holders or elsewhere(row.id_number):
                changed |= writer.change(row, {"id_number": None, "id_last4": None})
    return changed


def _update(
    writer: _Writer, household: Household, snapshot: s.Household, county: str, village: Area
) -> None:
    values = _household_columns(snapshot)
    values.update(county_code=county, village_id=village.id)
    changed = writer.change(household, values)
    rows = {m.member_key: m for m in household.members}
    for member in snapshot.members:
        row = rows.get(member.member_id)
        if row is None:
            household.members.append(_new_member(member, county))
            changed = True
        else:
            changed |= writer.change(row, {**_member_columns(member), "active": True})
            changed |= _sync_stays(writer, row, member.hospital_stays, county)
    for row in household.members:
        if row.county_code != county:
            changed |= writer.change(row, {"county_code": county})
            for stay in row.hospital_stays:
                writer.change(stay, {"county_code": county})
    if changed:
        writer.change(household, {"updated_at": utcnow()})


def _sync_stays(
    writer: _Writer, member: Member, stays: tuple[s.HospitalStay, ...], county: str
) -> bool:
    """Keep the leading stays that are unchanged; replace the rest."""
    rows = sorted(member.hospital_stays, key=lambda r: (r.id is None, r.id or 0))
    keep = 0
    while keep < min(len(rows), len(stays)) and stay_of(rows[keep]) == stays[keep]:
        keep += 1
    if keep == len(rows) == len(stays):
        return False
    for row in rows[keep:]:
        member.hospital_stays.remove(row)
    member.hospital_stays.extend(_new_stays(stays[keep:], county))
    return True


def _household_columns(snapshot: s.Household) -> dict[str, Any]:
    values = {name: getattr(snapshot, name) for name in HOUSEHOLD_FLAT}
    values.update(_flatten(snapshot.housing, HOUSING))
    values.update(_flatten(snapshot.relocation, RELOCATION))
    return values


def _household_values(household: Household, snapshot: s.Household) -> None:
    for name, value in _household_columns(snapshot).items():
        setattr(household, name, value)


def _member_columns(member: s.Member) -> dict[str, Any]:
    values = {name: getattr(member, name) for name in MEMBER_FLAT}
    values.update(_flatten(member.school, SCHOOL))
    values["member_key"] = member.member_id
    values["id_last4"] = member.id_number[-4:] if member.id_number else None
    return values


def _new_member(member: s.Member, county: str) -> Member:
    row = Member(county_code=county, **_member_columns(member))
    row.hospital_stays = _new_stays(member.hospital_stays, county)
    return row


def _new_stays(stays: Iterable[s.HospitalStay], county: str) -> list[HospitalStay]:
    return [
        HospitalStay(county_code=county, **{name: getattr(stay, name) for name in STAY_COLUMNS})
        for stay in stays
    ]


def _flatten(obj: Any, columns: dict[str, str]) -> dict[str, Any]:
    if obj is None:
        return {column: None for column in columns.values()}
    return {column: getattr(obj, name) for name, column in columns.items()}

