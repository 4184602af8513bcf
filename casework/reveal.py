"""The audited reveal of a member's full resident ID.

A full ID is shown only after the user states why, and only after an audit event saying who
looked at whose ID and why has been committed (action ``reveal``, entity ``members``): if the
audit cannot be written, nothing is shown. The event never holds the ID itself.

Who may reveal: every role that can see the household (village cadre, township staff, inspector,
county administrator, each in their own area). Inspectors are included on purpose: checking a
person's identity against the registry is part of a field verification (第三方评估核实身份);
their reveals are audited like everyone else's.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from typing import Protocol

from sqlalchemy import Engine, Select, select

from .db import read_session
from .ids import mask_detail
from .models import Household, Member
from .queries import MAX_DB_ID, Scoped, area_scope
from .uow import UnitOfWork

__all__ = [
    "REVEAL_REASONS", "OTHER", "MAX_NOTE", "RevealCommand", "RevealRefused", "MemberToReveal",
    "RevealedId", "member_to_reveal", "reveal_id",
]

OTHER = "other"
REVEAL_REASONS: dict[str, str] = {
    "business": "办理业务需核对",
    "data_check": "数据核查",
    OTHER: "其他（请说明）",
}
"""Reason codes offered on the form and their wording."""
MAX_NOTE = 100
MIN_OTHER_NOTE = 2


class Revealer(Scoped, Protocol):
    username: str
    display_name: str


@dataclass(frozen=True, slots=True)
class RevealCommand:
    household_id: int
    member_id: int
    reason: str
    """One of :data:`REVEAL_REASONS`."""
    note: str = ""
    """Free text; required when ``reason`` is ``other``."""


class RevealRefused(ValueError):
    """The request names no acceptable reason; ``field`` is the form field to mark."""

    def __init__(self, field: str, message_zh: str) -> None:
        super().__init__(field)
        self.field = field
        self.message_zh = message_zh


@dataclass(frozen=True, slots=True)
class MemberToReveal:
    household_id: int
    household_number: str
    member_id: int
    name: str | None
    id_masked: str
    """``mask_detail`` form; empty when no ID is recorded."""
    active: bool


@dataclass(frozen=True, slots=True)
class RevealedId:
    member: MemberToReveal
    id_number: str
    reason_text: str


def member_to_reveal(
    engine: Engine, user: Scoped, household_id: int, member_id: int
) -> MemberToReveal | None:
    """The member as the reveal form shows it (ID masked), or None when the household is out of
    the user's area, or the member does not exist or belongs to another household."""
    if not (0 < household_id < MAX_DB_ID and 0 < member_id < MAX_DB_ID):
        return None
    with read_session(engine) as s:
        found = s.execute(_scoped_member(user, household_id, member_id)).first()
    return None if found is None else _shown(*found)


def reveal_id(engine: Engine, user: Revealer, command: RevealCommand) -> RevealedId | None:
    """Check the reason, commit the audit event, then hand back the full ID (None: not found or
    out of area, as :func:`member_to_reveal`). Raises :class:`RevealRefused` for a missing or
    unknown reason, or a missing explanation of ``other``; nothing is recorded then."""
    reason_text = reason_wording(command.reason, command.note)
    if not (0 < command.household_id < MAX_DB_ID and 0 < command.member_id < MAX_DB_ID):
        return None
    with UnitOfWork(user.username, engine) as uow:
        found = uow.session.execute(
            _scoped_member(user, command.household_id, command.member_id)
        ).first()
        if found is None:
            return None
        member, household_number = found
        if not member.id_number:
            raise RevealRefused("member", "该成员没有登记身份证号码，无需查看。")
        uow.record(
            "reveal", "members", entity_id=str(member.id), county_code=member.county_code,
            detail=f"查看完整身份证号码；原因：{reason_text}；"
                   f"查看人：{user.display_name}（{user.username}）",
        )
        uow.commit()
        return RevealedId(_shown(member, household_number), member.id_number, reason_text)


def reason_wording(reason: str, note: str) -> str:
    """The reason as it is recorded, e.g. ``数据核查`` or ``其他：核对户口簿``; raises
    :class:`RevealRefused` naming the field that is wrong."""
    code = (reason or "").strip()
    text = _clean(note)
    if code not in REVEAL_REASONS:
        raise RevealRefused("reason", "请选择查看原因。")
    if len(text) > MAX_NOTE:
        raise RevealRefused("note", f"说明不能超过{MAX_NOTE}个字，当前为{len(text)}个字。")
    if code == OTHER:
        if len(text) < MIN_OTHER_NOTE:
            raise RevealRefused("note", "选择“其他”时请写明查看原因（至少2个字）。")
        return f"其他：{text}"
    label = REVEAL_REASONS[code]
    return f"{label}：{text}" if text else label


def _clean(note: str) -> str:
    """The note on one line, without control characters."""
    kept = "".join(" " if unicodedata.category(c)[0] == "C" else c for c in (note or ""))
    return " ".join(kept.split())


def _scoped_member(
    user: Scoped, household_id: int, member_id: int
) -> Select[tuple[Member, str]]:
    return (
        select(Member, Household.number)
        .join(Household, Household.id == Member.household_id)
        .where(Member.id == member_id, Member.household_id == household_id, area_scope(user))
    )


def _shown(member: Member, household_number: str) -> MemberToReveal:
    return MemberToReveal(
        household_id=member.household_id, household_number=household_number,
        member_id=member.id or 0, name=member.name, id_masked=mask_detail(member.id_number),
        active=member.active,
    )
