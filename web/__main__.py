"""``python -m web``: serve the app with uvicorn on CASEWORK_HOST:CASEWORK_PORT."""

from __future__ import annotations

import logging
import sys

import uvicorn

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
    log.info("serving on http://%s:%d (%s)", settings.host, settings.port, settings.env)
    uvicorn.run(
        AccessLog(app), host=settings.host, port=settings.port, log_config=None,
        access_log=False, server_header=False, proxy_headers=False,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
