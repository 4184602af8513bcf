"""Running a print batch: issue (or look up) each household's certificate, render one PDF,
store it. Progress and a heartbeat are written as it goes (at most about once a second, each
write audited by the unit of work). One batch renders at a time per process (the machine has
two cores and the web app must stay responsive); waiting batches show "排队等候".

If someone marked the batch failed meanwhile (it looked lost), the worker's next write meets a
stale version and the worker stops without touching it again.
"""

from __future__ import annotations

import hashlib
import logging
import threading
import time
from collections.abc import Callable
from typing import Any

from sqlalchemy import Engine, insert, select

from casework.db import read_session
from casework.models import utcnow
from casework.models.certificates import Certificate, CertificateBatch, CertificateBatchPdf
from casework.uow import StaleVersion, UnitOfWork

from .documents import page_count, render_records
from .issuing import CertificateRefused, Issuer, issue_certificate
from .records import CertificateRecord, record_by_serial, records_of
from .settings import CertificateSettings
from .worker_state import PROCESS_ID, mark_running, mark_stopped

__all__ = ["run_batch", "run_in_background", "HEARTBEAT_S"]

log = logging.getLogger("casework.certificates")
HEARTBEAT_S = 10.0
_RENDER_SLOT = threading.Semaphore(1)
ACTOR = "system:certificate-batches"


class _Stopped(Exception):
    """The batch was marked failed by someone else: stop quietly."""


class _Progress:
    """The batch row as the worker last wrote it (compare-and-swap on its version)."""

    def __init__(self, engine: Engine, batch: CertificateBatch) -> None:
        self.engine, self.id, self.version = engine, batch.id, batch.version
        self.last = 0.0
        self._lock = threading.Lock()

    def write(self, force: bool = True, **changes: Any) -> None:
        with self._lock:
            if not force and time.monotonic() - self.last < 1.0:
                return
            try:
                with UnitOfWork(ACTOR, self.engine) as uow:
                    row = uow.get(CertificateBatch, self.id)
                    uow.update(row, expected_version=self.version, heartbeat_at=utcnow(),
                               **changes)
                    uow.commit()
                    self.version = row.version
            except StaleVersion as stale:
                raise _Stopped() from stale
            self.last = time.monotonic()


def run_in_background(engine: Engine, batch_id: int, settings: CertificateSettings,
                      reached_at: str | None = None) -> threading.Thread:
    mark_running(batch_id)
    thread = threading.Thread(target=_run_guarded, args=(engine, batch_id, settings, reached_at),
                              name=f"certificate-batch-{batch_id}", daemon=True)
    thread.start()
    return thread


def _run_guarded(engine: Engine, batch_id: int, settings: CertificateSettings,
                 reached_at: str | None) -> None:
    try:
        run_batch(engine, batch_id, settings, reached_at)
    except Exception:  # noqa: BLE001 - a background thread must never die silently
        log.exception("certificate batch %s failed", batch_id)
    finally:
        mark_stopped(batch_id)


def run_batch(engine: Engine, batch_id: int, settings: CertificateSettings,
              reached_at: str | None = None) -> None:
    """Run the batch to the end (done or failed) in this thread."""
    mark_running(batch_id)
    try:
        _run(engine, batch_id, settings, reached_at)
    finally:
        mark_stopped(batch_id)


def _run(engine: Engine, batch_id: int, settings: CertificateSettings,
         reached_at: str | None) -> None:
    with read_session(engine) as s:
        batch = s.get(CertificateBatch, batch_id)
    if batch is None or batch.status != "queued":
        return
    progress = _Progress(engine, batch)
    try:
        progress.write(worker=PROCESS_ID, phase="排队等候")
        while not _RENDER_SLOT.acquire(timeout=HEARTBEAT_S):
            progress.write()
        try:
            _work(engine, batch, progress, settings, reached_at)
        finally:
            _RENDER_SLOT.release()
    except _Stopped:
        return
    except Exception as problem:  # noqa: BLE001 - recorded on the batch, then re-raised
        _fail(progress, f"打印任务出错：{type(problem).__name__}。已签发的证明都已保存，可以重新开始。")
        raise


def _fail(progress: _Progress, message: str) -> None:
    try:
        progress.write(status="failed", message=message[:400], finished_at=utcnow())
    except _Stopped:
        pass


def _work(engine: Engine, batch: CertificateBatch, progress: _Progress,
          settings: CertificateSettings, reached_at: str | None) -> None:
    progress.write(status="running", phase="正在签发" if batch.mode == "issue" else "正在读取证明")
    records, skipped = _certificates(engine, batch, progress)
    if not records:
        progress.write(status="failed", finished_at=utcnow(),
                       message="没有可打印的证明：所选的户都还没有签发本年度证明。")
        return
    progress.write(phase=f"正在生成PDF（{len(records)}户）", done=len(batch.household_ids))
    pdf = _with_heartbeat(progress, lambda: render_records(records, settings, reached_at))
    _store_pdf(engine, batch, pdf, len(records))
    note = f"{len(skipped)}户没有本年度证明，未打印。" if skipped else None
    progress.write(status="done", phase="已完成", done=batch.total, finished_at=utcnow(),
                   pages=page_count(pdf), certificates=len(records), message=note)


def _certificates(engine: Engine, batch: CertificateBatch,
                  progress: _Progress) -> tuple[list[CertificateRecord], list[int]]:
    earlier = _issued_by(engine, batch.resume_of) if batch.resume_of else {}
    issuer = Issuer(batch.requested_by, batch.requested_by_name, None)
    records: list[CertificateRecord] = []
    skipped: list[int] = []
    for done, household_id in enumerate(batch.household_ids, start=1):
        record = _one(engine, batch, issuer, household_id, earlier)
        if record is None:
            skipped.append(household_id)
        else:
            records.append(record)
        progress.write(force=done == len(batch.household_ids), done=done)
    return records, skipped


def _one(engine: Engine, batch: CertificateBatch, issuer: Issuer, household_id: int,
         earlier: dict[int, str]) -> CertificateRecord | None:
    if batch.mode == "reprint":
        with read_session(engine) as s:
            return next((r for r in records_of(s, household_id)
                         if r.policy_year == batch.policy_year and r.current), None)
    if household_id in earlier:
        with read_session(engine) as s:
            return record_by_serial(s, earlier[household_id])
    try:
        return issue_certificate(engine, issuer, household_id, batch.policy_year,
                                 batch_id=batch.id).certificate
    except CertificateRefused:
        return None


def _issued_by(engine: Engine, batch_id: int) -> dict[int, str]:
    """Household → serial of the certificates an earlier (failed) run issued."""
    with read_session(engine) as s:
        rows = s.execute(select(Certificate.household_id, Certificate.serial)
                         .where(Certificate.batch_id == batch_id)).all()
    return {household_id: serial for household_id, serial in rows}


def _with_heartbeat(progress: _Progress, work: Callable[[], bytes]) -> bytes:
    stop = threading.Event()

    def beat() -> None:
        while not stop.wait(HEARTBEAT_S):
            try:
                progress.write()
            except _Stopped:
                return

    beater = threading.Thread(target=beat, daemon=True)
    beater.start()
    try:
        return work()
    finally:
        stop.set()
        beater.join()


def _store_pdf(engine: Engine, batch: CertificateBatch, pdf: bytes, count: int) -> None:
    """Stored with a core insert (the bytes stay out of the audit trail; the operation is
    recorded with its size and hash instead)."""
    digest = hashlib.sha256(pdf).hexdigest()
    with UnitOfWork(ACTOR, engine) as uow:
        uow.session.execute(insert(CertificateBatchPdf.__table__).values(
            batch_id=batch.id, pdf=pdf, size=len(pdf), sha256=digest, created_at=utcnow()))
        uow.record("store_pdf", "certificate_batch_pdfs", entity_id=str(batch.id),
                   county_code=batch.county_code,
                   detail=f"{count} certificates, {len(pdf)} bytes, sha256 {digest}")
        uow.commit()
