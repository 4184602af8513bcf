"""Public verification (no login): ``/verify/{serial}?c=CODE`` (the QR code's address) and
``/verify`` (a form to type the serial and the check code printed under the QR code; it
only redirects to the former, which counts against the limit).

Rate-limited per client address with an in-process sliding window (``CASEWORK_VERIFY_RATE``
per minute, default 20; see :mod:`casework.certificates.ratelimit`): over the limit answers 429
with a Chinese page and ``Retry-After``."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

import anyio.to_thread
from litestar import Request, Response, get
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect, Template
from sqlalchemy import Engine

from casework.certificates import SlidingWindowLimiter, verify
from casework.settings import WebSettings

from ..policy import PUBLIC
from .common import NO_STORE, cert_settings

__all__ = ["HANDLERS", "limiter_of"]

_STATE_KEY = "certificate_verify_limiter"


def limiter_of(request: Request[Any, Any, Any], per_minute: int) -> SlidingWindowLimiter:
    """The app's limiter (one per app, made on first use)."""
    state = request.app.state
    limiter = state.get(_STATE_KEY)
    if not isinstance(limiter, SlidingWindowLimiter):
        limiter = SlidingWindowLimiter(per_minute, 60.0)
        state[_STATE_KEY] = limiter
    return limiter


def _limited(request: Request[Any, Any, Any], settings: WebSettings) -> Response[Any] | None:
    limiter = limiter_of(request, cert_settings(settings).verify_per_minute)
    client = request.client.host if request.client else "unknown"
    if limiter.allow(client):
        return None
    wait = limiter.retry_after(client)
    return Template("certificates/verify_limited.html", context={"wait": wait},
                    status_code=429, headers={**NO_STORE, "Retry-After": str(wait)})


@get("/verify/{serial:str}", opt={"policy": PUBLIC}, name="verify_certificate")
async def verify_page(request: Request[Any, Any, Any], engine: NamedDependency[Engine],
                      settings: NamedDependency[WebSettings], serial: FromPath[str],
                      c: FromQuery[str] = "") -> Response[Any]:
    refused = _limited(request, settings)
    if refused is not None:
        return refused
    secret = cert_settings(settings).secret_key
    verdict = await anyio.to_thread.run_sync(verify, engine, secret, serial[:40], c[:40])
    context = {"verdict": verdict, "serial": serial[:40], "code": c[:40]}
    return Template("certificates/verify.html", context=context, headers=NO_STORE)


@get("/verify", opt={"policy": PUBLIC}, name="verify_form")
async def verify_form(serial: FromQuery[str] = "", c: FromQuery[str] = "") -> Response[Any]:
    serial = serial.strip().upper()[:40]
    if serial:
        return Redirect(f"/verify/{quote(serial, safe='-')}?c={quote(c.strip()[:40])}",
                        status_code=303)
    return Template("certificates/verify.html", context={"verdict": None, "serial": "",
                                                         "code": ""}, headers=NO_STORE)


HANDLERS: list[Any] = [verify_page, verify_form]

