"""From stored certificates to paper: the stamp (serial, check code, QR address) beside the
stored content, rendered by :mod:`casework.printing`. A reprint renders the content stored at
issue time, so it shows exactly what was issued."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Engine

from .codes import check_code
from .records import CHINA, CertificateRecord
from .settings import CertificateSettings

__all__ = ["stamp_of", "render_records", "render_preview", "page_count", "PREVIEW_SERIAL"]

PREVIEW_SERIAL = "样张（未签发）"
_PAGE = re.compile(rb"/Type\s*/Page(?![a-zA-Z])")


def stamp_of(record: CertificateRecord, settings: CertificateSettings,
             reached_at: str | None = None) -> Any:
    from casework.printing.certificate import Stamp

    code = check_code(settings.secret_key, record.serial, record.content_hash)
    return Stamp(
        serial=record.serial, check_code=code, issued_on=record.issued_on,
        issued_by_zh=record.issued_by_name,
        verify_url=settings.verify_url(record.serial, code, reached_at), preview=False,
        superseded=not record.current,
    )


def render_records(records: Sequence[CertificateRecord], settings: CertificateSettings,
                   reached_at: str | None = None) -> bytes:
    """One PDF of the stored certificates, in the given order."""
    from casework.printing.certificate import CertificateContent, certificate_pdf

    items = [(CertificateContent.from_json(r.content), stamp_of(r, settings, reached_at))
             for r in records]
    return certificate_pdf(items)


def render_preview(engine: Engine, household_id: int, year: int, issuer_name: str,
                   settings: CertificateSettings, reached_at: str | None = None) -> bytes:
    """A 样张 of what issuing would print today; nothing is stored."""
    from casework.printing.certificate import Stamp, certificate_pdf

    from .issuing import build_content

    content = build_content(engine, household_id, year)
    stamp = Stamp(serial=PREVIEW_SERIAL, check_code="", issued_on=dt.datetime.now(CHINA).date(),
                  issued_by_zh=issuer_name, verify_url=f"{settings.base_url(reached_at)}/verify",
                  preview=True)
    return certificate_pdf([(content, stamp)])


def page_count(pdf: bytes) -> int:
    try:
        from casework.printing.pdf import pdf_page_count
    except ImportError:
        return len(_PAGE.findall(pdf))
    return pdf_page_count(pdf)
