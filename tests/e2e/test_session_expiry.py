"""A login that ends while a cadre is typing (issue 4: typed input is never lost silently): the
save is refused, the browser goes to the login page, and after logging in again the cadre is
back at the same form with what they typed filled in and a note saying so; nothing was saved
until they tap 保存 again. Real Chromium at 768×1024; the session is ended in the database, as
an expiry or a logout elsewhere would. Screenshot in ``test-output/e2e/``."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Browser
from sqlalchemy import delete, select

from casework.db import get_engine, read_session
from casework.models import Area, Household, WebSession
from casework.passwords import DEMO_PASSWORD
from casework.uow import UnitOfWork
from tests.e2e.conftest import LiveServer

pytestmark = pytest.mark.e2e

TABLET = {"width": 768, "height": 1024}


def _household(url: str) -> tuple[int, str | None]:
    with read_session(get_engine(url)) as s:
        village = s.scalars(select(Area).where(Area.name == "五郎沟村")).one()
        household = s.scalars(select(Household).where(Household.village_id == village.id)
                              .order_by(Household.number.desc())).first()
        assert household is not None and household.id is not None
        return household.id, household.housing_safety_grade


def _end_every_session(url: str) -> None:
    with UnitOfWork("test:expiry", get_engine(url)) as uow:
        uow.session.execute(delete(WebSession))
        uow.commit()


def _grade(url: str, household_id: int) -> str | None:
    with read_session(get_engine(url)) as s:
        return s.get(Household, household_id).housing_safety_grade  # type: ignore[union-attr]


def _log_in(page, username: str = "cadre1") -> None:  # type: ignore[no-untyped-def]
    page.fill("#username", username)
    page.fill("#password", DEMO_PASSWORD)
    page.click("button[type=submit]:has-text('登录')")


def test_typed_input_survives_a_login_that_ended(
    browser: Browser, live_server: LiveServer, demo_url: str, output_dir: Path
) -> None:
    household_id, grade = _household(demo_url)
    wanted = "C" if grade != "C" else "B"
    form_path = f"/households/{household_id}/facts"
    context = browser.new_context(viewport=TABLET, locale="zh-CN", base_url=live_server.base)
    try:
        page = context.new_page()
        page.goto("/login")
        _log_in(page)
        page.wait_for_url("**/households")
        page.goto(form_path)
        page.select_option("#f-housing_safety_grade", wanted)
        page.fill("#f-relocation_build_cost_yuan", "86000")
        _end_every_session(demo_url)
        page.click("#editor button[type=submit]")
        page.wait_for_url("**/login?next=**")
        assert _grade(demo_url, household_id) == grade  # refused whole: nothing saved
        assert "登录后回到您刚才的页面" in page.inner_text("main")
        _log_in(page)
        page.wait_for_url(f"**{form_path}")
        note = page.locator("p.restored").inner_text()
        kept = (page.input_value("#f-housing_safety_grade"),
                page.input_value("#f-relocation_build_cost_yuan"))
        page.screenshot(path=str(output_dir / "edit-restored-after-login-768x1024.png"),
                        full_page=True)
        assert _grade(demo_url, household_id) == grade  # restoring is not saving
        page.click("#editor button[type=submit]")
        page.wait_for_selector("#editor .saved-note")
        page.goto(form_path)
        assert page.locator("p.restored").count() == 0  # the draft was used up
    finally:
        context.close()
    assert "已恢复您登录前填写" in note
    assert kept == (wanted, "86000")
    assert _grade(demo_url, household_id) == wanted
