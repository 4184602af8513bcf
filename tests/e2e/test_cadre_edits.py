"""A village cadre's edits in real Chromium at 768×1024 and 1280×800 (issue 4): add a newborn,
enrol a child as a junior-secondary boarder and see the 1250 元 allowance with its citation,
record an in-county hospital stay (through a dropped connection and a retry) and see the medical
top-up, be told about an invalid ID with the input kept, and meet the conflict screen when a
second browser context saved the same household first. Screenshots go to ``test-output/e2e/``."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page
from sqlalchemy import select

from casework.db import get_engine, read_session
from casework.models import Area, HospitalStay, Household, Member
from casework.passwords import DEMO_PASSWORD
from tests.e2e.conftest import LiveServer

pytestmark = pytest.mark.e2e

TABLET = {"width": 768, "height": 1024}
LAPTOP = {"width": 1280, "height": 800}
ON = dt.date(2018, 9, 1)
_TARGETS = ("a.button, button, select, input:not([type=hidden]):not([type=radio]), label.pick")


@dataclass
class Target:
    household_id: int
    pupil_id: int
    head_id: int
    stays_before: int


@dataclass
class Seen:
    screens: dict[str, Path] = field(default_factory=dict)
    overflow: dict[str, int] = field(default_factory=dict)
    small: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    text: dict[str, str] = field(default_factory=dict)
    kept_values: dict[str, str] = field(default_factory=dict)
    stays_before: int = 0
    stays_after: int = 0
    members_after: list[tuple[str | None, bool]] = field(default_factory=list)
    grade_after: str | None = None


def _target(url: str) -> Target:
    """A household of cadre1's village (五郎沟村) with a junior-secondary pupil who does not
    board, in a registered-poor, economically difficult family."""
    with read_session(get_engine(url)) as s:
        village = s.scalars(select(Area).where(Area.name == "五郎沟村")).one()
        for h in s.scalars(select(Household).where(Household.village_id == village.id,
                                                   Household.registered_poor.is_(True),
                                                   Household.economic_difficulty.is_(True))
                           .order_by(Household.number)):
            active = [m for m in h.members if m.active]
            pupil = next((m for m in active if m.school_stage == "junior"
                          and m.school_boarding is False), None)
            head = next((m for m in active if m.relation == "head"), None)
            if pupil and head and pupil.id != head.id:
                stays = sum(len(m.hospital_stays) for m in h.members)
                return Target(h.id, pupil.id, head.id, stays)  # type: ignore[arg-type]
    raise LookupError("no suitable household in the demo village")


def _log_in(context: BrowserContext) -> Page:
    page = context.new_page()
    page.goto("/login")
    page.fill("#username", "cadre1")
    page.fill("#password", DEMO_PASSWORD)
    page.click("button[type=submit]:has-text('登录')")
    page.wait_for_url("**/households")
    return page


def _screen(seen: Seen, page: Page, name: str, out: Path) -> None:
    path = out / f"edit-{name}.png"
    page.screenshot(path=str(path), full_page=True)
    seen.screens[name] = path
    seen.overflow[name] = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth")
    for html, width, height in page.eval_on_selector_all(
            _TARGETS, "els => els.filter(e => e.offsetParent !== null).map(e => {"
            " const r = e.getBoundingClientRect();"
            " return [e.outerHTML.slice(0, 80), Math.round(r.width), Math.round(r.height)]; })"):
        if height < 44 or width < 44:
            seen.small.append(f"{name}: {width}×{height} {html}")


def _both_sizes(seen: Seen, page: Page, name: str, out: Path) -> None:
    _screen(seen, page, f"{name}-768x1024", out)
    page.set_viewport_size(LAPTOP)
    _screen(seen, page, f"{name}-1280x800", out)
    page.set_viewport_size(TABLET)


def _save(page: Page) -> None:
    page.click("#editor button[type=submit]")
    page.wait_for_selector("#editor .saved-note, #editor .form-errors, #editor.conflict")


@pytest.fixture(scope="module")
def seen(browser: Browser, live_server: LiveServer, demo_url: str, output_dir: Path) -> Iterator[Seen]:
    target = _target(demo_url)
    record = Seen(stays_before=target.stays_before)
    first = browser.new_context(viewport=TABLET, locale="zh-CN", base_url=live_server.base)
    second = browser.new_context(viewport=TABLET, locale="zh-CN", base_url=live_server.base)
    try:
        page = _log_in(first)
        page.on("pageerror", lambda e: record.problems.append(str(e)))
        base = f"/households/{target.household_id}"
        _newborn(page, base, record, output_dir)
        _boarder(page, base, target, record, output_dir)
        _stay(page, first, base, target, record, output_dir)
        _invalid_id(page, base, record, output_dir)
        _conflict(page, _log_in(second), base, record, output_dir)
        page.goto(base)
        _both_sizes(record, page, "household", output_dir)
    finally:
        first.close()
        second.close()
    _after(demo_url, target, record)
    yield record


def _newborn(page: Page, base: str, seen: Seen, out: Path) -> None:
    page.goto(base + "/members/new")
    _both_sizes(seen, page, "add-member-form", out)
    page.select_option("#f-join_reason", "birth")
    page.fill("#f-name", "测试新生儿")
    page.fill("#f-birth_date", "2018-08-15")
    page.select_option("#f-sex", "F")
    page.select_option("#f-relation", "grandchild")
    _save(page)
    seen.text["newborn"] = page.locator("#editor").inner_text()


def _boarder(page: Page, base: str, target: Target, seen: Seen, out: Path) -> None:
    page.goto(f"{base}/members/{target.pupil_id}/edit")
    page.select_option("#f-school_stage", "junior")
    page.select_option("#f-school_boarding", "1")
    _save(page)
    seen.text["boarder"] = page.locator("#editor").inner_text()
    seen.text["boarder_row"] = page.locator("tr.row-added", has_text="EDU-BZ-05").inner_text()
    _both_sizes(seen, page, "boarder-saved", out)


def _stay(page: Page, context: BrowserContext, base: str, target: Target, seen: Seen,
          out: Path) -> None:
    page.goto(base + "/stays/new")
    page.select_option("#f-member_id", str(target.head_id))
    page.select_option("#f-kind", "inpatient")
    page.fill("#f-admitted_on", "2018-07-10")
    page.select_option("#f-in_county", "1")
    page.select_option("#f-hospital_level", "county")
    page.select_option("#f-public", "1")
    page.fill("#f-total_cost_yuan", "10000")
    page.fill("#f-out_of_catalog_yuan", "300")
    page.fill("#f-reimbursed_yuan", "8000")
    context.set_offline(True)
    page.click("#editor button[type=submit]")
    page.wait_for_selector(".send-error:not([hidden])")
    seen.text["offline"] = page.locator(".send-error").inner_text()
    seen.kept_values["offline_total"] = page.input_value("#f-total_cost_yuan")
    _screen(seen, page, "stay-offline-768x1024", out)
    context.set_offline(False)
    page.click("[data-retry]")
    page.wait_for_selector("#editor .saved-note")
    seen.text["stay"] = page.locator("#editor").inner_text()


def _invalid_id(page: Page, base: str, seen: Seen, out: Path) -> None:
    page.goto(base + "/members/new")
    page.select_option("#f-join_reason", "married_in")
    page.fill("#f-name", "测试配偶")
    page.fill("#f-id_number", "511922199001010010")  # check character should be 5
    page.select_option("#f-relation", "other")
    _save(page)
    seen.text["invalid"] = page.locator("#e-id_number").inner_text()
    seen.kept_values["id"] = page.input_value("#f-id_number")
    seen.kept_values["name"] = page.input_value("#f-name")
    _both_sizes(seen, page, "invalid-id", out)


def _conflict(page: Page, other: Page, base: str, seen: Seen, out: Path) -> None:
    page.goto(base + "/facts")
    other.goto(base + "/facts")
    other.select_option("#f-housing_safety_grade", "B")
    _save(other)
    page.select_option("#f-housing_safety_grade", "D")
    _save(page)
    seen.text["conflict"] = page.locator("#editor").inner_text()
    _both_sizes(seen, page, "conflict", out)
    page.check("input[name=housing_safety_grade][value=B]")
    _save(page)
    seen.text["resolved"] = page.locator("#editor .saved-note").inner_text()


def _after(url: str, target: Target, seen: Seen) -> None:
    with read_session(get_engine(url)) as s:
        members = s.scalars(select(Member).where(Member.household_id == target.household_id)).all()
        seen.members_after = [(m.name, m.active) for m in members]
        seen.stays_after = len(s.scalars(select(HospitalStay).join(Member).where(
            Member.household_id == target.household_id)).all())
        seen.grade_after = s.get(Household, target.household_id).housing_safety_grade  # type: ignore[union-attr]


def test_newborn_is_added_without_an_id(seen: Seen) -> None:
    assert "已保存" in seen.text["newborn"]
    assert ("测试新生儿", True) in seen.members_after
    assert ("测试配偶", True) not in seen.members_after


def test_boarding_allowance_appears_with_amount_and_citation(seen: Seen) -> None:
    assert "EDU-BZ-05" in seen.text["boarder"] and "新增" in seen.text["boarder"]
    row = seen.text["boarder_row"]
    assert "1,250.00" in row and "巴委办〔2018〕11号" in row


def test_in_county_stay_gives_the_medical_top_up_once_after_a_retry(seen: Seen) -> None:
    assert "网络连接中断" in seen.text["offline"] and seen.kept_values["offline_total"] == "10000"
    assert "MED-BZ-13" in seen.text["stay"]
    assert seen.stays_after == seen.stays_before + 1  # the retry did not add a second stay


def test_invalid_id_is_explained_and_the_input_kept(seen: Seen) -> None:
    assert "校验位" in seen.text["invalid"] and seen.text["invalid"].startswith("身份证号码")
    assert seen.kept_values == seen.kept_values | {"id": "511922199001010010", "name": "测试配偶"}


def test_second_context_edit_gives_the_conflict_screen(seen: Seen) -> None:
    text = seen.text["conflict"]
    assert "已被他人修改" in text and "住房安全等级" in text and "还没有保存" in text
    assert "已保存" in seen.text["resolved"] and seen.grade_after == "B"


def test_screens_fit_and_touch_targets_are_big_enough(seen: Seen) -> None:
    assert {k: v for k, v in seen.overflow.items() if v > 0} == {}
    assert seen.small == []
    assert all(path.stat().st_size > 10_000 for path in seen.screens.values())
    assert seen.problems == []
