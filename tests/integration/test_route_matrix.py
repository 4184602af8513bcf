"""Every route of the app, as every role and as nobody, on a household in and out of the user's
area. The routes are read from the app itself, so a route added tomorrow is covered without
editing this file: its path parameters are filled by name from fixture data, and the expected
answer comes from the policy it declares.

Expectations (DESIGN.md, issue 4):

* every route declares a policy;
* anonymous: sent to the login page (303 to /login, or 401), except public routes;
* a role the policy does not list: 403 (in and out of area alike);
* a household outside the user's area: 404, for reads and writes;
* in area and allowed: anything but 401/403/404/405 and 5xx (a write with only the CSRF token
  may be refused as incomplete: 4xx with a message is fine);
* inspectors never edit: no unsafe route lets them in, except the audited reveal.

Writes go to a household created for the request, so one case never changes another's data.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass

import pytest
from litestar import Litestar, get, post
from litestar.params import FromPath
from litestar.testing import TestClient
from sqlalchemy import select

from casework.db import read_session
from casework.models import User
from tests.integration.route_matrix_targets import TARGET_FIELDS, Households, Target
from tests.integration.test_web_world import (
    USERS,
    World,
    csrf_token,
    make_app,
    world,  # noqa: F401  (fixture)
)
import web.history
from web.policy import Policy, policy
from web.reveal import REVEAL_PATH
from web.sessions import SESSION_COOKIE

ROLE_USERS = {"village_cadre": "cadre", "township_staff": "township",
              "inspector": "inspector", "county_admin": "admin"}
IN_AREA = "511922100001"
"""小田村: in the area of the cadre, the township staff, the inspector and the administrator."""
OUT_OF_AREA = {"cadre": "511922100002", "township": "511922101001",
               "inspector": "511921100001", "admin": "511921100001"}
"""The nearest village each user may not see: the next village, township, county."""
UNSAFE = frozenset({"POST", "PUT", "PATCH", "DELETE"})
INSPECTOR_MAY_POST = frozenset({
    (REVEAL_PATH, "POST"), ("/logout", "POST"), ("/inspect/samples", "POST"),
    ("/inspect/samples/{sample_id:int}/visits/{household_id:int}", "POST"),
})
"""Unsafe routes open to inspectors that edit no household: the audited reveal, logging out,
drawing a spot-check sample and recording a visit's findings (inspection data of their own)."""
ALLOWED_FAILURES = frozenset({401, 403, 404, 405})
_PARAM = re.compile(r"\{(\w+)(?::\w+)?\}")


@dataclass(frozen=True)
class Endpoint:
    path: str
    method: str
    policy: Policy | None

    @property
    def params(self) -> tuple[str, ...]:
        return tuple(_PARAM.findall(self.path))

    @property
    def household_bound(self) -> bool:
        return any(p in TARGET_FIELDS for p in self.params)


def endpoints(app: Litestar) -> list[Endpoint]:
    """Every (path, method) of the app with the policy its handler declares; Litestar's
    automatic OPTIONS handlers are left out (the guard refuses them: no policy)."""
    found = []
    for route in app.routes:
        for handler in getattr(route, "route_handlers", []):
            if getattr(handler, "fn").__name__ == "options_handler":
                continue
            rule = handler.opt.get("policy")
            for method in sorted(handler.http_methods):
                found.append(Endpoint(route.path, method, rule if isinstance(rule, Policy)
                                      else None))
    return found


def fill(endpoint: Endpoint, target: Target) -> str:
    def value(match: re.Match[str]) -> str:
        name = match.group(1)
        if name == "income_record_id":
            name = "income_id"
        if not hasattr(target, name):
            raise LookupError(f"{endpoint.method} {endpoint.path}: the matrix cannot fill "
                              f"{{{name}}}; teach Target and Households.fresh about it")
        return str(getattr(target, name))
    return _PARAM.sub(value, endpoint.path)


@dataclass
class Caller:
    """A client for one user (or nobody) that gets a fresh session before every request (a
    case may log itself out) and sends the CSRF token with every unsafe one."""

    client: TestClient[Litestar]
    user_id: int | None

    def call(self, method: str, url: str) -> tuple[int, str]:
        if self.user_id is not None:
            token = self.client.app.state.sessions.start(self.user_id)
            self.client.cookies.set(SESSION_COOKIE, token)
        if method in UNSAFE:
            response = self.client.request(method, url, data={"_csrf_token": csrf_token(
                self.client)}, follow_redirects=False)
        else:
            response = self.client.request(method, url, follow_redirects=False)
        return response.status_code, response.headers.get("location", "")


@contextmanager
def callers_of(app: Litestar, world: World) -> Iterator[dict[str | None, Caller]]:
    """One caller per test user and one for nobody, all on ``app``."""
    with read_session(world.engine) as s:
        ids = {u.username: u.id for u in s.scalars(select(User))}
    with ExitStack() as stack:
        yield {name: Caller(stack.enter_context(TestClient(app)), ids[name] if name else None)
               for name in [*ROLE_USERS.values(), None]}


@dataclass
class Outcome:
    failures: list[str]
    checked: set[tuple[str, str]]
    cases: int


def run_matrix(app: Litestar, world: World, households: Households) -> Outcome:
    outcome = Outcome([], set(), 0)
    with callers_of(app, world) as callers:
        for endpoint in endpoints(app):
            if endpoint.policy is None or endpoint.policy.public:
                continue
            for username in [*ROLE_USERS.values(), None]:
                for scope in ("in", "out") if endpoint.household_bound else ("none",):
                    _check(endpoint, callers[username], username, scope, households, outcome)
    return outcome


def _check(endpoint: Endpoint, caller: Caller, username: str | None, scope: str,
           households: Households, outcome: Outcome) -> None:
    village = IN_AREA if scope != "out" else OUT_OF_AREA[username or "cadre"]
    target = households.target(village, endpoint.method in UNSAFE, endpoint.params)
    url = fill(endpoint, target)
    status, location = caller.call(endpoint.method, url)
    want = expected(endpoint, username, scope)
    outcome.cases += 1
    outcome.checked.add((endpoint.path, endpoint.method))
    if not verdict(want, status, location):
        outcome.failures.append(f"{endpoint.method} {url} as {username or 'anonymous'} "
                                f"({scope} area): expected {want}, got {status} {location}")


@pytest.fixture(scope="module")
def households(world: World) -> Households:
    return Households(world)


def expected(endpoint: Endpoint, username: str | None, scope: str) -> str:
    rule = endpoint.policy
    assert rule is not None
    if username is None:
        return "login"
    if USERS[username][0] not in rule.roles:
        return "forbidden"
    return "not_found" if scope == "out" else "allowed"


def verdict(expectation: str, status: int, location: str) -> bool:
    if expectation == "login":
        return status == 401 or (status in (302, 303) and location.split("?next=/")[0] == "/login")
    if expectation == "forbidden":
        return status == 403
    if expectation == "not_found":
        return status == 404
    return status < 500 and status not in ALLOWED_FAILURES


def test_every_route_declares_a_policy(world: World) -> None:
    found = endpoints(make_app(world))
    missing = [f"{e.method} {e.path}" for e in found if e.policy is None]
    assert missing == []
    paths = {e.path for e in found}
    assert {"/households/{household_id:int}", "/households/{household_id:int}/history",
            REVEAL_PATH} <= paths
    public = {e.path for e in found if e.household_bound and e.policy and e.policy.public}
    assert public == {"/verify/{serial:str}"}  # a certificate's check, answering only with it
    household_routes = [e for e in found if e.household_bound and e.path not in public]
    assert household_routes and all(e.policy and e.policy.area == "user_area"  # type: ignore[union-attr]
                                    for e in household_routes)


def test_inspectors_never_edit(world: World) -> None:
    editing = [f"{e.method} {e.path}" for e in endpoints(make_app(world))
               if e.method in UNSAFE and e.policy and "inspector" in e.policy.roles
               and (e.path, e.method) not in INSPECTOR_MAY_POST]
    assert editing == []


def test_every_route_as_every_role_in_and_out_of_area(
    world: World, households: Households
) -> None:
    app = make_app(world)
    outcome = run_matrix(app, world, households)
    assert outcome.failures == [], "\n".join(outcome.failures)
    protected = {(e.path, e.method) for e in endpoints(app) if e.policy and not e.policy.public}
    assert outcome.checked == protected
    assert outcome.cases >= 5 * len(protected)


def test_the_matrix_catches_a_route_that_forgets_the_area(
    world: World, households: Households, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A real route that answers without asking whose household it is, and one that opens a
    write to every role: the matrix must report both."""

    @get("/households/{household_id:int}/careless", opt=policy(), name="careless")
    async def careless(household_id: FromPath[int]) -> str:
        return f"household {household_id}"

    @post("/households/{household_id:int}/careless", opt=policy(), name="careless_save",
          status_code=200)
    async def careless_save(household_id: FromPath[int]) -> str:
        return "saved"

    monkeypatch.setattr(web.history, "HANDLERS", [*web.history.HANDLERS, careless,
                                                  careless_save])
    app = make_app(world)
    outcome = run_matrix(app, world, households)
    assert any("/careless as cadre (out area): expected not_found, got 200" in f
               for f in outcome.failures)
    assert ("/households/{household_id:int}/careless", "POST") in outcome.checked
    assert all("/careless" in f for f in outcome.failures)
    editing = [e for e in endpoints(app) if e.path.endswith("/careless") and e.method in UNSAFE]
    assert editing and all("inspector" in e.policy.roles for e in editing)  # type: ignore[union-attr]


def test_the_matrix_refuses_what_it_cannot_fill() -> None:
    odd = Endpoint("/households/{household_id:int}/visits/{visit_id:int}", "GET", None)
    with pytest.raises(LookupError, match="visit_id"):
        fill(odd, Target(1, 2, 3, 4, 2017))
    plain = Endpoint("/households/{household_id:int}/members/{member_id:int}/edit", "GET", None)
    assert fill(plain, Target(1, 2, 3, 4, 2017)) == "/households/1/members/2/edit"


def test_the_verdicts_tell_right_from_wrong() -> None:
    assert verdict("login", 303, "/login") and not verdict("login", 200, "")
    assert verdict("login", 303, "/login?next=/households/7") and not verdict("login", 303, "/x")
    assert verdict("forbidden", 403, "") and not verdict("forbidden", 404, "")
    assert verdict("not_found", 404, "") and not verdict("not_found", 422, "")
    assert verdict("allowed", 422, "") and verdict("allowed", 200, "")
    assert not any(verdict("allowed", s, "") for s in (403, 404, 500))
