"""The URL fetcher WeasyPrint gets when printing: the app's own files only, everything else
refused before anything is read. No network: a refused URL is never opened (the tests that
prove no request leaves are in tests/integration/test_certificate_document_fetcher.py)."""

from __future__ import annotations

import base64
from pathlib import Path

import pytest
from weasyprint.urls import URLFetcherResponse

from casework.printing import fetcher
from casework.printing.fetcher import (ROOTS, ResourceRefused, SafeURLFetcher, asset_url,
                                       safe_url_fetcher)

ASSETS = ROOTS["assets"]
PNG_1PX = base64.b64encode(bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082")).decode()


def test_the_certificate_stylesheet_is_served_from_the_private_scheme() -> None:
    found = safe_url_fetcher(asset_url("assets", "certificate.css"))
    assert found["mime_type"] == "text/css"
    assert found["string"] == (ASSETS / "certificate.css").read_bytes()
    assert found["redirected_url"] == "casework:assets/certificate.css"


def test_the_web_apps_static_files_are_allowed() -> None:
    found = safe_url_fetcher("casework:static/css/app.css")
    assert found["mime_type"] == "text/css" and found["string"]


def test_a_file_url_inside_an_allowed_root_is_allowed() -> None:
    found = safe_url_fetcher((ASSETS / "watermark-preview.svg").as_uri())
    assert found["mime_type"] == "image/svg+xml" and b"<svg" in found["string"]


@pytest.mark.parametrize("url", [
    "http://127.0.0.1:9/x.png",
    "https://example.com/style.css",
    "HTTP://EXAMPLE.COM/",
    "//example.com/x.png",
    "ftp://example.com/x",
    "file:///etc/passwd",
    "file://otherhost/work/main/casework/printing/assets/certificate.css",
    "javascript:alert(1)",
    "certificate.css",
    "",
])
def test_anything_but_the_apps_files_is_refused(url: str) -> None:
    with pytest.raises(ResourceRefused):
        safe_url_fetcher(url)


@pytest.mark.parametrize("url", [
    "casework:assets/../fetcher.py",
    "casework:assets/../../settings.py",
    "casework:assets/%2e%2e/%2e%2e/%2e%2e/pyproject.toml",
    "casework:static/../../casework/settings.py",
    "casework:assets//etc/passwd",
    "casework:/assets/../../../../etc/passwd",
    "casework:etc/passwd",
    "casework:assets/",
])
def test_paths_climbing_out_of_a_root_or_unknown_roots_are_refused(url: str) -> None:
    with pytest.raises(ResourceRefused):
        safe_url_fetcher(url)


def test_a_file_url_escaping_with_dots_is_refused() -> None:
    escaping = ASSETS.as_uri() + "/../../../pyproject.toml"
    with pytest.raises(ResourceRefused, match="outside"):
        safe_url_fetcher(escaping)


def test_a_missing_file_is_refused() -> None:
    with pytest.raises(ResourceRefused, match="no such file"):
        safe_url_fetcher("casework:assets/nothing-here.css")


def test_a_symbolic_link_out_of_a_root_is_refused(tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    root = tmp_path / "assets"
    root.mkdir()
    (root / "ok.css").write_text("p { color: red }", encoding="utf-8")
    secret = tmp_path / "secret.css"
    secret.write_text("secret", encoding="utf-8")
    (root / "link.css").symlink_to(secret)
    monkeypatch.setitem(fetcher.ROOTS, "assets", root)
    assert safe_url_fetcher("casework:assets/ok.css")["string"] == b"p { color: red }"
    with pytest.raises(ResourceRefused, match="outside"):
        safe_url_fetcher("casework:assets/link.css")
    with pytest.raises(ResourceRefused):
        safe_url_fetcher((root / "link.css").as_uri())


def test_inline_images_are_allowed_other_data_urls_are_not() -> None:
    png = safe_url_fetcher(f"data:image/png;base64,{PNG_1PX}")
    assert png["mime_type"] == "image/png" and png["string"].startswith(b"\x89PNG")
    svg = safe_url_fetcher("data:image/svg+xml,%3Csvg%20xmlns%3D%22http%3A//www.w3.org/2000/svg%22/%3E")
    assert svg["string"].startswith(b"<svg")
    for url in ("data:text/html,<h1>x</h1>", "data:text/css,p{}", "data:,hello",
                "data:image/png;base64,@@not base64@@", "data:image/png"):
        with pytest.raises(ResourceRefused):
            safe_url_fetcher(url)


def test_the_weasyprint_fetcher_answers_allowed_urls_and_raises_for_others() -> None:
    fetch = SafeURLFetcher()
    response = fetch(asset_url("assets", "certificate.css"))
    assert isinstance(response, URLFetcherResponse)
    assert response.content_type == "text/css" and response.charset == "utf-8"
    assert b"@page" in response.read()
    with pytest.raises(ResourceRefused):
        fetch("http://127.0.0.1:9/")
    assert fetch._fail_on_errors is True  # a refusal stops the render, nothing prints half
