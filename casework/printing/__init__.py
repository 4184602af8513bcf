"""Paper documents printed with WeasyPrint and Jinja: the benefit certificate (明白卡) and, from
the inspection workbench, the visit list. Only this package of ``casework`` imports WeasyPrint
or Jinja. Rendering reads only the app's own files (:mod:`.fetcher`)."""

from .certificate import (AssessmentLine, CertificateContent, CertificateMeasure,
                          CertificateMember, Stamp, certificate_content, certificate_html,
                          certificate_pdf)
from .fetcher import ResourceRefused, safe_url_fetcher
from .pdf import pdf_page_count, render_pdf

__all__ = [
    "AssessmentLine", "CertificateContent", "CertificateMeasure", "CertificateMember", "Stamp",
    "certificate_content", "certificate_html", "certificate_pdf", "ResourceRefused",
    "safe_url_fetcher", "pdf_page_count", "render_pdf",
]
