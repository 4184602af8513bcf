"""Every route declares who may call it and how its data is limited to an area.

A handler carries its policy in ``opt["policy"]``; the app-wide guard :func:`enforce_policy`
refuses any route without one (fail closed), sends anonymous users to the login page and refuses
roles the policy does not list. Area limits are applied by the scoped queries in
``casework.queries``; the policy names which kind of limit the route relies on so a reviewer (and
a test) can see it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import anyio.to_thread
from litestar.connection import ASGIConnection
from litestar.exceptions import NotAuthorizedException, PermissionDeniedException
from litestar.handlers.base import BaseRouteHandler

from casework.models import ROLES
from casework.queries import Account

from .sessions import SessionStore, session_token

__all__ = ["Policy", "PUBLIC", "ALL_ROLES", "AREA_KINDS", "policy", "enforce_policy", "user_of"]

ALL_ROLES: frozenset[str] = frozenset(ROLES)

AREA_KINDS = ("public", "none", "user_area")
"""``public``: no login, no personal data; ``none``: signed-in, touches no area data;
``user_area``: data limited to the user's area by ``casework.queries.area_scope``."""


@dataclass(frozen=True)
class Policy:
    roles: frozenset[str]
    area: str

    def __post_init__(self) -> None:
        if self.area not in AREA_KINDS:
            raise ValueError(f"unknown area kind {self.area!r}")
        if self.area == "public":
            if self.roles:
                raise ValueError("a public route lists no roles")
        elif not self.roles or not self.roles <= ALL_ROLES:
            raise ValueError(f"roles must be a non-empty subset of {sorted(ALL_ROLES)}")

    @property
    def public(self) -> bool:
        return self.area == "public"


PUBLIC = Policy(frozenset(), "public")


def policy(roles: frozenset[str] = ALL_ROLES, area: str = "user_area") -> dict[str, Any]:
    """The ``opt`` for a route handler: ``@get("/x", opt=policy(...))``."""
    return {"policy": Policy(frozenset(roles), area)}


async def enforce_policy(
    connection: ASGIConnection[Any, Any, Any, Any], handler: BaseRouteHandler
) -> None:
    """App-wide guard: no policy, no access; then login and role checks."""
    rule = handler.opt.get("policy")
    if not isinstance(rule, Policy):
        raise PermissionDeniedException("route has no access policy")
    if rule.public:
        return
    account = await _signed_in(connection)
    if account is None:
        raise NotAuthorizedException("login required")
    if account.role not in rule.roles:
        raise PermissionDeniedException("role not allowed")
    connection.state.account = account


def user_of(connection: ASGIConnection[Any, Any, Any, Any]) -> Account:
    """The account the guard admitted (dependency for handlers)."""
    account = connection.state.get("account")
    if not isinstance(account, Account):
        raise NotAuthorizedException("login required")
    return account


async def _signed_in(connection: ASGIConnection[Any, Any, Any, Any]) -> Account | None:
    store: SessionStore = connection.app.state.sessions
    return await anyio.to_thread.run_sync(store.account, session_token(connection))
