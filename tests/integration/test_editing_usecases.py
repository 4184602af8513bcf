"""The editing use cases on SQLite and PostgreSQL: each edit kind, refusals that write nothing,
exactly one head, ended members kept, stale versions, idempotent repeats, audit, and decisions
recomputed into the county's current run."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from sqlalchemy import select

from casework.db import read_session
from casework.editing import (
    AddMember, ChangeHead, CorrectStay, EditMember, EndMembership, RecordIncome, RecordStay,
    RemoveStay, UpdateFacts, ValidationFailed, save,
)
from casework.models import AuditEvent, DecisionRun, IncomeRecord, StoredAssessment, Submission
from casework.uow import NotFound, StaleVersion, UnitOfWork
from tests.integration.editing_support import (
    Cadre, audit_count, cadre, digest, editing_world, household, key, members, stays,
    stored_decisions,
)
from tests.integration.test_web_world import World, resident_id

NUMBER = "5119221000010001"
TODAY = dt.date(2026, 1, 15)


@pytest.fixture
def world(db_url: str) -> World:
    return editing_world(db_url)


def _hid(world: World) -> int:
    return world.households[NUMBER]


def _save(world: World, command, user: Cadre | None = None):  # type: ignore[no-untyped-def]
    return save(world.engine, user or cadre(world), "cadre", command, today=TODAY)


def _child(world: World):  # type: ignore[no-untyped-def]
    return next(m for m in members(world.engine, _hid(world)) if m.relation == "child")


def _edit_child(world: World, **changes: object) -> EditMember:
    child, hid = _child(world), _hid(world)
    fields = dict(name=child.name, relation="child", school_stage=child.school_stage,
                  school_boarding=child.school_boarding, school_public=child.school_public,
                  medical_insurance=child.medical_insurance, labor=child.labor)
    fields.update(changes)
    return EditMember(household_id=hid, household_version=household(world.engine, hid).version,
                      key=key(), member_id=child.id, **fields)  # type: ignore[arg-type]


def test_enrolling_a_junior_boarder_gives_the_1250_allowance_in_the_current_run(world: World) -> None:
    hid = _hid(world)
    _save(world, _edit_child(world, school_boarding=False))
    assert ("EDU-BZ-05", "m2", None) not in stored_decisions(world.engine, hid)
    saved = _save(world, _edit_child(world, school_boarding=True))
    stored = stored_decisions(world.engine, hid)
    assert stored[("EDU-BZ-05", "m2", None)] == ("eligible", Decimal("1250.00"))
    added = [c for c in saved.changes if c.rule_id == "EDU-BZ-05"]
    assert [(c.kind, c.new_annual) for c in added] == [("added", Decimal("1250.00"))]
    with read_session(world.engine) as s:
        runs = s.scalars(select(DecisionRun).where(DecisionRun.county_code == "511922")).all()
        assert [r.status for r in runs] == ["current"] and runs[0].on_date == dt.date(2018, 9, 1)
        computed_at = s.scalars(select(StoredAssessment.computed_at).where(
            StoredAssessment.run_id == runs[0].id, StoredAssessment.household_id == hid)).one()
        assert household(world.engine, hid).updated_at <= computed_at  # not shown as stale


def test_a_stale_version_is_refused_and_nothing_written(world: World) -> None:
    hid = _hid(world)
    first = _edit_child(world, school_boarding=False)
    second = _edit_child(world, school_boarding=True)  # rendered at the same version
    _save(world, first)
    before = digest(world.engine, hid)
    with pytest.raises(StaleVersion) as caught:
        _save(world, second)
    assert caught.value.expected == second.household_version
    assert caught.value.actual == second.household_version + 1
    assert digest(world.engine, hid) == before
    assert _child(world).school_boarding is False


def test_a_repeated_key_applies_once_and_returns_the_first_result(world: World) -> None:
    hid = _hid(world)
    head = next(m for m in members(world.engine, hid) if m.relation == "head")
    command = RecordStay(household_id=hid, household_version=household(world.engine, hid).version,
                         key=key(), member_id=head.id, kind="inpatient",
                         admitted_on=dt.date(2018, 6, 1), in_county=True, hospital_level="county",
                         public=True, total_cost_yuan=Decimal("5000"),
                         out_of_catalog_yuan=Decimal("100"), reimbursed_yuan=Decimal("3000"))
    first = _save(world, command)
    count = len(stays(world.engine, hid))
    again = _save(world, command)
    assert again.repeated and not first.repeated
    assert again.result_id == first.result_id
    assert len(stays(world.engine, hid)) == count
    with read_session(world.engine) as s:
        assert s.get(Submission, command.key).action == "record_stay"  # type: ignore[union-attr]


def test_a_refused_save_writes_nothing(world: World) -> None:
    hid = _hid(world)
    before, audits = digest(world.engine, hid), audit_count(world.engine)
    bad_id = _child(world).id_number[:17] + ("0" if _child(world).id_number[17] != "0" else "1")
    with pytest.raises(ValidationFailed) as caught:
        _save(world, _edit_child(world, id_number=bad_id, school_fee_yuan=Decimal("-5"),
                                 school_days=400))
    errors = caught.value.errors
    assert "校验位" in errors["id_number"] and errors["id_number"].startswith("身份证号码")
    assert errors["school_fee_yuan"] == "实际收费不能为负数"
    assert "在校天数" in errors["school_days"]
    assert digest(world.engine, hid) == before and audit_count(world.engine) == audits


def test_birth_date_and_sex_must_agree_with_the_id(world: World) -> None:
    hid = _hid(world)
    new_id = resident_id("511922", dt.date(2018, 5, 6), 101)  # odd sequence: male
    command = AddMember(household_id=hid, household_version=household(world.engine, hid).version,
                        key=key(), join_reason="birth", name="钱小宝", id_number=new_id,
                        birth_date=dt.date(2018, 5, 7), sex="F", relation="grandchild")
    with pytest.raises(ValidationFailed) as caught:
        _save(world, command)
    assert set(caught.value.errors) == {"birth_date", "sex"}
    assert "2018-05-06" in caught.value.errors["birth_date"]


def test_a_newborn_without_an_id_is_added_and_counted(world: World) -> None:
    hid = _hid(world)
    command = AddMember(household_id=hid, household_version=household(world.engine, hid).version,
                        key=key(), join_reason="birth", name="钱小宝",
                        birth_date=dt.date(2018, 8, 15), sex="M", relation="grandchild")
    saved = _save(world, command)
    added = [m for m in members(world.engine, hid) if str(m.id) == saved.result_id]
    assert added and added[0].member_key == "m3" and added[0].id_number is None and added[0].active
    with read_session(world.engine) as s:
        events = s.scalars(select(AuditEvent).where(AuditEvent.entity == "members",
                                                    AuditEvent.entity_id == saved.result_id)).all()
    assert {e.action for e in events} == {"create", "add_member"}
    assert any("出生" in (e.detail or "") for e in events)


def test_a_household_keeps_exactly_one_head(world: World) -> None:
    hid = _hid(world)
    head = next(m for m in members(world.engine, hid) if m.relation == "head")
    version = household(world.engine, hid).version
    with pytest.raises(ValidationFailed) as ended:
        _save(world, EndMembership(household_id=hid, household_version=version, key=key(),
                                   member_id=head.id, end_reason="death", ended_on=TODAY))
    assert "户主" in ended.value.errors["member_id"]
    with pytest.raises(ValidationFailed):
        _save(world, _edit_child(world, relation="head"))
    with pytest.raises(ValidationFailed):
        _save(world, AddMember(household_id=hid, household_version=version, key=key(),
                               join_reason="married_in", name="新户主", birth_date=dt.date(1980, 1, 1),
                               sex="F", relation="head"))
    child = _child(world)
    _save(world, ChangeHead(household_id=hid, household_version=version, key=key(),
                            new_head_id=child.id, former_head_relation="parent"))
    relations = {m.id: m.relation for m in members(world.engine, hid)}
    assert relations == {head.id: "parent", child.id: "head"}


def test_an_ended_member_is_kept_and_leaves_the_decisions(world: World) -> None:
    hid = _hid(world)
    child = _child(world)
    _save(world, _edit_child(world, school_boarding=True))
    assert ("EDU-BZ-05", "m2", None) in stored_decisions(world.engine, hid)
    saved = _save(world, EndMembership(
        household_id=hid, household_version=household(world.engine, hid).version, key=key(),
        member_id=child.id, end_reason="moved_out", ended_on=dt.date(2018, 8, 1)))
    kept = next(m for m in members(world.engine, hid) if m.id == child.id)
    assert (kept.active, kept.end_reason, kept.ended_on) == (False, "moved_out", dt.date(2018, 8, 1))
    assert ("EDU-BZ-05", "m2", None) not in stored_decisions(world.engine, hid)
    assert any(c.kind == "removed" and c.rule_id == "EDU-BZ-05" for c in saved.changes)
    with pytest.raises(NotFound):
        _save(world, _edit_child(world))


def test_stays_are_recorded_corrected_and_removed_with_costs_checked(world: World) -> None:
    hid = _hid(world)
    head = next(m for m in members(world.engine, hid) if m.relation == "head")
    version = lambda: household(world.engine, hid).version  # noqa: E731
    fields = dict(member_id=head.id, kind="inpatient", admitted_on=dt.date(2018, 7, 2),
                  in_county=True, hospital_level="county", public=True,
                  total_cost_yuan=Decimal("10000"), out_of_catalog_yuan=Decimal("200"),
                  reimbursed_yuan=Decimal("8000"))
    with pytest.raises(ValidationFailed) as refused:
        _save(world, RecordStay(household_id=hid, household_version=version(), key=key(),
                                **{**fields, "reimbursed_yuan": Decimal("10000.01")}))
    assert refused.value.errors["reimbursed_yuan"] == "已报销金额不能超过医疗总费用（10000元）"
    saved = _save(world, RecordStay(household_id=hid, household_version=version(), key=key(),
                                    **fields))
    stay_id = int(saved.result_id or 0)
    assert any(k[0].startswith("MED-BZ-13") for k in stored_decisions(world.engine, hid))
    _save(world, CorrectStay(household_id=hid, household_version=version(), key=key(),
                             stay_id=stay_id, **{**fields, "total_cost_yuan": Decimal("12000")}))
    assert [s.total_cost_yuan for s in stays(world.engine, hid) if s.id == stay_id] == [Decimal("12000.00")]
    _save(world, RemoveStay(household_id=hid, household_version=version(), key=key(), stay_id=stay_id))
    assert stay_id not in [s.id for s in stays(world.engine, hid)]


def test_facts_and_income_are_saved_and_per_capita_computed(world: World) -> None:
    hid = _hid(world)
    h = household(world.engine, hid)
    _save(world, UpdateFacts(household_id=hid, household_version=h.version, key=key(),
                             registered_poor=True, poverty_status="exited", exit_year=2018,
                             dibao=True, housing_safety_grade="C", housing_renovated=True,
                             relocation_status="none", water_safe=True, power_ok=True,
                             tv_access=True, food_secure=True, clothing_secure=True))
    h = household(world.engine, hid)
    assert (h.poverty_status, h.exit_year, h.dibao, h.housing_safety_grade) == ("exited", 2018, True, "C")
    assert h.tekun is None  # the form sent it empty: not recorded
    _save(world, RecordIncome(household_id=hid, household_version=h.version, key=key(), year=2018,
                              wage_income_yuan=Decimal("6000"), transfer_income_yuan=Decimal("1001")))
    with read_session(world.engine) as s:
        record = s.scalars(select(IncomeRecord).where(IncomeRecord.household_id == hid,
                                                      IncomeRecord.year == 2018)).one()
    assert record.total_net_income_yuan == Decimal("7001.00")
    assert record.per_capita_net_income_yuan == Decimal("3500.50")  # two active members
    assert household(world.engine, hid).per_capita_net_income_yuan == Decimal("3500.50")
    with pytest.raises(ValidationFailed) as refused:
        _save(world, UpdateFacts(household_id=hid, household_version=household(world.engine, hid).version,
                                 key=key(), poverty_status="exited", tekun_mode="centralized"))
    assert set(refused.value.errors) == {"exit_year", "tekun_mode"}


def test_an_id_held_by_another_active_member_is_refused(world: World) -> None:
    other = world.ids_of["5119221000010002"][0]
    with pytest.raises(ValidationFailed) as caught:
        _save(world, _edit_child(world, id_number=other))
    assert "重复" in caught.value.errors["id_number"]
    assert other not in caught.value.message_zh


def test_households_outside_the_users_area_are_not_found(world: World) -> None:
    other_village = cadre(world, "511922101001")
    with pytest.raises(NotFound):
        _save(world, _edit_child(world, school_boarding=True), user=other_village)
    township = cadre(world, "511922100", role="township_staff")
    assert _save(world, _edit_child(world, school_boarding=True), user=township).result_id


def test_a_county_without_a_run_gets_one_at_today(world: World) -> None:
    with UnitOfWork("test", world.engine) as uow:
        uow.session.execute(DecisionRun.__table__.update().values(status="superseded"))
        uow.commit()
    _save(world, _edit_child(world, school_boarding=True))
    with read_session(world.engine) as s:
        current = s.scalars(select(DecisionRun).where(DecisionRun.status == "current")).all()
    assert [(r.county_code, r.on_date, r.pack) for r in current] == [("511922", TODAY, "bazhong-2018")]
    assert stored_decisions(world.engine, _hid(world))
