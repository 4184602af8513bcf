"""Long print jobs on every core: contiguous chunks rendered in worker processes, then joined.

WeasyPrint is single-threaded Python; a village of 200 households is ~200 pages of layout. The
batch is cut into one contiguous chunk per worker, each rendered to its own PDF in a separate
process, and the PDFs are concatenated in order (pypdf). Workers are *spawned* (not forked: the
web app renders from a background thread, and forking a threaded process can inherit held
locks), kept for the life of the process and warmed up once (fonts loaded), so only the first
batch pays their start-up.
"""

from __future__ import annotations

import atexit
import io
import multiprocessing
import os
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import TypeVar

__all__ = ["workers_available", "render_chunks", "join_pdfs", "chunked"]

T = TypeVar("T")
_lock = threading.Lock()
_pool: ProcessPoolExecutor | None = None
_pool_size = 0


def workers_available() -> int:
    """Cores this process may use (``CASEWORK_PRINT_WORKERS`` caps it; 1 turns workers off);
    1 when pypdf, which joins the parts, is not installed."""
    try:
        import pypdf  # noqa: F401
    except ImportError:
        return 1
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    cap = os.environ.get("CASEWORK_PRINT_WORKERS", "").strip()
    return max(1, min(cores or 1, int(cap) if cap.isdigit() else 2))


def chunked(items: Sequence[T], parts: int) -> list[Sequence[T]]:
    """``items`` cut into ``parts`` contiguous, nearly equal chunks (none empty)."""
    parts = max(1, min(parts, len(items)))
    size, extra = divmod(len(items), parts)
    chunks, start = [], 0
    for index in range(parts):
        end = start + size + (1 if index < extra else 0)
        chunks.append(items[start:end])
        start = end
    return chunks


def render_chunks(render: Callable[[Sequence[T]], bytes], chunks: Sequence[Sequence[T]],
                  workers: int) -> list[bytes]:
    """``render`` (a module-level function) of every chunk, in order, ``workers`` at a time."""
    try:
        return list(_shared_pool(workers).map(render, chunks))
    except BrokenProcessPool:  # a worker died (or could not start): do it here instead
        _discard_pool()
        return [render(chunk) for chunk in chunks]


def join_pdfs(parts: Sequence[bytes]) -> bytes:
    """The PDFs one after the other, as one PDF."""
    if len(parts) == 1:
        return parts[0]
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    for part in parts:
        writer.append(PdfReader(io.BytesIO(part)))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _shared_pool(workers: int) -> ProcessPoolExecutor:
    global _pool, _pool_size
    with _lock:
        if _pool is None or _pool_size < workers:
            if _pool is not None:
                _pool.shutdown(wait=False)
            context = multiprocessing.get_context("spawn")
            _pool = ProcessPoolExecutor(workers, mp_context=context, initializer=_warm_up)
            _pool_size = workers
        return _pool


def _discard_pool() -> None:
    global _pool
    with _lock:
        if _pool is not None:
            _pool.shutdown(wait=False, cancel_futures=True)
        _pool = None


def _warm_up() -> None:
    """Load WeasyPrint and the CJK fonts once per worker."""
    from .pdf import render_pdf

    render_pdf('<p style="font-family: \'Noto Sans CJK SC\'">预热</p>')


@atexit.register
def _stop_pool() -> None:
    if _pool is not None:
        _pool.shutdown(wait=False, cancel_futures=True)
