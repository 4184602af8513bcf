"""The scoped queries behind the pages, on SQLite and PostgreSQL alike."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

import pytest
from sqlalchemy import select

from casework.db import read_session
from casework.models import AuditEvent, User
from casework.queries import (
    active_account,
    active_demo_usernames,
    authenticate,
    household_record,
    search_households,
)
from tests.integration.test_web_world import HOUSEHOLDS_PER_VILLAGE, PASSWORD, World, build_world

XIAOTIAN, WULANGGOU, FENGHUANG, LAOYINGZUI = HOUSEHOLDS_PER_VILLAGE


@dataclass(frozen=True)
class Someone:
    role: str
    area_id: int


@pytest.fixture
def any_world(db_url: str) -> World:
    return build_world(db_url)


def _user(world: World, username: str) -> Someone:
    account = authenticate(world.engine, username, PASSWORD).account
    assert account is not None
    return Someone(account.role, account.area_id)


def _numbers(world: World, user: Someone, query: str = "") -> set[str]:
    found = search_households(world.engine, user, query, 1, page_size=100)
    return {row.number for row in found.rows}


def test_scopes_and_search_agree_on_both_engines(any_world: World) -> None:
    w = any_world
    township = _user(w, "township")
    assert _numbers(w, township) == w.numbers_in(XIAOTIAN, WULANGGOU)
    assert _numbers(w, _user(w, "inspector_tj")) == w.numbers_in(LAOYINGZUI)
    number = sorted(w.numbers_in(WULANGGOU))[1]
    assert _numbers(w, township, w.head_of[number]) == {number}
    assert number in _numbers(w, township, w.ids_of[number][1][-4:].lower())
    assert _numbers(w, township, number.lower()) == {number}
    assert _numbers(w, township, "%") == set()
    outside = sorted(w.numbers_in(FENGHUANG))[0]
    assert _numbers(w, township, w.head_of[outside]) == set()


def test_a_role_on_an_area_of_the_wrong_level_sees_nothing(any_world: World) -> None:
    w = any_world
    township_area = _user(w, "township").area_id
    county_area = _user(w, "inspector").area_id
    assert _numbers(w, Someone("village_cadre", township_area)) == set()
    assert _numbers(w, Someone("township_staff", county_area)) == set()
    assert _numbers(w, Someone("inspector", township_area)) == set()
    assert _numbers(w, Someone("mayor", county_area)) == set()


def test_pages_are_clamped_and_counted(any_world: World) -> None:
    w = any_world
    cadre = _user(w, "cadre")
    last = search_households(w.engine, cadre, "", 50, page_size=25)
    assert (last.total, last.pages, last.page, len(last.rows)) == (30, 2, 2, 5)
    assert search_households(w.engine, cadre, "", -3, page_size=25).page == 1


def test_household_record_is_scoped_and_detached(any_world: World) -> None:
    w = any_world
    number = sorted(w.numbers_in(XIAOTIAN))[0]
    cadre, other = _user(w, "cadre"), _user(w, "cadre_fh")
    record = household_record(w.engine, cadre, w.households[number])
    assert record is not None and record.village_name == "小田村" and record.township_name == "关坝镇"
    assert [m.relation for m in record.household.members] == ["head", "child"]
    assert len(record.household.members[0].hospital_stays) == 1
    assert household_record(w.engine, other, w.households[number]) is None
    assert household_record(w.engine, cadre, 2**63) is None


def test_accounts(any_world: World) -> None:
    w = any_world
    signed = authenticate(w.engine, " cadre ", PASSWORD)
    assert signed.account is not None and signed.account.area_name == "小田村"
    assert active_account(w.engine, signed.account.id) == signed.account
    assert authenticate(w.engine, "retired", PASSWORD).inactive
    assert not authenticate(w.engine, "retired", "wrong").inactive
    assert active_account(w.engine, 10**30) is None
    assert active_demo_usernames(w.engine) == []


def test_session_account_is_the_signed_in_active_user(any_world: World) -> None:
    import datetime as dt

    from casework.sessions import end_session, session_account, start_session

    w = any_world
    cadre = authenticate(w.engine, "cadre", PASSWORD).account
    assert cadre is not None
    hour = dt.timedelta(hours=1)
    token = start_session(w.engine, cadre.id, "cadre", hour)
    assert session_account(w.engine, token) == cadre
    expired = start_session(w.engine, cadre.id, "cadre", -hour)
    with read_session(w.engine) as s:
        retired_id = s.scalar(select(User.id).where(User.username == "retired"))
    retired = start_session(w.engine, retired_id, "retired", hour)
    for dead in (expired, retired, None, "", "x" * 200, token + "x"):
        assert session_account(w.engine, dead) is None
    end_session(w.engine, token, "cadre")
    assert session_account(w.engine, token) is None
    with read_session(w.engine) as s:
        keys = s.scalars(select(AuditEvent.entity_id).where(AuditEvent.entity == "web_sessions"))
        shown = list(keys)
    full = hashlib.sha256(token.encode()).hexdigest()
    assert f"{full[:12]}…" in shown and full not in shown  # abbreviated; fits on PostgreSQL too
