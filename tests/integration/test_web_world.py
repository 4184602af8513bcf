"""A small, known world for the web tests: two counties, three townships, four villages, users
of every role and households whose heads and IDs the tests look for. Built through the unit of
work on a migrated SQLite file. The tests at the bottom check the world itself."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import pytest
from httpx import Response
from litestar import Litestar
from litestar.testing import TestClient
from sqlalchemy import Engine, func, select

from casework import migrate
from casework.db import get_engine, read_session
from casework.ids import ResidentId, check_character
from casework.models import Area, AuditEvent, HospitalStay, Household, IncomeRecord, Member, User
from casework.passwords import hash_password
from casework.settings import WebSettings
from casework.uow import UnitOfWork
from web import create_app
from web.app import CSRF_COOKIE

PASSWORD = "correct horse 2018"
SURNAMES = "赵钱孙李周吴郑王冯陈褚卫蒋沈韩杨朱秦尤许何吕施张"
GIVEN = "建国 秀英 桂兰 志强 玉梅 德明 春花 永福 翠兰 国华".split()

VILLAGES = {  # code: (name, township code)
    "511922100001": ("小田村", "511922100"),
    "511922100002": ("五郎沟村", "511922100"),
    "511922101001": ("凤凰村", "511922101"),
    "511921100001": ("老鹰咀村", "511921100"),
}
HOUSEHOLDS_PER_VILLAGE = {"511922100001": 30, "511922100002": 5, "511922101001": 4, "511921100001": 3}
USERS = {  # username: (role, area code)
    "cadre": ("village_cadre", "511922100001"),
    "cadre_fh": ("village_cadre", "511922101001"),
    "township": ("township_staff", "511922100"),
    "inspector": ("inspector", "511922"),
    "admin": ("county_admin", "511922"),
    "inspector_tj": ("inspector", "511921"),
    "retired": ("village_cadre", "511922100001"),
}


@dataclass
class World:
    url: str
    engine: Engine
    full_ids: list[str] = field(default_factory=list)
    """Every member's full ID number (the pages must never show one)."""
    households: dict[str, int] = field(default_factory=dict)
    """Household number -> database id."""
    village_of: dict[str, str] = field(default_factory=dict)
    """Household number -> village code."""
    head_of: dict[str, str] = field(default_factory=dict)
    """Household number -> head's name."""
    head_id_of: dict[str, str] = field(default_factory=dict)
    """Household number -> head's full ID."""
    ids_of: dict[str, list[str]] = field(default_factory=dict)
    """Household number -> every member's full ID."""

    def numbers_in(self, *village_codes: str) -> set[str]:
        return {n for n, v in self.village_of.items() if v in village_codes}


def resident_id(county: str, born: dt.date, sequence: int) -> str:
    first17 = f"{county}{born:%Y%m%d}{sequence:03d}"
    return first17 + check_character(first17)


def build_world(url: str) -> World:
    """Fill a database (migrated here; upgrading twice is harmless) with the world."""
    migrate.upgrade(url)
    world = World(url=url, engine=get_engine(url))
    with UnitOfWork("test:world", world.engine) as uow:
        areas = _areas(uow)
        _users(uow, areas)
        serial = 0
        for village_code, count in HOUSEHOLDS_PER_VILLAGE.items():
            for _ in range(count):
                serial += 1
                _household(uow, world, areas[village_code], serial)
        uow.commit()
    with read_session(world.engine) as s:
        for h in s.scalars(select(Household)):
            world.households[h.number] = h.id  # type: ignore[assignment]
    return world


def _areas(uow: UnitOfWork) -> dict[str, Area]:
    areas: dict[str, Area] = {}

    def add(code: str, name: str, level: str, parent: str | None) -> None:
        area = Area(code=code, name=name, level=level,
                    parent_id=areas[parent].id if parent else None)
        uow.add(area)
        uow.flush()
        areas[code] = area

    add("510000", "四川省", "province", None)
    add("511900", "巴中市", "city", "510000")
    add("511922", "南江县", "county", "511900")
    add("511921", "通江县", "county", "511900")
    add("511922100", "关坝镇", "township", "511922")
    add("511922101", "桥亭镇", "township", "511922")
    add("511921100", "陈河乡", "township", "511921")
    for code, (name, township) in VILLAGES.items():
        add(code, name, "village", township)
    return areas


def _users(uow: UnitOfWork, areas: dict[str, Area]) -> None:
    hashed = hash_password(PASSWORD)
    for username, (role, area_code) in USERS.items():
        uow.add(User(username=username, display_name=f"测试{username}", password_hash=hashed,
                     role=role, area_id=areas[area_code].id, active=username != "retired"))


def _household(uow: UnitOfWork, world: World, village: Area, serial: int) -> None:
    county = village.code[:6]
    number = f"{village.code}{serial:04d}"
    head_name = SURNAMES[serial % len(SURNAMES)] + GIVEN[serial % len(GIVEN)] + f"{serial:02d}"
    household = uow.add(Household(
        number=number, county_code=county, village_id=village.id, address=f"{village.name}{serial}组",
        registered_poor=True, poverty_status=("poor", "exited", "returned")[serial % 3],
        dibao=serial % 4 == 0, tekun=serial % 9 == 0, poverty_causes=["因病", "缺劳力"],
        per_capita_net_income_yuan=Decimal("3120.50"), housing_safety_grade="ABCD"[serial % 4],
        relocation_status="none", water_safe=True, power_ok=True, tv_access=serial % 2 == 0,
        pairing_cadre="县农业局 刘明",
    ))
    uow.flush()
    head_id = resident_id(county, dt.date(1960 + serial % 30, 1 + serial % 12, 1 + serial % 28), serial)
    child_id = resident_id(county, dt.date(2008 + serial % 8, 3, 9), 500 + serial)
    head = _member(uow, household, "m1", head_name, head_id, "head")
    child = _member(uow, household, "m2", f"{head_name[0]}小{serial}", child_id, "child")
    child.school_stage, child.school_boarding, child.school_public = "junior", True, True
    head.chronic_conditions, head.disability_grade = ["高血压"], 2 if serial % 5 == 0 else None
    uow.flush()
    uow.add(HospitalStay(member_id=head.id, county_code=county, kind="inpatient",
                         admitted_on=dt.date(2018, 3, 2), in_county=True, hospital_level="county",
                         public=True, diagnosis="肺炎", total_cost_yuan=Decimal("8000.00"),
                         out_of_catalog_yuan=Decimal("600.00"), reimbursed_yuan=Decimal("6100.00")))
    uow.add(IncomeRecord(household_id=household.id, county_code=county, year=2017,
                         total_net_income_yuan=Decimal("6241.00"),
                         per_capita_net_income_yuan=Decimal("3120.50")))
    world.full_ids += [head_id, child_id]
    world.village_of[number] = village.code
    world.head_of[number] = head_name
    world.head_id_of[number] = head_id
    world.ids_of[number] = [head_id, child_id]


def _member(uow: UnitOfWork, household: Household, key: str, name: str, id_number: str,
            relation: str) -> Member:
    parsed = ResidentId.parse(id_number)
    return uow.add(Member(
        household_id=household.id, county_code=household.county_code, member_key=key, name=name,
        id_number=id_number, id_last4=parsed.last4, sex=parsed.sex, birth_date=parsed.birth_date,
        relation=relation, medical_insurance=True, labor="normal" if relation == "head" else "none",
    ))


DEV = WebSettings(env="development", secret_key="k" * 40)


def make_app(world: World, settings: WebSettings = DEV) -> Litestar:
    return create_app(settings, world.engine)


def csrf_token(client: TestClient[Litestar]) -> str:
    """The CSRF token the browser holds (a GET of the login page sets it)."""
    if not client.cookies.get(CSRF_COOKIE):
        client.get("/login")
    return str(client.cookies.get(CSRF_COOKIE))


def log_in(client: TestClient[Litestar], username: str, password: str = PASSWORD) -> Response:
    form = {"username": username, "password": password, "_csrf_token": csrf_token(client)}
    return client.post("/login", data=form, follow_redirects=False)


@contextmanager
def signed_in(world: World, username: str) -> Iterator[TestClient[Litestar]]:
    with TestClient(make_app(world)) as client:
        assert log_in(client, username).status_code == 303
        yield client


class Sessions:
    """One signed-in client per username, kept for a module (logging in costs an argon2 hash)."""

    def __init__(self, world: World) -> None:
        self.world = world
        self._open: dict[str, tuple[Any, TestClient[Litestar]]] = {}

    def __call__(self, username: str) -> TestClient[Litestar]:
        if username not in self._open:
            manager = signed_in(self.world, username)
            self._open[username] = (manager, manager.__enter__())
        return self._open[username][1]

    def close(self) -> None:
        for manager, _client in self._open.values():
            manager.__exit__(None, None, None)


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    built = build_world(f"sqlite:///{tmp_path_factory.mktemp('web') / 'casework.db'}")
    yield built
    built.engine.dispose()


@pytest.fixture(scope="module")
def sessions(world: World) -> Iterator[Sessions]:
    kept = Sessions(world)
    yield kept
    kept.close()


# --- the world is what the tests believe it is ---------------------------------------------


def test_world_ids_are_valid_and_unique(world: World) -> None:
    assert len(world.full_ids) == len(set(world.full_ids)) == 2 * sum(HOUSEHOLDS_PER_VILLAGE.values())
    assert all(ResidentId.is_valid(i) for i in world.full_ids)


def test_world_was_written_through_the_unit_of_work(world: World) -> None:
    with read_session(world.engine) as s:
        audited = s.scalar(select(func.count()).where(
            AuditEvent.entity == "households", AuditEvent.action == "create"))
    assert audited == sum(HOUSEHOLDS_PER_VILLAGE.values())
