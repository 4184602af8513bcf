"""``python -m web``: serve the app with uvicorn on CASEWORK_HOST:CASEWORK_PORT."""

from __future__ import annotations

import logging
import os
import socket
import sys
from typing import Any

import uvicorn
from uvicorn.supervisors import Multiprocess

from casework.settings import WebSettings

from .app import StartupRefused, create_app
from .logs import AccessLog, configure_logging

log = logging.getLogger("casework.web")


def main() -> int:
    configure_logging()
    settings = WebSettings.from_env()
    try:
        app = create_app(settings)
    except StartupRefused as exc:
        print(f"casework web: {exc}", file=sys.stderr)
        return 2
    workers = _workers()
    log.info("serving on http://%s:%d (%s, %d worker%s)", settings.host, settings.port,
             settings.env, workers, "s" if workers > 1 else "")
    options: dict[str, Any] = dict(host=settings.host, port=settings.port, log_config=None,
                                   access_log=False, server_header=False, proxy_headers=False)
    if workers > 1:  # sessions live in the database, so worker processes share the logins
        config = uvicorn.Config("web.asgi:app", workers=workers, **options)
        Multiprocess(config, sockets=[listening_socket(settings.host, settings.port)]).run()
    else:
        uvicorn.run(AccessLog(app), **options)
    return 0


def listening_socket(host: str, port: int) -> socket.socket:
    """The socket the worker processes share, made with ``IPPROTO_TCP`` named: uvicorn's own
    (``socket.socket(family)``, protocol 0) makes asyncio skip ``TCP_NODELAY`` on accepted
    connections, and Nagle's algorithm meeting delayed ACKs then holds every small response
    ~40 ms."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    sock.set_inheritable(True)
    return sock


def _workers() -> int:
    """``CASEWORK_WEB_WORKERS`` (default 1): server processes."""
    raw = os.environ.get("CASEWORK_WEB_WORKERS", "1").strip()
    return max(1, min(16, int(raw))) if raw.isdigit() else 1


if __name__ == "__main__":
    sys.exit(main())
