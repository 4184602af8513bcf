"""The ASGI app as an import string (``web.asgi:app``), for uvicorn's worker processes."""

from __future__ import annotations

from .app import create_app
from .logs import AccessLog, configure_logging

__all__ = ["app"]

configure_logging()
app = AccessLog(create_app())
