"""The inspector's lists: payment gaps (应享未享, 不应享而享) and data quality, scoped to the
user's area, filterable by township and village, paginated and exportable."""

from .base import (
    EXPORT_LIMIT, PAGE_SIZE, Context, Filters, ListPage, ListSpec, make_context, run_export,
    run_page,
)
from .data import AGE_STAGE, DUPLICATE_IDS, MISSING_DATA, STAGE_AGES, STALE, STALE_DAYS, age_on
from .gaps import MISSED, WRONGLY_PAID

LISTS: dict[str, ListSpec] = {spec.name: spec for spec in (
    MISSED, WRONGLY_PAID, DUPLICATE_IDS, AGE_STAGE, MISSING_DATA, STALE)}
"""Every list by its URL name (``/inspect/gaps/{list_name}``)."""

__all__ = [
    "LISTS", "EXPORT_LIMIT", "PAGE_SIZE", "Context", "Filters", "ListPage", "ListSpec",
    "make_context", "run_export", "run_page", "STAGE_AGES", "STALE_DAYS", "age_on",
    "MISSED", "WRONGLY_PAID", "DUPLICATE_IDS", "AGE_STAGE", "MISSING_DATA", "STALE",
]
