"""A household's certificates: the list (current and superseded), issuing (township staff and
administrators), a 样张 preview, and printing any certificate again from its stored content.

Routes::

    GET  /households/{household_id}/certificates          list; issue form for issuers
    POST /households/{household_id}/certificates          issue (CSRF, one-time key)
    GET  /households/{household_id}/certificates/preview  样张 PDF (?year=), nothing stored
    GET  /certificates/{serial}/pdf                       print a stored certificate again
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
    DEFAULT_YEAR, ISSUER_ROLES, POLICY_YEARS, VIEWER_ROLES, CertificateRefused,
    HouseholdNotFound, Issuer, NotAllowed, issue_certificate, record_by_serial, records_of,
    render_preview, render_records,
)
from casework.certificates.codes import is_serial
from casework.certificates.issuing import check_year
from casework.certificates.scope import household_visible
from casework.db import read_session
from casework.queries import Account, household_record
from casework.settings import WebSettings

from ..policy import policy
from .common import NO_STORE, cert_settings, first, form_data, new_key, pdf_response, reached_at

__all__ = ["HANDLERS"]

PAGE = "/households/{household_id:int}/certificates"


def _page(engine: Engine, account: Account, household_id: int, *, issued: str = "",
          year: int = DEFAULT_YEAR, error: str = "", status: int = 200) -> Template:
    record = household_record(engine, account, household_id)
    if record is None:
        raise NotFoundException("household not found")
    with read_session(engine) as s:
        certificates = records_of(s, household_id)
    heads = [m.name for m in record.household.members if m.active and m.relation == "head"]
    context = {
        "account": account, "household": record.household, "village_name": record.village_name,
        "township_name": record.township_name, "head_name": heads[0] if heads else None,
        "certificates": certificates, "may_issue": account.role in ISSUER_ROLES,
        "years": POLICY_YEARS, "year": year, "key": new_key(), "issued": issued,
        "error": error,
    }
    return Template("certificates/household.html", context=context, status_code=status,
                    headers=NO_STORE)


@get(PAGE, opt=policy(roles=VIEWER_ROLES), name="household_certificates")
async def household_certificates(
    account: NamedDependency[Account], engine: NamedDependency[Engine],
    household_id: FromPath[int], issued: FromQuery[str] = "",
) -> Template:
    shown = issued if is_serial(issued) else ""
    return await anyio.to_thread.run_sync(
        lambda: _page(engine, account, household_id, issued=shown))


@post(PAGE, opt=policy(roles=ISSUER_ROLES), name="issue_certificate", status_code=303)
async def issue(
    request: Request[Any, Any, Any], account: NamedDependency[Account],
    engine: NamedDependency[Engine], household_id: FromPath[int],
) -> Response[Any]:
    data = await form_data(request)
    year_text, key = first(data, "year"), first(data, "key")
    issuer = Issuer(account.username, account.display_name, account)

    def work() -> Response[Any]:
        try:
            issued = issue_certificate(engine, issuer, household_id, year_text, key=key or "-")
        except HouseholdNotFound:
            raise NotFoundException("household not found") from None
        except NotAllowed:
            raise PermissionDeniedException("role may not issue") from None
        except CertificateRefused as refused:
            year = int(year_text) if year_text.isdigit() and len(year_text) == 4 else DEFAULT_YEAR
            return _page(engine, account, household_id, year=year,
                         error=f"没有签发：{refused.message_zh}", status=422)
        target = f"/households/{household_id}/certificates?issued={issued.certificate.serial}"
        return Redirect(target, status_code=303)

    return await anyio.to_thread.run_sync(work)


@get(PAGE + "/preview", opt=policy(roles=VIEWER_ROLES), name="preview_certificate")
async def preview(
    request: Request[Any, Any, Any], account: NamedDependency[Account],
    engine: NamedDependency[Engine], settings: NamedDependency[WebSettings],
    household_id: FromPath[int], year: FromQuery[str] = str(DEFAULT_YEAR),
) -> Response[Any]:
    base = reached_at(request)

    def work() -> Response[Any]:
        with read_session(engine) as s:
            if not household_visible(s, account, household_id):
                raise NotFoundException("household not found")
        try:
            pdf = render_preview(engine, household_id, check_year(year), account.display_name,
                                 cert_settings(settings), base)
        except CertificateRefused as refused:
            return _page(engine, account, household_id, error=f"无法预览：{refused.message_zh}",
                         status=422)
        return pdf_response(pdf, f"preview-{household_id}-{year}.pdf")

    return await anyio.to_thread.run_sync(work)


@get("/certificates/{serial:str}/pdf", opt=policy(roles=VIEWER_ROLES), name="certificate_pdf")
async def certificate_pdf(
    request: Request[Any, Any, Any], account: NamedDependency[Account],
    engine: NamedDependency[Engine], settings: NamedDependency[WebSettings],
    serial: FromPath[str],
) -> Response[bytes]:
    base = reached_at(request)

    def work() -> Response[bytes]:
        record = None
        if is_serial(serial):
            with read_session(engine) as s:
                found = record_by_serial(s, serial)
                if found is not None and household_visible(s, account, found.household_id):
                    record = found
        if record is None:
            raise NotFoundException("certificate not found")
        pdf = render_records([record], cert_settings(settings), base)
        return pdf_response(pdf, f"certificate-{record.serial}.pdf")

    return await anyio.to_thread.run_sync(work)


HANDLERS: list[Any] = [household_certificates, issue, preview, certificate_pdf]
