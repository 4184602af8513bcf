"""An inspector's spot check in real Chromium (issue 6), at 768×1024 and 1280×800: drill from the
county dashboard to a village and open its failing households, draw a sample (weighted towards
failing households), record a visit through a dropped connection and a retry, and see the
discrepancy rate on the sample page change; redraw and verify; print the visit list.
Screenshots go to ``test-output/e2e/``."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page
from sqlalchemy import func, select

from casework.db import get_engine, read_session
from casework.models import Area, DecisionRun, Household, StoredAssessment
from casework.models.inspection import Visit
from casework.passwords import DEMO_PASSWORD
from rules.assessment import DIMENSIONS
from tests.e2e.conftest import LiveServer

pytestmark = pytest.mark.e2e

TABLET = {"width": 768, "height": 1024}
LAPTOP = {"width": 1280, "height": 800}
TOWNSHIP = "关坝镇"
_TARGETS = ("a.button, button, select, input:not([type=hidden]):not([type=radio]), label.pick")


@dataclass
class Seen:
    screens: dict[str, Path] = field(default_factory=dict)
    overflow: dict[str, int] = field(default_factory=dict)
    small: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    text: dict[str, str] = field(default_factory=dict)
    table_overflow: dict[str, int] = field(default_factory=dict)
    """How far the sampled-household tables scroll sideways at 768 wide (0: they fit)."""
    failing_rows: int = 0
    village: str = ""
    visits: int = 0
    pdf_bytes: int = 0


def _busiest_village(url: str) -> tuple[str, int]:
    """The 关坝镇 village with the most failing households in the current run, and how many."""
    with read_session(get_engine(url)) as s:
        township = s.scalars(select(Area).where(Area.name == TOWNSHIP)).one()
        current = select(DecisionRun.id).where(DecisionRun.status == "current")
        rows = s.execute(
            select(Area.name, func.count(StoredAssessment.id))
            .join(Household, Household.village_id == Area.id)
            .join(StoredAssessment, StoredAssessment.household_id == Household.id)
            .where(Area.parent_id == township.id, StoredAssessment.status == "fails",
                   StoredAssessment.run_id.in_(current), Household.active)
            .group_by(Area.name).order_by(func.count(StoredAssessment.id).desc(), Area.name)
        ).all()
    assert rows, "the demo township has no failing household"
    return str(rows[0][0]), int(rows[0][1])


def _screen(seen: Seen, page: Page, name: str, out: Path, check: bool = True) -> None:
    path = out / f"inspect-{name}.png"
    page.screenshot(path=str(path), full_page=True)
    seen.screens[name] = path
    if not check:
        return
    seen.overflow[name] = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth")
    for html, width, height in page.eval_on_selector_all(
            _TARGETS, "els => els.filter(e => e.offsetParent !== null).map(e => {"
            " const r = e.getBoundingClientRect();"
            " return [e.outerHTML.slice(0, 80), Math.round(r.width), Math.round(r.height)]; })"):
        if height < 44 or width < 44:
            seen.small.append(f"{name}: {width}×{height} {html}")


def _both_sizes(seen: Seen, page: Page, name: str, out: Path, check: bool = True) -> None:
    _screen(seen, page, f"{name}-768x1024", out, check)
    page.set_viewport_size(LAPTOP)
    _screen(seen, page, f"{name}-1280x800", out, check)
    page.set_viewport_size(TABLET)


def _log_in(page: Page) -> None:
    page.goto("/login")
    page.fill("#username", "inspector1")
    page.fill("#password", DEMO_PASSWORD)
    page.click("button[type=submit]:has-text('登录')")
    page.wait_for_url("**/households")


def _drill_down(page: Page, seen: Seen, out: Path) -> None:
    page.goto("/inspect")
    page.wait_for_url("**/inspect/areas/*")
    _both_sizes(seen, page, "county", out, check=False)
    page.click(f"table.children a.row-link:has-text('{TOWNSHIP}')")
    page.wait_for_selector(f"h1:has-text('{TOWNSHIP}')")
    page.click(f"table.children a.row-link:has-text('{seen.village}')")
    page.wait_for_selector(f"h1:has-text('{seen.village}')")
    seen.text["village"] = page.locator("main").inner_text()
    page.click("a.tile.bad")
    page.wait_for_url("**/households?**")
    seen.failing_rows = page.locator("table.inspect-list tbody tr").count()
    seen.text["failing"] = page.locator("body").inner_text()
    _both_sizes(seen, page, "failing-households", out, check=False)


def _draw(page: Page, seen: Seen, out: Path) -> None:
    page.go_back()  # to the village dashboard, then the 抽查 section of the top bar
    page.click("nav.sections a:has-text('抽查')")
    page.wait_for_url("**/inspect/samples")
    page.select_option("#f-area", label=f"南江县 {TOWNSHIP}")
    page.select_option("#f-stratify", "village")
    page.fill("#f-per_stratum", "2")
    page.fill("#f-overweight", "3")
    page.fill("#f-seed", "e2e-20181125")
    _both_sizes(seen, page, "draw-form", out)
    page.click("#draw button[type=submit]")
    page.wait_for_url("**/inspect/samples/*")
    seen.text["rate_before"] = page.locator("[data-total-rate]").inner_text()
    seen.text["sample"] = page.locator("main").inner_text()
    _both_sizes(seen, page, "sample", out)


def _visit(page: Page, context_offline: object, seen: Seen, out: Path) -> None:
    sample_url = page.url
    page.click("table.sample-households a.button:has-text('记录走访') >> nth=0")
    page.wait_for_selector("#editor form[data-edit-form]")
    for dim in DIMENSIONS:  # everything found failing: any dimension recorded as met differs
        page.check(f"input[name=found_{dim}][value=fail]")
        page.fill(f"#f-note_{dim}", "现场核实不达标")
    _both_sizes(seen, page, "visit-form", out)
    context_offline.set_offline(True)  # type: ignore[attr-defined]
    page.click("#editor button[type=submit]")
    page.wait_for_selector(".send-error:not([hidden])")
    seen.text["offline"] = page.locator(".send-error").inner_text()
    context_offline.set_offline(False)  # type: ignore[attr-defined]
    page.click("[data-retry]")
    page.wait_for_selector("#editor .saved-note")
    seen.text["saved"] = page.locator("#editor").inner_text()
    _both_sizes(seen, page, "visit-saved", out)
    page.goto(sample_url)
    seen.text["rate_after"] = page.locator("[data-total-rate]").inner_text()
    seen.text["dimension_rates"] = page.locator("table.rollup-dimensions").inner_text()
    seen.table_overflow["sample"] = page.evaluate(
        "Math.max(...[...document.querySelectorAll('.stratum .table-wrap')]"
        ".map(e => e.scrollWidth - e.clientWidth))")
    _both_sizes(seen, page, "sample-after-visit", out)


def _verify_and_print(page: Page, seen: Seen, out: Path) -> None:
    page.click("a:has-text('重新抽取并核验')")
    page.wait_for_selector("[data-verified]")
    seen.text["verify"] = page.locator("#verify").inner_text()
    _both_sizes(seen, page, "verify", out)
    pdf_url = page.url.replace("/verify", "/pdf")
    answer = page.request.get(pdf_url)
    seen.text["pdf_type"] = answer.headers.get("content-type", "")
    body = answer.body()
    (out / "inspect-visit-list.pdf").write_bytes(body)
    seen.pdf_bytes = len(body)


@pytest.fixture(scope="module")
def seen(browser: Browser, live_server: LiveServer, demo_url: str,
         output_dir: Path) -> Iterator[Seen]:
    record = Seen()
    record.village, _count = _busiest_village(demo_url)
    with read_session(get_engine(demo_url)) as s:
        visits_before = s.scalar(select(func.count()).select_from(Visit)) or 0
    context = browser.new_context(viewport=TABLET, locale="zh-CN", base_url=live_server.base)
    try:
        page = context.new_page()
        page.on("pageerror", lambda e: record.problems.append(str(e)))
        _log_in(page)
        _drill_down(page, record, output_dir)
        _draw(page, record, output_dir)
        _visit(page, context, record, output_dir)
        _verify_and_print(page, record, output_dir)
    finally:
        context.close()
    with read_session(get_engine(demo_url)) as s:
        record.visits = (s.scalar(select(func.count()).select_from(Visit)) or 0) - visits_before
    yield record


def test_drill_down_reaches_the_village_and_its_failing_households(seen: Seen) -> None:
    assert seen.village in seen.text["village"]
    assert seen.failing_rows >= 1
    assert "有不达标" in seen.text["failing"] or "不达标" in seen.text["failing"]


def test_a_sample_is_drawn_with_its_frame_and_seed(seen: Seen) -> None:
    text = seen.text["sample"]
    assert "e2e-20181125" in text and "未达标户权重 3" in text and "按村分层" in text
    assert "已走访 0 户" in seen.text["rate_before"] and "—" in seen.text["rate_before"]


def test_recording_a_visit_changes_the_discrepancy_rate(seen: Seen) -> None:
    assert "网络连接中断" in seen.text["offline"]
    assert "走访结果已保存" in seen.text["saved"] and "不一致" in seen.text["saved"]
    assert seen.visits == 1  # the retry after the dropped connection saved once
    after = seen.text["rate_after"]
    assert "已走访 1 户，其中 1 户" in after and "100.0%" in after
    assert "100.0%" in seen.text["dimension_rates"]


def test_redraw_verifies_and_the_visit_list_prints(seen: Seen) -> None:
    assert "一致" in seen.text["verify"] and "不一致！" not in seen.text["verify"]
    assert seen.text["pdf_type"] == "application/pdf" and seen.pdf_bytes > 20_000


def test_screens_fit_and_touch_targets_are_big_enough(seen: Seen) -> None:
    assert {k: v for k, v in seen.overflow.items() if v > 0} == {}
    assert seen.table_overflow == {"sample": 0}
    assert seen.small == []
    assert all(path.stat().st_size > 10_000 for path in seen.screens.values())
    assert seen.problems == []
