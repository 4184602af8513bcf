"""Printing never reaches outside the app: HTML that names a URL on a (local) web server or a
system file is refused before anything is fetched — a tiny http.server on loopback counts the
requests it gets and must get none — and the render fails closed: ``render_pdf`` raises
``ResourceRefused`` and returns no PDF at all (a certificate never prints with a part silently
missing). Text that merely looks like HTML inside a certificate's content is escaped (Jinja
autoescape), so it prints as text and fetches nothing."""

from __future__ import annotations

import dataclasses
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from casework.printing import ResourceRefused, certificate_html, certificate_pdf, render_pdf
from casework.printing.fetcher import safe_url_fetcher
from tests.integration.test_certificate_document import (Registry, certificate_content, flat,
                                                         pdf_text, registry, stamp)

__all__ = ["registry"]  # the module fixture, shared


class Recorder(BaseHTTPRequestHandler):
    requests: list[str] = []

    def do_GET(self) -> None:  # noqa: N802 - http.server's name
        Recorder.requests.append(self.path)
        if self.path.startswith("/redirect"):
            self.send_response(302)
            self.send_header("Location", "file:///etc/passwd")
            self.end_headers()
            return
        self.send_response(200)
        self.send_header("Content-Type", "image/png")
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def server() -> Iterator[str]:
    Recorder.requests = []
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Recorder)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()


PAGE = ('<html><head><style>html {{ font-family: "Noto Sans CJK SC" }}</style>{head}</head>'
        '<body><p>享受扶贫政策明白卡</p>{body}</body></html>')


def test_the_recording_server_really_records(server: str) -> None:
    import urllib.request

    urllib.request.urlopen(f"{server}/probe").close()
    assert Recorder.requests == ["/probe"]


@pytest.mark.parametrize("head, body", [
    ("", '<img src="{server}/track.png">'),
    ('<link rel="stylesheet" href="{server}/style.css">', ""),
    ('<style>@import url("{server}/import.css");</style>', ""),
    ("", '<div style="background: url({server}/bg.png)">x</div>'),
    ("", '<img src="{server}/redirect">'),
    ("", '<img src="file:///etc/passwd">'),
    ('<link rel="stylesheet" href="file:///etc/passwd">', ""),
    ("", '<img src="casework:assets/../../settings.py">'),
])
def test_html_naming_anything_outside_fails_closed_and_fetches_nothing(
        server: str, head: str, body: str) -> None:
    html = PAGE.format(head=head.format(server=server), body=body.format(server=server))
    with pytest.raises(ResourceRefused):
        render_pdf(html)
    assert Recorder.requests == []


def test_a_redirecting_url_is_refused_without_a_request(server: str) -> None:
    with pytest.raises(ResourceRefused):
        safe_url_fetcher(f"{server}/redirect")
    assert Recorder.requests == []


def test_the_same_page_without_the_outside_url_renders(server: str) -> None:
    pdf = render_pdf(PAGE.format(head="", body='<img src="casework:assets/watermark-void.svg">'))
    assert pdf.startswith(b"%PDF")
    assert Recorder.requests == []


def test_html_in_a_certificates_text_is_printed_as_text(registry: Registry, server: str,
                                                        tmp_path) -> None:  # type: ignore[no-untyped-def]
    content = certificate_content(registry.engine, registry.typical, 2018)
    hostile = f'<img src="{server}/x.png">'
    content = dataclasses.replace(content, head_name=hostile, pairing_cadre=f"<b>{hostile}</b>")
    html = certificate_html([(content, stamp())])
    assert hostile not in html and "&lt;img src=" in html
    pdf = certificate_pdf([(content, stamp())])
    assert Recorder.requests == []
    assert flat(f'<img src="{server}/x.png">') in flat(pdf_text(pdf, tmp_path))
