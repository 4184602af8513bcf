"""``casework demo-data``: a deterministic, valid, plausible synthetic registry in real places,
loaded all at once (one audit event), only into an empty database, on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
import subprocess
import sys
from collections import Counter
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from sqlalchemy import Engine, Table, func, select, text

from casework import migrate
from casework.cli import main
from casework.db import get_engine
from casework.demo import (
    ACTOR,
    CADRE_VILLAGE_CODE,
    DEMO_ACCOUNTS,
    REFERENCE_DATE,
    load_demo_data,
)
from casework.demo.geography import COUNTIES, birthplaces, county_by_code
from casework.ids import ResidentId
from casework.models import Area, Household, Member, User, metadata
from casework.passwords import DEMO_PASSWORD, verify_password
from casework.uow import UnitOfWork

AREAS, USERS, AUDIT = (metadata.tables[n] for n in ("areas", "users", "audit_events"))
HOUSEHOLDS, MEMBERS, STAYS, INCOMES = (
    metadata.tables[n] for n in ("households", "members", "hospital_stays", "income_records")
)
ROW_TABLES = (AREAS, HOUSEHOLDS, MEMBERS, STAYS, INCOMES)
REGISTRY_ENTITIES = ("households", "members", "hospital_stays", "income_records")
STAGE_AGES = {"preschool": (3, 5), "primary": (6, 11), "junior": (12, 14), "senior": (15, 17),
              "vocational": (15, 17), "college": (18, 21)}


def _fresh_sqlite(path: Path) -> str:
    url = f"sqlite:///{path}"
    migrate.upgrade(url)
    return url


def _cli(url: str, *args: str) -> Result:
    return CliRunner().invoke(main, ["demo-data", *args], env={"CASEWORK_DATABASE_URL": url})


def _rows(engine: Engine, table: Table) -> list[Any]:
    with engine.connect() as conn:
        return list(conn.execute(select(table).order_by(table.c.id)))


def _count(engine: Engine, table: Table) -> int:
    with engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(table)).scalar_one()


def _raw_digest(engine: Engine) -> str:
    """SHA-256 of every stored value of the registry tables, as the database returns it, plus the
    users' non-secret columns (password hashes are salted, creation times are clock times)."""
    digest = hashlib.sha256()
    with engine.connect() as conn:
        for table in ROW_TABLES:
            for row in conn.execute(text(f"SELECT * FROM {table.name} ORDER BY id")):
                digest.update(repr(tuple(row)).encode())
        users = conn.execute(text(
            "SELECT username, display_name, role, area_id, active, is_demo FROM users ORDER BY id"
        ))
        digest.update(repr([tuple(u) for u in users]).encode())
    return digest.hexdigest()


def _normal(value: Any) -> Any:
    """A value in an engine-neutral form (SQLite hands back naive UTC times, PostgreSQL aware)."""
    if isinstance(value, dt.datetime):
        if value.tzinfo is not None:
            value = value.astimezone(dt.timezone.utc).replace(tzinfo=None)
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value.quantize(Decimal("0.01")))
    return value


def _typed_digest(engine: Engine) -> str:
    digest = hashlib.sha256()
    for table in ROW_TABLES:
        for row in _rows(engine, table):
            digest.update(repr(tuple(_normal(v) for v in row)).encode())
    return digest.hexdigest()


def _age(born: dt.date) -> int:
    years = REFERENCE_DATE.year - born.year
    return years - ((REFERENCE_DATE.month, REFERENCE_DATE.day) < (born.month, born.day))


@pytest.fixture(scope="module")
def registry(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    """One loaded registry (1500 households, seed 3) shared by the read-only checks."""
    url = _fresh_sqlite(tmp_path_factory.mktemp("demo") / "registry.db")
    engine = get_engine(url)
    load_demo_data(engine, 1500, 3)
    yield engine
    engine.dispose()


# --- determinism ------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def seven(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    """200 households from seed 7."""
    engine = get_engine(_fresh_sqlite(tmp_path_factory.mktemp("seven") / "seven.db"))
    load_demo_data(engine, 200, 7)
    yield engine
    engine.dispose()


def test_same_seed_gives_identical_rows(seven: Engine, tmp_path: Path) -> None:
    """Even from another process with another string-hash seed (no set or dict order leaks)."""
    url = _fresh_sqlite(tmp_path / "again.db")
    env = {**os.environ, "CASEWORK_DATABASE_URL": url, "PYTHONHASHSEED": "12345"}
    casework = Path(sys.executable).with_name("casework")
    done = subprocess.run(
        [str(casework), "demo-data", "--households", "200", "--seed", "7"],
        env=env, capture_output=True, text=True, check=False,
    )
    assert done.returncode == 0, done.stderr
    again = get_engine(url)
    assert _count(again, HOUSEHOLDS) == 200
    assert _raw_digest(again) == _raw_digest(seven)


def test_different_seeds_give_different_rows(seven: Engine, tmp_path: Path) -> None:
    other = get_engine(_fresh_sqlite(tmp_path / "other.db"))
    load_demo_data(other, 200, 8)
    assert _raw_digest(other) != _raw_digest(seven)
    names = [{r.name for r in _rows(e, MEMBERS)} for e in (seven, other)]
    assert names[0] != names[1]


# --- identity and uniqueness ------------------------------------------------------------------

def test_resident_ids_are_valid_and_agree_with_the_member(registry: Engine) -> None:
    members = _rows(registry, MEMBERS)
    with_id = [m for m in members if m.id_number is not None]
    assert len(with_id) > 0.95 * len(members)
    foreign = 0
    for m in with_id:
        rid = ResidentId.parse(m.id_number)
        assert rid.birth_date == m.birth_date
        assert rid.sex == m.sex
        assert m.id_last4 == rid.last4
        county = county_by_code(m.county_code)
        assert rid.area_code == m.county_code or rid.area_code in birthplaces(county)
        foreign += rid.area_code != m.county_code
    assert 0 < foreign < 0.05 * len(with_id)  # "mostly" the member's own county


def test_household_numbers_and_active_ids_are_unique(registry: Engine) -> None:
    households = _rows(registry, HOUSEHOLDS)
    numbers = [h.number for h in households]
    assert len(set(numbers)) == len(numbers) == 1500
    assert all(re.fullmatch(rf"{h.county_code}-\d{{6}}", h.number) for h in households)
    ids = [m.id_number for m in _rows(registry, MEMBERS) if m.active and m.id_number]
    assert len(set(ids)) == len(ids)


def test_households_live_in_the_catalogs_places(registry: Engine) -> None:
    areas = {a.id: a for a in _rows(registry, AREAS)}
    counties = {a.code: a for a in areas.values() if a.level == "county"}
    assert {c.code: (c.name, c.pack) for c in counties.values()} == {
        c.code: (c.name, c.pack) for c in COUNTIES
    }
    assert counties["500154"].pack == "kaizhou-2016-2020"
    assert counties["511922"].pack == "bazhong-2018"
    for h in _rows(registry, HOUSEHOLDS):
        village = areas[h.village_id]
        township = areas[village.parent_id]
        assert village.level == "village" and len(village.code) == 12
        assert township.level == "township" and len(township.code) == 9
        assert village.code.startswith(township.code) and township.code.startswith(h.county_code)
        assert h.address.startswith(areas[township.parent_id].name + township.name + village.name)
    per_county = Counter(h.county_code for h in _rows(registry, HOUSEHOLDS))
    assert set(per_county) == {c.code for c in COUNTIES}
    assert per_county["511922"] > per_county["511902"]  # weighted by the catalog's §13.3


# --- demo accounts ----------------------------------------------------------------------------

def test_demo_users_log_in_and_cover_the_cadres_village(registry: Engine) -> None:
    areas = {a.id: a for a in _rows(registry, AREAS)}
    users = {u.username: u for u in _rows(registry, USERS)}
    assert set(users) == {a.username for a in DEMO_ACCOUNTS}
    for user in users.values():
        assert verify_password(user.password_hash, DEMO_PASSWORD)
        assert user.is_demo and user.active and user.display_name
    assert not verify_password(users["admin"].password_hash, "wrong-password")
    village = areas[users["cadre1"].area_id]
    assert (village.code, village.name) == (CADRE_VILLAGE_CODE, "五郎沟村")
    assert village.poor_village is True
    assert users["cadre1"].role == "village_cadre"
    assert areas[users["township1"].area_id].id == village.parent_id
    assert areas[village.parent_id].name == "关坝镇"
    for name, role in (("inspector1", "inspector"), ("admin", "county_admin")):
        assert users[name].role == role
        assert areas[users[name].area_id].code == "511922"
    in_village = [h for h in _rows(registry, HOUSEHOLDS) if h.village_id == village.id]
    assert len(in_village) >= 30


def test_small_registry_still_fills_the_cadres_village(tmp_path: Path) -> None:
    engine = get_engine(_fresh_sqlite(tmp_path / "small.db"))
    load_demo_data(engine, 12, 1)
    with engine.connect() as conn:
        village_id = conn.execute(
            select(AREAS.c.id).where(AREAS.c.code == CADRE_VILLAGE_CODE)
        ).scalar_one()
    assert {h.village_id for h in _rows(engine, HOUSEHOLDS)} == {village_id}


# --- plausibility -----------------------------------------------------------------------------

def test_schooling_agrees_with_age_and_boarding_peaks_in_junior_secondary(registry: Engine) -> None:
    members = [m for m in _rows(registry, MEMBERS) if m.birth_date]
    boarding: dict[str, list[bool]] = {}
    for m in members:
        age = _age(m.birth_date)
        if m.school_stage not in (None, "none"):
            low, high = STAGE_AGES[m.school_stage]
            assert low <= age <= high, (m.school_stage, age)
            assert m.school_enrolled_year == 2018 - (age - low)
            if m.school_boarding is not None:
                boarding.setdefault(m.school_stage, []).append(m.school_boarding)
        if m.out_of_school:
            assert 6 <= age <= 14 and m.school_stage == "none"
    share = {stage: sum(v) / len(v) for stage, v in boarding.items()}
    assert share["junior"] > share["primary"] + 0.2
    students = sum(m.school_stage not in (None, "none") for m in members if m.active)
    assert 0.20 < students / sum(m.active for m in members) < 0.33  # catalog: 28.8 % (derived)
    assert any(m.out_of_school for m in members)
    fees = [m.school_fee_yuan for m in members if m.school_stage in ("preschool", "senior")]
    assert fees and all(f is None or f > 0 for f in fees)


def test_hospital_costs_are_consistent(registry: Engine) -> None:
    stays = _rows(registry, STAYS)
    assert {s.kind for s in stays} == {"inpatient", "chronic_outpatient"}
    for s in stays:
        assert 0 <= s.out_of_catalog_yuan <= s.total_cost_yuan
        if s.reimbursed_yuan is not None:
            assert s.reimbursed_yuan + s.out_of_catalog_yuan <= s.total_cost_yuan
        assert dt.date(2018, 1, 1) <= s.admitted_on < REFERENCE_DATE
    over_cap = [s for s in stays if s.kind == "inpatient" and s.hospital_level == "county"
                and s.out_of_catalog_yuan > Decimal("0.05") * s.total_cost_yuan]
    assert over_cap  # a few exceed Bazhong's 5 % cap, so the hospital-absorbs rule has work


def test_households_show_the_situations_inspectors_look_for(registry: Engine) -> None:
    households = _rows(registry, HOUSEHOLDS)
    members = _rows(registry, MEMBERS)
    grades = Counter(h.housing_safety_grade for h in households)
    assert grades["C"] + grades["D"] > 0.03 * len(households)
    assert 0 < sum(m.medical_insurance is False for m in members) < 0.03 * len(members)
    assert sum(m.medical_insurance is True for m in members) > 0.95 * len(members)
    assert any(h.dibao for h in households) and any(h.tekun for h in households)
    assert any(m.disability_grade in (1, 2) for m in members)
    incomes = sorted(h.per_capita_net_income_yuan for h in households
                     if h.per_capita_net_income_yuan is not None)
    assert Decimal(1500) < incomes[len(incomes) // 2] < Decimal(9000)


def test_relocations_are_complete_and_mostly_centralised(registry: Engine) -> None:
    households = _rows(registry, HOUSEHOLDS)
    members = Counter(m.household_id for m in _rows(registry, MEMBERS) if m.active)
    moved = [h for h in households if h.relocation_status in ("building", "moved_in")]
    assert len(moved) > 100
    for h in moved:
        assert h.relocation_subsidy_yuan + h.relocation_self_funded_yuan == \
            h.relocation_build_cost_yuan
        assert h.relocation_house_area_m2 > 0
    centralised = sum(h.relocation_mode == "centralized" for h in moved) / len(moved)
    assert 0.5 < centralised < 0.75  # REL-BZ-06: 61.4 %
    size = sum(members[h.id] for h in moved) / len(moved)
    assert 3.0 < size < 4.2  # catalog: 3.59 persons per relocated household (derived)


def test_most_households_are_complete_but_some_fields_are_not_recorded(registry: Engine) -> None:
    households = _rows(registry, HOUSEHOLDS)
    gaps = [h for h in households if h.per_capita_net_income_yuan is None
            or h.housing_safety_grade is None or h.water_safe is None or h.dibao is None]
    assert 0 < len(gaps) < 0.1 * len(households)
    with registry.connect() as conn:
        years = conn.execute(text(
            "SELECT year, count(*) FROM income_records GROUP BY year ORDER BY year"
        )).all()
    assert [y for y, _ in years] == [2015, 2016, 2017]


# --- loading rules ----------------------------------------------------------------------------

def test_the_load_is_one_audit_event(tmp_path: Path) -> None:
    engine = get_engine(_fresh_sqlite(tmp_path / "audit.db"))
    result = load_demo_data(engine, 200, 5)
    events = _rows(engine, AUDIT)
    loads = [e for e in events if e.action == "load"]
    assert len(loads) == 1
    assert (loads[0].actor, loads[0].entity) == (ACTOR, "households")
    detail = json.loads(loads[0].detail)
    assert detail["seed"] == 5
    for entity in REGISTRY_ENTITIES:
        table = next(t for t in ROW_TABLES if t.name == entity)
        assert detail[entity] == result.counts[entity] == _count(engine, table)
    assert not [e for e in events if e.entity in REGISTRY_ENTITIES and e.action != "load"]
    creates = Counter(e.entity for e in events if e.action == "create")
    assert creates == {"areas": _count(engine, AREAS), "users": len(DEMO_ACCOUNTS)}


def test_if_empty_makes_a_second_run_a_no_op(tmp_path: Path) -> None:
    url = _fresh_sqlite(tmp_path / "twice.db")
    first = _cli(url, "--households", "50", "--seed", "2", "--if-empty")
    assert first.exit_code == 0, first.output
    assert "cadre1" in first.output and DEMO_PASSWORD in first.output
    before = _raw_digest(get_engine(url))
    second = _cli(url, "--households", "50", "--seed", "9", "--if-empty")
    assert second.exit_code == 0, second.output
    assert "已有 50 户" in second.output
    assert "cadre1" in second.output  # `make run` prints the demo accounts every time
    assert _raw_digest(get_engine(url)) == before
    assert _count(get_engine(url), HOUSEHOLDS) == 50


def test_refuses_a_non_empty_database_and_changes_nothing(tmp_path: Path) -> None:
    url = _fresh_sqlite(tmp_path / "full.db")
    assert _cli(url, "--households", "40", "--seed", "2").exit_code == 0
    engine = get_engine(url)
    before, events = _raw_digest(engine), _count(engine, AUDIT)
    refused = _cli(url, "--households", "40", "--seed", "3")
    assert refused.exit_code == 1
    assert "已有 40 户" in refused.output
    assert _raw_digest(engine) == before
    assert _count(engine, AUDIT) == events


def test_existing_areas_and_users_are_reused_not_touched(tmp_path: Path) -> None:
    url = _fresh_sqlite(tmp_path / "existing.db")
    engine = get_engine(url)
    with UnitOfWork("tester", engine) as uow:
        county = uow.add(Area(code="511922", name="南江县", level="county", pack="bazhong-2018"))
        uow.flush()
        assert county.id is not None
        uow.add(User(username="admin", display_name="真实管理员", password_hash="x",
                     role="county_admin", area_id=county.id))
        uow.commit()
    result = _cli(url, "--households", "30", "--seed", "1")
    assert result.exit_code == 0, result.output
    assert "已存在" in result.output
    users = {u.username: u for u in _rows(engine, USERS)}
    assert (users["admin"].display_name, users["admin"].is_demo) == ("真实管理员", False)
    assert users["inspector1"].is_demo and users["inspector1"].area_id == county.id
    codes = [a.code for a in _rows(engine, AREAS)]
    assert codes.count("511922") == 1
    nanjiang_towns = [a for a in _rows(engine, AREAS) if a.parent_id == county.id]
    assert len(nanjiang_towns) == len(county_by_code("511922").townships)


@pytest.mark.postgres
def test_postgresql_gets_the_same_registry_and_keeps_working(pg_url: str, tmp_path: Path) -> None:
    pg = get_engine(pg_url)
    result = _cli(pg_url, "--households", "200", "--seed", "4")
    assert result.exit_code == 0, result.output
    lite = get_engine(_fresh_sqlite(tmp_path / "same.db"))
    load_demo_data(lite, 200, 4)
    assert _typed_digest(pg) == _typed_digest(lite)
    assert len([e for e in _rows(pg, AUDIT) if e.action == "load"]) == 1
    # the id sequences were moved past the generated ids: ordinary inserts still work
    with UnitOfWork("tester", pg) as uow:
        village_id = uow.session.scalars(
            select(AREAS.c.id).where(AREAS.c.code == CADRE_VILLAGE_CODE)
        ).one()
        household = uow.add(Household(number="511922-new", county_code="511922",
                                      village_id=village_id))
        uow.flush()
        assert household.id is not None
        uow.add(Member(household_id=household.id, county_code="511922", member_key="m1"))
        uow.commit()
    assert household.id == _count(pg, HOUSEHOLDS)
