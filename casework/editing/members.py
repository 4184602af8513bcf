"""Use cases on a household's members: add, edit, end a membership, change the head.

Each function checks the command against the household as it stands (loaded and locked by
:func:`casework.editing.service.save`), applies it through the unit of work and returns the id of
the row it created or changed. A refusal raises :class:`ValidationFailed` before anything is
applied. A household always keeps exactly one head: the head's relation changes only through
:func:`change_head`, and the head's membership cannot be ended.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from casework.models import Household, Member
from casework.uow import NotFound, UnitOfWork

from .checks import Person, Problems, check_person, check_values
from .commands import AddMember, ChangeHead, EditMember, EndMembership
from .labels import value_zh

__all__ = ["add_member", "edit_member", "end_membership", "change_head", "active_member"]

_EDITABLE = (
    "relation", "school_stage", "school_boarding", "school_public", "school_key_school",
    "school_enrolled_year", "school_fee_yuan", "school_days", "out_of_school", "orphan",
    "disability_grade", "medical_insurance", "critical_illness_insurance", "family_doctor",
    "pension_insured", "labor", "employment", "annual_income_yuan",
)


def add_member(uow: UnitOfWork, household: Household, cmd: AddMember, today: dt.date) -> str:
    problems = check_values(cmd, today)
    person = check_person(problems, cmd.id_number, cmd.birth_date, cmd.sex, today)
    if cmd.relation == "head" and _head(household) is not None:
        problems.add("relation", "不能再选“户主”：本户已有户主，更换户主请用“更换户主”")
    _check_id_free(uow, problems, person, None)
    problems.raise_if_any()
    member = uow.add(Member(
        household_id=household.id, county_code=household.county_code,
        member_key=_next_key(household), name=cmd.name.strip(), relation=cmd.relation,
        **_identity(person),
    ))
    uow.flush()
    uow.record("add_member", "members", entity_id=str(member.id),
               county_code=household.county_code,
               detail=f"户{household.number}加入成员，原因：{value_zh('join_reason', cmd.join_reason)}")
    return str(member.id)


def edit_member(uow: UnitOfWork, household: Household, cmd: EditMember, today: dt.date) -> str:
    member = active_member(household, cmd.member_id)
    problems = check_values(cmd, today)
    person = check_person(problems, cmd.id_number or member.id_number, cmd.birth_date, cmd.sex,
                          today, need_birth=False)
    if member.relation == "head" and cmd.relation != "head":
        problems.add("relation", "不能在这里修改：户主请用“更换户主”变更")
    elif member.relation != "head" and cmd.relation == "head":
        problems.add("relation", "不能直接设为“户主”：请用“更换户主”")
    _check_id_free(uow, problems, person, member.id)
    problems.raise_if_any()
    changes = {name: getattr(cmd, name) for name in _EDITABLE}
    uow.update(member, expected_version=member.version, name=cmd.name.strip(),
               **_identity(person), **changes)
    return str(member.id)


def end_membership(uow: UnitOfWork, household: Household, cmd: EndMembership,
                   today: dt.date) -> str:
    member = active_member(household, cmd.member_id)
    problems = check_values(cmd, today)
    if member.relation == "head":
        problems.add("member_id", "是户主，不能直接减少：请先用“更换户主”指定新户主")
    if member.birth_date and cmd.ended_on < member.birth_date:
        problems.add("ended_on", "不能早于出生日期")
    problems.raise_if_any()
    uow.update(member, expected_version=member.version, active=False, ended_on=cmd.ended_on,
               end_reason=cmd.end_reason)
    return str(member.id)


def change_head(uow: UnitOfWork, household: Household, cmd: ChangeHead, today: dt.date) -> str:
    new_head = active_member(household, cmd.new_head_id)
    head = _head(household)
    problems = check_values(cmd, today)
    if head is not None and head.id == new_head.id:
        problems.add("new_head_id", "已经是户主")
    problems.raise_if_any()
    if head is not None:
        uow.update(head, expected_version=head.version, relation=cmd.former_head_relation)
    uow.update(new_head, expected_version=new_head.version, relation="head")
    return str(new_head.id)


def active_member(household: Household, member_id: int) -> Member:
    """An active member of this household, else NotFound (another household's member is not
    found either)."""
    for member in household.members:
        if member.id == member_id and member.active:
            return member
    raise NotFound(f"member {member_id}")


def _head(household: Household) -> Member | None:
    return next((m for m in household.members if m.active and m.relation == "head"), None)


def _identity(person: Person) -> dict[str, object]:
    last4 = person.id_number[-4:] if person.id_number else None
    return {"id_number": person.id_number, "id_last4": last4, "birth_date": person.birth_date,
            "sex": person.sex}


def _check_id_free(uow: UnitOfWork, problems: Problems, person: Person,
                   member_id: int | None) -> None:
    """An ID number belongs to one active member in the whole registry."""
    if person.id_number is None:
        return
    stmt = select(Member.id).where(Member.id_number == person.id_number, Member.active)
    if member_id is not None:
        stmt = stmt.where(Member.id != member_id)
    if uow.session.scalars(stmt.limit(1)).first() is not None:
        problems.add("id_number", "已登记在另一位在册成员名下，同一号码不能重复登记，请核对")


def _next_key(household: Household) -> str:
    """``m<n>`` after the largest such key the household has used (ended members included)."""
    numbers = [int(m.member_key[1:]) for m in household.members
               if m.member_key.startswith("m") and m.member_key[1:].isdigit()]
    taken = {m.member_key for m in household.members}
    n = max(numbers, default=len(taken)) + 1
    while f"m{n}" in taken:
        n += 1
    return f"m{n}"
