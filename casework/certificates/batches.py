"""Print batches: many households of one village as one PDF, made in the background.

:func:`start_batch` checks the request and stores a queued batch (idempotent on the form's
submission key); :mod:`.worker` runs it. The batch's state is in the database, so the page can be
closed and opened again, and a batch whose worker stopped (a server restart) is found out —
its process is gone, or it has been silent for :data:`LOST_AFTER` — marked failed, and can be
restarted with :func:`restart_batch`, which prints the certificates the failed run had already
issued instead of issuing them again.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from casework.db import read_session
from .codes import KEY_PATTERN
from casework.models import Area, Household, Submission, utcnow
from casework.models.certificates import CertificateBatch, CertificateBatchPdf
from casework.queries import Scoped, area_scope
from casework.uow import StaleVersion, UnitOfWork

from .issuing import CertificateRefused, NotAllowed, check_year
from .scope import PRINTER_ROLES, may_issue, village_scope
from .worker_state import LOST_MESSAGE, is_lost

__all__ = [
    "BatchRequest", "BatchView", "BatchNotFound", "MAX_BATCH", "LOST_AFTER", "start_batch",
    "restart_batch", "batch_view", "batch_pdf", "recent_batches", "BATCH_ACTION",
]

MAX_BATCH = 500
LOST_AFTER = dt.timedelta(seconds=120)
BATCH_ACTION = "certificate_batch"


class BatchNotFound(LookupError):
    """No such batch, or its village is outside the user's area."""


@dataclass(frozen=True)
class BatchRequest:
    village_id: int
    year: int | str
    mode: str
    household_ids: Sequence[int] | None
    """None: every active household of the village."""
    key: str


@dataclass(frozen=True)
class BatchView:
    id: int
    village_name: str
    policy_year: int
    mode: str
    status: str
    total: int
    done: int
    phase: str
    message: str | None
    households: int
    requested_by_name: str
    created_at: dt.datetime
    finished_at: dt.datetime | None
    pages: int | None
    certificates: int | None

    @property
    def percent(self) -> int:
        if self.status == "done":
            return 100
        return min(99, self.done * 100 // self.total) if self.total else 0

    @property
    def active(self) -> bool:
        return self.status in ("queued", "running")


def start_batch(engine: Engine, user: Scoped, username: str, display_name: str,
                request: BatchRequest, resume_of: int | None = None) -> tuple[int, bool]:
    """Store a queued batch; returns its id and True, or, for a repeated submission key, the
    first batch's id and False (the caller starts a worker only for a new batch)."""
    year = check_year(request.year)
    if request.mode not in ("issue", "reprint"):
        raise CertificateRefused("mode", "请选择“签发并打印”或“重印现有证明”")
    if user.role not in PRINTER_ROLES or (request.mode == "issue" and not may_issue(user)):
        raise NotAllowed("role may not start this batch")
    if not KEY_PATTERN.fullmatch(request.key):
        raise CertificateRefused("key", "提交编号无效，请刷新页面后重试")
    with UnitOfWork(username, engine) as uow:
        first = uow.session.get(Submission, request.key)
        if first is not None:
            if first.action != BATCH_ACTION or not first.result_id:
                raise CertificateRefused("key", "提交编号已用于其他操作，请刷新页面后重试")
            return int(first.result_id), False
        village = _village(uow.session, user, request.village_id)
        households = _households(uow.session, user, village, request.household_ids)
        batch = uow.add(CertificateBatch(
            county_code=village.code[:6], village_id=village.id, policy_year=year,
            mode=request.mode, household_ids=households, requested_by=username,
            requested_by_name=display_name[:64], total=len(households) + 1, phase="排队等候",
            resume_of=resume_of))
        uow.flush()
        uow.add(Submission(key=request.key, username=username, action=BATCH_ACTION,
                           result_id=str(batch.id)))
        uow.commit()
        return batch.id or 0, True


def _village(session: Session, user: Scoped, village_id: int) -> Area:
    if not 0 < village_id < 2**62:
        raise BatchNotFound(village_id)
    village = session.scalars(select(Area).where(Area.id == village_id, village_scope(user))).first()
    if village is None:
        raise BatchNotFound(village_id)
    return village


def _households(session: Session, user: Scoped, village: Area,
                chosen: Sequence[int] | None) -> list[int]:
    stmt = (select(Household.id).where(Household.village_id == village.id, Household.active,
                                       area_scope(user)).order_by(Household.number))
    in_village = list(session.scalars(stmt))
    if chosen is None:
        picked = in_village
    else:
        wanted = set(chosen)
        if not wanted <= set(in_village):
            raise CertificateRefused("household_ids", "所选的户不在本村的在册户中，请刷新页面后重新选择")
        picked = [h for h in in_village if h in wanted]
    if not picked:
        raise CertificateRefused("household_ids", "请至少选择一户")
    if len(picked) > MAX_BATCH:
        raise CertificateRefused("household_ids", f"一次最多打印{MAX_BATCH}户，请分批选择")
    return picked


def restart_batch(engine: Engine, user: Scoped, username: str, display_name: str,
                  batch_id: int, key: str) -> tuple[int, bool]:
    """A new batch for the same households as a failed one."""
    old = _visible_batch(engine, user, batch_id)
    if old.status != "failed":
        raise CertificateRefused("batch", "只有失败的打印任务可以重新开始")
    request = BatchRequest(old.village_id, old.policy_year, old.mode, old.household_ids, key)
    return start_batch(engine, user, username, display_name, request, resume_of=old.id)


def _visible_batch(engine: Engine, user: Scoped, batch_id: int) -> CertificateBatch:
    if not 0 < batch_id < 2**62:
        raise BatchNotFound(batch_id)
    with read_session(engine) as s:
        batch = s.get(CertificateBatch, batch_id)
        if batch is None or user.role not in PRINTER_ROLES or s.scalar(
                select(Area.id).where(Area.id == batch.village_id, village_scope(user))) is None:
            raise BatchNotFound(batch_id)
    return batch


def batch_view(engine: Engine, user: Scoped, batch_id: int) -> BatchView:
    """The batch as the user may see it; a lost batch is marked failed on the way."""
    batch = _visible_batch(engine, user, batch_id)
    if is_lost(batch, LOST_AFTER):
        batch = _mark_lost(engine, batch)
    with read_session(engine) as s:
        village = s.get(Area, batch.village_id)
    return _view(batch, village.name if village else "")


def _mark_lost(engine: Engine, batch: CertificateBatch) -> CertificateBatch:
    try:
        with UnitOfWork("system:certificate-batches", engine) as uow:
            row = uow.get(CertificateBatch, batch.id)
            uow.update(row, expected_version=batch.version, status="failed",
                       message=LOST_MESSAGE, finished_at=utcnow())
            uow.commit()
            return row
    except StaleVersion:  # the worker reported meanwhile: show what it wrote
        with read_session(engine) as s:
            return s.get(CertificateBatch, batch.id) or batch


def _view(batch: CertificateBatch, village_name: str) -> BatchView:
    return BatchView(
        id=batch.id or 0, village_name=village_name, policy_year=batch.policy_year,
        mode=batch.mode, status=batch.status, total=batch.total, done=batch.done,
        phase=batch.phase, message=batch.message, households=len(batch.household_ids),
        requested_by_name=batch.requested_by_name, created_at=batch.created_at,
        finished_at=batch.finished_at, pages=batch.pages, certificates=batch.certificates)


def batch_pdf(engine: Engine, user: Scoped, batch_id: int) -> bytes | None:
    """The finished PDF, or None while the batch is not done."""
    _visible_batch(engine, user, batch_id)
    with read_session(engine) as s:
        row = s.get(CertificateBatchPdf, batch_id)
        return bytes(row.pdf) if row is not None else None


def recent_batches(engine: Engine, user: Scoped, limit: int = 8) -> list[BatchView]:
    """The latest batches of the user's villages (lost ones marked failed on the way)."""
    with read_session(engine) as s:
        rows = s.execute(
            select(CertificateBatch, Area.name).join(Area, Area.id == CertificateBatch.village_id)
            .where(village_scope(user)).order_by(CertificateBatch.id.desc()).limit(limit)).all()
    return [_view(_mark_lost(engine, b) if is_lost(b, LOST_AFTER) else b, name)
            for b, name in rows]
