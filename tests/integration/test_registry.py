"""casework.registry: stored households <-> rules.snapshot.Household, on SQLite and PostgreSQL.

The property tests store generated snapshots through a unit of work and read them back with both
readers (``to_snapshot`` on ORM rows, ``iter_snapshots`` on result rows)."""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import selectinload

from casework.contract import ContractError
from casework.db import get_engine, read_session
from casework.ids import check_character
from casework.models import Area, AuditEvent, HospitalStay, Household, Member
from casework.registry import (
    MAX_MONEY, UNSTORED, apply_snapshot, canonical, iter_snapshots, load_places, storable_problems,
    to_snapshot,
)
from casework.uow import UnitOfWork
from rules import snapshot as s

TODAY = dt.date.today()

# --- fixture data --------------------------------------------------------------------------


@dataclass(frozen=True)
class Registry:
    engine: Engine
    villages: dict[str, Area]


AREAS = [  # code, name, level, parent code, pack
    ("510000", "四川省", "province", None, None),
    ("511900", "巴中市", "city", "510000", None),
    ("511922", "南江县", "county", "511900", "bazhong-2018"),
    ("511922100", "关坝镇", "township", "511922", None),
    ("511922100201", "五郎沟村", "village", "511922100", None),
    ("511922100202", "新民村", "village", "511922100", None),
    ("511921", "通江县", "county", "511900", "bazhong-2018"),
    ("511921101", "沙溪镇", "township", "511921", None),
    ("511921101203", "王坪村", "village", "511921101", None),
]


def build_areas(engine: Engine) -> dict[str, Area]:
    with UnitOfWork("test:setup", engine) as uow:
        ids: dict[str, int] = {}
        areas: dict[str, Area] = {}
        for code, name, level, parent, pack in AREAS:
            area = uow.add(Area(code=code, name=name, level=level, pack=pack,
                                parent_id=ids.get(parent) if parent else None))
            uow.flush()
            ids[code], areas[code] = area.id, area  # type: ignore[assignment]
        uow.commit()
    return {code: a for code, a in areas.items() if a.level == "village"}


@pytest.fixture
def registry(db_url: str) -> Registry:
    engine = get_engine(db_url)
    return Registry(engine, build_areas(engine))


@pytest.fixture
def sqlite_registry(sqlite_url: str) -> Registry:
    engine = get_engine(sqlite_url)
    return Registry(engine, build_areas(engine))


def store(reg: Registry, snap: s.Household, village: str = "511922100201") -> int:
    """Apply ``snap`` (creating or updating by number) in one committed unit of work."""
    with UnitOfWork("test:registry", reg.engine) as uow:
        existing = load(uow.session, snap.household_id)
        row = apply_snapshot(uow, snap, village=reg.villages[village], existing=existing)
        uow.commit()
    assert row.id is not None
    return row.id


def load(session: Any, number: str) -> Household | None:
    return session.scalars(
        select(Household).where(Household.number == number)
        .options(selectinload(Household.members).selectinload(Member.hospital_stays))
    ).first()


def read_back(reg: Registry, number: str) -> s.Household:
    """Read with both readers and check they agree."""
    with read_session(reg.engine) as session:
        household = load(session, number)
        assert household is not None
        orm = to_snapshot(household)
        bulk = [snap for info, snap in iter_snapshots(session) if info.number == number]
    assert bulk == [orm]
    return orm


def remove(reg: Registry, number: str) -> None:
    with UnitOfWork("test:cleanup", reg.engine) as uow:
        household = load(uow.session, number)
        assert household is not None
        uow.delete(household, expected_version=household.version)
        uow.commit()


# --- strategies ----------------------------------------------------------------------------

def maybe(strategy: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.none() | strategy


flag = maybe(st.booleans())
money = maybe(st.one_of(
    st.decimals(min_value=0, max_value=MAX_MONEY, places=2),
    st.sampled_from([Decimal(0), Decimal("0.01"), Decimal("0.1"), MAX_MONEY, Decimal("1E+3")]),
))
storable_text = st.characters(exclude_categories=("Cs",), exclude_characters="\x00")
keys = st.text(storable_text, min_size=1, max_size=32).filter(lambda t: t.strip() != "")
names = maybe(st.text(storable_text, max_size=64))
dates = st.dates(min_value=dt.date(1900, 1, 1), max_value=TODAY)


def codes(options: tuple[str, ...]) -> st.SearchStrategy[str | None]:
    return maybe(st.sampled_from(options))


@st.composite
def resident_ids(draw: st.DrawFn) -> str:
    area = draw(st.sampled_from(["511922", "511921", "500234", "110105", "650102"]))
    first17 = area + draw(dates).strftime("%Y%m%d") + f"{draw(st.integers(0, 999)):03d}"
    return first17 + check_character(first17)


def stored(field: str, strategy: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    """``strategy`` for a snapshot field the registry has a column for, else always None."""
    return st.none() if field in UNSTORED else strategy


stays = st.builds(
    s.HospitalStay, kind=codes(s.STAY_KINDS), admitted_on=maybe(dates), in_county=flag,
    hospital_level=codes(s.HOSPITAL_LEVELS), public=flag, total_cost_yuan=money,
    out_of_catalog_yuan=money, reimbursed_yuan=money,
    childbirth=stored("HospitalStay.childbirth", flag),
)
schools = maybe(st.builds(
    s.School, stage=codes(s.SCHOOL_STAGES), boarding=flag, public=flag, key_school=flag,
    enrolled_year=maybe(st.integers(1949, 2100)), fee_yuan=money,
    school_days=maybe(st.integers(0, 366)),
))


@st.composite
def members(draw: st.DrawFn, key: st.SearchStrategy[str]) -> s.Member:
    id_number = draw(maybe(resident_ids()))
    if id_number is None:
        birth, sex = draw(maybe(dates)), draw(codes(s.SEXES))
    else:
        birth = dt.date(int(id_number[6:10]), int(id_number[10:12]), int(id_number[12:14]))
        sex = "M" if int(id_number[16]) % 2 else "F"
    return s.Member(
        member_id=draw(key), name=draw(names), id_number=id_number, birth_date=birth, sex=sex,
        relation=draw(codes(s.RELATIONS)), school=draw(schools), out_of_school=draw(flag),
        disability_grade=draw(maybe(st.integers(1, 4))), annual_income_yuan=draw(money),
        medical_insurance=draw(flag), critical_illness_insurance=draw(flag),
        family_doctor=draw(flag), pension_insured=draw(flag), labor=draw(codes(s.LABOR_KINDS)),
        employment=draw(codes(s.EMPLOYMENT_KINDS)),
        hospital_stays=tuple(draw(st.lists(stays, max_size=3))),
    )


@st.composite
def households(draw: st.DrawFn, number: str = "H-1", old_keys: tuple[str, ...] = ()) -> s.Household:
    key = st.sampled_from(old_keys) | keys if old_keys else keys
    people = draw(st.lists(
        members(key), min_size=1, max_size=4, unique_by=(
            lambda m: m.member_id, lambda m: m.id_number or object(),
        ),
    ))
    return canonical(s.Household(
        household_id=number, members=tuple(people), registered_poor=draw(flag),
        poverty_status=draw(codes(s.POVERTY_STATUSES)), exit_year=draw(maybe(st.integers(1949, 2100))),
        dibao=draw(flag), tekun=draw(flag), tekun_mode=draw(codes(s.TEKUN_MODES)),
        economic_difficulty=draw(flag), per_capita_net_income_yuan=draw(money),
        housing=draw(maybe(st.builds(s.Housing, safety_grade=codes(s.SAFETY_GRADES),
                                     renovated=stored("Housing.renovated", flag)))),
        relocation=draw(maybe(st.builds(
            s.Relocation, status=codes(s.RELOCATION_STATUSES), mode=codes(s.RELOCATION_MODES),
            house_area_m2=money, build_cost_yuan=money, subsidy_yuan=money,
            self_funded_yuan=money,
        ))),
        water_safe=draw(flag), power_ok=draw(flag), tv_access=draw(flag),
        food_secure=draw(flag), clothing_secure=draw(flag),
    ))


def registry_order(before: s.Household, after: s.Household) -> s.Household:
    """``after`` with its members in the order the registry keeps them: members already stored
    first, in their stored order, then new members in ``after``'s order."""
    place = {m.member_id: i for i, m in enumerate(before.members)}
    kept = sorted((m for m in after.members if m.member_id in place), key=lambda m: place[m.member_id])
    new = [m for m in after.members if m.member_id not in place]
    return dataclasses.replace(after, members=tuple(kept + new))


PROPERTY = settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)

# --- properties ----------------------------------------------------------------------------


@PROPERTY
@given(snap=households())
def test_snapshot_to_rows_to_snapshot_is_identity(registry: Registry, snap: s.Household) -> None:
    store(registry, snap)
    try:
        assert read_back(registry, snap.household_id) == snap
    finally:
        remove(registry, snap.household_id)


@PROPERTY
@given(data=st.data())
def test_update_stores_the_new_snapshot(registry: Registry, data: st.DataObject) -> None:
    first = data.draw(households(), label="first")
    second = data.draw(
        households(old_keys=tuple(m.member_id for m in first.members)), label="second"
    )
    store(registry, first)
    try:
        store(registry, second)
        assert read_back(registry, second.household_id) == registry_order(first, second)
    finally:
        remove(registry, first.household_id)


def test_every_snapshot_field_has_a_column() -> None:
    """Loss-free needs a column for every field the engine reads (a field added to
    rules.snapshot needs a column and a migration: ``housing_<name>``, ``relocation_<name>``,
    ``school_<name>``, or its own name on households, members and hospital_stays)."""
    assert sorted(UNSTORED) == []


# --- decisions, one example each -----------------------------------------------------------

ID_A, ID_B, ID_C = "511922201001030025", "11010519491231002X", "511922198507150013"


def person(key: str, id_number: str | None = None, **fields: Any) -> s.Member:
    if id_number:
        fields["birth_date"] = dt.date(int(id_number[6:10]), int(id_number[10:12]),
                                       int(id_number[12:14]))
        fields["sex"] = "M" if int(id_number[16]) % 2 else "F"
    return s.Member(member_id=key, id_number=id_number, **fields)


def family(number: str, *people: s.Member, **fields: Any) -> s.Household:
    return s.Household(household_id=number, members=people, **fields)


def member_rows(reg: Registry, number: str) -> list[tuple[int, str, bool, str | None]]:
    with read_session(reg.engine) as session:
        return [tuple(r) for r in session.execute(  # type: ignore[misc]
            select(Member.id, Member.member_key, Member.active, Member.id_number)
            .join(Household).where(Household.number == number).order_by(Member.id)
        )]


def test_departed_member_is_deactivated_and_comes_back_as_the_same_row(registry: Registry) -> None:
    reg = registry
    store(reg, family("H-2", person("a", ID_A), person("b", ID_B)))
    before = member_rows(reg, "H-2")
    store(reg, family("H-2", person("a", ID_A)))
    assert [(k, active) for _, k, active, _ in member_rows(reg, "H-2")] == [("a", True), ("b", False)]
    assert [m.member_id for m in read_back(reg, "H-2").members] == ["a"]
    store(reg, family("H-2", person("b", ID_B, name="李四"), person("a", ID_A)))
    assert member_rows(reg, "H-2") == before  # same rows, both active, ids kept
    assert [m.member_id for m in read_back(reg, "H-2").members] == ["a", "b"]  # registry order


def test_id_number_can_move_between_members_of_a_household(registry: Registry) -> None:
    reg = registry
    store(reg, family("H-3", person("a", ID_A), person("b", ID_B)))
    swapped = family("H-3", person("a", ID_B), person("b", ID_A))
    store(reg, swapped)
    assert read_back(reg, "H-3") == swapped
    assert [(k, n) for _, k, _, n in member_rows(reg, "H-3")] == [("a", ID_B), ("b", ID_A)]


def test_same_snapshot_again_writes_nothing(registry: Registry) -> None:
    reg = registry
    stay = s.HospitalStay(kind="inpatient", total_cost_yuan=Decimal("1000.5"))
    snap = family("H-4", person("a", ID_A, hospital_stays=(stay,)), dibao=True,
                  housing=s.Housing("C"))
    store(reg, snap)
    events, versions = count_events(reg), versions_of(reg)
    store(reg, snap)
    assert count_events(reg) == events
    assert versions_of(reg) == versions


def test_changed_stays_replace_only_from_the_first_difference(registry: Registry) -> None:
    reg = registry
    one, two, three = (s.HospitalStay(kind="inpatient", total_cost_yuan=Decimal(n)) for n in (1, 2, 3))
    store(reg, family("H-5", person("a", hospital_stays=(one, two))))
    first_ids = stay_ids(reg)
    snap = family("H-5", person("a", hospital_stays=(one, three, two)))
    store(reg, snap)
    assert read_back(reg, "H-5") == snap
    ids = stay_ids(reg)
    assert ids[0] == first_ids[0] and first_ids[1] not in ids and len(ids) == 3


def test_household_moving_county_moves_its_rows(registry: Registry) -> None:
    reg = registry
    snap = family("H-6", person("a", ID_A, hospital_stays=(s.HospitalStay(kind="inpatient"),)),
                  person("b"))
    store(reg, snap)
    store(reg, family("H-6", person("a", ID_A, hospital_stays=(s.HospitalStay(kind="inpatient"),))),
          village="511921101203")
    with read_session(reg.engine) as session:
        household = load(session, "H-6")
        assert household is not None and household.county_code == "511921"
        assert {m.county_code for m in household.members} == {"511921"}  # inactive one too
        assert session.scalars(select(HospitalStay.county_code)).all() == ["511921"]


def test_empty_nested_objects_are_stored_as_absent(registry: Registry) -> None:
    reg = registry
    snap = family("H-7", person("a", school=s.School()), housing=s.Housing(), relocation=s.Relocation())
    store(reg, snap)
    assert read_back(reg, "H-7") == canonical(snap) == family("H-7", person("a"))


@pytest.mark.parametrize(
    ("snap", "path"),
    [
        (family("H-8", person("a", annual_income_yuan=Decimal("0.001"))), "members[0].annual_income_yuan"),
        (family("H-8", person("a"), per_capita_net_income_yuan=MAX_MONEY + 1), "per_capita_net_income_yuan"),
        (family("H-8", person("a"), person("b", name="张" * 65)), "members[1].name"),
        (family("H-8", person("k" * 33)), "members[0].member_id"),
        (family("H" * 33, person("a")), "household_id"),
        (family("H-8", person("a", name="a\x00b")), "members[0].name"),
    ],
)
def test_values_the_columns_cannot_hold_are_refused_before_writing(
    sqlite_registry: Registry, snap: s.Household, path: str
) -> None:
    reg = sqlite_registry
    assert [p.path for p in storable_problems(snap)] == [path]
    with pytest.raises(ContractError) as caught:
        store(reg, snap)
    assert caught.value.path == path and caught.value.message_zh
    with read_session(reg.engine) as session:
        assert session.scalar(select(func.count()).select_from(Household)) == 0


def test_iter_snapshots_pages_filters_and_orders(registry: Registry) -> None:
    reg = registry
    placed = {"N-05": "511922100201", "N-01": "511922100202", "N-03": "511921101203",
              "N-02": "511922100201", "N-04": "511922100201"}
    for number, village in placed.items():
        store(reg, family(number, person("a"), person("b", hospital_stays=(s.HospitalStay(),))),
              village=village)
    store(reg, family("N-01", person("a")), village="511922100202")  # b deactivated
    with read_session(reg.engine) as session:
        every = list(iter_snapshots(session, chunk=2))
        in_county = [i.number for i, _ in iter_snapshots(session, county_code="511922", chunk=2)]
        in_village = [i.number for i, _ in iter_snapshots(session, village_code="511922100201")]
        both = list(iter_snapshots(session, county_code="511921", village_code="511922100201"))
        expected = {n: to_snapshot(load(session, n)) for n in placed}  # type: ignore[arg-type]
        places = load_places(session)
    assert [i.number for i, _ in every] == sorted(placed)
    assert {i.number: snap for i, snap in every} == expected
    assert [m.member_id for m in expected["N-01"].members] == ["a"]
    assert in_county == ["N-01", "N-02", "N-04", "N-05"]
    assert in_village == ["N-02", "N-04", "N-05"]
    assert both == []
    village = places[every[0][0].village_id]
    assert (village.village_code, village.township_code, village.county_code, village.pack) == (
        "511922100202", "511922100", "511922", "bazhong-2018")


def test_iter_snapshots_skips_inactive_households_unless_asked(sqlite_registry: Registry) -> None:
    reg = sqlite_registry
    store(reg, family("Z-1", person("a")))
    store(reg, family("Z-2", person("a")))
    with UnitOfWork("test", reg.engine) as uow:
        row = load(uow.session, "Z-1")
        assert row is not None
        uow.update(row, expected_version=row.version, active=False)
        uow.commit()
    with read_session(reg.engine) as session:
        assert [i.number for i, _ in iter_snapshots(session)] == ["Z-2"]
        assert [i.number for i, _ in iter_snapshots(session, include_inactive=True)] == ["Z-1", "Z-2"]


def count_events(reg: Registry) -> int:
    with read_session(reg.engine) as session:
        return session.scalar(select(func.count()).select_from(AuditEvent)) or 0


def versions_of(reg: Registry) -> list[int]:
    with read_session(reg.engine) as session:
        return [*session.scalars(select(Household.version)),
                *session.scalars(select(Member.version).order_by(Member.id)),
                *session.scalars(select(HospitalStay.version).order_by(HospitalStay.id))]


def stay_ids(reg: Registry) -> list[int]:
    with read_session(reg.engine) as session:
        return list(session.scalars(select(HospitalStay.id).order_by(HospitalStay.id)))

