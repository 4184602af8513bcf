"""What the received-measure pages show (sync; run in a worker thread by web/measures.py)."""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from litestar.exceptions import NotFoundException
from litestar.response import Template
from sqlalchemy import Engine

from casework.queries import Account, HouseholdRecord, household_record
from casework.received_measures import (
    EDITOR_ROLES, Catalog, ReceivedLine, catalog_for_county, member_choices, received_entry,
    received_lines,
)
from casework.received_measures.catalog import PAYER_SUGGESTIONS
from casework.received_measures.listing import compare_with_decisions
from casework.received_measures.validation import MemberChoice

__all__ = ["Page", "load_page", "list_view", "edit_view", "new_key", "line_values"]


def new_key() -> str:
    return secrets.token_urlsafe(18)


@dataclass(frozen=True)
class Page:
    record: HouseholdRecord
    catalog: Catalog
    members: tuple[MemberChoice, ...]
    today: dt.date

    @property
    def household_id(self) -> int:
        return int(self.record.household.id)  # type: ignore[arg-type]

    @property
    def base(self) -> str:
        return f"/households/{self.household_id}/measures"


def load_page(engine: Engine, account: Account, household_id: int) -> Page:
    """The household (in the user's area) and its county's measures; 404 otherwise."""
    record = household_record(engine, account, household_id)
    if record is None:
        raise NotFoundException("household not found")
    catalog = catalog_for_county(engine, record.household.county_code) or Catalog("", ())
    return Page(record, catalog, member_choices(record.household), dt.date.today())


def _context(page: Page, account: Account) -> dict[str, Any]:
    household = page.record.household
    return {
        "account": account, "household": household, "village_name": page.record.village_name,
        "township_name": page.record.township_name, "catalog": page.catalog,
        "members": page.members, "can_edit": account.role in EDITOR_ROLES,
        "payers": PAYER_SUGGESTIONS, "base": page.base, "today": page.today.isoformat(),
        "measure_options": [(m.rule_id, f"{m.rule_id} {m.title}", m.per_member)
                            for m in page.catalog.measures],
    }


def list_view(engine: Engine, page: Page, account: Account, *, values: Mapping[str, str] | None
              = None, errors: Mapping[str, str] | None = None, key: str | None = None,
              status: int = 200, notice: str = "") -> Template:
    lines = received_lines(engine, page.record.household, page.catalog, page.today)
    comparison = compare_with_decisions(engine, page.record.household, page.catalog, lines)
    context = {**_context(page, account), "lines": lines, "values": dict(values or {}),
               "comparison": comparison,
               "errors": dict(errors or {}), "key": key or new_key(), "notice": notice}
    return Template("measures/page.html", context=context, status_code=status)


def edit_view(engine: Engine, page: Page, account: Account, measure_id: int, *,
              values: Mapping[str, str] | None = None, errors: Mapping[str, str] | None = None,
              key: str | None = None, version: int | None = None, status: int = 200,
              conflict: str = "", end_until: str = "") -> Template:
    line = entry_or_404(engine, page, measure_id)
    shown = dict(values) if values is not None else line_values(line)
    context = {**_context(page, account), "line": line, "values": shown,
               "errors": dict(errors or {}), "key": key or new_key(),
               "version": version if version is not None else line.version,
               "conflict": conflict, "current": line_values(line), "end_until": end_until[:20]}
    return Template("measures/edit.html", context=context, status_code=status)


def entry_or_404(engine: Engine, page: Page, measure_id: int) -> ReceivedLine:
    line = received_entry(engine, page.household_id, measure_id, page.catalog, page.today) \
        if 0 < measure_id < 2**62 else None
    if line is None:
        raise NotFoundException("received measure not found")
    return line


def line_values(line: ReceivedLine) -> dict[str, str]:
    return {
        "rule_id": line.rule_id, "member_id": str(line.member_id or ""),
        "amount_yuan": "" if line.amount_yuan is None else format(line.amount_yuan, "f"),
        "since": line.since.isoformat(), "until": line.until.isoformat() if line.until else "",
        "payer": line.payer, "note": line.note or "",
    }
