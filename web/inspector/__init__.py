"""The inspector's workbench: dashboards, payment gaps and data quality, spot checks."""

from typing import Any

from . import dashboard, gaps, sampling

__all__ = ["HANDLERS"]

HANDLERS: list[Any] = [*dashboard.HANDLERS, *gaps.HANDLERS, *sampling.HANDLERS]
