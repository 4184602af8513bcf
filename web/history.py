"""A household's change history and the audited reveal of a full ID (issue 4)."""

from __future__ import annotations

from typing import Any

__all__ = ["HANDLERS"]

HANDLERS: list[Any] = []
"""Route handlers of the history and reveal pages (filled in as they are written)."""
