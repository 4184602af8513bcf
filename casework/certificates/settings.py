"""Certificate settings, read from the environment by the web app and the command line alike.

* ``CASEWORK_SECRET_KEY`` (the web app's secret, :class:`casework.settings.WebSettings`) keys
  the check codes, so both sides compute the same code.
* ``CASEWORK_PUBLIC_URL``: the address printed in the QR code (``…/verify/<serial>?c=<code>``).
  The web app uses the address it was reached at when this is not set; the command line uses
  ``http://127.0.0.1:8000``. Set it in production (the public https address).
* ``CASEWORK_VERIFY_RATE``: how many verification requests one client address may make per
  minute (default 20).
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from casework.settings import WebSettings

__all__ = ["CertificateSettings", "DEFAULT_PUBLIC_URL", "DEFAULT_VERIFY_RATE"]

DEFAULT_PUBLIC_URL = "http://127.0.0.1:8000"
DEFAULT_VERIFY_RATE = 20


@dataclass(frozen=True)
class CertificateSettings:
    secret_key: str
    public_url: str | None
    """None: the web app uses the address it was reached at."""
    verify_per_minute: int = DEFAULT_VERIFY_RATE

    @classmethod
    def from_env(cls, web: WebSettings | None = None) -> "CertificateSettings":
        web = web or WebSettings.from_env()
        public = os.environ.get("CASEWORK_PUBLIC_URL", "").strip().rstrip("/") or None
        rate_text = os.environ.get("CASEWORK_VERIFY_RATE", "").strip()
        rate = int(rate_text) if rate_text.isdigit() and int(rate_text) > 0 else DEFAULT_VERIFY_RATE
        return cls(secret_key=web.secret_key, public_url=public, verify_per_minute=rate)

    def base_url(self, reached_at: str | None = None) -> str:
        """Where verification pages are served: the setting, else ``reached_at``, else the
        development default."""
        return (self.public_url or (reached_at or "").rstrip("/") or DEFAULT_PUBLIC_URL)

    def verify_url(self, serial: str, code: str, reached_at: str | None = None) -> str:
        return f"{self.base_url(reached_at)}/verify/{serial}?c={code}"
