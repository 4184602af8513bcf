"""The edit forms over HTTP (Litestar's test client on the web-test world with the Bazhong
pack): every form renders with the browser-side checks, saves show the recomputed decisions with
the changes highlighted, refusals answer 422 with the typed input kept and a message per field,
a stale form gets the conflict screen, CSRF is required, roles and areas are enforced."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from litestar import Litestar
from litestar.testing import TestClient

from tests.integration.editing_support import digest, editing_world, household, members, stays
from tests.integration.test_web_world import Sessions, World, csrf_token
from tests.integration.test_web_world import sessions  # noqa: F401  (fixture, on this module's world)

HX = {"HX-Request": "true"}
NUMBER = "5119221000010003"
OUTSIDE = "5119221010010036"  # 凤凰村, 桥亭镇: another township
NEIGHBOUR = "5119221000020031"  # 五郎沟村: another village of the cadre's township


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    built = editing_world(f"sqlite:///{tmp_path_factory.mktemp('edit') / 'casework.db'}")
    yield built
    built.engine.dispose()



def _hid(world: World, number: str = NUMBER) -> int:
    return world.households[number]


def _child_id(world: World, number: str = NUMBER) -> int:
    return next(m.id for m in members(world.engine, _hid(world, number)) if m.relation == "child")


def _hidden(page: str) -> dict[str, str]:
    return {name: re.search(rf'name="{name}" value="([^"]*)"', page).group(1)  # type: ignore[union-attr]
            for name in ("household_version", "key", "_csrf_token")}


def _form(client: TestClient[Litestar], url: str) -> dict[str, str]:
    page = client.get(url)
    assert page.status_code == 200, page.text
    return _hidden(page.text)


def _member_form(world: World, **values: str) -> dict[str, str]:
    child = next(m for m in members(world.engine, _hid(world)) if m.relation == "child")
    base = {"name": child.name or "", "relation": "child", "school_stage": "junior",
            "school_boarding": "0", "school_public": "1", "medical_insurance": "1"}
    return base | values


def test_every_form_renders_with_browser_checks(world: World, sessions: Sessions) -> None:
    client = sessions("cadre")
    hid, child = _hid(world), _child_id(world)
    stay = stays(world.engine, hid)[0].id
    urls = [f"/households/{hid}/{p}" for p in ("facts", "income", "members/new", "head",
            "stays/new", f"members/{child}/edit", f"members/{child}/end", f"stays/{stay}/edit",
            f"stays/{stay}/delete")]
    for url in urls:
        page = client.get(url)
        assert page.status_code == 200, url
        assert 'name="key"' in page.text and 'name="household_version"' in page.text
        assert "/static/js/forms.js" in page.text
    member = client.get(urls[5]).text
    assert 'pattern="[0-9]{17}[0-9Xx]"' in member and 'inputmode="decimal"' in member
    assert 'inputmode="numeric"' in member and 'type="date"' in member and 'max="20' in member
    stay_page = client.get(urls[4]).text
    assert 'min="0"' in stay_page and "required" in stay_page
    assert all(full not in member for full in world.full_ids)


def test_a_save_shows_recomputed_decisions_with_the_change_highlighted(
        world: World, sessions: Sessions) -> None:
    client = sessions("cadre")
    url = f"/households/{_hid(world)}/members/{_child_id(world)}/edit"
    client.post(url, data=_form(client, url) | _member_form(world), headers=HX)
    answer = client.post(url, data=_form(client, url) | _member_form(world, school_boarding="1"),
                         headers=HX)
    assert answer.status_code == 200
    page = answer.text
    assert page.startswith('\n<div id="editor"') or '<div id="editor"' in page[:300]
    assert "已保存" in page and "EDU-BZ-05" in page and "1,250.00" in page
    assert 'class="row-added"' in page and "新增" in page
    assert "义务教育“一补”" in page or "二(三)2" in page  # the citation's section


def test_a_refused_save_keeps_the_input_and_names_the_field(world: World, sessions: Sessions) -> None:
    client = sessions("cadre")
    hid = _hid(world)
    url = f"/households/{hid}/members/new"
    before = digest(world.engine, hid)
    typed = {"join_reason": "birth", "name": "钱小宝宝", "id_number": "511922201805060010",
             "birth_date": "2018-05-06", "sex": "M", "relation": "grandchild"}
    answer = client.post(url, data=_form(client, url) | typed, headers=HX)
    assert answer.status_code == 422
    assert 'value="钱小宝宝"' in answer.text and 'value="511922201805060010"' in answer.text
    assert re.search(r'class="field-error" id="e-id_number"[^>]*>身份证号码有误：.*校验位', answer.text)
    assert digest(world.engine, hid) == before
    garbage = client.post(url, data=_form(client, url) | typed | {"birth_date": "2018-13-40",
                                                                  "relation": "boss"}, headers=HX)
    assert garbage.status_code == 422
    assert "2018-13-40不是有效日期" in garbage.text and "与户主关系不是可选的值" in garbage.text


def test_a_stale_form_gets_the_conflict_screen_and_can_take_either_value(
        world: World, sessions: Sessions) -> None:
    client = sessions("cadre")
    hid = _hid(world)
    url = f"/households/{hid}/facts"
    mine, theirs = _form(client, url), _form(client, url)
    facts = {"relocation_status": "none", "water_safe": "1", "power_ok": "1"}
    assert client.post(url, data=theirs | facts | {"housing_safety_grade": "B"}, headers=HX).status_code == 200
    conflict = client.post(url, data=mine | facts | {"housing_safety_grade": "D"}, headers=HX)
    assert conflict.status_code == 409
    page = conflict.text
    assert "已被他人修改" in page and "住房安全等级" in page
    assert 'value="D" checked' in page and 'value="B"' in page
    assert household(world.engine, hid).housing_safety_grade == "B"
    again = _hidden(page)
    assert int(again["household_version"]) == household(world.engine, hid).version
    taken = client.post(url, data=again | facts | {"housing_safety_grade": "D"}, headers=HX)
    assert taken.status_code == 200 and household(world.engine, hid).housing_safety_grade == "D"


def test_a_double_submission_adds_one_stay(world: World, sessions: Sessions) -> None:
    client = sessions("cadre")
    hid = _hid(world)
    head = next(m.id for m in members(world.engine, hid) if m.relation == "head")
    url = f"/households/{hid}/stays/new"
    form = _form(client, url) | {"member_id": str(head), "kind": "inpatient",
                                 "admitted_on": "2018-07-01", "in_county": "1",
                                 "hospital_level": "county", "public": "1",
                                 "total_cost_yuan": "9000", "out_of_catalog_yuan": "100",
                                 "reimbursed_yuan": "7000"}
    count = len(stays(world.engine, hid))
    first = client.post(url, data=form, headers=HX)
    second = client.post(url, data=form, headers=HX)
    assert first.status_code == second.status_code == 200
    assert "MED-BZ-13" in first.text and "没有重复保存" in second.text
    assert len(stays(world.engine, hid)) == count + 1


def test_csrf_is_required(world: World, sessions: Sessions) -> None:
    client = sessions("cadre")
    url = f"/households/{_hid(world)}/facts"
    form = _form(client, url)
    del form["_csrf_token"]
    assert client.post(url, data=form).status_code == 403
    assert client.post(url, data=form, headers={"X-CSRFToken": csrf_token(client)}).status_code in (200, 422)


@pytest.mark.parametrize("user", ["inspector", "admin"])
def test_inspectors_and_administrators_cannot_edit(world: World, sessions: Sessions, user: str) -> None:
    client = sessions(user)
    hid = _hid(world)
    before = digest(world.engine, hid)
    assert client.get(f"/households/{hid}/facts").status_code == 403
    answer = client.post(f"/households/{hid}/facts",
                         data={"_csrf_token": csrf_token(client), "housing_safety_grade": "A"})
    assert answer.status_code == 403
    assert digest(world.engine, hid) == before
    assert "/facts" not in client.get(f"/households/{hid}").text


def test_households_outside_the_area_are_404_for_reads_and_writes(world: World, sessions: Sessions) -> None:
    client = sessions("cadre")
    other = world.households[OUTSIDE]
    child = _child_id(world, OUTSIDE)
    before = digest(world.engine, other)
    for path in ("facts", f"members/{child}/edit", "stays/new"):
        assert client.get(f"/households/{other}/{path}").status_code == 404
        posted = client.post(f"/households/{other}/{path}", data={"_csrf_token": csrf_token(client)})
        assert posted.status_code == 404
    assert digest(world.engine, other) == before
    mine = _hid(world)
    assert client.get(f"/households/{mine}/members/{child}/edit").status_code == 404
    neighbour = world.households[NEIGHBOUR]
    assert client.get(f"/households/{neighbour}/facts").status_code == 404
    township = sessions("township")
    assert township.get(f"/households/{neighbour}/facts").status_code == 200
    assert township.get(f"/households/{other}/facts").status_code == 404


def test_household_page_offers_the_edit_actions(world: World, sessions: Sessions) -> None:
    page = sessions("cadre").get(f"/households/{_hid(world)}").text
    hid = _hid(world)
    for href in (f"/households/{hid}/facts", f"/households/{hid}/members/new",
                 f"/households/{hid}/stays/new", f"/households/{hid}/history",
                 f"/households/{hid}/members/{_child_id(world)}/edit",
                 f"/households/{hid}/members/{_child_id(world)}/end",
                 f"/households/{hid}/members/{_child_id(world)}/reveal"):
        assert f'href="{href}"' in page, href
    assert all(full not in page for full in world.full_ids)
