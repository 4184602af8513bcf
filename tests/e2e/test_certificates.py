"""Certificates end to end in real Chromium (issue 5): township staff issue a household's
certificate, reissue it (the first is superseded), the QR code is decoded from each PDF's page
image (pdftoppm → PNG → zbarimg), and its address, opened in a browser without login, says
真实有效 for the new certificate, 已作废 for the old one and 不是真实证明 once the check code is
altered. A small batch shows its progress bar and offers the PDF. Screenshots and the page
images land in ``test-output/e2e/``."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page
from sqlalchemy import select

from casework.db import get_engine, read_session
from casework.models import Area, Household
from casework.passwords import DEMO_PASSWORD
from tests.e2e.conftest import LiveServer

pytestmark = pytest.mark.e2e

LAPTOP = {"width": 1280, "height": 800}
TABLET = {"width": 768, "height": 1024}
_TARGETS = "a.button, button, select"


@dataclass
class Seen:
    serials: list[str] = field(default_factory=list)
    qr_urls: list[str] = field(default_factory=list)
    verdicts: dict[str, str] = field(default_factory=dict)
    listed: str = ""
    batch: str = ""
    problems: list[str] = field(default_factory=list)
    overflow: dict[str, int] = field(default_factory=dict)
    small: list[str] = field(default_factory=list)


def _households(url: str) -> list[int]:
    """Active households of 关坝镇 outside 五郎沟村 (which the cadre's edit test changes)."""
    with read_session(get_engine(url)) as s:
        township = s.scalars(select(Area).where(Area.name == "关坝镇")).one()
        villages = s.scalars(select(Area.id).where(Area.parent_id == township.id,
                                                   Area.name != "五郎沟村")).all()
        return list(s.scalars(select(Household.id).where(
            Household.village_id.in_(villages), Household.active)
            .order_by(Household.number).limit(4)))


def _log_in(context: BrowserContext) -> Page:
    page = context.new_page()
    page.goto("/login")
    page.fill("#username", "township1")
    page.fill("#password", DEMO_PASSWORD)
    page.click("button[type=submit]:has-text('登录')")
    page.wait_for_url("**/households")
    return page


def _issue(page: Page, household_id: int, out: Path, name: str) -> str:
    page.goto(f"/households/{household_id}/certificates")
    page.select_option("#year", "2018")
    page.click("button[data-issue]")
    page.wait_for_url("**/certificates?issued=*")
    page.screenshot(path=str(out / f"certificate-{name}.png"), full_page=True)
    return page.locator(".issued .serial").inner_text().strip()


def _on_tablet(page: Page, seen: Seen, out: Path, name: str) -> None:
    """The page at 768×1024: a screenshot, no sideways scrolling, touch targets ≥ 44 px."""
    page.set_viewport_size(TABLET)
    page.screenshot(path=str(out / f"certificate-{name}-768x1024.png"), full_page=True)
    seen.overflow[name] = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth")
    for html, width, height in page.eval_on_selector_all(
            _TARGETS, "els => els.filter(e => e.offsetParent !== null).map(e => {"
            " const r = e.getBoundingClientRect();"
            " return [e.outerHTML.slice(0, 80), Math.round(r.width), Math.round(r.height)]; })"):
        if height < 44 or width < 44:
            seen.small.append(f"{name}: {width}×{height} {html}")
    page.set_viewport_size(LAPTOP)


def _qr_url(page: Page, serial: str, out: Path) -> str:
    """The certificate's PDF as the browser downloads it, its first page as a PNG, the QR
    code read from the picture."""
    answer = page.request.get(f"/certificates/{serial}/pdf")
    assert answer.ok and answer.headers["content-type"] == "application/pdf"
    pdf = out / f"certificate-{serial}.pdf"
    pdf.write_bytes(answer.body())
    stem = out / f"certificate-{serial}-page"
    subprocess.run(["pdftoppm", "-r", "200", "-png", "-f", "1", "-l", "1", "-singlefile",
                    str(pdf), str(stem)], check=True, timeout=60)
    decoded = subprocess.run(["zbarimg", "--raw", "-q", str(stem) + ".png"], check=True,
                             capture_output=True, text=True, timeout=60)
    return decoded.stdout.strip()


def _verdict(context: BrowserContext, url: str, out: Path, name: str) -> str:
    page = context.new_page()
    page.goto(url)
    page.screenshot(path=str(out / f"verify-{name}.png"), full_page=True)
    text = page.locator("main").inner_text()
    page.close()
    return text


def _batch(page: Page, out: Path) -> str:
    """Three households of the first village, issued and printed as one PDF."""
    page.goto("/certificates")
    page.screenshot(path=str(out / "certificate-villages.png"), full_page=True)
    page.locator("a.button", has_text="选择").first.click()
    page.check("input[name=mode][value=issue]")
    assert page.is_checked("input[name=scope][value=village]")
    boxes = page.locator("input[name=household_id]")
    for i in range(3):
        boxes.nth(i).check()
    assert page.is_checked("input[name=scope][value=selected]")  # ticking chose the range
    page.screenshot(path=str(out / "certificate-village-households.png"), full_page=False)
    page.click("button[data-start-batch]")
    page.wait_for_selector("#batch progress")
    page.screenshot(path=str(out / "certificate-batch-progress.png"), full_page=True)
    page.wait_for_selector("[data-download]", timeout=60_000)
    page.screenshot(path=str(out / "certificate-batch-done.png"), full_page=True)
    return page.locator("#batch").inner_text()


@pytest.fixture(scope="module")
def seen(browser: Browser, live_server: LiveServer, demo_url: str,
         output_dir: Path) -> Iterator[Seen]:
    record = Seen()
    household_ids = _households(demo_url)
    staff = browser.new_context(viewport=LAPTOP, locale="zh-CN", base_url=live_server.base)
    public = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN")
    try:
        page = _log_in(staff)
        page.on("pageerror", lambda e: record.problems.append(str(e)))
        for name in ("first", "reissued"):
            serial = _issue(page, household_ids[0], output_dir, name)
            record.serials.append(serial)
            record.qr_urls.append(_qr_url(page, serial, output_dir))
        page.goto(f"/households/{household_ids[0]}/certificates")
        record.listed = page.locator("table.certificates").inner_text()
        _on_tablet(page, record, output_dir, "household")
        page.goto("/certificates")
        _on_tablet(page, record, output_dir, "villages")
        current, old = record.qr_urls[1], record.qr_urls[0]
        record.verdicts["current"] = _verdict(public, current, output_dir, "current")
        record.verdicts["superseded"] = _verdict(public, old, output_dir, "superseded")
        code = current.rsplit("=", 1)[1]
        altered = current[:-1] + ("2" if code[-1] != "2" else "3")
        record.verdicts["altered"] = _verdict(public, altered, output_dir, "altered")
        record.batch = _batch(page, output_dir)
    finally:
        staff.close()
        public.close()
    yield record


def test_issuing_twice_supersedes_the_first(seen: Seen) -> None:
    first, second = seen.serials
    assert first != second and first.split("-")[:2] == second.split("-")[:2]
    assert "已作废" in seen.listed and second in seen.listed and "有效" in seen.listed


def test_the_qr_codes_point_at_the_verification_page(seen: Seen, live_server: LiveServer) -> None:
    for serial, url in zip(seen.serials, seen.qr_urls):
        assert url.startswith(f"{live_server.base}/verify/{serial}?c=")
        assert len(url.rsplit("=", 1)[1]) == 8


def test_the_verification_page_tells_current_superseded_and_not_genuine(seen: Seen) -> None:
    assert "真实有效" in seen.verdicts["current"]
    assert "已作废" in seen.verdicts["superseded"] and "真实有效" not in seen.verdicts["superseded"]
    assert "不是真实证明" in seen.verdicts["altered"]
    assert "关坝镇" in seen.verdicts["current"] and "*" in seen.verdicts["current"]


def test_the_pages_fit_a_tablet(seen: Seen) -> None:
    assert seen.overflow == {"household": 0, "villages": 0}
    assert seen.small == []


def test_a_batch_shows_progress_and_offers_its_pdf(seen: Seen) -> None:
    assert "已完成" in seen.batch and "下载PDF" in seen.batch and "3 份证明" in seen.batch
    assert seen.problems == []
