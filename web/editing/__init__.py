"""A cadre's edits of a household (issue 4): the route handlers, registered by the app."""

from __future__ import annotations

from typing import Any

from .handlers import HANDLERS as _HANDLERS, ROUTES
from .views import EDITOR_ROLES

__all__ = ["HANDLERS", "ROUTES", "EDITOR_ROLES"]

HANDLERS: list[Any] = list(_HANDLERS)
"""Route handlers of the editing pages."""
