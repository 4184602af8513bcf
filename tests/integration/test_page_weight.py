"""Page weight of what a village cadre loads most: the household list of their village and a
household's page, each with the CSS and JS it pulls in, raw and gzipped. The figures are printed
and kept in ``test-output/page-weight.txt``; the test asserts only what must not happen: a
script other than the pinned htmx and the project's own small JS files (no framework), or
anything fetched from another origin."""

from __future__ import annotations

import gzip
from dataclasses import dataclass, field
from html.parser import HTMLParser

from litestar import Litestar
from litestar.testing import TestClient

from casework.settings import PROJECT_ROOT
from tests.integration.test_web_world import (
    Sessions,
    World,
    sessions,  # noqa: F401  (fixture)
    world,  # noqa: F401  (fixture)
)

HTMX = "/static/vendor/htmx.min.js"
OWN_JS_PREFIX = "/static/js/"
OWN_JS_LIMIT = 16_000
"""Bytes (raw) a project JS file may weigh and still count as "small"."""
REPORT = PROJECT_ROOT / "test-output" / "page-weight.txt"


@dataclass
class Assets(HTMLParser):
    scripts: list[str] = field(default_factory=list)
    inline_scripts: int = 0
    stylesheets: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        super().__init__()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "script":
            if found.get("src"):
                self.scripts.append(found["src"] or "")
            else:
                self.inline_scripts += 1
        elif tag == "link" and (found.get("rel") or "").lower() == "stylesheet":
            self.stylesheets.append(found.get("href") or "")


@dataclass(frozen=True)
class Weight:
    name: str
    raw: int
    gzipped: int


def weigh(name: str, body: bytes) -> Weight:
    return Weight(name, len(body), len(gzip.compress(body, compresslevel=6, mtime=0)))


def page_weights(client: TestClient[Litestar], url: str) -> tuple[Assets, list[Weight]]:
    page = client.get(url)
    assert page.status_code == 200, url
    assets = Assets()
    assets.feed(page.text)
    weights = [weigh(f"HTML {url}", page.content)]
    for src in [*assets.stylesheets, *assets.scripts]:
        response = client.get(src)
        assert response.status_code == 200, src
        weights.append(weigh(src, response.content))
    return assets, weights


def test_cadre_pages_load_only_htmx_and_own_small_files(sessions: Sessions, world: World) -> None:
    client = sessions("cadre")
    number = sorted(world.numbers_in("511922100001"))[0]
    report = []
    for url in ("/households", f"/households/{world.households[number]}"):
        assets, weights = page_weights(client, url)
        foreign = [s for s in assets.scripts if s != HTMX and not s.startswith(OWN_JS_PREFIX)]
        assert foreign == [], f"{url} loads scripts beyond htmx: {foreign}"
        assert assets.inline_scripts == 0, url
        assert HTMX in assets.scripts
        for src in [*assets.scripts, *assets.stylesheets]:
            assert src.startswith("/static/"), f"{url} fetches {src} from elsewhere"
        own = [w for w in weights if w.name.startswith(OWN_JS_PREFIX)]
        assert all(w.raw <= OWN_JS_LIMIT for w in own), own
        report.append(_table(url, weights))
    text = "\n\n".join(report)
    REPORT.parent.mkdir(parents=True, exist_ok=True)
    REPORT.write_text(text + "\n", encoding="utf-8")
    print("\n" + text)


def _table(url: str, weights: list[Weight]) -> str:
    lines = [f"page weight of {url} (bytes: raw / gzip -6)"]
    lines += [f"  {w.name:<40} {w.raw:>8,} / {w.gzipped:>7,}" for w in weights]
    lines.append(f"  {'total':<40} {sum(w.raw for w in weights):>8,} / "
                 f"{sum(w.gzipped for w in weights):>7,}")
    return "\n".join(lines)


def test_the_parser_sees_scripts_and_stylesheets() -> None:
    assets = Assets()
    assets.feed('<link rel="stylesheet" href="/static/css/a.css"><script src="https://x/y.js">'
                '</script><script>alert(1)</script>')
    assert assets.stylesheets == ["/static/css/a.css"]
    assert assets.scripts == ["https://x/y.js"] and assets.inline_scripts == 1
