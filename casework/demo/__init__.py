"""Demo data: a realistic synthetic registry in real places (``casework demo-data``).

Household numbers are ``<county code>-<6-digit serial within the county>``, e.g.
``511922-000042``. The registry describes the day :data:`REFERENCE_DATE` (2018-09-01): ages,
school stages and this year's hospital stays are as at that day.

The loader (and with it Faker and the models) is imported only when first used, so reading
:data:`REFERENCE_DATE` or :data:`DEMO_ACCOUNTS` stays cheap.
"""

from __future__ import annotations

import importlib
from typing import Any

from .accounts import CADRE_VILLAGE_CODE, DEMO_ACCOUNTS, ROLE_LABELS, DemoAccount
from .rates import REFERENCE_DATE

__all__ = [
    "ACTOR",
    "CADRE_VILLAGE_CODE",
    "DEMO_ACCOUNTS",
    "DemoAccount",
    "LoadResult",
    "REFERENCE_DATE",
    "ROLE_LABELS",
    "RegistryNotEmpty",
    "load_demo_data",
]

_FROM_GENERATOR = frozenset({"ACTOR", "LoadResult", "RegistryNotEmpty", "load_demo_data"})


def __getattr__(name: str) -> Any:
    if name in _FROM_GENERATOR:
        return getattr(importlib.import_module(".generator", __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
