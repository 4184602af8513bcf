"""Recording visits without the web layer, on SQLite and PostgreSQL: create, edit with the
version, refuse a stale edit and a repeated key's second application, scope to the county."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from casework.db import read_session
from casework.models import AuditEvent, User
from casework.models.inspection import SampleHousehold, Visit
from casework.sampling import InputRefused, draw_sample, parse_request, save_draw
from casework.sampling.visits import VisitCommand, parse_visit, record_visit
from casework.uow import NotFound, StaleVersion
from rules.assessment import DIMENSIONS
from tests.integration.test_sampling_world import COUNTY, sampling_world

TODAY = dt.date.today()


def _user(engine, username: str) -> User:  # type: ignore[no-untyped-def]
    with read_session(engine) as s:
        return s.scalars(select(User).where(User.username == username)).one()


def _command(member: SampleHousehold, key: str, version: int | None,
             found: str = "pass") -> VisitCommand:
    return VisitCommand(member.sample_id, member.household_id, TODAY, "王督查",
                        dict.fromkeys(DIMENSIONS, found), dict.fromkeys(DIMENSIONS, "说明"),
                        version, key)


def test_visits_are_versioned_idempotent_audited_and_scoped(db_url: str) -> None:
    world, _ = sampling_world(db_url)
    engine = world.engine
    request = parse_request(COUNTY, "village", "2", None, "2", "store")
    sample_id = save_draw(engine, "inspector", draw_sample(engine, request))
    with read_session(engine) as s:
        member = s.scalars(select(SampleHousehold).where(
            SampleHousehold.sample_id == sample_id)).first()
    assert member is not None
    inspector = _user(engine, "inspector")
    first = record_visit(engine, inspector, "inspector", _command(member, "a" * 20, None))
    again = record_visit(engine, inspector, "inspector", _command(member, "a" * 20, None))
    assert again.repeated and again.visit_id == first.visit_id
    edited = record_visit(engine, inspector, "inspector",
                          _command(member, "b" * 20, 1, found="fail"))
    assert edited.visit_id == first.visit_id
    with pytest.raises(StaleVersion):
        record_visit(engine, inspector, "inspector", _command(member, "c" * 20, 1))
    with pytest.raises(StaleVersion):
        record_visit(engine, inspector, "inspector", _command(member, "d" * 20, None))
    with pytest.raises(NotFound):
        record_visit(engine, _user(engine, "inspector_tj"), "inspector_tj",
                     _command(member, "e" * 20, 2))
    with pytest.raises(InputRefused):
        record_visit(engine, inspector, "inspector", _command(member, "short", 2))
    with read_session(engine) as s:
        visit = s.scalars(select(Visit)).one()
        assert visit.version == 2 and visit.findings["income"]["found"] == "fail"
        assert visit.findings["income"]["recorded"] == member.recorded["income"]
        events = s.execute(select(AuditEvent.action, func.count()).where(
            AuditEvent.entity == "inspection_visits").group_by(AuditEvent.action)).all()
    assert dict(events) == {"create": 1, "update": 1}


def test_parse_visit_checks_dates_against_the_draw() -> None:
    recorded = dict.fromkeys(DIMENSIONS, "pass")
    raw = {"visited_on": "2018-09-01", "visitor": "甲",
           **{f"found_{d}": "pass" for d in DIMENSIONS}}
    with pytest.raises(InputRefused) as refused:
        parse_visit(raw, recorded, dt.date(2018, 9, 30), dt.date(2018, 9, 2))
    assert refused.value.errors == {"visited_on": "走访日期：不能早于抽样日期 2018-09-02"}
    day, visitor, found, notes = parse_visit(raw, recorded, dt.date(2018, 9, 30),
                                             dt.date(2018, 9, 1))
    assert (day, visitor, found["housing"], notes["housing"]) == (
        dt.date(2018, 9, 1), "甲", "pass", "")
    for bad in ("2018-9-1", "2018-02-30", ""):
        with pytest.raises(InputRefused):
            parse_visit({**raw, "visited_on": bad}, recorded, dt.date(2018, 9, 30),
                        dt.date(2018, 9, 1))
