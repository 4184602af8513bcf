"""A cadre's edits of a household (issue 4): the route handlers, registered by the app."""

from __future__ import annotations

from typing import Any

__all__ = ["HANDLERS"]

HANDLERS: list[Any] = []
"""Route handlers of the editing pages (filled in as they are written)."""
