"""The only way WeasyPrint may read anything while printing: the app's own files, nothing else.

Allowed (:func:`safe_url_fetcher`):

* ``casework:<root>/<path>`` — the private scheme templates use, where ``<root>`` is one of
  :data:`ROOTS` (``assets``: this package's print CSS and images; ``static``: the web app's
  static files);
* ``file://`` URLs whose real path (symbolic links resolved) lies inside one of those roots —
  WeasyPrint makes these when a base URL is a file path;
* ``data:image/png`` and ``data:image/svg+xml`` (inline, nothing is fetched).

Everything else raises :class:`ResourceRefused` before any byte is read: ``http(s)://`` (no
request is made, so no redirect can be followed either), ``ftp:``, other ``data:`` types,
``file:///etc/passwd``, paths that climb out of a root with ``..`` or through a symbolic link,
and files that do not exist. :class:`SafeURLFetcher` is the WeasyPrint fetcher built on it; it
makes any refusal fatal, so a document never prints with something silently missing
(:func:`casework.printing.pdf.render_pdf` raises ``ResourceRefused``).
"""

from __future__ import annotations

import base64
import binascii
import mimetypes
import ssl
from pathlib import Path
from typing import Any
from urllib.parse import unquote, unquote_to_bytes, urlsplit

from weasyprint.urls import URLFetcher, URLFetcherResponse

from casework.settings import PROJECT_ROOT

__all__ = ["ROOTS", "SCHEME", "ResourceRefused", "safe_url_fetcher", "SafeURLFetcher",
           "asset_url"]

SCHEME = "casework"
ROOTS: dict[str, Path] = {
    "assets": Path(__file__).resolve().parent / "assets",
    "static": PROJECT_ROOT / "web" / "static",
}
"""The folders paper may read from, by the name used in ``casework:<name>/...`` URLs."""
_DATA_TYPES = ("image/png", "image/svg+xml")
_TYPES = {".css": "text/css", ".svg": "image/svg+xml", ".png": "image/png",
          ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".woff2": "font/woff2",
          ".otf": "font/otf", ".ttf": "font/ttf"}


class ResourceRefused(Exception):
    """A document asked for something outside the allow-list (or missing): nothing was read."""


def asset_url(root: str, path: str) -> str:
    """The URL of an allowed file, e.g. ``asset_url("assets", "certificate.css")``."""
    return f"{SCHEME}:{root}/{path}"


def safe_url_fetcher(url: str, timeout: int = 10,
                     ssl_context: ssl.SSLContext | None = None) -> dict[str, Any]:
    """WeasyPrint's fetcher contract (``string``, ``mime_type``, ``redirected_url``, ...) for
    allowed URLs; raises :class:`ResourceRefused` for anything else. ``timeout`` and
    ``ssl_context`` are accepted for the contract and unused: nothing goes over a network."""
    scheme = url.split(":", 1)[0].lower() if ":" in url else ""
    if scheme == "data":
        return _data(url)
    if scheme == SCHEME:
        return _file(_private_path(url), url)
    if scheme == "file":
        return _file(_file_path(url), url)
    raise ResourceRefused(f"refused URL scheme {scheme or '(none)'!r}: only the app's own files")


def _private_path(url: str) -> Path:
    rest = unquote(url[len(SCHEME) + 1:]).lstrip("/")
    root_name, _, relative = rest.partition("/")
    if root_name not in ROOTS or not relative:
        raise ResourceRefused(f"unknown root {root_name!r} (allowed: {', '.join(ROOTS)})")
    return _inside(ROOTS[root_name] / relative)


def _file_path(url: str) -> Path:
    parts = urlsplit(url)
    if parts.netloc not in ("", "localhost"):
        raise ResourceRefused("file URL naming another host")
    return _inside(Path(unquote(parts.path)))


def _inside(path: Path) -> Path:
    """``path`` with links resolved, when it is an existing file inside an allowed root."""
    real = path.resolve()
    for root in ROOTS.values():
        if real.is_relative_to(root.resolve()):
            if not real.is_file():
                raise ResourceRefused(f"no such file: {real.relative_to(root.resolve())}")
            return real
    raise ResourceRefused("path outside the allowed folders")


def _file(path: Path, url: str) -> dict[str, Any]:
    mime = _TYPES.get(path.suffix.lower()) or mimetypes.guess_type(path.name)[0]
    if mime is None:
        raise ResourceRefused(f"unknown file type {path.suffix!r}")
    return {"string": path.read_bytes(), "mime_type": mime, "encoding": None,
            "redirected_url": url, "filename": path.name}


def _data(url: str) -> dict[str, Any]:
    header, sep, payload = url[len("data:"):].partition(",")
    if not sep:
        raise ResourceRefused("malformed data URL")
    mime, *params = header.split(";")
    if mime.strip().lower() not in _DATA_TYPES:
        raise ResourceRefused(f"refused data URL of type {mime!r}: only images")
    raw = unquote_to_bytes(payload)
    try:
        body = base64.b64decode(raw, validate=True) if "base64" in params else raw
    except binascii.Error as bad:
        raise ResourceRefused("malformed base64 in data URL") from bad
    return {"string": body, "mime_type": mime.strip().lower(), "encoding": None,
            "redirected_url": url}


class SafeURLFetcher(URLFetcher):
    """WeasyPrint's fetcher class running :func:`safe_url_fetcher`; refusals stop the render."""

    def __init__(self) -> None:
        super().__init__(allowed_protocols=(), allow_redirects=False, fail_on_errors=True)

    def fetch(self, url: str, headers: Any = None) -> URLFetcherResponse:
        found = safe_url_fetcher(url)
        mime = found["mime_type"]
        content_type = f"{mime}; charset=utf-8" if mime.startswith("text/") else mime
        return URLFetcherResponse(found["redirected_url"], found["string"],
                                  {"Content-Type": content_type})
