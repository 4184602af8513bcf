"""Helpers for the editing tests: a web-test world whose counties have the Bazhong pack and a
current decision run at the demo reference date, and commands built from what is stored."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import secrets
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine, func, select

from casework.db import read_session
from casework.models import (
    Area, AuditEvent, HospitalStay, Household, IncomeRecord, Member, StoredAssessment,
    StoredDecision, Submission,
)
from casework.recompute import recompute
from casework.uow import UnitOfWork
from tests.integration.test_web_world import World, build_world

ON = dt.date(2018, 9, 1)
CADRE_VILLAGE = "511922100001"


@dataclass(frozen=True)
class Cadre:
    role: str
    area_id: int


def editing_world(url: str) -> World:
    world = build_world(url)
    with UnitOfWork("test:pack", world.engine) as uow:
        for county in uow.session.scalars(select(Area).where(Area.level == "county")):
            county.pack = "bazhong-2018"
        uow.commit()
    recompute(on=ON, engine=world.engine, workers=1)
    return world


def cadre(world: World, code: str = CADRE_VILLAGE, role: str = "village_cadre") -> Cadre:
    with read_session(world.engine) as s:
        return Cadre(role, s.scalar(select(Area.id).where(Area.code == code)))


def key() -> str:
    return secrets.token_urlsafe(18)


def household(engine: Engine, household_id: int) -> Household:
    with read_session(engine) as s:
        found = s.get(Household, household_id)
        assert found is not None
        return found


def members(engine: Engine, household_id: int) -> list[Member]:
    with read_session(engine) as s:
        return list(s.scalars(select(Member).where(Member.household_id == household_id)
                              .order_by(Member.id)))


def stays(engine: Engine, household_id: int) -> list[HospitalStay]:
    with read_session(engine) as s:
        return list(s.scalars(select(HospitalStay).join(Member).where(
            Member.household_id == household_id).order_by(HospitalStay.id)))


def stored_decisions(engine: Engine, household_id: int) -> dict[tuple[Any, ...], Any]:
    """(rule, member key, episode) -> (status, annual) in the county's current run."""
    with read_session(engine) as s:
        rows = s.execute(select(StoredDecision.rule_id, StoredDecision.member_key,
                                StoredDecision.episode, StoredDecision.status,
                                StoredDecision.annual_yuan)
                         .where(StoredDecision.household_id == household_id)).all()
    return {(r, m, e): (st, a) for r, m, e, st, a in rows}


def audit_count(engine: Engine) -> int:
    with read_session(engine) as s:
        return s.scalar(select(func.count()).select_from(AuditEvent)) or 0


def digest(engine: Engine, household_id: int) -> str:
    """A digest of every row the household owns (its row, members, stays, income, decisions,
    assessments, submissions): equal before and after means nothing was written."""
    with read_session(engine) as s:
        member_ids = [m.id for m in s.scalars(select(Member).where(
            Member.household_id == household_id))]
        parts: list[Any] = [_row(s.get(Household, household_id))]
        for model, where in (
            (Member, Member.household_id == household_id),
            (HospitalStay, HospitalStay.member_id.in_(member_ids)),
            (IncomeRecord, IncomeRecord.household_id == household_id),
            (StoredDecision, StoredDecision.household_id == household_id),
            (StoredAssessment, StoredAssessment.household_id == household_id),
            (Submission, Submission.household_id == household_id),
        ):
            parts.append([_row(r) for r in s.scalars(select(model).where(where)
                                                     .order_by(*model.__table__.primary_key))])
        parts.append(s.scalar(select(func.count()).select_from(AuditEvent)))
    return hashlib.sha256(json.dumps(parts, default=str, sort_keys=True).encode()).hexdigest()


def _row(obj: Any) -> dict[str, Any]:
    return {c.key: getattr(obj, c.key) for c in obj.__table__.columns}
