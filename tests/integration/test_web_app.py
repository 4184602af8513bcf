"""App-wide conventions: every route has a policy, the pinned htmx, security headers, Chinese
error pages without traces, and refusal to start an unsafe production configuration."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from decimal import Decimal
from pathlib import Path

import pytest
from litestar import Litestar, get
from litestar.testing import TestClient

from casework.db import get_engine
from casework.decision_view import DecisionLine, HouseholdDecisions
from casework.models import Area, User
from casework.passwords import hash_password
from casework.settings import DEV_SECRET_KEY, WebSettings
from casework.uow import UnitOfWork
from rules.decision import Citation
from tests.integration.test_web_world import (
    World,
    log_in,
    make_app,
    signed_in,
    world,  # noqa: F401  (fixture)
)
from web import StartupRefused, create_app
from web.app import WEB_ROOT
from web.policy import AREA_KINDS, PUBLIC, Policy, enforce_policy

VENDOR = WEB_ROOT / "static" / "vendor"
PUBLIC_ROUTES = {("/login", "GET"), ("/login", "POST"), ("/health", "GET"),
                 ("/static/{file_path:path}", "GET"), ("/static/{file_path:path}", "HEAD"),
                 ("/verify", "GET"), ("/verify/{serial:str}", "GET")}
"""Certificate verification is public: the QR code is scanned by whoever holds the paper."""


def _handlers(app: Litestar) -> list[tuple[str, str, object]]:
    """Every (path, method, policy) we declared; Litestar's automatic OPTIONS handlers are left
    out here (they have no policy, so the guard refuses them: see the test below)."""
    found = []
    for route in app.routes:
        for handler in getattr(route, "route_handlers", []):
            if _automatic_options(handler):
                continue
            for method in sorted(handler.http_methods):
                found.append((route.path, method, handler.opt.get("policy")))
    return found


def _automatic_options(handler: object) -> bool:
    return getattr(handler, "fn").__name__ == "options_handler"


def test_every_route_declares_a_policy_and_only_the_expected_ones_are_public(world: World) -> None:
    handlers = _handlers(make_app(world))
    assert len(handlers) >= 8
    missing = [(path, method) for path, method, rule in handlers if not isinstance(rule, Policy)]
    assert missing == []
    public = {(path, method) for path, method, rule in handlers if rule.public}  # type: ignore[union-attr]
    assert public == PUBLIC_ROUTES
    for path, method, rule in handlers:
        assert rule.area in AREA_KINDS  # type: ignore[union-attr]
        if (path, method) not in PUBLIC_ROUTES:
            assert rule.roles, (path, method)  # type: ignore[union-attr]
    household_routes = [rule for path, _m, rule in handlers if path.startswith("/households")]
    assert household_routes and all(r.area == "user_area" for r in household_routes)  # type: ignore[union-attr]


def test_automatic_options_handlers_are_refused(world: World) -> None:
    with signed_in(world, "admin") as client:
        for path in ("/households", "/households/1", "/logout", "/"):
            assert client.options(path).status_code == 403


def test_a_route_without_a_policy_is_refused() -> None:
    @get("/forgotten")
    async def forgotten() -> str:
        return "secret"

    @get("/open", opt={"policy": PUBLIC})
    async def open_route() -> str:
        return "fine"

    app = Litestar([forgotten, open_route], guards=[enforce_policy])
    with TestClient(app) as client:
        assert client.get("/forgotten").status_code == 403
        assert client.get("/open").text == "fine"


def test_a_policy_must_name_roles_and_a_known_area_kind() -> None:
    with pytest.raises(ValueError):
        Policy(frozenset(), "user_area")
    with pytest.raises(ValueError):
        Policy(frozenset({"village_cadre"}), "everywhere")
    with pytest.raises(ValueError):
        Policy(frozenset({"mayor"}), "user_area")


def test_role_not_in_policy_is_forbidden_in_chinese(world: World) -> None:
    from web.policy import policy

    @get("/admin-only", opt=policy(frozenset({"county_admin"}), area="none"))
    async def admin_only() -> str:
        return "ok"

    app = make_app(world)
    app.register(admin_only)
    with TestClient(app) as client:
        log_in(client, "admin")
        assert client.get("/admin-only").text == "ok"
    with TestClient(app) as client:
        log_in(client, "cadre")
        response = client.get("/admin-only")
    assert response.status_code == 403 and "无权访问" in response.text


def test_htmx_file_matches_its_recorded_checksum_and_version() -> None:
    recorded = (VENDOR / "htmx.min.js.sha256").read_text().split()[0]
    body = (VENDOR / "htmx.min.js").read_bytes()
    assert hashlib.sha256(body).hexdigest() == recorded
    assert b'version:"2.0.11"' in body


def test_htmx_is_served_from_our_own_static_files(world: World) -> None:
    with TestClient(make_app(world)) as client:
        served = client.get("/static/vendor/htmx.min.js")
        page = client.get("/login").text
    assert served.status_code == 200
    assert served.content == (VENDOR / "htmx.min.js").read_bytes()
    scripts = re.findall(r'<script[^>]*src="([^"]+)"', page)
    assert scripts == ["/static/vendor/htmx.min.js"]
    assert "<script>" not in page  # nothing inline: the CSP would block it


def test_no_template_loads_anything_from_another_host() -> None:
    for template in (WEB_ROOT / "templates").rglob("*.html"):
        text = template.read_text()
        assert not re.search(r'(src|href)="(https?:)?//', text), template


@pytest.mark.parametrize("path", ["/login", "/households", "/no-such-page", "/static/css/app.css"])
def test_security_headers_on_every_kind_of_response(world: World, path: str) -> None:
    with signed_in(world, "cadre") as client:
        headers = client.get(path).headers
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["Referrer-Policy"] == "no-referrer"
    csp = headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert "frame-ancestors 'none'" in csp
    if not path.startswith("/static/"):
        assert headers["Cache-Control"] == "no-store"


def test_unknown_page_and_wrong_method_answer_in_chinese(world: World) -> None:
    with signed_in(world, "cadre") as client:
        missing = client.get("/no-such-page")
        wrong_method = client.get("/logout")
    assert missing.status_code == 404 and "未找到" in missing.text
    assert wrong_method.status_code == 405 and "操作不允许" in wrong_method.text


def test_server_error_page_is_chinese_without_a_trace(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    engine = get_engine(f"sqlite:///{tmp_path / 'not-migrated.db'}")  # no tables at all
    app = create_app(WebSettings(env="development", secret_key="k" * 40), engine)
    with TestClient(app, raise_server_exceptions=False) as client:
        client.get("/health")
        token = client.cookies.get("casework_csrf")
        response = client.post("/login", data={"username": "x", "password": "y", "_csrf_token": token})
    assert response.status_code == 500
    assert "系统出错" in response.text
    for leak in ("Traceback", "OperationalError", "sqlite", "users"):
        assert leak not in response.text
    assert "OperationalError" in caplog.text  # the operator still learns what happened


def test_decisions_section_words_a_run(world: World) -> None:
    partial = make_app(world).template_engine.get_template("households/_decisions.html")  # type: ignore[union-attr]
    assert "尚未进行政策计算" in partial.render(decisions=None)
    line = DecisionLine(
        rule_id="EDU-BZ-05", title="义务教育寄宿生生活补助", member_key="m3", member_name="张三",
        status="eligible", amount_yuan=Decimal("1250"), per="year", annual_yuan=Decimal("1250"),
        payer="government", reasons=("初中在校生", "寄宿生"), missing=(),
        citation=Citation("巴委办〔2018〕11号", "教育扶贫专项 二(三)2", "000_99b381a438ae79d6.txt", "1196"))
    view = HouseholdDecisions(
        pack="bazhong-2018", pack_version="2018.1", on=dt.date(2018, 9, 1), computed_at=None,
        stale=True, eligible=(line,), missing=(), ineligible=(), total_annual_yuan=Decimal("1250"),
        assessment_status="fails", dimensions={"basic_medical": "fail"},
        assessment_reasons=("成员 m2 未参加城乡居民医保",))
    shown = partial.render(decisions=view)
    for text in ("义务教育寄宿生生活补助", "张三", "1,250.00", "教育扶贫专项 二(三)2", "第1196行",
                 "初中在校生", "基本医疗有保障", "未达标", "成员 m2 未参加城乡居民医保", "待重新计算"):
        assert text in shown, text


def test_health_is_public(world: World) -> None:
    with TestClient(make_app(world)) as client:
        response = client.get("/health")
    assert response.status_code == 200 and response.json() == {"status": "ok"}


# --- production refusal -------------------------------------------------------------------


def _with_demo_user(url: str, active: bool) -> None:
    with UnitOfWork("test", get_engine(url)) as uow:
        county = uow.add(Area(code="511922", name="南江县", level="county"))
        uow.flush()
        uow.add(User(username="cadre1", display_name="演示", password_hash=hash_password("demo1234"),
                     role="village_cadre", area_id=county.id, is_demo=True, active=active))
        uow.commit()


def test_production_refuses_dev_secret_short_secret_and_demo_accounts(sqlite_url: str) -> None:
    _with_demo_user(sqlite_url, active=True)
    engine = get_engine(sqlite_url)
    with pytest.raises(StartupRefused) as dev_key:
        create_app(WebSettings(env="production", secret_key=DEV_SECRET_KEY), engine)
    message = str(dev_key.value)
    assert "development default" in message and "cadre1" in message and "demo accounts" in message
    with pytest.raises(StartupRefused) as short:
        create_app(WebSettings(env="production", secret_key="short"), engine)
    assert "at least 32" in str(short.value)


def test_production_starts_once_demo_accounts_are_disabled(sqlite_url: str) -> None:
    _with_demo_user(sqlite_url, active=False)
    app = create_app(WebSettings(env="production", secret_key="p" * 40), get_engine(sqlite_url))
    assert isinstance(app, Litestar)


def test_development_starts_with_demo_accounts(sqlite_url: str) -> None:
    _with_demo_user(sqlite_url, active=True)
    app = create_app(WebSettings(env="development", secret_key=DEV_SECRET_KEY), get_engine(sqlite_url))
    with TestClient(app) as client:
        assert "cadre1" in client.get("/login").text  # the demo login hint


def test_production_on_an_unmigrated_database_is_refused(tmp_path: Path) -> None:
    engine = get_engine(f"sqlite:///{tmp_path / 'empty.db'}")
    with pytest.raises(StartupRefused, match="migrated"):
        create_app(WebSettings(env="production", secret_key="p" * 40), engine)
