"""Logging that never writes a resident ID number.

Requests are logged by route template (``GET /households/{household_id:int} 200 12.3ms``), never
with the query string or the raw path; any 15- or 18-character ID-shaped run of digits that still
reaches a log line (an exception message, say) is masked by :class:`RedactIds`.
"""

from __future__ import annotations

import logging
import re
import sys
import time
from typing import Any

from litestar.types import ASGIApp, Message, Receive, Scope, Send

__all__ = ["redact", "RedactIds", "configure_logging", "AccessLog", "ACCESS_LOGGER"]

ACCESS_LOGGER = "casework.web.access"
_ID_SHAPED = re.compile(r"(?<![\dXx])(\d{6})(\d{5,8})([\dXx]{4})(?![\dXx])")


def redact(text: str) -> str:
    """Mask every run of 15 to 18 ID-like characters, keeping the first six and the last four
    (as ``casework.ids.mask_detail`` does)."""
    return _ID_SHAPED.sub(lambda m: m.group(1) + "*" * len(m.group(2)) + m.group(3), text)


class RedactIds(logging.Filter):
    """Handler filter: rewrites the formatted message (arguments and traceback included)."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        record.msg, record.args = redact(message), None
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        return True


def configure_logging(level: int = logging.INFO) -> None:
    """Root handler on stderr with ID redaction; uvicorn's own loggers go through it too."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(RedactIds())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    for name in ("uvicorn", "uvicorn.error"):
        logging.getLogger(name).handlers[:] = []
        logging.getLogger(name).propagate = True
    silenced = logging.getLogger("uvicorn.access")  # its lines carry client ports and query
    silenced.handlers[:] = []                          # strings; AccessLog writes ours
    silenced.propagate = False
    silenced.disabled = True


class AccessLog:
    """ASGI wrapper logging method, route template, status and duration of each request."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self.log = logging.getLogger(ACCESS_LOGGER)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status: list[int] = []

        async def send_and_note(message: Message) -> None:
            if message["type"] == "http.response.start":
                status.append(message["status"])
            await send(message)

        try:
            await self.app(scope, receive, send_and_note)
        finally:
            self._line(scope, status[0] if status else 500, time.perf_counter() - started)

    def _line(self, scope: Any, status: int, seconds: float) -> None:
        route = scope.get("path_template") or "(no route)"
        self.log.info("%s %s %d %.1fms", scope.get("method", "-"), route, status, seconds * 1000)
