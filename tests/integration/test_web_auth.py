"""Login, logout, sessions and CSRF, through HTTP."""

from __future__ import annotations

import re

import pytest

from litestar.testing import TestClient
from sqlalchemy import select

from casework.db import read_session
from casework.models import AuditEvent, WebSession
from casework.settings import WebSettings
from tests.integration.test_web_world import (
    PASSWORD,
    World,
    csrf_token,
    log_in,
    make_app,
    signed_in,
    world,  # noqa: F401  (fixture)
)
from web.auth import safe_next
from web.sessions import SESSION_COOKIE

_ERROR = re.compile(r'<p class="error" role="alert">([^<]*)</p>')


def _set_cookie(response, name: str) -> str:  # type: ignore[no-untyped-def]
    found = [c for c in response.headers.get_list("set-cookie") if c.startswith(name + "=")]
    assert found, f"no {name} cookie set"
    return found[0]


def test_login_page_is_chinese_and_carries_the_csrf_token(world: World) -> None:
    with TestClient(make_app(world)) as client:
        page = client.get("/login")
    assert page.status_code == 200
    assert "用户名" in page.text and "密码" in page.text and 'lang="zh-CN"' in page.text
    token = re.search(r'name="_csrf_token" value="([0-9a-f]+)"', page.text)
    assert token and f'"X-CSRFToken": "{token.group(1)}"' in page.text


def test_login_sets_an_httponly_lax_session_cookie_and_opens_the_list(world: World) -> None:
    with TestClient(make_app(world)) as client:
        response = log_in(client, "cadre")
        assert response.status_code == 303 and response.headers["location"] == "/households"
        cookie = _set_cookie(response, SESSION_COOKIE)
        assert "HttpOnly" in cookie and "SameSite=lax" in cookie and "Secure" not in cookie
        token = cookie.split(";")[0].split("=", 1)[1]
        assert len(token) >= 40  # a random token, not the user id
        listing = client.get("/households")
        assert listing.status_code == 200 and "测试cadre" in listing.text


def test_unknown_user_and_wrong_password_get_the_same_answer(world: World) -> None:
    with TestClient(make_app(world)) as client:
        wrong = log_in(client, "cadre", "not the password")
        unknown = log_in(client, "nobody", PASSWORD)
        assert wrong.status_code == unknown.status_code == 401
        assert _ERROR.findall(wrong.text) == _ERROR.findall(unknown.text) == ["用户名或密码不正确，请重新输入。"]
        assert SESSION_COOKIE not in str(wrong.headers) + str(unknown.headers)
        assert client.get("/households", follow_redirects=False).status_code == 303


def test_inactive_user_is_refused_even_with_the_right_password(world: World) -> None:
    with TestClient(make_app(world)) as client:
        response = log_in(client, "retired")
        assert response.status_code == 401 and "已停用" in response.text
        assert SESSION_COOKIE not in str(response.headers)
        assert client.get("/households", follow_redirects=False).headers["location"] == "/login"


def test_empty_fields_are_named_in_the_message(world: World) -> None:
    with TestClient(make_app(world)) as client:
        form = {"username": "cadre", "password": "", "_csrf_token": csrf_token(client)}
        response = client.post("/login", data=form)
    assert response.status_code == 401 and _ERROR.findall(response.text) == ["请输入密码。"]
    assert 'value="cadre"' in response.text  # the username is kept


def test_login_post_without_csrf_token_is_refused(world: World) -> None:
    with TestClient(make_app(world)) as client:
        client.get("/login")
        response = client.post("/login", data={"username": "cadre", "password": PASSWORD})
        assert response.status_code == 403 and "页面已过期" in response.text
        assert SESSION_COOKIE not in str(response.headers)


def test_post_with_a_forged_token_is_refused(world: World) -> None:
    with signed_in(world, "cadre") as client:
        forged = "0" * 64 + "1" * 64
        response = client.post("/logout", headers={"X-CSRFToken": forged})
        assert response.status_code == 403
        assert client.get("/households").status_code == 200  # still signed in


def test_logout_needs_the_token_and_ends_the_session(world: World) -> None:
    with signed_in(world, "cadre") as client:
        old_session = client.cookies.get(SESSION_COOKIE)
        assert client.post("/logout").status_code == 403
        assert client.get("/households").status_code == 200
        response = client.post("/logout", headers={"X-CSRFToken": csrf_token(client)},
                               follow_redirects=False)
        assert response.status_code == 303 and response.headers["location"] == "/login"
        assert "Max-Age=0" in _set_cookie(response, SESSION_COOKIE)
        assert client.get("/households", follow_redirects=False).status_code == 303
        client.cookies.set(SESSION_COOKIE, str(old_session))  # a copied cookie no longer works
        assert client.get("/households", follow_redirects=False).headers["location"] == "/login"


def test_logout_form_in_the_page_works(world: World) -> None:
    with signed_in(world, "cadre") as client:
        page = client.get("/households").text
        token = re.search(r'action="/logout">\s*<input type="hidden" name="_csrf_token" value="([^"]+)"', page)
        assert token is not None
        response = client.post("/logout", data={"_csrf_token": token.group(1)}, follow_redirects=False)
        assert response.status_code == 303


def test_a_planted_session_id_is_not_adopted(world: World) -> None:
    with TestClient(make_app(world)) as client:
        client.cookies.set(SESSION_COOKIE, "planted-by-someone-else")
        response = log_in(client, "cadre")
        issued = _set_cookie(response, SESSION_COOKIE).split(";")[0].split("=", 1)[1]
        assert issued != "planted-by-someone-else"


def test_anonymous_htmx_request_is_told_to_go_to_login(world: World) -> None:
    with TestClient(make_app(world)) as client:
        response = client.get("/households", headers={"HX-Request": "true"}, follow_redirects=False)
    assert response.status_code == 401 and response.headers["HX-Redirect"] == "/login"


def test_login_and_logout_are_audited(world: World) -> None:
    with signed_in(world, "township") as client:
        client.post("/logout", headers={"X-CSRFToken": csrf_token(client)})
    with read_session(world.engine) as s:
        events = s.execute(select(AuditEvent.action, AuditEvent.entity)
                           .where(AuditEvent.actor == "township").order_by(AuditEvent.id)).all()
    assert [a for a, entity in events if entity == "session"][-2:] == ["login", "logout"]
    # the session row itself (its token hash, never the token) is created and deleted, audited
    assert [a for a, entity in events if entity == "web_sessions"][-2:] == ["create", "delete"]


def test_production_cookies_are_secure(world: World) -> None:
    settings = WebSettings(env="production", secret_key="s" * 48)
    app = make_app(world, settings)
    with TestClient(app, base_url="https://casework.example") as client:
        page = client.get("/login")
        assert "Secure" in _set_cookie(page, "casework_csrf")
        assert "演示环境" not in page.text
        response = log_in(client, "cadre")
        assert response.status_code == 303
        assert "Secure" in _set_cookie(response, SESSION_COOKIE)
        assert "Strict-Transport-Security" in client.get("/households").headers


def test_sessions_are_shared_by_server_processes_and_survive_a_restart(world: World) -> None:
    """Logins live in the database: a second app (another worker, or after a restart) knows
    them; logout ends them everywhere; only the token's hash is stored."""
    with signed_in(world, "cadre") as client:
        token = client.cookies.get("casework_session")
        assert token
        with TestClient(make_app(world)) as other:
            other.cookies.set("casework_session", token)
            assert other.get("/households").status_code == 200
        with read_session(world.engine) as s:
            stored = s.scalars(select(WebSession.token_hash)).all()
        assert token not in stored and len(stored) >= 1
        client.post("/logout", headers={"X-CSRFToken": csrf_token(client)})
        with TestClient(make_app(world)) as other:
            other.cookies.set("casework_session", token)
            assert other.get("/households", follow_redirects=False).status_code in (302, 303, 401)


@pytest.mark.parametrize(("raw", "expected"), [
    ("/households/12/facts", "/households/12/facts"), ("/", "/"), (None, "/households"),
    ("//evil.example/x", "/households"), ("https://evil.example/", "/households"),
    ("/households?q=1", "/households"), ("/a\\b", "/households"), ("/" + "a" * 300, "/households"),
    ("households", "/households"), ("/x y", "/households"),
])
def test_only_a_plain_path_of_this_site_is_followed_after_login(raw: object, expected: str) -> None:
    assert safe_next(raw) == expected


def test_a_page_asked_for_without_login_is_shown_after_logging_in(world: World) -> None:
    number = sorted(world.numbers_in("511922100001"))[0]
    page = f"/households/{world.households[number]}"
    with TestClient(make_app(world)) as client:
        sent = client.get(page, follow_redirects=False)
        assert sent.status_code == 303 and sent.headers["location"] == f"/login?next={page}"
        form = client.get(sent.headers["location"]).text
        assert f'name="next" value="{page}"' in form
        done = client.post("/login", data={"username": "cadre", "password": PASSWORD,
                                           "next": page, "_csrf_token": csrf_token(client)},
                           follow_redirects=False)
        assert done.status_code == 303 and done.headers["location"] == page
        evil = client.post("/login", data={"username": "cadre", "password": PASSWORD,
                                           "next": "//evil.example", "_csrf_token": csrf_token(client)},
                           follow_redirects=False)
        assert evil.headers["location"] == "/households"


def test_an_htmx_save_after_the_session_ended_returns_to_its_form_after_login(world: World) -> None:
    number = sorted(world.numbers_in("511922100001"))[0]
    form_path = f"/households/{world.households[number]}/facts"
    with TestClient(make_app(world)) as client:
        client.get("/login")
        answer = client.post(form_path, data={"_csrf_token": csrf_token(client)},
                             headers={"HX-Request": "true", "X-CSRFToken": csrf_token(client),
                                      "HX-Current-URL": "http://testserver/households/1"})
        assert answer.status_code == 401
        assert answer.headers["HX-Redirect"] == f"/login?next={form_path}"
        looked = client.get("/households", headers={
            "HX-Request": "true", "HX-Current-URL": "http://testserver/households?page=2"})
        assert looked.status_code == 401 and looked.headers["HX-Redirect"] == "/login"
