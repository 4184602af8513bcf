"""The certificate pages as each role uses them (issue 5): township staff issue and print,
reissue supersedes; cadres view and print their village but cannot issue; inspectors only view;
other areas answer 404; the public verification page answers without login, shows nothing but
the township, the masked head, the year and the total, and is rate-limited."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from litestar.testing import TestClient
from sqlalchemy import func, select

from casework.certificates import check_code
from casework.db import read_session
from casework.models.certificates import Certificate
from tests.integration.certificate_support import build_certificate_world, pdf_text
from tests.integration.test_web_world import DEV, Sessions, World, csrf_token, make_app

XIAOTIAN = "5119221000010003"
FENGHUANG = "5119221010010037"


@pytest.fixture(scope="module")
def cw(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    built = build_certificate_world(f"sqlite:///{tmp_path_factory.mktemp('cw') / 'c.db'}")
    yield built
    built.engine.dispose()


@pytest.fixture(scope="module")
def users(cw: World) -> Iterator[Sessions]:
    kept = Sessions(cw)
    yield kept
    kept.close()


def issue(client: TestClient, household_id: int, year: int = 2018, key: str | None = None) -> str:
    page = client.get(f"/households/{household_id}/certificates")
    key = key or re.search(r'name="key" value="([^"]+)"', page.text).group(1)  # type: ignore[union-attr]
    answer = client.post(f"/households/{household_id}/certificates", follow_redirects=False,
                         data={"_csrf_token": csrf_token(client), "year": str(year), "key": key})
    assert answer.status_code == 303, answer.text
    return answer.headers["location"].rsplit("=", 1)[1]


def count(cw: World, household_id: int) -> int:
    with read_session(cw.engine) as s:
        return s.scalar(select(func.count()).select_from(Certificate)
                        .where(Certificate.household_id == household_id)) or 0


def code_of(cw: World, serial: str) -> str:
    with read_session(cw.engine) as s:
        digest = s.scalar(select(Certificate.content_hash).where(Certificate.serial == serial))
    return check_code(DEV.secret_key, serial, digest or "")


def test_township_staff_issue_print_and_reissue(cw: World, users: Sessions,
                                                tmp_path: Path) -> None:
    client, household_id = users("township"), cw.households[XIAOTIAN]
    page = client.get(f"/households/{household_id}/certificates")
    assert page.status_code == 200 and "签发证明" in page.text and "还没有签发" in page.text
    serial = issue(client, household_id)
    shown = client.get(f"/households/{household_id}/certificates?issued={serial}")
    assert serial in shown.text and "有效" in shown.text and f"/certificates/{serial}/pdf" in shown.text
    pdf = client.get(f"/certificates/{serial}/pdf")
    assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf"
    words = pdf_text(pdf.content, tmp_path)
    assert cw.head_of[XIAOTIAN] in words and serial in words
    assert not any(full in words for full in cw.ids_of[XIAOTIAN])
    newer = issue(client, household_id)
    listed = client.get(f"/households/{household_id}/certificates").text
    assert "已作废" in listed and f"被 {newer} 替换" in listed
    reprint = client.get(f"/certificates/{serial}/pdf")  # the stored content again, marked void
    again = iter(pdf_text(reprint.content, tmp_path).split())
    assert all(word in again for word in words.split())  # all of it, in order, plus a void mark


def test_a_double_tap_issues_once(cw: World, users: Sessions) -> None:
    client, household_id = users("township"), cw.households["5119221000010004"]
    key = "double-tap-key-0123456789"
    assert issue(client, household_id, key=key) == issue(client, household_id, key=key)
    assert count(cw, household_id) == 1


def test_a_bad_year_is_refused_in_chinese(cw: World, users: Sessions) -> None:
    client, household_id = users("township"), cw.households["5119221000010005"]
    answer = client.post(f"/households/{household_id}/certificates", data={
        "_csrf_token": csrf_token(client), "year": "1999", "key": "bad-year-key-0123456789"})
    assert answer.status_code == 422 and "政策年度" in answer.text
    assert count(cw, household_id) == 0


def test_cadres_view_and_print_but_cannot_issue(cw: World, users: Sessions) -> None:
    household_id = cw.households["5119221000010006"]
    serial = issue(users("township"), household_id)
    cadre = users("cadre")
    page = cadre.get(f"/households/{household_id}/certificates")
    assert page.status_code == 200 and serial in page.text and "签发新证明" not in page.text
    assert cadre.get(f"/certificates/{serial}/pdf").status_code == 200
    refused = cadre.post(f"/households/{household_id}/certificates", data={
        "_csrf_token": csrf_token(cadre), "year": "2018", "key": "cadre-key-0123456789abc"})
    assert refused.status_code == 403 and count(cw, household_id) == 1
    inspector = users("inspector")
    assert inspector.get(f"/households/{household_id}/certificates").status_code == 200
    assert inspector.get(f"/certificates/{serial}/pdf").status_code == 200
    assert inspector.get("/certificates").status_code == 403


def test_other_areas_answer_not_found(cw: World, users: Sessions) -> None:
    household_id = cw.households[FENGHUANG]
    serial = issue(users("admin"), household_id)  # 凤凰村: the administrator's county
    for username in ("cadre", "township"):
        client = users(username)
        assert client.get(f"/households/{household_id}/certificates").status_code == 404
        assert client.get(f"/certificates/{serial}/pdf").status_code == 404
        assert client.get(f"/households/{household_id}/certificates/preview").status_code == 404
    assert users("township").post(f"/households/{household_id}/certificates", data={
        "_csrf_token": csrf_token(users("township")), "year": "2018",
        "key": "out-of-area-key-0123456"}).status_code == 404
    assert users("inspector_tj").get(f"/certificates/{serial}/pdf").status_code == 404
    assert count(cw, household_id) == 1


def test_preview_is_a_specimen_and_issues_nothing(cw: World, users: Sessions,
                                                  tmp_path: Path) -> None:
    household_id = cw.households["5119221000010007"]
    answer = users("cadre").get(f"/households/{household_id}/certificates/preview?year=2018")
    assert answer.status_code == 200 and answer.content.startswith(b"%PDF")
    assert "样张" in pdf_text(answer.content, tmp_path)
    early = users("cadre").get(f"/households/{household_id}/certificates/preview?year=2017")
    assert early.status_code == 422 and "无法预览" in early.text and "不适用于2017年度" in early.text
    assert count(cw, household_id) == 0


def test_public_verification_of_current_superseded_and_forged(cw: World, users: Sessions) -> None:
    household_id = cw.households["5119221000010008"]
    old = issue(users("township"), household_id)
    old_code = code_of(cw, old)
    with TestClient(make_app(cw)) as public:
        page = public.get(f"/verify/{old}?c={old_code}")
        assert page.status_code == 200 and "真实有效" in page.text
        head = cw.head_of["5119221000010008"]
        assert head not in page.text and f"{head[0]}*" in page.text and "关坝镇" in page.text
        assert "5119221000010008" not in page.text and "小田村" not in page.text
        new = issue(users("township"), household_id)
        superseded = public.get(f"/verify/{old}?c={old_code}")
        assert "已作废" in superseded.text and "真实有效" not in superseded.text
        assert "真实有效" in public.get(f"/verify/{new}?c={code_of(cw, new)}").text
        forged = public.get(f"/verify/{new}?c={old_code}")
        unknown = public.get(f"/verify/511922-2018-999999?c={old_code}")
        assert "不是真实证明" in forged.text and forged.text == unknown.text
        assert head[0] + "*" not in forged.text
        typed = public.get(f"/verify?serial={new}&c={code_of(cw, new).lower()}")
        assert "真实有效" in typed.text
        blank = public.get("/verify")
        assert blank.status_code == 200 and 'name="serial"' in blank.text


def test_verification_is_rate_limited_per_client(cw: World,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CASEWORK_VERIFY_RATE", "5")
    with TestClient(make_app(cw)) as public:
        answers = [public.get("/verify/511922-2018-000001?c=ABCDEFGH") for _ in range(6)]
    assert [a.status_code for a in answers] == [200] * 5 + [429]
    assert "核验过于频繁" in answers[-1].text and int(answers[-1].headers["retry-after"]) >= 1
    with TestClient(make_app(cw)) as fresh:  # a separate app (process) counts afresh
        assert fresh.get("/verify/511922-2018-000001?c=ABCDEFGH").status_code == 200


def test_every_certificate_route_serves_pages_without_ids(cw: World, users: Sessions) -> None:
    client = users("township")
    for url in ("/certificates", f"/certificates?village={_village_id(cw, '511922100002')}"):
        page = client.get(url)
        assert page.status_code == 200
        assert not any(full in page.text for full in cw.full_ids)


def _village_id(cw: World, code: str) -> int:
    from casework.models import Area

    with read_session(cw.engine) as s:
        return s.scalar(select(Area.id).where(Area.code == code)) or 0
