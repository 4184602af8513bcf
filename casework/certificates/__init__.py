"""Certificates (issue 5): issuing, serials and check codes, print batches, verification.

The document itself (content assembly and PDF) is :mod:`casework.printing`; this package stores
what was issued, numbers and signs it, runs batches in the background and answers verification.
"""

from .batches import (
    BATCH_ACTION, MAX_BATCH, BatchNotFound, BatchRequest, BatchView, batch_pdf, batch_view,
    recent_batches, restart_batch, start_batch,
)
from .codes import check_code, content_hash, normalise_code, pretty_code
from .documents import page_count, render_preview, render_records, stamp_of
from .issuing import (
    DEFAULT_YEAR, POLICY_YEARS, CertificateRefused, HouseholdNotFound, Issued, Issuer,
    NotAllowed, issue_certificate,
)
from .ratelimit import SlidingWindowLimiter
from .records import CertificateRecord, record_by_serial, records_of
from .scope import ISSUER_ROLES, PRINTER_ROLES, VIEWER_ROLES, may_issue, visible_villages
from .settings import CertificateSettings
from .verification import Verdict, mask_name, verify
from .worker import run_batch, run_in_background

__all__ = [
    "BATCH_ACTION", "MAX_BATCH", "BatchNotFound", "BatchRequest", "BatchView", "batch_pdf",
    "batch_view", "recent_batches", "restart_batch", "start_batch", "check_code",
    "content_hash", "normalise_code", "pretty_code", "page_count", "render_preview",
    "render_records", "stamp_of", "DEFAULT_YEAR", "POLICY_YEARS", "CertificateRefused",
    "HouseholdNotFound", "Issued", "Issuer", "NotAllowed", "issue_certificate",
    "SlidingWindowLimiter", "CertificateRecord", "record_by_serial", "records_of",
    "ISSUER_ROLES", "PRINTER_ROLES", "VIEWER_ROLES", "may_issue", "visible_villages",
    "CertificateSettings", "Verdict", "mask_name", "verify", "run_batch", "run_in_background",
]
