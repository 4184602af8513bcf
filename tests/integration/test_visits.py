"""Visit results: saved through the unit of work (audited), versioned (a stale edit is refused),
idempotent (a repeated submission saves once), refused with Chinese messages naming the field,
and rolled up into discrepancy rates on the sample page."""

from __future__ import annotations

import datetime as dt
import re

from sqlalchemy import func, select

from casework.db import read_session
from casework.models import AuditEvent, Household
from casework.models.inspection import SampleHousehold, Visit
from tests.integration.test_sampling_world import (  # noqa: F401  (fixtures)
    draw_on_web, ssessions, sworld, visit_form,
)
from tests.integration.test_web_world import Sessions, World, csrf_token

SampledWorld = tuple[World, dict[str, str]]


def _members(world: World, sample_id: int) -> list[SampleHousehold]:
    with read_session(world.engine) as s:
        return list(s.scalars(select(SampleHousehold).where(SampleHousehold.sample_id == sample_id)
                              .order_by(SampleHousehold.stratum_code, SampleHousehold.rank)))


def _visit(world: World, sample_id: int, household_id: int) -> Visit | None:
    with read_session(world.engine) as s:
        return s.scalars(select(Visit).where(Visit.sample_id == sample_id,
                                             Visit.household_id == household_id)).first()


def _audits(world: World, action: str, visit_id: int) -> list[AuditEvent]:
    with read_session(world.engine) as s:
        return list(s.scalars(select(AuditEvent).where(
            AuditEvent.entity == "inspection_visits", AuditEvent.action == action,
            AuditEvent.entity_id == str(visit_id))))


def test_visit_is_saved_audited_and_edited_with_a_new_version(
        sworld: SampledWorld, ssessions: Sessions) -> None:
    world, _ = sworld
    client = ssessions("inspector")
    sample_id = draw_on_web(client, seed="audit")
    member = _members(world, sample_id)[0]
    saved = client.post(f"/inspect/samples/{sample_id}/visits/{member.household_id}",
                        data=visit_form(client, sample_id, member.household_id, {}))
    assert saved.status_code == 200 and "走访结果已保存" in saved.text
    visit = _visit(world, sample_id, member.household_id)
    assert visit is not None and visit.version == 1 and visit.recorded_by == "inspector"
    assert visit.findings["housing"]["recorded"] == member.recorded["housing"]
    created = _audits(world, "create", visit.id)  # type: ignore[arg-type]
    assert [e.actor for e in created] == ["inspector"]
    edit = visit_form(client, sample_id, member.household_id, {"housing": "unverifiable"},
                      {"housing": "家中无人"})
    assert edit["version"] == "1"
    assert client.post(f"/inspect/samples/{sample_id}/visits/{member.household_id}",
                       data=edit).status_code == 200
    visit = _visit(world, sample_id, member.household_id)
    assert visit is not None and visit.version == 2
    assert visit.findings["housing"] == {"recorded": member.recorded["housing"],
                                         "found": "unverifiable", "note": "家中无人"}
    [update] = _audits(world, "update", visit.id)  # type: ignore[arg-type]
    assert update.before["version"] == 1 and update.after["version"] == 2  # type: ignore[index]


def test_a_stale_edit_is_refused_and_nothing_changes(sworld: SampledWorld,
                                                     ssessions: Sessions) -> None:
    world, _ = sworld
    inspector, admin = ssessions("inspector"), ssessions("admin")
    sample_id = draw_on_web(inspector, seed="stale")
    member = _members(world, sample_id)[1]
    path = f"/inspect/samples/{sample_id}/visits/{member.household_id}"
    mine = visit_form(inspector, sample_id, member.household_id, {"income": "fail"})
    theirs = visit_form(admin, sample_id, member.household_id, {"income": "pass"},
                        visitor="刘管理员")
    assert admin.post(path, data=theirs).status_code == 200
    conflict = inspector.post(path, data=mine)
    assert conflict.status_code == 409 and "没有保存" in conflict.text and "admin" in conflict.text
    visit = _visit(world, sample_id, member.household_id)
    assert visit is not None and visit.visitor == "刘管理员" and visit.version == 1
    assert visit.findings["income"]["found"] == "pass"


def test_a_repeated_submission_saves_once(sworld: SampledWorld, ssessions: Sessions) -> None:
    world, _ = sworld
    client = ssessions("inspector")
    sample_id = draw_on_web(client, seed="twice")
    member = _members(world, sample_id)[2]
    path = f"/inspect/samples/{sample_id}/visits/{member.household_id}"
    form = visit_form(client, sample_id, member.household_id, {"food_clothing": "fail"})
    assert client.post(path, data=form).status_code == 200
    again = client.post(path, data=form)
    assert again.status_code == 200 and "走访结果已保存" in again.text
    visit = _visit(world, sample_id, member.household_id)
    assert visit is not None and visit.version == 1
    assert len(_audits(world, "create", visit.id)) == 1  # type: ignore[arg-type]
    assert _audits(world, "update", visit.id) == []  # type: ignore[arg-type]


def test_bad_visits_are_refused_in_chinese_and_nothing_is_saved(
        sworld: SampledWorld, ssessions: Sessions) -> None:
    world, _ = sworld
    client = ssessions("inspector")
    sample_id = draw_on_web(client, seed="refuse")
    member = _members(world, sample_id)[0]
    path = f"/inspect/samples/{sample_id}/visits/{member.household_id}"
    form = visit_form(client, sample_id, member.household_id, {},
                      visited_on=dt.date.today() + dt.timedelta(days=1))
    form["found_basic_medical"] = "maybe"
    recorded_housing = member.recorded["housing"]
    form["found_housing"] = "fail" if recorded_housing == "pass" else "pass"
    form["note_housing"] = ""
    form["visitor"] = ""
    answer = client.post(path, data=form)
    assert answer.status_code == 422
    for message in ("走访日期：不能晚于今天", "走访人：请填写", "基本医疗有保障：请选择",
                    "住房安全有保障：实际情况与档案记录不一致"):
        assert message in answer.text, message
    assert 'value="核实情况说明"' in answer.text  # what was typed is kept
    assert _visit(world, sample_id, member.household_id) is None
    outsider = next(hid for n, hid in world.households.items()
                    if hid not in {m.household_id for m in _members(world, sample_id)})
    assert client.get(f"/inspect/samples/{sample_id}/visits/{outsider}").status_code == 404


def _rate(page: str, attribute: str, code: str) -> str:
    row = re.search(rf'<tr {attribute}="{code}">(.*?)</tr>', page, re.S)
    assert row is not None, code
    found = re.search(r"data-rate>([^<]*)<", row.group(1))
    assert found is not None
    return found.group(1)


def test_discrepancy_rates_roll_up_from_the_visits(sworld: SampledWorld,
                                                   ssessions: Sessions) -> None:
    world, _ = sworld
    client = ssessions("inspector")
    sample_id = draw_on_web(client, per_stratum="2", seed="rates")
    members = _members(world, sample_id)
    page = client.get(f"/inspect/samples/{sample_id}").text
    assert "已走访 <strong>0</strong> 户" in page and _rate(page, "data-dimension", "housing") == "—"
    # three visits: one finds everything as recorded, one contradicts housing, one cannot
    # verify water; "unknown" records of water found pass also count as discrepancies
    plans = [{}, {"housing": "flip"}, {"drinking_water": "unverifiable"}]
    expected_housing = expected_water = checked_water = 0
    discrepant_households = 0
    for member, plan in zip(members, plans):
        found = {d: ("pass" if v == "unknown" else v) for d, v in member.recorded.items()}
        if plan.get("housing") == "flip":
            found["housing"] = "fail" if member.recorded["housing"] == "pass" else "pass"
        if "drinking_water" in plan:
            found["drinking_water"] = "unverifiable"
        wrong = [d for d in found
                 if found[d] in ("pass", "fail") and found[d] != member.recorded[d]]
        expected_housing += "housing" in wrong
        expected_water += "drinking_water" in wrong
        checked_water += found["drinking_water"] != "unverifiable"
        discrepant_households += bool(wrong)
        form = visit_form(client, sample_id, member.household_id, found)
        assert client.post(f"/inspect/samples/{sample_id}/visits/{member.household_id}",
                           data=form).status_code == 200
    page = client.get(f"/inspect/samples/{sample_id}").text
    assert f"已走访 <strong>3</strong> 户，其中 <strong>{discrepant_households}</strong> 户" in page
    assert _rate(page, "data-dimension", "housing") == f"{100 * expected_housing / 3:.1f}%"
    water = "—" if not checked_water else f"{100 * expected_water / checked_water:.1f}%"
    assert _rate(page, "data-dimension", "drinking_water") == water
    assert _rate(page, "data-dimension", "income") == "0.0%"
    township = members[0].stratum_code[:9]  # the first strata are 关坝镇's villages
    assert _rate(page, "data-township", township) == \
        f"{100 * discrepant_households / 3:.1f}%"


def test_inspectors_read_households_but_never_edit_them(sworld: SampledWorld,
                                                        ssessions: Sessions) -> None:
    world, _ = sworld
    client = ssessions("inspector")
    household_id = next(iter(world.households.values()))
    assert client.get(f"/households/{household_id}").status_code == 200
    assert client.get(f"/households/{household_id}/facts").status_code == 403
    with read_session(world.engine) as s:
        before = s.get(Household, household_id).version  # type: ignore[union-attr]
    form = {"_csrf_token": csrf_token(client), "household_version": str(before),
            "key": "k" * 24, "water_safe": "false"}
    assert client.post(f"/households/{household_id}/facts", data=form).status_code == 403
    with read_session(world.engine) as s:
        assert s.get(Household, household_id).version == before  # type: ignore[union-attr]
        assert s.scalar(select(func.count()).where(AuditEvent.actor == "inspector",
                                                   AuditEvent.entity == "households")) == 0
