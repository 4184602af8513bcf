"""Use cases of the received-measure record: add, correct, end and remove one entry.

Each is one unit of work: the household must lie in the user's area and the user must be township
staff (the people who reconcile the departments' payment rolls); a repeated submission key
answers with the first result; an edit, end or removal is a compare-and-swap on the entry's
version; an entry may not overlap another of the same measure for the same member. Anything
refused rolls everything back; every row change is audited by the unit of work.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import Engine, and_, or_, select

from ..editing import FORM, KEY_PATTERN, ValidationFailed
from ..models import Household, Member, Submission, utcnow
from ..models.received_measures import ReceivedMeasure
from ..queries import MAX_DB_ID, Scoped, area_scope
from ..uow import NotFound, UnitOfWork
from .catalog import Catalog
from .validation import Entry

__all__ = ["EDITOR_ROLES", "AddReceived", "EditReceived", "EndReceived", "RemoveReceived",
           "Command", "Saved", "save_received", "overlapping"]

EDITOR_ROLES = frozenset({"township_staff"})
"""Who records what is received: township staff (扶贫专干) in their township. Cadres, inspectors
and county administrators read the record."""


@dataclass(frozen=True)
class AddReceived:
    household_id: int
    key: str
    entry: Entry


@dataclass(frozen=True)
class EditReceived:
    household_id: int
    measure_id: int
    version: int
    key: str
    entry: Entry


@dataclass(frozen=True)
class EndReceived:
    household_id: int
    measure_id: int
    version: int
    key: str
    until: dt.date


@dataclass(frozen=True)
class RemoveReceived:
    household_id: int
    measure_id: int
    version: int
    key: str


Command = AddReceived | EditReceived | EndReceived | RemoveReceived
ACTIONS: dict[type, str] = {AddReceived: "add_received", EditReceived: "edit_received",
                            EndReceived: "end_received", RemoveReceived: "remove_received"}


@dataclass(frozen=True)
class Saved:
    household_id: int
    action: str
    measure_id: int | None
    repeated: bool


def save_received(engine: Engine, user: Scoped, actor: str, command: Command,
                  catalog: Catalog) -> Saved:
    """Apply ``command``; raises ValidationFailed, StaleVersion, NotFound or PermissionError and
    then writes nothing."""
    if user.role not in EDITOR_ROLES:
        raise PermissionError("only township staff record received measures")
    action = ACTIONS[type(command)]
    if not KEY_PATTERN.fullmatch(command.key):
        raise ValidationFailed({FORM: "提交编号无效，请刷新页面后重新填写"})
    with UnitOfWork(actor, engine) as uow:
        household = _household_in_scope(uow, user, command.household_id)
        first = uow.session.get(Submission, command.key)
        if first is not None:
            if first.household_id != command.household_id or first.action != action:
                raise ValidationFailed({FORM: "提交编号已用于其他操作，请刷新页面后重新填写"})
            return Saved(command.household_id, action,
                         int(first.result_id) if first.result_id else None, True)
        if not household.active:
            raise ValidationFailed({FORM: "本户已注销，不能修改"})
        measure_id = _apply(uow, household, command, actor, catalog)
        uow.add(Submission(key=command.key, username=actor, household_id=household.id,
                           action=action, result_id=str(measure_id), at=utcnow()))
        uow.commit()
    return Saved(command.household_id, action, measure_id, False)


def _apply(uow: UnitOfWork, household: Household, command: Command, actor: str,
           catalog: Catalog) -> int:
    if isinstance(command, AddReceived):
        _check_entry(uow, household, command.entry, catalog, None)
        row = uow.add(ReceivedMeasure(household_id=household.id, county_code=household.county_code,
                                      created_by=actor, **_columns(command.entry)))
        uow.flush()
        return int(row.id)  # type: ignore[arg-type]
    row = _entry_of(uow, household, command.measure_id)
    if isinstance(command, EditReceived):
        _check_entry(uow, household, command.entry, catalog, row.id)
        uow.update(row, expected_version=command.version, **_columns(command.entry))
    elif isinstance(command, EndReceived):
        if command.until < row.since:
            raise ValidationFailed({"until": f"终止日期不能早于起始日期 {row.since}"})
        uow.update(row, expected_version=command.version, until=command.until)
    else:
        uow.delete(row, expected_version=command.version)
    uow.flush()
    return command.measure_id


def _columns(entry: Entry) -> dict[str, object]:
    return {"rule_id": entry.rule_id, "member_id": entry.member_id,
            "amount_yuan": entry.amount_yuan, "since": entry.since, "until": entry.until,
            "payer": entry.payer, "note": entry.note, "updated_at": utcnow()}


def _check_entry(uow: UnitOfWork, household: Household, entry: Entry, catalog: Catalog,
                 own_id: int | None) -> None:
    if catalog.get(entry.rule_id) is None:
        raise ValidationFailed({"rule_id": "政策项目不在本县政策包中，请从列表中选择"})
    if entry.member_id is not None:
        owner = uow.session.scalar(select(Member.household_id).where(Member.id == entry.member_id))
        if owner != household.id:
            raise ValidationFailed({"member_id": "享受成员不是本户成员，请从列表中选择"})
    clash = overlapping(uow, household.id, entry, own_id)
    if clash is not None:
        end = clash.until or "至今"
        raise ValidationFailed({"since": (
            f"同一成员的此项政策已有一条 {clash.since} 至 {end} 的记录，期间不能重叠；"
            "请修改那条记录或调整日期")})


def overlapping(uow: UnitOfWork, household_id: int, entry: Entry,
                own_id: int | None) -> ReceivedMeasure | None:
    """Another entry of the same measure and member whose period meets ``entry``'s."""
    stmt = select(ReceivedMeasure).where(
        ReceivedMeasure.household_id == household_id,
        ReceivedMeasure.rule_id == entry.rule_id,
        ReceivedMeasure.member_id.is_(None) if entry.member_id is None  # type: ignore[union-attr]
        else ReceivedMeasure.member_id == entry.member_id,
        or_(ReceivedMeasure.until.is_(None), ReceivedMeasure.until >= entry.since),  # type: ignore[union-attr]
    )
    if entry.until is not None:
        stmt = stmt.where(ReceivedMeasure.since <= entry.until)
    if own_id is not None:
        stmt = stmt.where(ReceivedMeasure.id != own_id)
    return uow.session.scalars(stmt.order_by(ReceivedMeasure.since).limit(1)).first()


def _household_in_scope(uow: UnitOfWork, user: Scoped, household_id: int) -> Household:
    if not 0 < household_id < MAX_DB_ID:
        raise NotFound(f"household {household_id}")
    visible = uow.session.scalar(select(Household.id).where(
        and_(Household.id == household_id, area_scope(user))))
    if visible is None:
        raise NotFound(f"household {household_id}")
    return uow.get(Household, household_id)


def _entry_of(uow: UnitOfWork, household: Household, measure_id: int) -> ReceivedMeasure:
    if not 0 < measure_id < MAX_DB_ID:
        raise NotFound(f"received measure {measure_id}")
    row = uow.get(ReceivedMeasure, measure_id)
    if row.household_id != household.id:
        raise NotFound(f"received measure {measure_id}")
    return row
