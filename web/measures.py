"""Routes for the measures a household actually receives (being built)."""

from typing import Any

__all__ = ["HANDLERS"]

HANDLERS: list[Any] = []
