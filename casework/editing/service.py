"""One save = one unit of work: lock the household (in the user's area), answer a repeated
submission key with its first result, compare-and-swap on the household's version, apply the
command, recompute the household into its county's current run, record the key, commit.

Anything refused (validation, a stale version, a household or row not found) rolls the whole
unit of work back: nothing is half-saved. Every row change is audited by the unit of work.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine, select

from casework.models import Household, Submission, utcnow
from casework.queries import Scoped, area_scope
from casework.uow import NotFound, UnitOfWork

from .commands import (
    ACTIONS, AddMember, ChangeHead, Command, CorrectStay, EditMember, EndMembership,
    RecordIncome, RecordStay, RemoveStay, UpdateFacts,
)
from .errors import FORM, ValidationFailed
from .household import record_income, update_facts
from .members import add_member, change_head, edit_member, end_membership
from .refresh import DecisionChange, refresh_decisions
from .stays import correct_stay, record_stay, remove_stay

__all__ = ["Saved", "save", "KEY_PATTERN"]

KEY_PATTERN = re.compile(r"[A-Za-z0-9_-]{16,64}")
"""A submission key as :func:`secrets.token_urlsafe` makes them."""

UseCase = Callable[[UnitOfWork, Household, Any, dt.date], str]
USE_CASES: dict[type[Command], UseCase] = {
    UpdateFacts: update_facts, RecordIncome: record_income, AddMember: add_member,
    EditMember: edit_member, EndMembership: end_membership, ChangeHead: change_head,
    RecordStay: record_stay, CorrectStay: correct_stay, RemoveStay: remove_stay,
}


@dataclass(frozen=True)
class Saved:
    household_id: int
    action: str
    result_id: str | None
    """The id of the row created or changed (a member, a stay, an income record …)."""
    repeated: bool
    """The key had been used: nothing was applied again, ``result_id`` is the first save's."""
    changes: tuple[DecisionChange, ...] = ()


def save(engine: Engine, user: Scoped, actor: str, command: Command,
         today: dt.date | None = None) -> Saved:
    """Apply ``command`` for ``user`` (whose area must hold the household) as ``actor``.

    Raises :class:`ValidationFailed`, :class:`casework.uow.StaleVersion` or
    :class:`casework.uow.NotFound`; on any of them nothing is written."""
    today = today or dt.date.today()
    action = ACTIONS[type(command)]
    if not KEY_PATTERN.fullmatch(command.key):
        raise ValidationFailed({FORM: "提交编号无效，请刷新页面后重新填写"})
    with UnitOfWork(actor, engine) as uow:
        household = _household_in_scope(uow, user, command.household_id)
        first = uow.session.get(Submission, command.key)
        if first is not None:
            return _repeat(first, command, action)
        if not household.active:
            raise ValidationFailed({FORM: "本户已注销，不能修改"})
        now = utcnow()
        uow.update(household, expected_version=command.household_version, updated_at=now)
        result_id = USE_CASES[type(command)](uow, household, command, today)
        uow.flush()
        uow.session.expire_all()
        changes = refresh_decisions(uow, household, now, today)
        uow.add(Submission(key=command.key, username=actor, household_id=household.id,
                           action=action, result_id=result_id, at=now))
        uow.commit()
    return Saved(command.household_id, action, result_id, False, changes)


def _household_in_scope(uow: UnitOfWork, user: Scoped, household_id: int) -> Household:
    """The household, locked for the save, when the user's area holds it; else NotFound."""
    if not 0 < household_id < 2**62:
        raise NotFound(f"household {household_id}")
    visible = uow.session.scalar(select(Household.id).where(
        Household.id == household_id, area_scope(user)))
    if visible is None:
        raise NotFound(f"household {household_id}")
    return uow.get(Household, household_id)


def _repeat(first: Submission, command: Command, action: str) -> Saved:
    if first.household_id != command.household_id or first.action != action:
        raise ValidationFailed({FORM: "提交编号已用于其他操作，请刷新页面后重新填写"})
    return Saved(command.household_id, action, first.result_id, True)
