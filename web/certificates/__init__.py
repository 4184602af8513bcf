"""Certificate pages (issue 5): a household's certificates and issuing, printing a village in
the background, and public verification. ``HANDLERS`` is registered by :mod:`web.app`."""

from typing import Any

from . import batches, household, verify

__all__ = ["HANDLERS"]

HANDLERS: list[Any] = [*household.HANDLERS, *batches.HANDLERS, *verify.HANDLERS]
