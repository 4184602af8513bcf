"""The certificate document's public face (the interface other packages use):

* :class:`CertificateContent` (with :class:`CertificateMember`, :class:`CertificateMeasure`,
  :class:`AssessmentLine`) — what it says, JSON round trip for storing (:mod:`.content`);
* :func:`certificate_content` — build it for a household and policy year (:mod:`.assembly`,
  which documents the evaluation date and which decisions are shown);
* :class:`Stamp`, :func:`certificate_html`, :func:`certificate_pdf` — paper (:mod:`.document`).
"""

from __future__ import annotations

from .assembly import CHECKS, certificate_content, evaluation_date
from .content import AssessmentLine, CertificateContent, CertificateMeasure, CertificateMember
from .document import Stamp, certificate_html, certificate_pdf, print_rows

__all__ = [
    "AssessmentLine", "CertificateContent", "CertificateMeasure", "CertificateMember",
    "certificate_content", "evaluation_date", "CHECKS", "Stamp", "certificate_html",
    "certificate_pdf", "print_rows",
]
