"""The household list (scoping per role, search, pages, fragments) and the household page."""

from __future__ import annotations

import re

import pytest
from litestar import Litestar
from litestar.testing import TestClient

from casework.ids import ResidentId, mask_detail, mask_list
from tests.integration.test_web_world import (
    HOUSEHOLDS_PER_VILLAGE,
    Sessions,
    World,
    sessions,  # noqa: F401  (fixture)
    world,  # noqa: F401  (fixture)
)
from web.households import page_links

XIAOTIAN, WULANGGOU, FENGHUANG, LAOYINGZUI = HOUSEHOLDS_PER_VILLAGE
XIAOTIAN_COUNT = HOUSEHOLDS_PER_VILLAGE[XIAOTIAN]
_ROW = re.compile(r'<a class="row-link" href="/households/(\d+)">(\d+)</a>')
_TOTAL = re.compile(r"户共 <strong>(\d+)</strong> 户")
_FULL_ID = re.compile(r"(?<![0-9A-Za-z])\d{17}[0-9X](?![0-9A-Za-z])")


def numbers_on(html: str) -> list[str]:
    return [number for _id, number in _ROW.findall(html)]


def all_numbers(client: TestClient[Litestar], query: str = "") -> set[str]:
    seen: list[str] = []
    page = 1
    while True:
        html = client.get("/households", params={"q": query, "page": page}).text
        rows = numbers_on(html)
        if not rows or rows[0] in seen:
            return set(seen)
        seen += rows
        page += 1


def total_on(html: str) -> int:
    found = _TOTAL.search(html)
    assert found, "no total on the page"
    return int(found.group(1))


def full_ids_in(html: str) -> list[str]:
    return [m for m in _FULL_ID.findall(html) if ResidentId.is_valid(m)]


@pytest.mark.parametrize(
    ("username", "villages"),
    [
        ("cadre", [XIAOTIAN]),
        ("cadre_fh", [FENGHUANG]),
        ("township", [XIAOTIAN, WULANGGOU]),
        ("inspector", [XIAOTIAN, WULANGGOU, FENGHUANG]),
        ("admin", [XIAOTIAN, WULANGGOU, FENGHUANG]),
        ("inspector_tj", [LAOYINGZUI]),
    ],
)
def test_each_role_sees_exactly_its_area(
    sessions: Sessions, world: World, username: str, villages: list[str]
) -> None:
    client = sessions(username)
    first = client.get("/households").text
    assert total_on(first) == len(world.numbers_in(*villages))
    assert all_numbers(client) == world.numbers_in(*villages)


@pytest.mark.parametrize(
    ("username", "village", "status"),
    [
        ("cadre", XIAOTIAN, 200), ("cadre", WULANGGOU, 404), ("cadre", FENGHUANG, 404),
        ("cadre", LAOYINGZUI, 404), ("township", WULANGGOU, 200), ("township", FENGHUANG, 404),
        ("inspector", FENGHUANG, 200), ("inspector", LAOYINGZUI, 404),
        ("inspector_tj", LAOYINGZUI, 200),
    ],
)
def test_household_page_answers_404_outside_the_area(
    sessions: Sessions, world: World, username: str, village: str, status: int
) -> None:
    number = sorted(world.numbers_in(village))[0]
    client = sessions(username)
    response = client.get(f"/households/{world.households[number]}")
    assert response.status_code == status
    assert (world.head_of[number] in response.text) == (status == 200)


def test_out_of_area_and_nonexistent_households_look_the_same(
    sessions: Sessions, world: World
) -> None:
    elsewhere = world.households[sorted(world.numbers_in(LAOYINGZUI))[0]]
    client = sessions("cadre")
    hidden = client.get(f"/households/{elsewhere}")
    missing = client.get("/households/987654")
    assert hidden.status_code == missing.status_code == 404
    assert hidden.text == missing.text
    assert "不存在" in hidden.text and "Traceback" not in hidden.text


@pytest.mark.parametrize("path", ["/households/abc", "/households/-1", "/households/0",
                                  "/households/99999999999999999999999999"])
def test_bad_household_ids_are_404_not_500(sessions: Sessions, world: World, path: str) -> None:
    client = sessions("admin")
    response = client.get(path)
    assert response.status_code == 404 and "未找到" in response.text


def test_search_by_head_name_full_and_partial(sessions: Sessions, world: World) -> None:
    number = sorted(world.numbers_in(XIAOTIAN))[7]
    name = world.head_of[number]
    client = sessions("cadre")
    assert numbers_on(client.get("/households", params={"q": name}).text) == [number]
    partial = numbers_on(client.get("/households", params={"q": name[1:3]}).text)
    assert number in partial
    assert all(name[1:3] in world.head_of[n] for n in partial)


def test_search_by_household_number(sessions: Sessions, world: World) -> None:
    number = sorted(world.numbers_in(XIAOTIAN))[12]
    client = sessions("cadre")
    html = client.get("/households", params={"q": number}).text
    assert numbers_on(html) == [number] and total_on(html) == 1


def test_search_by_last_four_of_any_members_id(sessions: Sessions, world: World) -> None:
    for number, member in ((sorted(world.numbers_in(WULANGGOU))[2], 0),
                           (sorted(world.numbers_in(XIAOTIAN))[9], 1)):
        last4 = world.ids_of[number][member][-4:]
        expected = {n for n in world.numbers_in(XIAOTIAN, WULANGGOU)
                    if any(i.endswith(last4) for i in world.ids_of[n]) or last4 in n}
        client = sessions("township")
        found = set(numbers_on(client.get("/households", params={"q": last4.lower()}).text))
        assert number in found and found == expected


def test_search_stays_inside_the_area(sessions: Sessions, world: World) -> None:
    outsider = sorted(world.numbers_in(FENGHUANG))[0]
    client = sessions("cadre")
    html = client.get("/households", params={"q": world.head_of[outsider]}).text
    assert total_on(html) == 0 and "没有找到" in html


def test_wildcards_in_the_query_are_literal(sessions: Sessions, world: World) -> None:
    client = sessions("admin")
    for query in ("%", "_", "\\"):
        assert total_on(client.get("/households", params={"q": query}).text) == 0


def test_a_full_id_in_the_query_is_not_searched_nor_echoed(
    sessions: Sessions, world: World
) -> None:
    number = sorted(world.numbers_in(XIAOTIAN))[3]
    full = world.head_id_of[number]
    client = sessions("cadre")
    html = client.get("/households", params={"q": full}).text
    assert "请不要输入完整的身份证号码" in html
    assert full not in html and not full_ids_in(html)


def test_pages_hold_25_and_link_to_each_other(sessions: Sessions, world: World) -> None:
    client = sessions("cadre")
    first = client.get("/households").text
    second = client.get("/households", params={"page": "2"}).text
    assert len(numbers_on(first)) == 25 and len(numbers_on(second)) == XIAOTIAN_COUNT - 25
    assert "第 1 / 2 页" in first and "第 2 / 2 页" in second
    assert 'href="/households?q=&amp;page=2"' in first and 'rel="next"' in first
    assert 'rel="prev"' in second and 'rel="next"' not in second
    assert not set(numbers_on(first)) & set(numbers_on(second))



@pytest.mark.parametrize(
    ("page", "shown", "message"),
    [("abc", 1, "页码应为正整数"), ("-1", 1, "页码应为正整数"), ("0", 1, "页码应为正整数"),
     ("1.5", 1, "页码应为正整数"), ("99", 2, "没有第99页"), ("99999999999", 1, "页码应为正整数"),
     ("２", 1, "页码应为正整数")],
)
def test_bad_page_numbers_are_clamped_with_a_message(
    sessions: Sessions, world: World, page: str, shown: int, message: str
) -> None:
    client = sessions("cadre")
    response = client.get("/households", params={"page": page})
    assert response.status_code == 200
    assert message in response.text and f"第 {shown} / 2 页" in response.text


def test_htmx_request_gets_the_fragment_and_a_plain_one_the_page(
    sessions: Sessions, world: World
) -> None:
    client = sessions("cadre")
    fragment = client.get("/households", params={"q": "小"}, headers={"HX-Request": "true"})
    full = client.get("/households", params={"q": "小"})
    restore = client.get("/households", headers={
        "HX-Request": "true", "HX-History-Restore-Request": "true"})
    assert fragment.text.lstrip().startswith('<section id="results"')
    assert "<html" not in fragment.text and "<html" in full.text and "<html" in restore.text
    assert 'id="results"' in full.text and 'hx-get="/households"' in full.text
    assert "HX-Request" in fragment.headers["vary"] and "HX-Request" in full.headers["vary"]


def test_list_masks_ids_for_lists(sessions: Sessions, world: World) -> None:
    client = sessions("cadre")
    html = client.get("/households").text
    first = sorted(world.numbers_in(XIAOTIAN))[0]
    assert mask_list(world.head_id_of[first]) in html
    assert not full_ids_in(html)


def test_household_page_shows_facts_members_health_housing_income(
    sessions: Sessions, world: World
) -> None:
    number = sorted(world.numbers_in(XIAOTIAN))[4]
    client = sessions("cadre")
    html = client.get(f"/households/{world.households[number]}").text
    for text in ("基本情况", "关坝镇", "小田村", "因病、缺劳力", "3,120.50 元", "县农业局 刘明",
                 "家庭成员（2 人）", "户主", "子女", "初中", "高血压", "肺炎", "8,000.00",
                 "县级公立，县内",
                 "住房安全等级", "饮水安全", "2017年", "6,241.00"):
        assert text in html, text
    assert mask_detail(world.head_id_of[number]) in html
    assert not full_ids_in(html)
    assert "尚未进行政策计算" in html  # no recompute run yet: the section says so


def test_no_page_a_user_can_reach_shows_a_full_id(sessions: Sessions, world: World) -> None:
    client = sessions("admin")
    pages = [client.get("/households", params={"page": p}).text for p in (1, 2)]
    pages += [client.get(f"/households/{world.households[n]}").text
              for n in sorted(world.numbers_in(XIAOTIAN, WULANGGOU, FENGHUANG))]
    assert len(pages) == 2 + len(world.numbers_in(XIAOTIAN, WULANGGOU, FENGHUANG))
    leaks = [i for html in pages for i in full_ids_in(html)]
    assert leaks == []
    assert sum(mask_detail(i) in "".join(pages) for i in world.full_ids) > 0


def test_page_links_show_ends_a_window_and_gaps() -> None:
    assert page_links(1, 1) == [1]
    assert page_links(10, 20) == [1, None, 8, 9, 10, 11, 12, None, 20]
    assert page_links(2, 5) == [1, 2, 3, 4, 5]
