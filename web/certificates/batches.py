"""Printing a village (or a selection of its households) as one PDF, in the background.

Routes::

    GET  /certificates                              villages → households; start a batch
    POST /certificates/batches                      start (CSRF, one-time key) → batch page
    GET  /certificates/batches/{batch_id}           progress (page, or fragment for htmx polling)
    GET  /certificates/batches/{batch_id}/pdf       the finished PDF
    POST /certificates/batches/{batch_id}/restart   a failed batch again
"""

from __future__ import annotations

from typing import Any

import anyio.to_thread
from litestar import Request, Response, get, post
from litestar.di import NamedDependency
from litestar.exceptions import NotFoundException, PermissionDeniedException
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect, Template
from sqlalchemy import Engine

from casework.certificates import (
    DEFAULT_YEAR, ISSUER_ROLES, POLICY_YEARS, PRINTER_ROLES, BatchNotFound, BatchRequest,
    CertificateRefused, NotAllowed, batch_pdf, batch_view, recent_batches, restart_batch,
    run_in_background, start_batch,
)
from casework.certificates.overview import household_lines, village_lines
from casework.queries import Account
from casework.settings import WebSettings

from ..policy import policy
from .common import NO_STORE, cert_settings, first, form_data, is_fragment, new_key, \
    pdf_response, reached_at

__all__ = ["HANDLERS"]

PRINT_POLICY = policy(roles=PRINTER_ROLES)
BATCH = "/certificates/batches/{batch_id:int}"


def _year(text: str) -> int:
    return int(text) if text.isdigit() and int(text) in POLICY_YEARS else DEFAULT_YEAR


def _overview(engine: Engine, account: Account, village_text: str, year: int,
              error: str = "", status: int = 200) -> Template:
    villages = village_lines(engine, account, year)
    if not village_text and len(villages) == 1:
        village_text = str(villages[0].id)
    village, households = None, []
    if village_text:
        if not village_text.isdigit():
            raise NotFoundException("village not found")
        try:
            village, households = household_lines(engine, account, int(village_text), year)
        except BatchNotFound:
            raise NotFoundException("village not found") from None
    context = {
        "account": account, "villages": villages, "village": village, "households": households,
        "year": year, "years": POLICY_YEARS, "may_issue": account.role in ISSUER_ROLES,
        "batches": recent_batches(engine, account), "key": new_key(), "error": error,
    }
    return Template("certificates/overview.html", context=context, status_code=status,
                    headers=NO_STORE)


@get("/certificates", opt=PRINT_POLICY, name="certificates")
async def overview(account: NamedDependency[Account], engine: NamedDependency[Engine],
                   village: FromQuery[str] = "", year: FromQuery[str] = "") -> Template:
    return await anyio.to_thread.run_sync(
        lambda: _overview(engine, account, village.strip()[:20], _year(year)))


def _request(data: dict[str, list[str]]) -> BatchRequest:
    village = first(data, "village_id")
    if not village.isdigit():
        raise CertificateRefused("village_id", "请先选择村")
    chosen = None
    if first(data, "scope") == "selected":
        ids = [v for v in data.get("household_id", []) if v.isdigit() and len(v) < 19]
        chosen = [int(v) for v in ids]
    return BatchRequest(int(village), first(data, "year"), first(data, "mode") or "issue",
                        chosen, first(data, "key") or "-")


@post("/certificates/batches", opt=PRINT_POLICY, name="start_certificate_batch",
      status_code=303)
async def start(request: Request[Any, Any, Any], account: NamedDependency[Account],
                engine: NamedDependency[Engine],
                settings: NamedDependency[WebSettings]) -> Response[Any]:
    data = await form_data(request)
    base = reached_at(request)

    def work() -> Response[Any]:
        try:
            batch_id, new = start_batch(engine, account, account.username, account.display_name,
                                        _request(data))
        except BatchNotFound:
            raise NotFoundException("village not found") from None
        except NotAllowed:
            raise PermissionDeniedException("role may not issue") from None
        except CertificateRefused as refused:
            return _overview(engine, account, first(data, "village_id"),
                             _year(first(data, "year")), refused.message_zh, 422)
        if new:
            run_in_background(engine, batch_id, cert_settings(settings), base)
        return Redirect(f"/certificates/batches/{batch_id}", status_code=303)

    return await anyio.to_thread.run_sync(work)


@get(BATCH, opt=PRINT_POLICY, name="certificate_batch")
async def batch_page(request: Request[Any, Any, Any], account: NamedDependency[Account],
                     engine: NamedDependency[Engine], batch_id: FromPath[int]) -> Template:
    def work() -> Template:
        try:
            view = batch_view(engine, account, batch_id)
        except BatchNotFound:
            raise NotFoundException("batch not found") from None
        name = "certificates/_batch.html" if is_fragment(request) else "certificates/batch.html"
        return Template(name, context={"account": account, "batch": view, "key": new_key()},
                        headers=NO_STORE)

    return await anyio.to_thread.run_sync(work)


@get(BATCH + "/pdf", opt=PRINT_POLICY, name="certificate_batch_pdf")
async def download(account: NamedDependency[Account], engine: NamedDependency[Engine],
                   batch_id: FromPath[int]) -> Response[Any]:
    def work() -> Response[Any]:
        try:
            pdf = batch_pdf(engine, account, batch_id)
        except BatchNotFound:
            raise NotFoundException("batch not found") from None
        if pdf is None:
            return Redirect(f"/certificates/batches/{batch_id}", status_code=303)
        return pdf_response(pdf, f"certificates-batch-{batch_id}.pdf")

    return await anyio.to_thread.run_sync(work)


@post(BATCH + "/restart", opt=PRINT_POLICY, name="restart_certificate_batch", status_code=303)
async def restart(request: Request[Any, Any, Any], account: NamedDependency[Account],
                  engine: NamedDependency[Engine], settings: NamedDependency[WebSettings],
                  batch_id: FromPath[int]) -> Response[Any]:
    data = await form_data(request)
    base = reached_at(request)

    def work() -> Response[Any]:
        try:
            new_id, new = restart_batch(engine, account, account.username,
                                        account.display_name, batch_id, first(data, "key") or "-")
        except BatchNotFound:
            raise NotFoundException("batch not found") from None
        except NotAllowed:
            raise PermissionDeniedException("role may not issue") from None
        except CertificateRefused as refused:
            view = batch_view(engine, account, batch_id)
            return Template("certificates/batch.html", status_code=422, headers=NO_STORE,
                            context={"account": account, "batch": view, "key": new_key(),
                                     "error": refused.message_zh})
        if new:
            run_in_background(engine, new_id, cert_settings(settings), base)
        return Redirect(f"/certificates/batches/{new_id}", status_code=303)

    return await anyio.to_thread.run_sync(work)


HANDLERS: list[Any] = [overview, start, batch_page, download, restart]
