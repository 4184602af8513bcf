"""A household's history tab: the events of the household, its members, stays and income
records (deleted and moved rows included), newest first, paged, worded in Chinese, in Beijing
time, IDs masked, scoped like the household page."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal

import pytest
from sqlalchemy import select

from casework.db import get_engine, read_session
from casework.history import household_history
from casework.ids import ResidentId
from casework.models import Area, HospitalStay, Household, IncomeRecord, Member, User
from casework.uow import UnitOfWork
from tests.integration.test_web_world import (
    Sessions,
    World,
    resident_id,
    sessions,  # noqa: F401  (fixture)
    world,  # noqa: F401  (fixture)
)
from web.history_view import beijing_time

_FULL_ID = re.compile(r"(?<![0-9A-Za-z])\d{17}[0-9X](?![0-9A-Za-z])")
NEW_ID = resident_id("511922", dt.date(1971, 5, 6), 777)


def full_ids_in(html: str) -> list[str]:
    return [m for m in _FULL_ID.findall(html) if ResidentId.is_valid(m)]


def _household(world: World, serial: int) -> Household:
    number = sorted(world.numbers_in("511922100001"))[serial]
    with read_session(world.engine) as s:
        return s.get(Household, world.households[number])  # type: ignore[return-value]


@pytest.fixture(scope="module")
def edited(world: World) -> dict[str, int]:
    """Edits by the cadre on one household (and one on a neighbour), each its own transaction:
    a fact change, a member's new ID, a stay recorded and removed, a member added, moved to the
    neighbour, an income record deleted."""
    target, neighbour = _household(world, 0), _household(world, 1)
    ids: dict[str, int] = {"household": target.id or 0, "neighbour": neighbour.id or 0}
    with UnitOfWork("cadre", world.engine) as uow:
        h = uow.get(Household, target.id)
        uow.update(h, expected_version=h.version, water_safe=False, dibao=True,
                   per_capita_net_income_yuan=Decimal("4100.00"))
        uow.commit()
    with UnitOfWork("cadre", world.engine) as uow:
        head = uow.session.scalars(select(Member).where(
            Member.household_id == target.id, Member.relation == "head")).one()
        ids["head"] = head.id or 0
        uow.update(head, expected_version=head.version, id_number=NEW_ID,
                   id_last4=NEW_ID[-4:])
        stay = uow.add(HospitalStay(member_id=head.id, county_code="511922", kind="inpatient",
                                    admitted_on=dt.date(2018, 6, 1), diagnosis="骨折",
                                    total_cost_yuan=Decimal("3000.00")))
        uow.flush()
        ids["stay"] = stay.id or 0
        uow.commit()
    with UnitOfWork("township", world.engine) as uow:
        uow.delete(uow.get(HospitalStay, ids["stay"]), expected_version=1)
        income = uow.session.scalars(select(IncomeRecord).where(
            IncomeRecord.household_id == target.id)).one()
        ids["income"] = income.id or 0
        uow.delete(income, expected_version=income.version)
        newcomer = uow.add(Member(household_id=target.id, county_code="511922",
                                  member_key="m9", name="迁走的人", relation="other"))
        uow.flush()
        ids["moved"] = newcomer.id or 0
        uow.commit()
    with UnitOfWork("cadre", world.engine) as uow:
        moved = uow.get(Member, ids["moved"])
        uow.update(moved, expected_version=1, household_id=neighbour.id, name="迁走的人")
        other = uow.get(Household, neighbour.id)
        uow.update(other, expected_version=other.version, address="邻户新地址")
        uow.commit()
    return ids


def test_history_lists_the_household_its_members_stays_and_incomes_newest_first(
    world: World, edited: dict[str, int]
) -> None:
    with read_session(world.engine) as s:
        cadre = s.scalars(select(User).where(User.username == "cadre")).one()
    page = household_history(world.engine, cadre, edited["household"], page_size=100)
    assert page is not None
    seen = [(e.action, e.entity, e.entity_id) for e in page.events]
    hid = str(edited["household"])
    assert ("update", "households", hid) in seen
    assert ("update", "members", str(edited["head"])) in seen
    assert ("create", "hospital_stays", str(edited["stay"])) in seen  # deleted since
    assert ("delete", "hospital_stays", str(edited["stay"])) in seen
    assert ("delete", "income_records", str(edited["income"])) in seen
    assert ("create", "members", str(edited["moved"])) in seen  # moved away since
    assert ("update", "members", str(edited["moved"])) in seen
    assert ("create", "households", hid) in seen  # written by the world builder
    neighbour_events = [e for e in page.events if e.entity == "households" and e.entity_id != hid]
    assert neighbour_events == []
    stamps = [(e.at, e.id) for e in page.events]
    assert stamps == sorted(stamps, reverse=True)
    assert page.total == len(page.events)
    moved_later = household_history(world.engine, cadre, edited["neighbour"], page_size=100)
    assert moved_later is not None
    assert ("update", "members", str(edited["moved"])) in [
        (e.action, e.entity, e.entity_id) for e in moved_later.events]


def test_history_page_words_actions_fields_and_values_in_chinese(
    sessions: Sessions, edited: dict[str, int]
) -> None:
    response = sessions("cadre").get(f"/households/{edited['household']}/history")
    assert response.status_code == 200
    html = response.text
    for words in ("变更记录", "北京时间", "测试cadre（cadre）", "测试township（township）",
                  "户基本情况", "家庭成员", "就医记录", "年度收入", "新建", "修改", "删除",
                  "饮水是否安全", "是否农村低保户", "年人均纯收入", "3,120.50 元", "4,100.00 元",
                  "骨折", "身份证号码"):
        assert words in html, words
    assert re.search(r"<td>饮水是否安全</td><td class=\"wrap\">是</td><td class=\"wrap\">→ 否</td>",
                     html)
    assert "water_safe" not in html and ">update<" not in html
    assert NEW_ID[-4:] in html and full_ids_in(html) == []


def test_no_full_id_on_any_history_page(sessions: Sessions, world: World,
                                        edited: dict[str, int]) -> None:
    client = sessions("admin")
    for number in sorted(world.numbers_in("511922100001"))[:3]:
        html = client.get(f"/households/{world.households[number]}/history?page=1").text
        assert full_ids_in(html) == [], number
        assert all(i not in html for i in world.ids_of[number])


def test_history_pages_and_fragment(sessions: Sessions, world: World,
                                    edited: dict[str, int]) -> None:
    with read_session(world.engine) as s:
        admin = s.scalars(select(User).where(User.username == "admin")).one()
    full = household_history(world.engine, admin, edited["household"], page_size=100)
    small = household_history(world.engine, admin, edited["household"], page=2, page_size=3)
    assert full is not None and small is not None
    assert small.pages == -(-full.total // 3) and small.page == 2
    assert [e.id for e in small.events] == [e.id for e in full.events[3:6]]
    client = sessions("admin")
    url = f"/households/{edited['household']}/history"
    past = client.get(url, params={"page": 99}).text
    assert "没有第99页" in past
    assert "页码应为正整数" in client.get(url, params={"page": "x"}).text
    fragment = client.get(url, headers={"HX-Request": "true"})
    assert fragment.text.lstrip().startswith('<section id="history"')
    assert "<html" not in fragment.text


@pytest.mark.parametrize(("username", "status"), [
    ("cadre", 200), ("township", 200), ("inspector", 200), ("admin", 200),
    ("cadre_fh", 404), ("inspector_tj", 404),
])
def test_history_is_scoped_like_the_household_page(
    sessions: Sessions, edited: dict[str, int], username: str, status: int
) -> None:
    client = sessions(username)
    url = f"/households/{edited['household']}"
    assert client.get(url).status_code == status
    assert client.get(f"{url}/history").status_code == status


def test_unknown_household_history_is_404(sessions: Sessions) -> None:
    client = sessions("admin")
    for hid in (999_999, 2**63):
        assert client.get(f"/households/{hid}/history").status_code == 404


def test_times_are_shown_in_beijing_time() -> None:
    utc = dt.datetime(2018, 8, 31, 17, 30, 5, tzinfo=dt.timezone.utc)
    assert beijing_time(utc) == "2018-09-01 01:30:05"


def test_system_actors_and_ended_memberships_are_named(world: World, sessions: Sessions) -> None:
    target = _household(world, 5)
    with UnitOfWork("system:recompute", world.engine) as uow:
        uow.record("recompute", "households", entity_id=str(target.id), county_code="511922",
                   detail=f"重新计算 {world.ids_of[target.number][0]}")
        uow.commit()
    with UnitOfWork("cadre", world.engine) as uow:
        child = uow.session.scalars(select(Member).where(
            Member.household_id == target.id, Member.relation == "child")).one()
        uow.update(child, expected_version=child.version, active=False,
                   ended_on=dt.date(2018, 7, 1), end_reason="moved_out")
        uow.commit()
    html = sessions("cadre").get(f"/households/{target.id}/history").text
    assert "系统任务（recompute）" in html and "重新计算" in html
    assert "减少成员" in html and "迁出" in html and "减少日期" in html
    assert full_ids_in(html) == []


@dataclass(frozen=True)
class _Admin:
    role: str
    area_id: int


def test_history_finds_deleted_and_moved_rows_on_both_databases(db_url: str) -> None:
    """A member deleted with its stays (cascade), a stay and an income record deleted, and a
    member moved to another household: their events stay in the household's history."""
    engine = get_engine(db_url)
    with UnitOfWork("test:history", engine) as uow:
        county = uow.add(Area(code="511922", name="南江县", level="county"))
        uow.flush()
        village = uow.add(Area(code="511922100001", name="小田村", level="village",
                               parent_id=county.id))
        uow.flush()
        homes = [uow.add(Household(number=f"H{i}", county_code="511922", village_id=village.id))
                 for i in (1, 2)]
        uow.flush()
        members = [uow.add(Member(household_id=homes[0].id, county_code="511922",
                                  member_key=f"m{i}", name=f"成员{i}")) for i in (1, 2, 3)]
        uow.flush()
        stays = [uow.add(HospitalStay(member_id=m.id, county_code="511922", kind="inpatient"))
                 for m in members[:2]]
        income = uow.add(IncomeRecord(household_id=homes[0].id, county_code="511922", year=2017))
        uow.flush()
        ids = {"home": homes[0].id, "other": homes[1].id, "gone": members[0].id,
               "moved": members[2].id, "stay_of_gone": stays[0].id, "stay": stays[1].id,
               "income": income.id, "county": county.id}
        uow.commit()
    with UnitOfWork("test:history", engine) as uow:
        uow.delete(uow.get(Member, ids["gone"]), expected_version=1)
        uow.delete(uow.get(HospitalStay, ids["stay"]), expected_version=1)
        uow.delete(uow.get(IncomeRecord, ids["income"]), expected_version=1)
        uow.update(uow.get(Member, ids["moved"]), expected_version=1, household_id=ids["other"])
        uow.commit()
    page = household_history(engine, _Admin("county_admin", ids["county"]), ids["home"],
                             page_size=100)
    assert page is not None
    seen = {(e.action, e.entity, e.entity_id) for e in page.events}
    for entity, key in (("members", "gone"), ("hospital_stays", "stay_of_gone"),
                        ("hospital_stays", "stay"), ("income_records", "income")):
        assert {("create", entity, str(ids[key])), ("delete", entity, str(ids[key]))} <= seen
    assert ("update", "members", str(ids["moved"])) in seen
    subjects = {(e.entity, e.entity_id): e.subject for e in page.events}
    assert subjects["members", str(ids["gone"])] == "成员1"
    assert subjects["hospital_stays", str(ids["stay_of_gone"])] == "成员1"
    assert subjects["income_records", str(ids["income"])] == "2017"
    other = household_history(engine, _Admin("county_admin", ids["county"]), ids["other"])
    assert other is not None
    assert {e.entity_id for e in other.events if e.entity == "members"} == {str(ids["moved"])}
    outsider = household_history(engine, _Admin("village_cadre", ids["county"]), ids["home"])
    assert outsider is None  # a cadre whose area is not a village sees nothing
