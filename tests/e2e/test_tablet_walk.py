"""A village cadre's walk on a 768×1024 tablet: log in, search a household by its head's name,
open it, log out. Every HTML answer the browser received is kept and scanned for full ID
numbers; screenshots at 768×1024 and 1280×800 go to ``test-output/e2e/``."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, Response

from casework.ids import ResidentId
from casework.passwords import DEMO_PASSWORD
from tests.e2e.conftest import LiveServer

pytestmark = pytest.mark.e2e

TABLET = {"width": 768, "height": 1024}
LAPTOP = {"width": 1280, "height": 800}
_FULL_ID = re.compile(r"(?<![0-9A-Za-z])\d{17}[0-9Xx](?![0-9A-Za-z])")
_TOUCH_TARGETS = "a.button, button, input:not([type=hidden]), a.row-link"


@dataclass
class Walk:
    html: list[tuple[str, bool, str]] = field(default_factory=list)
    """(url, was an htmx request, body) of every HTML response."""
    problems: list[str] = field(default_factory=list)
    """Console errors and page errors (a CSP violation shows up here)."""
    screenshots: dict[str, Path] = field(default_factory=dict)
    small_targets: list[str] = field(default_factory=list)
    overflow: dict[str, int] = field(default_factory=dict)
    """Horizontal overflow in pixels per screen (0 = fits)."""
    searched_for: str = ""
    list_total_before: int = 0
    list_total_after: int = 0
    household_title: str = ""
    decisions_text: str = ""
    after_logout: str = ""
    stored_keys: list[str] = field(default_factory=list)
    """What the site left in the tablet's localStorage (htmx's history cache would hold pages)."""


def _keep_html(walk: Walk, response: Response) -> None:
    if "text/html" not in (response.headers.get("content-type") or ""):
        return
    is_htmx = response.request.headers.get("hx-request") == "true"
    walk.html.append((response.url, is_htmx, response.text()))


def _check_screen(walk: Walk, page: Page, name: str, out: Path) -> None:
    path = out / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    walk.screenshots[name] = path
    walk.overflow[name] = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    for box in page.eval_on_selector_all(
        _TOUCH_TARGETS,
        "els => els.filter(e => e.offsetParent !== null).map(e => {"
        " const r = e.getBoundingClientRect();"
        " return [e.outerHTML.slice(0, 80), Math.round(r.width), Math.round(r.height)]; })",
    ):
        html, width, height = box
        if height < 44 or width < 44:
            walk.small_targets.append(f"{name}: {width}×{height} {html}")


def _total(page: Page) -> int:
    text = page.locator("#results .summary strong").inner_text()
    return int(text)


@pytest.fixture(scope="module")
def walk(browser: Browser, live_server: LiveServer, output_dir: Path) -> Iterator[Walk]:
    record = Walk()
    context = browser.new_context(viewport=TABLET, locale="zh-CN", base_url=live_server.base)
    page = context.new_page()
    page.on("response", lambda r: _keep_html(record, r))
    page.on("console", lambda m: m.type == "error" and record.problems.append(m.text))
    page.on("pageerror", lambda e: record.problems.append(str(e)))
    try:
        _walk(page, record, output_dir)
    finally:
        context.close()
    yield record


def _walk(page: Page, walk: Walk, out: Path) -> None:
    page.goto("/login")
    _check_screen(walk, page, "login-768x1024", out)
    page.fill("#username", "cadre1")
    page.fill("#password", DEMO_PASSWORD)
    page.click("button[type=submit]:has-text('登录')")
    page.wait_for_url("**/households")
    _check_screen(walk, page, "list-768x1024", out)
    walk.list_total_before = _total(page)
    walk.searched_for = page.locator("table.households tbody tr").nth(3).locator(
        "td:nth-child(2) a").inner_text()
    with page.expect_response(lambda r: "/households?q=" in r.url):
        page.locator("#q").press_sequentially(walk.searched_for, delay=30)
    page.wait_for_function(
        "n => document.querySelector('#results .summary strong').textContent !== n",
        arg=str(walk.list_total_before),
    )
    walk.list_total_after = _total(page)
    _check_screen(walk, page, "search-768x1024", out)
    page.locator("table.households a.row-link", has_text=walk.searched_for).first.click()
    page.wait_for_url(re.compile(r".*/households/\d+$"))
    walk.household_title = page.locator("h1").inner_text()
    walk.decisions_text = page.locator("#decisions").inner_text()
    _check_screen(walk, page, "household-768x1024", out)
    page.set_viewport_size(LAPTOP)
    _check_screen(walk, page, "household-1280x800", out)
    page.go_back()
    page.wait_for_selector("#results")
    _check_screen(walk, page, "back-to-list-1280x800", out)
    walk.stored_keys = page.evaluate("Object.keys(window.localStorage)")
    page.click("button:has-text('退出登录')")
    page.wait_for_url("**/login")
    walk.after_logout = page.url


def test_cadre_logs_in_searches_and_opens_a_household(walk: Walk) -> None:
    assert walk.list_total_before > 25  # more than one page in the demo village
    assert walk.searched_for and 1 <= walk.list_total_after < walk.list_total_before
    assert walk.household_title.startswith("户编号")
    for text in ("政策享受情况", "两不愁三保障", "巴委办〔2018〕11号", "政府年度合计"):
        assert text in walk.decisions_text, text
    assert walk.after_logout.endswith("/login")
    fragments = [body for _url, is_htmx, body in walk.html if is_htmx]
    assert fragments and all("<html" not in body for body in fragments)
    assert any(walk.searched_for in body for body in fragments)


def test_screenshots_were_taken_at_both_sizes(walk: Walk) -> None:
    for name in ("list-768x1024", "household-768x1024", "household-1280x800"):
        assert walk.screenshots[name].stat().st_size > 10_000


def test_pages_fit_the_screen_and_touch_targets_are_big_enough(walk: Walk) -> None:
    assert {name: px for name, px in walk.overflow.items() if px > 0} == {}
    assert walk.small_targets == []


def test_no_console_errors_or_blocked_scripts(walk: Walk) -> None:
    assert walk.problems == []


def test_no_page_in_the_walk_contains_a_full_resident_id(walk: Walk) -> None:
    assert len(walk.html) >= 5
    leaks = [
        (url, match)
        for url, _htmx, body in walk.html
        for match in _FULL_ID.findall(body)
        if ResidentId.is_valid(match)
    ]
    assert leaks == []
    assert any(re.search(r"\d{6}\*{8}[\dX]{4}", body) for _u, _h, body in walk.html)


def test_no_page_copies_are_kept_in_the_browser(walk: Walk) -> None:
    assert walk.stored_keys == []


def test_server_log_of_the_walk_has_no_id_numbers(walk: Walk, live_server: LiveServer) -> None:
    log = live_server.log()
    assert "GET /households/{household_id} 200" in log
    assert not [m for m in _FULL_ID.findall(log) if ResidentId.is_valid(m)]
    assert "q=" not in log and walk.searched_for not in log
