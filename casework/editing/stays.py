"""Use cases on hospital stays: record, correct, remove."""

from __future__ import annotations

import datetime as dt

from casework.models import HospitalStay, Household, Member
from casework.uow import NotFound, UnitOfWork

from .checks import Problems, check_stay_costs, check_values
from .commands import CorrectStay, RecordStay, RemoveStay
from .household import command_fields
from .members import active_member

__all__ = ["record_stay", "correct_stay", "remove_stay", "stay_of"]


def record_stay(uow: UnitOfWork, household: Household, cmd: RecordStay, today: dt.date) -> str:
    member = active_member(household, cmd.member_id)
    _checked(cmd, member, today).raise_if_any()
    stay = uow.add(HospitalStay(county_code=household.county_code, **command_fields(cmd)))
    uow.flush()
    return str(stay.id)


def correct_stay(uow: UnitOfWork, household: Household, cmd: CorrectStay, today: dt.date) -> str:
    stay = stay_of(household, cmd.stay_id)
    member = active_member(household, cmd.member_id)
    _checked(cmd, member, today).raise_if_any()
    fields = {k: v for k, v in command_fields(cmd).items() if k != "stay_id"}
    uow.update(stay, expected_version=stay.version, **fields)
    return str(stay.id)


def remove_stay(uow: UnitOfWork, household: Household, cmd: RemoveStay, today: dt.date) -> str:
    check_values(cmd, today).raise_if_any()
    stay = stay_of(household, cmd.stay_id)
    uow.delete(stay, expected_version=stay.version)
    return str(cmd.stay_id)


def stay_of(household: Household, stay_id: int) -> HospitalStay:
    """A stay of one of this household's active members, else NotFound."""
    for member in household.members:
        for stay in member.hospital_stays if member.active else ():
            if stay.id == stay_id:
                return stay
    raise NotFound(f"hospital stay {stay_id}")


def _checked(cmd: RecordStay, member: Member, today: dt.date) -> Problems:
    problems = check_values(cmd, today)
    check_stay_costs(problems, cmd.total_cost_yuan, cmd.out_of_catalog_yuan, cmd.reimbursed_yuan)
    if member.birth_date and cmd.admitted_on < member.birth_date:
        problems.add("admitted_on", "不能早于该成员的出生日期")
    if cmd.childbirth and cmd.kind != "inpatient":
        problems.add("childbirth", "只适用于住院")
    return problems
