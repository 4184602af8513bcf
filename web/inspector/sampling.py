"""Inspector routes (being built)."""

from typing import Any

__all__ = ["HANDLERS"]

HANDLERS: list[Any] = []
