"""HTML to PDF with WeasyPrint, reading only the app's own files (:mod:`.fetcher`).

Fonts come from the system's fontconfig (``fonts-noto-cjk``) and are embedded as subsets
(WeasyPrint's default; fast only with ``libharfbuzz-subset0`` installed).
"""

from __future__ import annotations

import re
import zlib

from weasyprint import HTML
from weasyprint.urls import FatalURLFetchingError

from .fetcher import ResourceRefused, SafeURLFetcher, asset_url

__all__ = ["render_pdf", "pdf_page_count", "ResourceRefused"]

_PAGE = re.compile(rb"/Type\s*/Page(?![a-zA-Z])")
_STREAM = re.compile(rb"stream\r?\n(.*?)\r?\nendstream", re.S)


def render_pdf(html: str) -> bytes:
    """The PDF of ``html``. Raises :class:`ResourceRefused` (and prints nothing) when the HTML
    refers to anything but the app's own static files and print assets."""
    try:
        document = HTML(string=html, base_url=asset_url("assets", ""),
                        url_fetcher=SafeURLFetcher()).render()
    except FatalURLFetchingError as refused:
        cause = refused.__cause__
        raise ResourceRefused(str(cause or refused)) from cause
    return document.write_pdf()  # type: ignore[no-any-return]


def pdf_page_count(pdf: bytes) -> int:
    """How many pages ``pdf`` has: its ``/Type /Page`` objects, also those WeasyPrint packs
    into compressed object streams."""
    count = len(_PAGE.findall(pdf))
    for body in _STREAM.findall(pdf):
        try:
            count += len(_PAGE.findall(zlib.decompress(body)))
        except zlib.error:
            continue
    return count
