"""Received measures: the use cases on both databases (validation, overlaps, compare-and-swap,
idempotent keys, scope and roles), the all-or-nothing spreadsheet import, and the web pages."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import openpyxl
import pytest
from sqlalchemy import func, select, update

from casework.db import read_session
from casework.editing import ValidationFailed
from casework.models import Area, AuditEvent, Member
from casework.models.received_measures import ReceivedMeasure
from casework.queries import Account
from casework.received_measures import (
    AddReceived, EditReceived, EndReceived, RemoveReceived, Entry, catalog_for_pack,
    save_received,
)
from casework.received_measures.importing import ImportRefused, import_received, read_rows
from casework.uow import NotFound, StaleVersion
from tests.integration.test_web_world import World, build_world

CATALOG = catalog_for_pack("bazhong-2018")
KEY = "k" * 20


def _account(world: World, role: str, code: str) -> Account:
    with read_session(world.engine) as s:
        area = s.scalar(select(Area).where(Area.code == code))
    return Account(1, role, role, role, area.id, area.name)


def _member(world: World, number: str, key: str) -> int:
    with read_session(world.engine) as s:
        return s.scalar(select(Member.id).where(Member.household_id == world.households[number],
                                                Member.member_key == key))


def _count(world: World) -> int:
    with read_session(world.engine) as s:
        return s.scalar(select(func.count()).select_from(ReceivedMeasure)) or 0


@pytest.fixture
def rm_world(db_url: str) -> World:
    world = build_world(db_url)
    with world.engine.begin() as conn:
        conn.execute(update(Area).where(Area.level == "county").values(pack="bazhong-2018"))
    return world


def _entry(member_id: int | None, since: dt.date = dt.date(2018, 3, 1), until: dt.date | None = None,
           rule: str = "EDU-BZ-05") -> Entry:
    return Entry(rule, member_id, Decimal("1000.00"), since, until, "县教育局", None)


def test_add_edit_end_remove_with_audit(rm_world: World) -> None:
    number = sorted(rm_world.numbers_in("511922100001"))[0]
    hid, child = rm_world.households[number], _member(rm_world, number, "m2")
    staff = _account(rm_world, "township_staff", "511922100")
    saved = save_received(rm_world.engine, staff, "township", AddReceived(hid, KEY, _entry(child)), CATALOG)
    again = save_received(rm_world.engine, staff, "township", AddReceived(hid, KEY, _entry(child)), CATALOG)
    assert again.repeated and again.measure_id == saved.measure_id and _count(rm_world) == 1
    mid = saved.measure_id
    save_received(rm_world.engine, staff, "township", EditReceived(hid, mid, 1, "e" * 20,
                  _entry(child, dt.date(2018, 2, 1))), CATALOG)
    with pytest.raises(StaleVersion):  # edited from version 1 again: refused
        save_received(rm_world.engine, staff, "township", EditReceived(hid, mid, 1, "f" * 20,
                      _entry(child, dt.date(2018, 4, 1))), CATALOG)
    save_received(rm_world.engine, staff, "township",
                  EndReceived(hid, mid, 2, "g" * 20, dt.date(2018, 12, 31)), CATALOG)
    with read_session(rm_world.engine) as s:
        row = s.get(ReceivedMeasure, mid)
        assert (row.since, row.until, row.version) == (dt.date(2018, 2, 1), dt.date(2018, 12, 31), 3)
    save_received(rm_world.engine, staff, "township", RemoveReceived(hid, mid, 3, "h" * 20), CATALOG)
    assert _count(rm_world) == 0
    with read_session(rm_world.engine) as s:
        actions = s.scalars(select(AuditEvent.action).where(
            AuditEvent.entity == "received_measures")).all()
    assert len(actions) == 4


def test_refusals_write_nothing(rm_world: World) -> None:
    number = sorted(rm_world.numbers_in("511922100001"))[0]
    hid, child = rm_world.households[number], _member(rm_world, number, "m2")
    staff = _account(rm_world, "township_staff", "511922100")
    save_received(rm_world.engine, staff, "t", AddReceived(hid, KEY, _entry(child)), CATALOG)
    with pytest.raises(ValidationFailed) as overlap:
        save_received(rm_world.engine, staff, "t",
                      AddReceived(hid, "o" * 20, _entry(child, dt.date(2018, 6, 1))), CATALOG)
    assert "重叠" in overlap.value.errors["since"]
    other_child = _member(rm_world, sorted(rm_world.numbers_in("511922100001"))[1], "m2")
    with pytest.raises(ValidationFailed):  # a member of another household
        save_received(rm_world.engine, staff, "t", AddReceived(hid, "p" * 20, _entry(other_child)), CATALOG)
    outside = rm_world.households[sorted(rm_world.numbers_in("511922101001"))[0]]
    with pytest.raises(NotFound):
        save_received(rm_world.engine, staff, "t", AddReceived(outside, "q" * 20, _entry(None)), CATALOG)
    with pytest.raises(PermissionError):
        save_received(rm_world.engine, _account(rm_world, "inspector", "511922"), "i",
                      AddReceived(hid, "r" * 20, _entry(child)), CATALOG)
    assert _count(rm_world) == 1


def _xlsx(rows: list[list[object]]) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["户编号", "成员身份证号", "成员姓名", "政策项目", "金额", "起始日期", "发放部门"])
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_import_is_all_or_nothing_with_row_numbers(rm_world: World) -> None:
    staff = _account(rm_world, "township_staff", "511922100")
    a, b = sorted(rm_world.numbers_in("511922100001"))[:2]
    outside = sorted(rm_world.numbers_in("511922101001"))[0]
    child_id = rm_world.ids_of[a][1]
    good = [[a, child_id, "", "EDU-BZ-05", 1000, dt.date(2018, 3, 1), "县教育局"],
            [b, "", rm_world.head_of[b], "重度残疾人护理补贴", "80", "2018/3/1", "县残联"],
            [a, "", "", "SOC-BZ-02", "", "2018-01-01", "县民政局"]]
    bad = good + [[outside, "", "", "SOC-BZ-02", "", "2018-01-01", "县民政局"],
                  [b, "", "", "NOPE-1", "x", "2018-02-30", ""]]
    with pytest.raises(ImportRefused) as refused:
        import_received(rm_world.engine, staff, "t", read_rows(_xlsx(bad), "a.xlsx"), KEY)
    problems = refused.value.problems
    assert any(p.startswith("第5行 户编号") for p in problems)
    assert {p.split(" ")[0] for p in problems} == {"第5行", "第6行"}
    assert any("金额" in p for p in problems) and any("起始日期" in p for p in problems)
    assert not any(child_id in p for p in problems)
    assert _count(rm_world) == 0
    result = import_received(rm_world.engine, staff, "t", read_rows(_xlsx(good), "a.xlsx"), KEY)
    assert (result.records, result.households) == (3, 2) and _count(rm_world) == 3
    again = import_received(rm_world.engine, staff, "t", read_rows(_xlsx(good), "a.xlsx"), KEY)
    assert again.repeated and _count(rm_world) == 3
    with pytest.raises(ImportRefused) as overlap:  # the same rows again, new key: overlaps
        import_received(rm_world.engine, staff, "t", read_rows(_xlsx(good), "a.xlsx"), "z" * 20)
    assert len(overlap.value.problems) == 3 and _count(rm_world) == 3


def test_csv_import_reads_gbk_and_refuses_unknown_columns(rm_world: World) -> None:
    staff = _account(rm_world, "township_staff", "511922100")
    a = sorted(rm_world.numbers_in("511922100001"))[0]
    text = f"户编号,政策项目,起始日期,发放部门\r\n{a},SOC-BZ-02,2018-01-01,县民政局\r\n"
    result = import_received(rm_world.engine, staff, "t", read_rows(text.encode("gb18030"), "x.csv"), KEY)
    assert result.records == 1
    with pytest.raises(ImportRefused) as refused:
        read_rows("户号,政策项目\r\n".encode(), "x.csv")
    assert "户号" in refused.value.problems[0]
