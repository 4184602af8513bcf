"""Printing a village as one PDF in the background (issue 5): the batch runs on after the
browser left, shows its progress to a poll, and its PDF (one page or more per household) can be
downloaded when done; a batch lost to a server restart is marked failed and a restart prints
what the lost run had issued instead of issuing it again. Cadres reprint but never issue."""

from __future__ import annotations

import datetime as dt
import re
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from litestar.testing import TestClient
from sqlalchemy import func, select

from casework.certificates import (
    BatchRequest, CertificateSettings, batch_view, issue_certificate, run_batch, start_batch,
)
from casework.certificates.worker_state import PROCESS_ID
from casework.db import read_session
from casework.models import Area, AuditEvent
from casework.models.certificates import Certificate, CertificateBatch
from casework.uow import UnitOfWork
from tests.integration.certificate_support import (
    account, build_certificate_world, issuer, pdf_pages,
)
from tests.integration.test_web_world import DEV, World, csrf_token, log_in, make_app

WULANGGOU = "511922100002"
"""五郎沟村: five households, in 关坝镇 (the township user's area)."""


@pytest.fixture(scope="module")
def cw(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    built = build_certificate_world(f"sqlite:///{tmp_path_factory.mktemp('cb') / 'c.db'}")
    yield built
    built.engine.dispose()


def village_id(cw: World, code: str = WULANGGOU) -> int:
    with read_session(cw.engine) as s:
        return s.scalar(select(Area.id).where(Area.code == code)) or 0


def batch_row(cw: World, batch_id: int) -> CertificateBatch:
    with read_session(cw.engine) as s:
        row = s.get(CertificateBatch, batch_id)
    assert row is not None
    return row


def wait_until_finished(cw: World, batch_id: int, limit_s: float = 60) -> CertificateBatch:
    deadline = time.monotonic() + limit_s
    while time.monotonic() < deadline:
        row = batch_row(cw, batch_id)
        if row.status in ("done", "failed"):
            return row
        time.sleep(0.2)
    raise AssertionError(f"batch {batch_id} did not finish")


def start_form(client: TestClient, cw: World, **fields: str) -> dict[str, str]:
    page = client.get(f"/certificates?village={village_id(cw)}&year=2018")
    assert page.status_code == 200
    key = re.search(r'name="key" value="([^"]+)"', page.text).group(1)  # type: ignore[union-attr]
    return {"_csrf_token": csrf_token(client), "key": key, "village_id": str(village_id(cw)),
            "year": "2018", "mode": "issue", "scope": "village", **fields}


def test_a_village_batch_runs_on_after_the_browser_left(cw: World, tmp_path: Path) -> None:
    with TestClient(make_app(cw)) as client:
        assert log_in(client, "township").status_code == 303
        answer = client.post("/certificates/batches", data=start_form(client, cw),
                             follow_redirects=False)
        assert answer.status_code == 303
        batch_id = int(answer.headers["location"].rsplit("/", 1)[1])
        first = client.get(f"/certificates/batches/{batch_id}", headers={"HX-Request": "true"})
        assert first.status_code == 200 and "<progress" in first.text
        assert 'hx-trigger="every 1s"' in first.text  # still at work when the browser leaves
        assert "<html" not in first.text  # the fragment, for htmx to swap in
    done = wait_until_finished(cw, batch_id)  # nobody is watching any more
    assert done.status == "done" and done.certificates == 5 and done.done == done.total
    with TestClient(make_app(cw)) as client:
        assert log_in(client, "township").status_code == 303
        fragment = client.get(f"/certificates/batches/{batch_id}", headers={"HX-Request": "true"})
        assert "hx-trigger" not in fragment.text and "下载PDF" in fragment.text
        assert "100%" in fragment.text
        pdf = client.get(f"/certificates/batches/{batch_id}/pdf")
        assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf"
        assert pdf_pages(pdf.content, tmp_path) >= 5
        assert f"/certificates/batches/{batch_id}" in client.get("/certificates").text
    with read_session(cw.engine) as s:
        issued = s.scalar(select(func.count()).select_from(Certificate)
                          .where(Certificate.batch_id == batch_id))
        stored = s.scalar(select(func.count()).select_from(AuditEvent).where(
            AuditEvent.entity == "certificate_batch_pdfs", AuditEvent.action == "store_pdf"))
    assert issued == 5 and stored == 1


def test_a_selection_and_a_repeated_submit_make_one_batch(cw: World) -> None:
    chosen = sorted(cw.households[n] for n in cw.numbers_in(WULANGGOU))[:2]
    with TestClient(make_app(cw)) as client:
        assert log_in(client, "township").status_code == 303
        form = start_form(client, cw, scope="selected", mode="reprint")
        data = {**form, "household_id": [str(h) for h in chosen]}
        first = client.post("/certificates/batches", data=data, follow_redirects=False)
        again = client.post("/certificates/batches", data=data, follow_redirects=False)
    assert first.headers["location"] == again.headers["location"]
    batch_id = int(first.headers["location"].rsplit("/", 1)[1])
    row = wait_until_finished(cw, batch_id)
    assert row.household_ids == chosen and row.mode == "reprint"


def test_cadres_reprint_but_never_issue_and_inspectors_stay_out(cw: World) -> None:
    with TestClient(make_app(cw)) as cadre:
        assert log_in(cadre, "cadre").status_code == 303
        page = cadre.get("/certificates")  # the cadre's one village opens directly
        assert page.status_code == 200 and 'value="issue"' not in page.text
        key = re.search(r'name="key" value="([^"]+)"', page.text).group(1)  # type: ignore[union-attr]
        own = re.search(r'name="village_id" value="(\d+)"', page.text).group(1)  # type: ignore[union-attr]
        form = {"_csrf_token": csrf_token(cadre), "key": key, "village_id": own, "year": "2018",
                "scope": "village"}
        assert cadre.post("/certificates/batches", data={**form, "mode": "issue"}).status_code == 403
        other = {**form, "village_id": str(village_id(cw)), "mode": "reprint"}
        assert cadre.post("/certificates/batches", data=other).status_code == 404
        assert cadre.get(f"/certificates?village={village_id(cw)}").status_code == 404
    with TestClient(make_app(cw)) as inspector:
        assert log_in(inspector, "inspector").status_code == 303
        assert inspector.get("/certificates").status_code == 403


def test_a_batch_lost_to_a_restart_is_marked_failed_and_restarts_without_reissuing(
    cw: World,
) -> None:
    township = account(cw, "township")
    two = sorted(cw.households[n] for n in cw.numbers_in(WULANGGOU))[-2:]
    request = BatchRequest(village_id(cw), 2018, "issue", two, "lost-batch-key-0123456789")
    batch_id, new = start_batch(cw.engine, township, "township", "测试township", request)
    assert new
    households = batch_row(cw, batch_id).household_ids
    before = issue_certificate(cw.engine, issuer(cw, "township"), households[0], 2018,
                               batch_id=batch_id).certificate
    with UnitOfWork("test", cw.engine) as uow:  # a worker on a host that has gone away
        row = uow.get(CertificateBatch, batch_id)
        uow.update(row, expected_version=row.version, status="running", worker="gone:1:x",
                   heartbeat_at=row.heartbeat_at - dt.timedelta(minutes=10), done=1)
        uow.commit()
    with TestClient(make_app(cw)) as client:
        assert log_in(client, "township").status_code == 303
        page = client.get(f"/certificates/batches/{batch_id}")
        assert "失败" in page.text and "重新开始" in page.text
        key = re.search(r'name="key" value="([^"]+)"', page.text).group(1)  # type: ignore[union-attr]
        answer = client.post(f"/certificates/batches/{batch_id}/restart", follow_redirects=False,
                             data={"_csrf_token": csrf_token(client), "key": key})
        assert answer.status_code == 303
    again = int(answer.headers["location"].rsplit("/", 1)[1])
    assert again != batch_id and wait_until_finished(cw, again).status == "done"
    assert batch_row(cw, batch_id).status == "failed"
    with read_session(cw.engine) as s:
        serials = s.scalars(select(Certificate.serial).where(
            Certificate.household_id == households[0], Certificate.id >= before.id)).all()
    assert serials == [before.serial]  # printed again, not issued a second time


def test_run_batch_in_the_foreground_reports_progress(cw: World) -> None:
    township = account(cw, "township")
    two = sorted(cw.households[n] for n in cw.numbers_in(WULANGGOU))[:2]
    request = BatchRequest(village_id(cw), 2018, "issue", two, "foreground-key-0123456789")
    batch_id, _ = start_batch(cw.engine, township, "township", "测试township", request)
    run_batch(cw.engine, batch_id, CertificateSettings.from_env(DEV))
    row = batch_row(cw, batch_id)
    assert row.status == "done" and row.done == row.total and row.pages and row.pages >= 2
    with read_session(cw.engine) as s:
        updates = s.scalar(select(func.count()).select_from(AuditEvent).where(
            AuditEvent.entity == "certificate_batches", AuditEvent.entity_id == str(batch_id),
            AuditEvent.action == "update"))
    assert updates and updates >= 3


def test_a_batch_this_process_no_longer_runs_is_lost_at_once(cw: World) -> None:
    """After a restart the new process has the same database but none of the old threads:
    a batch claimed by this process that no thread runs is failed without waiting."""
    township = account(cw, "township")
    one = sorted(cw.households[n] for n in cw.numbers_in(WULANGGOU))[:1]
    request = BatchRequest(village_id(cw), 2018, "reprint", one, "orphan-batch-key-012345678")
    batch_id, _ = start_batch(cw.engine, township, "township", "测试township", request)
    assert batch_view(cw.engine, township, batch_id).status == "queued"  # fresh: not lost yet
    with UnitOfWork("test", cw.engine) as uow:
        row = uow.get(CertificateBatch, batch_id)
        uow.update(row, expected_version=row.version, status="running", worker=PROCESS_ID)
        uow.commit()
    view = batch_view(cw.engine, township, batch_id)
    assert view.status == "failed" and "重新开始" in (view.message or "")
