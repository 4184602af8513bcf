"""Settings, one dataclass per concern, read from the environment. No secret has a default that
production accepts: see :func:`WebSettings.problems`."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

__all__ = ["DatabaseSettings", "WebSettings", "DEV_SECRET_KEY", "PROJECT_ROOT"]

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEV_SECRET_KEY = "casework-development-secret-key-not-for-production"


@dataclass(frozen=True)
class DatabaseSettings:
    url: str
    """SQLAlchemy URL; SQLite file under ``var/`` unless ``CASEWORK_DATABASE_URL`` is set."""

    @classmethod
    def from_env(cls) -> "DatabaseSettings":
        url = os.environ.get("CASEWORK_DATABASE_URL", "").strip()
        if not url:
            url = f"sqlite:///{PROJECT_ROOT / 'var' / 'casework.db'}"
        return cls(url=normalise_url(url))


def normalise_url(url: str) -> str:
    """Use psycopg 3 for a bare ``postgresql://`` URL."""
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


@dataclass(frozen=True)
class WebSettings:
    env: str
    """``development`` (default) or ``production``."""
    secret_key: str
    host: str = "127.0.0.1"
    port: int = 8000

    @classmethod
    def from_env(cls) -> "WebSettings":
        return cls(
            env=os.environ.get("CASEWORK_ENV", "development").strip() or "development",
            secret_key=os.environ.get("CASEWORK_SECRET_KEY", DEV_SECRET_KEY),
            host=os.environ.get("CASEWORK_HOST", "127.0.0.1"),
            port=int(os.environ.get("CASEWORK_PORT", "8000")),
        )

    @property
    def production(self) -> bool:
        return self.env == "production"

    def problems(self) -> list[str]:
        """Why this configuration must not serve production traffic (empty when it may)."""
        found = []
        if self.production and self.secret_key == DEV_SECRET_KEY:
            found.append("CASEWORK_SECRET_KEY is the development default")
        if self.production and len(self.secret_key) < 32:
            found.append("CASEWORK_SECRET_KEY must be at least 32 characters")
        return found
