"""Which process runs a batch, and whether a queued or running batch has been lost.

Each server process has an identity ``host:pid:boot``; a batch records the identity of the
process running it. A batch is lost when that process is this one but no longer runs it, when
the process is gone from this host, or when its heartbeat is older than the allowed silence
(the only sign available across hosts)."""

from __future__ import annotations

import datetime as dt
import os
import socket
import threading
import uuid
from collections import Counter

from casework.models import utcnow
from casework.models.certificates import CertificateBatch

__all__ = ["PROCESS_ID", "LOST_MESSAGE", "is_lost", "running_here", "mark_running",
           "mark_stopped"]

PROCESS_ID = f"{socket.gethostname()[:40]}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
LOST_MESSAGE = "打印任务中断（服务器重启或出错），已签发的证明都已保存。请点“重新开始”继续。"
_running: Counter[int] = Counter()
_lock = threading.Lock()


def running_here() -> set[int]:
    with _lock:
        return {batch_id for batch_id, n in _running.items() if n > 0}


def mark_running(batch_id: int) -> None:
    with _lock:
        _running[batch_id] += 1


def mark_stopped(batch_id: int) -> None:
    with _lock:
        _running[batch_id] -= 1
        if _running[batch_id] <= 0:
            del _running[batch_id]


def _process_gone(worker: str) -> bool:
    host, _, rest = worker.partition(":")
    pid_text, _, _boot = rest.partition(":")
    if host != socket.gethostname()[:40] or not pid_text.isdigit():
        return False
    try:
        os.kill(int(pid_text), 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False


def is_lost(batch: CertificateBatch, silence: dt.timedelta) -> bool:
    if batch.status not in ("queued", "running"):
        return False
    if not batch.worker:  # stored, never picked up
        return utcnow() - batch.heartbeat_at > silence
    if batch.worker == PROCESS_ID:
        return batch.id not in running_here()
    if _process_gone(batch.worker):
        return True
    return utcnow() - batch.heartbeat_at > silence
