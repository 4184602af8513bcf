"""The inspector's gap and data-quality lists on a small known world, on SQLite and PostgreSQL:
each list equals what a direct reading of the world says; scoping, filters and exports."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import openpyxl
import pytest
from sqlalchemy import select, update

from casework.db import read_session
from casework.models import Area, DecisionRun, Household, Member, StoredDecision
from casework.models.received_measures import ReceivedMeasure
from casework.queries import Account
from casework.quality import LISTS, Filters, make_context, run_export, run_page
from casework.exports import to_csv, to_xlsx
from casework.uow import UnitOfWork
from tests.integration.test_web_world import World, build_world

ON = dt.date(2018, 9, 1)


def _ids(world: World, number: str) -> tuple[int, dict[str, int]]:
    with read_session(world.engine) as s:
        hid = world.households[number]
        members = {m.member_key: m.id for m in s.scalars(select(Member).where(Member.household_id == hid))}
    return hid, members


def _account(world: World, role: str, code: str) -> Account:
    with read_session(world.engine) as s:
        area = s.scalar(select(Area).where(Area.code == code))
    return Account(1, "u", "u", role, area.id, area.name)


@pytest.fixture
def gap_world(db_url: str) -> tuple[World, dict[str, set[tuple[str, str, str | None]]]]:
    world = build_world(db_url)
    numbers = sorted(world.numbers_in("511922100001"))
    a, b, c = numbers[:3]
    d = sorted(world.numbers_in("511922101001"))[0]
    decisions = [  # number, rule, member_key, status, payer, per, episode
        (a, "EDU-BZ-05", "m2", "eligible", "government", "year", None),
        (a, "SOC-BZ-02", None, "eligible", "government", "year", None),
        (b, "EDU-BZ-05", "m2", "eligible", "government", "year", None),
        (b, "EDU-BZ-09", "m2", "eligible", "bank", "year", None),
        (b, "MED-BZ-12", "m1", "eligible", "government", "episode", 0),
        (c, "MED-BZ-01", "m1", "missing_data", "government", "year", None),
        (d, "EDU-BZ-05", "m2", "eligible", "government", "year", None),
    ]
    received = [  # number, rule, member_key, since, until
        (a, "EDU-BZ-05", "m2", dt.date(2018, 1, 1), None),
        (a, "SOC-BZ-07", "m1", dt.date(2017, 1, 1), dt.date(2018, 1, 1)),  # ended: not current
        (b, "SOC-BZ-06", "m1", dt.date(2018, 3, 1), None),                  # not owed
        (b, "EDU-BZ-05", "m2", dt.date(2018, 10, 1), None),                 # starts after ON
        (c, "MED-BZ-01", "m1", dt.date(2018, 1, 1), None),                  # undecided
        (d, "SOC-BZ-06", "m1", dt.date(2018, 1, 1), None),                  # not owed
    ]
    with UnitOfWork("test:gaps", world.engine) as uow:
        run = uow.add(DecisionRun(county_code="511922", pack="bazhong-2018", pack_version="t",
                                  on_date=ON, actor="t", status="current"))
        uow.flush()
        for number, rule, key, status, payer, per, episode in decisions:
            hid, _m = _ids(world, number)
            uow.add(StoredDecision(run_id=run.id, household_id=hid, county_code="511922",
                                   rule_id=rule, measure="x", member_key=key, episode=episode,
                                   status=status, amount_yuan=Decimal("500.00"), per=per,
                                   annual_yuan=Decimal("500.00"), payer=payer))
        for number, rule, key, since, until in received:
            hid, members = _ids(world, number)
            uow.add(ReceivedMeasure(household_id=hid, county_code="511922",
                                    member_id=members[key] if key else None, rule_id=rule,
                                    amount_yuan=Decimal("100.00"), since=since, until=until,
                                    payer="县民政局", created_by="t"))
        uow.commit()
    # direct reading of the world above
    owed = {(n, r, k) for n, r, k, st, payer, per, ep in decisions
            if st == "eligible" and payer != "bank" and per != "episode"}
    current = {(n, r, k) for n, r, k, since, until in received
               if since <= ON and (until is None or until >= ON)}
    decided = {(n, r, k) for n, r, k, st, *_ in decisions}
    expected = {"missed": owed - current, "wrongly_paid": current - decided}
    return world, expected


def _keys(world: World, account: Account, name: str, filters: Filters = Filters()) -> set[tuple]:
    ctx = make_context(world.engine, account, filters)
    page = run_page(world.engine, LISTS[name], ctx, 1, page_size=1000)
    assert page.total == len(page.rows)
    return {(r["number"], r["rule_id"], r["member"]) for r in page.rows}


def _named(world: World, triples: set[tuple[str, str, str | None]]) -> set[tuple]:
    names: dict[tuple[str, str], str] = {}
    with read_session(world.engine) as s:
        for m in s.scalars(select(Member)):
            names[(m.household_id, m.member_key)] = m.name
    return {(n, r, names[(world.households[n], k)] if k else "（全户）") for n, r, k in triples}


@pytest.mark.parametrize("name", ["missed", "wrongly_paid"])
def test_payment_gaps_equal_a_direct_reading(gap_world, name: str) -> None:  # type: ignore[no-untyped-def]
    world, expected = gap_world
    inspector = _account(world, "inspector", "511922")
    assert _keys(world, inspector, name) == _named(world, expected[name])
    assert expected[name], "the world must give each list something to find"


def test_lists_are_scoped_and_filtered(gap_world) -> None:  # type: ignore[no-untyped-def]
    world, expected = gap_world
    township = _account(world, "township_staff", "511922100")
    mine = {t for t in expected["missed"] if world.village_of[t[0]].startswith("511922100")}
    assert _keys(world, township, "missed") == _named(world, mine)
    assert mine != expected["missed"]
    other_county = _account(world, "inspector", "511921")
    assert _keys(world, other_county, "missed") == set()
    with read_session(world.engine) as s:
        fenghuang = s.scalar(select(Area.id).where(Area.code == "511922101001"))
    inspector = _account(world, "inspector", "511922")
    only = _keys(world, inspector, "missed", Filters(village_id=fenghuang))
    assert only and all(world.village_of[n] == "511922101001" for n, _r, _m in only)


def test_missing_data_and_stale_and_age_stage(gap_world) -> None:  # type: ignore[no-untyped-def]
    world, _expected = gap_world
    inspector = _account(world, "inspector", "511922")
    ctx = make_context(world.engine, inspector, Filters())
    missing = run_page(world.engine, LISTS["missing_data"], ctx, 1).rows
    assert [(r["rule_id"]) for r in missing] == ["MED-BZ-01"]
    old = sorted(world.numbers_in("511922100002"))[:2]
    with world.engine.begin() as conn:
        conn.execute(update(Household).where(Household.number.in_(old)).values(
            updated_at=dt.datetime(2016, 1, 1, tzinfo=dt.timezone.utc)))
    stale = run_page(world.engine, LISTS["stale"], make_context(world.engine, inspector, Filters()), 1)
    assert {r["number"] for r in stale.rows} == set(old)
    # world children are "junior" born 2008–2015: at ON aged 3–10; junior's band is 10–18
    ages = run_page(world.engine, LISTS["age_stage"], ctx, 1, page_size=1000).rows
    assert ages and all(r["stage"] == "初中" and not 10 <= r["age"] <= 18 for r in ages)
    assert all(r["id_masked"].startswith("*" * 14) for r in ages)


def test_duplicate_id_after_death_is_listed(gap_world) -> None:  # type: ignore[no-untyped-def]
    world, _ = gap_world
    inspector = _account(world, "inspector", "511922")
    assert _keys(world, inspector, "duplicate_ids") == set()
    a, b = sorted(world.numbers_in("511922100001"))[:2]
    head_id = world.head_id_of[a]
    hid_b, _m = _ids(world, b)
    with UnitOfWork("test", world.engine) as uow:
        dead = uow.session.scalar(select(Member).where(Member.id_number == head_id))
        uow.update(dead, expected_version=dead.version, active=False, end_reason="death",
                   ended_on=dt.date(2017, 1, 1))
        uow.flush()
        uow.add(Member(household_id=hid_b, county_code="511922", member_key="m9", name="复活",
                       id_number=head_id, id_last4=head_id[-4:]))
        uow.commit()
    rows = run_page(world.engine, LISTS["duplicate_ids"],
                    make_context(world.engine, inspector, Filters()), 1).rows
    assert {r["number"] for r in rows} == {a, b}
    assert all(r["households"] == 2 and head_id not in str(r) for r in rows)


def test_exports_have_chinese_headers_and_masked_ids(gap_world) -> None:  # type: ignore[no-untyped-def]
    world, _ = gap_world
    inspector = _account(world, "inspector", "511922")
    table = run_export(world.engine, LISTS["missed"], make_context(world.engine, inspector, Filters()))
    sheet = openpyxl.load_workbook(io.BytesIO(to_xlsx(table))).active
    assert [c.value for c in sheet[1]][:3] == ["户编号", "乡镇", "村"]
    text = to_csv(table).decode("utf-8-sig")
    assert "应享金额（元）" in text.splitlines()[0]
    assert not any(full in text for full in world.full_ids)
