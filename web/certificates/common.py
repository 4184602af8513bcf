"""Helpers shared by the certificate routes."""

from __future__ import annotations

import secrets
from typing import Any

from litestar import Request, Response

from casework.certificates import CertificateSettings
from casework.settings import WebSettings

__all__ = ["cert_settings", "reached_at", "is_fragment", "pdf_response", "new_key", "NO_STORE"]

NO_STORE = {"Cache-Control": "no-store, max-age=0"}


def cert_settings(settings: WebSettings) -> CertificateSettings:
    """Certificate settings keyed by the secret the app was started with."""
    return CertificateSettings.from_env(settings)


def reached_at(request: Request[Any, Any, Any]) -> str:
    """The address the app was reached at (used for the QR code when CASEWORK_PUBLIC_URL is
    not set)."""
    return str(request.base_url).rstrip("/")


def is_fragment(request: Request[Any, Any, Any]) -> bool:
    headers = request.headers
    return headers.get("hx-request") == "true" and headers.get("hx-history-restore-request") != "true"


def pdf_response(pdf: bytes, filename: str) -> Response[bytes]:
    return Response(pdf, media_type="application/pdf", headers={
        **NO_STORE, "Content-Disposition": f'inline; filename="{filename}"'})


def new_key() -> str:
    return secrets.token_urlsafe(24)


async def form_data(request: Request[Any, Any, Any]) -> dict[str, list[str]]:
    form = await request.form()
    data: dict[str, list[str]] = {}
    for name, value in form.multi_items():
        if isinstance(value, str):
            data.setdefault(name, []).append(value)
    return data


def first(data: dict[str, list[str]], name: str) -> str:
    values = data.get(name) or [""]
    return values[0].strip()[:100]
