"""What a refused draw or visit raises: every wrong field with a Chinese message naming it."""

from __future__ import annotations

from collections.abc import Mapping

__all__ = ["InputRefused", "FORM"]

FORM = "_form"
"""The key of a problem that belongs to the whole form rather than one field."""


class InputRefused(ValueError):
    """The input was refused; nothing was written. ``errors`` maps a field (or :data:`FORM`)
    to a Chinese sentence naming the field and what is wrong with it."""

    def __init__(self, errors: Mapping[str, str]) -> None:
        if not errors:
            raise ValueError("InputRefused needs at least one problem")
        self.errors = dict(errors)
        super().__init__("refused: " + ", ".join(sorted(self.errors)))

    @property
    def message_zh(self) -> str:
        return "；".join(self.errors.values())
